#!/bin/bash
# install.sh: `make install` lays out PREFIX/bin/spfloor and PREFIX/share/spfloor/schemes, and
# the installed binary finds its scheme library from any folder, without --schemes or
# SPFLOOR_SCHEMES; a library given with --schemes or SPFLOOR_SCHEMES still wins.
set -u
: "${SPFLOOR:?set SPFLOOR to the spfloor binary}"
: "${SPFLOOR_BUILD:?set SPFLOOR_BUILD to the build directory}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset SPFLOOR_SCHEMES
export SPFLOOR_TODAY=2025-01-15
source "$(dirname "$0")/../support/cli.bash"

cmake --install "$SPFLOOR_BUILD" --prefix "$work/prefix" >/dev/null ||
    fail "cmake --install into $work/prefix"
[ -x "$work/prefix/bin/spfloor" ] || fail "no PREFIX/bin/spfloor"
[ -f "$work/prefix/share/spfloor/schemes/np/ssa_senior_citizen.yaml" ] ||
    fail "the scheme library is not under PREFIX/share/spfloor/schemes"

mkdir "$work/elsewhere"
expect_dir=$work/elsewhere # a folder with no schemes/ in it
expect 0 "schemes list from another folder" -- "$work/prefix/bin/spfloor" schemes list \
    --country NP
contains "$out" "np.ssa.senior_citizen" "the installed binary reads the installed library"
expect 0 "the build's binary from another folder" -- "$SPFLOOR" schemes list --country NP
contains "$out" "np.ssa.senior_citizen" "the build's binary reads the source tree's library"

# a library named by the user still wins
mkdir -p "$work/mine/np"
cp "$work/prefix/share/spfloor/schemes/np/ssa.params.yaml" \
    "$work/prefix/share/spfloor/schemes/np/ssa_widow.yaml" "$work/mine/np/"
expect 0 "--schemes wins" -- "$work/prefix/bin/spfloor" --schemes "$work/mine" schemes list
contains "$out" "np.ssa.widow" "--schemes names the library read"
[[ "$out" == *np.ssa.senior_citizen* ]] && fail "--schemes did not win over the installed library"
expect 0 "SPFLOOR_SCHEMES wins" -- env SPFLOOR_SCHEMES="$work/mine" "$work/prefix/bin/spfloor" \
    schemes list
[[ "$out" == *np.ssa.senior_citizen* ]] && fail "SPFLOOR_SCHEMES did not win"

finish install
