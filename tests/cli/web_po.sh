#!/bin/bash
# web_po.sh: the pages' message catalogues (po/*.po, docs/web.md "Languages"):
#   - each is a valid PO file (msgfmt --check, when GNU gettext is installed) with no msgid
#     twice;
#   - every text the pages translate (web_tr and html_tr with a literal, and the columns of
#     their tables) has an entry in each catalogue, and ne and id translate every one.
set -u
: "${SPFLOOR_SRC:?set SPFLOOR_SRC to the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/../support/cli.bash"

for lang in en ne id; do
    po="$SPFLOOR_SRC/po/$lang.po"
    [ -f "$po" ] || { fail "po/$lang.po is missing"; continue; }
    if command -v msgfmt >/dev/null; then
        msgfmt --check -o /dev/null "$po" 2>"$work/msgfmt" || fail "po/$lang.po: $(cat "$work/msgfmt")"
    fi
done
python3 - "$SPFLOOR_SRC" >"$work/missing" <<'PY' || fail "texts without a translation: $(cat "$work/missing")"
import glob, re, sys
src = sys.argv[1]
lit = r'"((?:[^"\\]|\\.)*)"'
used = set()
for f in glob.glob(src + "/src/web/*.c"):
    s = open(f, encoding="utf-8").read()
    for m in re.finditer(r'(?:web_tr|html_tr)\(r,\s*((?:' + lit + r'\s*)+)\)', s):
        used.add("".join(re.findall(lit, m.group(1))))
    for m in re.finditer(r'cols\[\] = \{([^}]*)\}', s):
        used.update(re.findall(lit, m.group(1)))
bad = 0
for lang in ("en", "ne", "id"):
    entries = {}
    text = open("%s/po/%s.po" % (src, lang), encoding="utf-8").read()
    for m in re.finditer(r'^msgid ((?:' + lit + r'\s*)+)msgstr ((?:' + lit + r'\s*)+)', text, re.M):
        mid = "".join(re.findall(lit, m.group(1)))
        mstr = "".join(re.findall(lit, m.group(3)))
        if mid in entries:
            print("po/%s.po: \"%s\" twice" % (lang, mid)); bad = 1
        entries[mid] = mstr
    for u in sorted(used):
        if u not in entries:
            print("po/%s.po: no entry for \"%s\"" % (lang, u)); bad = 1
        elif lang != "en" and entries[u] == "":
            print("po/%s.po: \"%s\" is not translated" % (lang, u)); bad = 1
sys.exit(bad)
PY
finish web_po
