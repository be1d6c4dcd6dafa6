#!/bin/sh
# run.sh: CEL's conformance suite against spfloor's expressions (tests/conformance/
# cel_conformance.c). Dumps the cases from node_modules/@bufbuild/cel-spec (installed by
# `npm ci`, which `make test` runs) and runs them. Usage: run.sh RUNNER OUT_DIR FLOOR
set -eu
runner=$1
out=$2
floor=$3
src=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -d "$src/node_modules/@bufbuild/cel-spec" ]; then
    echo "SKIPPED: node_modules/@bufbuild/cel-spec is missing: run 'npm ci' in $src" \
        "(make test does) to run CEL's conformance suite"
    exit 77
fi
mkdir -p "$out"
node "$src/scripts/cel-conformance-dump.js" "$out/cel-conformance.json"
exec "$runner" "$out/cel-conformance.json" "$floor"
