#!/bin/bash
# layers.sh: every file includes only headers of its own layer or of layers below it
# (README "Layout", docs/architecture.md). The layers, lowest first; a layer may use any
# layer named before it on its line:
#   base
#   model     base
#   rules     base model
#   registry  base model
#   audit     base
#   ledger    base model
#   claims    base model
#   pay       base model
#   store     base model registry audit
#   report    base model
#   ops       base model rules registry audit ledger claims pay store report
#   web       base model rules registry audit ledger claims pay store report ops
#   cli       base model rules registry audit ledger claims pay store report ops web
# web sits beside cli over ops: the CLI includes only web/web.h, to start `spfloor serve`.
# The libraries link the same way (CMakeLists.txt), so an arrow running back up fails twice:
# here, naming the file and line, and at link time.
set -u
src="${SPFLOOR_SRC:-.}/src"
declare -A allowed=(
    [base]="base"
    [model]="base model"
    [rules]="base model rules"
    [registry]="base model registry"
    [audit]="base audit"
    [ledger]="base model ledger"
    [claims]="base model claims"
    [pay]="base model pay"
    [store]="base model registry audit store"
    [report]="base model report"
    [ops]="base model rules registry audit ledger claims pay store report ops"
    [web]="base model rules registry audit ledger claims pay store report ops web"
    [cli]="base model rules registry audit ledger claims pay store report ops web cli"
)
failures=0
for dir in "$src"/*/; do
    layer=$(basename "$dir")
    if [ -z "${allowed[$layer]+set}" ]; then
        echo "FAIL: src/$layer is not a known layer: name it in tests/build/layers.sh" >&2
        failures=$((failures + 1))
        continue
    fi
    while IFS=: read -r file line text; do
        target=$(sed -n 's/^#include "\([a-z]*\)\/.*/\1/p' <<<"$text")
        [ -n "$target" ] || continue
        case " ${allowed[$layer]} " in
        *" $target "*) ;;
        *)
            echo "FAIL: ${file#"$src"/}:$line: $layer includes $target, a layer above it:" \
                "$text" >&2
            failures=$((failures + 1))
            ;;
        esac
    done < <(grep -rn '^#include "' "$dir" --include='*.c' --include='*.h')
done
if [ "$failures" -gt 0 ]; then
    echo "$failures include(s) against the layers" >&2
    exit 1
fi
echo "layers: ok"
