#!/bin/bash
# banned.sh: every C library call STYLE.md bans fails to compile with the project's flags
# (base/banned.h), while the same file calling its bounded replacement compiles. The calls are
# written out here at run time, one small file each, so that no banned call stands in the tree.
#   banned.sh CC SOURCE_DIR
set -u
cc=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(-std=c11 -Wall -Werror -D_POSIX_C_SOURCE=200809L -include "$src/src/base/banned.h"
    -I"$src/src" -fsyntax-only)
failures=0

# compile NAME BODY: writes a function whose body is BODY and compiles it; the status is cc's.
compile() {
    printf '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include "base/text.h"\n\nvoid use(char *out, const char *in, char *line, FILE *f);\n\nvoid use(char *out, const char *in, char *line, FILE *f)\n{\n    (void)out; (void)in; (void)line; (void)f;\n    %s;\n}\n' \
        "$2" >"$work/$1.c"
    "$cc" "${flags[@]}" "$work/$1.c" 2>"$work/$1.err"
}

# The control: the bounded forms compile, so a refusal below is the ban, not a broken command.
compile control 'text_copy(out, 8, in); snprintf(out, 8, "%s", in); (void)fgets(line, 8, f)' ||
    { echo "FAIL: the control file does not compile: $(cat "$work/control.err")" >&2; exit 1; }

for call in "sprintf@(out, \"%s\", in)" "vsprintf@(out, in, NULL)" "strcpy@(out, in)" \
    "strncpy@(out, in, 8)" "strcat@(out, in)" "strncat@(out, in, 8)" "atoi@(in)" "atol@(in)" \
    "atoll@(in)" "strtok@(out, in)" "gets@(line)"; do
    name=${call%%@*}
    if compile "$name" "(void)$name${call#*@}"; then
        echo "FAIL: $name compiles: it should be banned (base/banned.h)" >&2
        failures=$((failures + 1))
    elif ! grep -q "poisoned" "$work/$name.err"; then
        echo "FAIL: $name is refused for another reason: $(head -3 "$work/$name.err")" >&2
        failures=$((failures + 1))
    fi
done
[ "$failures" -eq 0 ] || exit 1
echo "banned: ok"
