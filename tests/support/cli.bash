# cli.bash: what the command-line scenario tests (tests/cli/*.sh) share. Source it once the
# script has its scratch directory in $work:
#     source "$(dirname "$0")/../support/cli.bash"
# then call fail, expect and contains as it goes, and `finish NAME` at the end.

failures=0

# fail MESSAGE: records a failure (the script goes on, and finish reports them all).
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# expect CODE DESCRIPTION -- COMMAND...: runs COMMAND (in $expect_dir if set), keeping its
# stdout in $out and stderr in $err, and fails unless it exits with CODE.
expect() {
    local code=$1 what=$2
    shift 3
    (cd "${expect_dir:-.}" && "$@") >"${work:?}/.expect_out" 2>"$work/.expect_err" </dev/null
    local rc=$?
    out=$(cat "$work/.expect_out")
    err=$(cat "$work/.expect_err")
    if [ "$rc" -ne "$code" ]; then
        fail "$what: exit $rc, expected $code (stderr: $err)"
    fi
}

# contains TEXT PATTERN DESCRIPTION: fails unless TEXT holds PATTERN.
contains() {
    case "$1" in
    *"$2"*) ;;
    *) fail "$3: \"$2\" not in: $1" ;;
    esac
}

# finish NAME: exits 1 naming the count of failures, or prints "NAME: ok".
finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$1: $failures failure(s)" >&2
        exit 1
    fi
    echo "$1: ok"
}
