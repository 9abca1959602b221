#!/usr/bin/env bash
# tests/system/host_files.sh - full disks and dead outputs (issue 14):
# a report that cannot reach stdout (>/dev/full) is one line on stderr and
# exit 3; an --export written onto a full filesystem (a
# tiny tmpfs in a private mount namespace) exits 3 with one line, leaves
# the file that was there untouched (or none), and no temporary file
# behind; on a roomy one, the whole file. Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}

pass() { echo "PASS: files: $*"; }
fail() { echo "FAIL: files: $*"; }

# one_line NAME RC ERRFILE NEEDLE: exit 3 and one stderr line with NEEDLE
one_line() {
	local name=$1 rc=$2 err=$3 needle=$4 n
	n=$(wc -l <"$err")
	if [ "$rc" -ne 3 ]; then
		fail "$name: exit $rc, want 3 ($(head -c 200 "$err"))"
	elif [ "$n" -ne 1 ]; then
		fail "$name: $n stderr lines, want 1: $(head -c 300 "$err")"
	elif ! grep -qF -- "$needle" "$err"; then
		fail "$name: stderr lacks '$needle': $(cat "$err")"
	else
		pass "$name: $(cat "$err")"
	fi
}

case "${1:-}" in
inner)	# inside the healthy world: reports to a full device, a recording
	tmp=$2
	"$BOGUS" --once $LAB_BOGUS_ARGS >/dev/full 2>"$tmp/err"
	one_line "--once >/dev/full" $? "$tmp/err" "cannot write to standard output: No space left on device"
	"$BOGUS" --once --json $LAB_BOGUS_ARGS >/dev/full 2>"$tmp/err"
	one_line "--once --json >/dev/full" $? "$tmp/err" "cannot write to standard output: No space left on device"
	"$BOGUS" --once --json --record "$tmp/rec.jsonl" $LAB_BOGUS_ARGS >"$tmp/healthy.json" 2>"$tmp/err"
	echo "$?" >"$tmp/rc-record"
	exit 0
	;;
full)	# inside a private mount namespace: $3 is a fresh mount point
	tmp=$2 mnt=$3
	mount -t tmpfs -o size=256k,mode=0777 bogus-full "$mnt" || { fail "mount tmpfs"; exit 0; }
	# The roomy case first: the whole export, nothing else in the directory.
	"$BOGUS" --once --replay "$tmp/rec.jsonl" --export "$mnt/ok.md" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 0 ] && grep -q '^# ' "$mnt/ok.md" && [ "$(ls -A "$mnt")" = ok.md ]; then
		pass "--export on a roomy disk: $(wc -c <"$mnt/ok.md") bytes, no temporary left"
	else
		fail "--export on a roomy disk: exit $rc, files: $(ls -A "$mnt" | tr '\n' ' ') $(cat "$tmp/err")"
	fi
	# An earlier report, then the disk fills up.
	printf '# the earlier report\n' >"$mnt/report.md"
	rm -f "$mnt/ok.md"
	dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null
	"$BOGUS" --once --replay "$tmp/rec.jsonl" --export "$mnt/report.md" >/dev/null 2>"$tmp/err"
	one_line "--export onto a full disk" $? "$tmp/err" "No space left on device"
	if [ "$(cat "$mnt/report.md")" = "# the earlier report" ]; then
		pass "--export onto a full disk leaves the earlier report whole"
	else
		fail "--export onto a full disk changed the earlier report: $(head -c 200 "$mnt/report.md")"
	fi
	"$BOGUS" --once --replay "$tmp/rec.jsonl" --export "$mnt/new.md" >/dev/null 2>"$tmp/err"
	one_line "--export of a new file onto a full disk" $? "$tmp/err" "No space left on device"
	if [ ! -e "$mnt/new.md" ]; then
		pass "--export onto a full disk leaves no file that looks like a short report"
	else
		fail "--export onto a full disk left $mnt/new.md ($(wc -c <"$mnt/new.md") bytes)"
	fi
	left=$(ls -A "$mnt" | grep -v -x -e report.md -e filler | tr '\n' ' ')
	if [ -z "$left" ]; then
		pass "no temporary file left on the full disk"
	else
		fail "temporary files left on the full disk: $left"
	fi
	exit 0
	;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$BOGUS" --help >/dev/full 2>"$tmp/err"
one_line "--help >/dev/full" $? "$tmp/err" "cannot write to standard output"

out=$(timeout 240 tests/lab/lab run healthy -- bash "$0" inner "$tmp" 2>&1) ||
	{ fail "lab run healthy: $out"; exit 0; }
printf '%s\n' "$out"
if [ "$(cat "$tmp/rc-record" 2>/dev/null)" != 0 ] || [ ! -s "$tmp/rec.jsonl" ]; then
	fail "--once --record in the healthy world (exit $(cat "$tmp/rc-record" 2>/dev/null))"
	exit 0
fi

mkdir "$tmp/mnt"
if [ "$(id -u)" -eq 0 ]; then
	unshare -m bash "$0" full "$tmp" "$tmp/mnt"
else
	unshare -rm bash "$0" full "$tmp" "$tmp/mnt"
fi
