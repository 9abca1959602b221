#!/usr/bin/env bash
# tests/soak/console_soak.sh - a long run (issue 14; `make soak`, not part of
# `make test`): the console refreshing every second for SOAK_SECONDS (600)
# inside the healthy lab world while its servers come and go (every
# authoritative server and resolver stopped and resumed in turn, so that
# queries time out, fall back and come back). Every 5 s it samples the
# console's descriptors (/proc/PID/fd), threads (/proc/PID/task) and RSS.
# Descriptors and threads rise during a refresh and fall after it, so the
# check compares floors: the lowest count in the first and in the last
# fifth of the run must be the same; RSS in the last fifth must stay within
# a quarter (plus 2 MB) of the first fifth's highest. The console must
# still be running at the end. Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}
SOAK_SECONDS=${SOAK_SECONDS:-600}

if [ "${1:-}" != inner ]; then
	out=$(timeout $((SOAK_SECONDS + 300)) tests/lab/lab run healthy -- bash "$0" inner 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^(PASS|FAIL|    )'
	grep -qE '^(PASS|FAIL): ' <<<"$out" ||
		echo "FAIL: soak: lab did not run (exit $rc): $(tail -n 5 <<<"$out" | tr '\n' ' ')"
	exit 0
fi

# ---- inside the lab world ----
tmp=$(mktemp -d)
sock=bogus-soak-$$
servers=()
resume() { [ ${#servers[@]} -eq 0 ] || kill -CONT "${servers[@]}" 2>/dev/null; }
trap 'resume; tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
pass() { echo "PASS: soak: $*"; }
fail() { echo "FAIL: soak: $*"; }

tmux -L "$sock" -f /dev/null new-session -d -s t -x 120 -y 40 \
	"env TERM=xterm-256color $BOGUS $LAB_BOGUS_ARGS --interval 1 2>$tmp/err; echo \$? >$tmp/rc; sleep 3600"
pid=
for ((i = 0; i < 50 && ${#pid} == 0; i++)); do
	pid=$(pgrep -f -- "^$BOGUS " | head -n 1)
	sleep 0.2
done
[ -n "$pid" ] || { fail "the console did not start: $(cat "$tmp/err")"; exit 0; }
mapfile -t servers < <(pgrep -x -- 'nsd|knotd|unbound|kresd')
[ ${#servers[@]} -gt 0 ] || { fail "no lab servers to flap"; exit 0; }

# samples: "t fds threads rss_kb"
start=$SECONDS
n=0
while [ $((SECONDS - start)) -lt "$SOAK_SECONDS" ] && kill -0 "$pid" 2>/dev/null; do
	# Servers come and go: each in turn is stopped for 10 s.
	victim=${servers[$(((SECONDS - start) / 10 % ${#servers[@]}))]}
	resume
	if [ $(((SECONDS - start) / 10 % 3)) -ne 0 ]; then
		kill -STOP "$victim" 2>/dev/null
	fi
	fds=$(ls /proc/"$pid"/fd 2>/dev/null | wc -l)
	thr=$(ls /proc/"$pid"/task 2>/dev/null | wc -l)
	rss=$(awk '/^VmRSS/ {print $2}' /proc/"$pid"/status 2>/dev/null)
	echo "$((SECONDS - start)) $fds $thr ${rss:-0}" >>"$tmp/samples"
	n=$((n + 1))
	sleep 5
done
resume
if ! kill -0 "$pid" 2>/dev/null; then
	fail "the console ended during the soak (exit $(cat "$tmp/rc" 2>/dev/null)): $(head -c 300 "$tmp/err")"
	exit 0
fi
pass "the console ran $SOAK_SECONDS s with servers coming and going ($n samples)"
python3 - "$tmp/samples" "$SOAK_SECONDS" <<'PY'
import sys
rows = [list(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
total = int(sys.argv[2])
first = [r for r in rows if r[0] < total / 5]
last = [r for r in rows if r[0] >= total * 4 / 5]
if not first or not last:
    print("FAIL: soak: too few samples (%d)" % len(rows)); sys.exit(0)
def floor(rs, i): return min(r[i] for r in rs)
for name, i in (("descriptors", 1), ("threads", 2)):
    a, b = floor(first, i), floor(last, i)
    print("%s: soak: %s flat: floor %d in the first fifth, %d in the last" %
          ("PASS" if b <= a else "FAIL", name, a, b))
a = max(r[3] for r in first)
b = max(r[3] for r in last)
print("%s: soak: memory flat: RSS up to %d KB in the first fifth, %d KB in the last" %
      ("PASS" if b <= a * 1.25 + 2048 else "FAIL", a, b))
PY
echo "    samples (t fds threads rss_kb): $(awk 'NR % 12 == 1' "$tmp/samples" | tr '\n' ';')"
