#!/usr/bin/env bash
# tests/system/host_memory.sh - bogus in a 100 MB address space (issue 14):
# under `ulimit -v 102400`, inside the healthy lab world, --once --json
# gives the verdict it gives without a limit (secure, exit 0, nothing on
# stderr), and the console keeps refreshing (a recording grows, the screen
# shows the verdict) until SIGTERM ends it with exit code 143 (128 + SIGTERM),
# never a signal. Sanitizer builds reserve terabytes of address space by
# design: there the test says SKIP. Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}
LIMIT_KB=102400

if ldd "$BOGUS" 2>/dev/null | grep -qE 'lib(a|t|ub)san'; then
	echo "SKIP: memory: $BOGUS is a sanitizer build (no address-space limit applies)"
	exit 0
fi

. tests/lab/self.sh
in_lab healthy 240 "memory" "$0" "$@"

# ---- inside the lab world ----
verdict() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$1" 2>/dev/null; }

(ulimit -v $LIMIT_KB && exec "$BOGUS" --once --json $LAB_BOGUS_ARGS) >"$tmp/once.json" 2>"$tmp/once.err"
rc=$?
v=$(verdict "$tmp/once.json")
if [ "$rc" -eq 0 ] && [ "$v" = secure ] && [ ! -s "$tmp/once.err" ]; then
	pass "--once under ulimit -v $LIMIT_KB: secure, exit 0, stderr empty"
else
	fail "--once under ulimit -v $LIMIT_KB: verdict '$v', exit $rc, stderr: $(head -c 300 "$tmp/once.err")"
fi

tmux -L "$sock" -f /dev/null new-session -d -s t -x 100 -y 30 \
	"ulimit -v $LIMIT_KB; env TERM=xterm-256color $BOGUS $LAB_BOGUS_ARGS --interval 1 --record $tmp/rec.jsonl 2>$tmp/con.err; echo \$? >$tmp/con.rc; sleep 60"
for ((i = 0; i < 150; i++)); do
	[ "$(grep -c '"type":"snapshot"' "$tmp/rec.jsonl" 2>/dev/null)" -ge 5 ] && break
	[ -e "$tmp/con.rc" ] && break
	sleep 0.2
done
n=$(grep -c '"type":"snapshot"' "$tmp/rec.jsonl" 2>/dev/null)
screen=$(tmux -L "$sock" capture-pane -p -t t)
if [ "${n:-0}" -ge 5 ] && [ ! -e "$tmp/con.rc" ] && grep -q 'SECURE' <<<"$screen"; then
	pass "console under ulimit -v $LIMIT_KB: $n refreshes recorded, SECURE on screen"
else
	fail "console under ulimit -v $LIMIT_KB: ${n:-0} refreshes, exit $(cat "$tmp/con.rc" 2>/dev/null), stderr: $(head -c 300 "$tmp/con.err"), screen: $(head -n 2 <<<"$screen" | tr '\n' ' ')"
fi
pid=$(pgrep -f -- "^$BOGUS .*--record $tmp/rec.jsonl" | head -n 1)
[ -n "$pid" ] && kill -TERM "$pid"
wait_file "$tmp/con.rc"
rc=$(cat "$tmp/con.rc" 2>/dev/null)
if [ "$rc" = 143 ]; then
	pass "console under ulimit -v $LIMIT_KB: SIGTERM ends it with exit code 143"
else
	fail "console under ulimit -v $LIMIT_KB: exit '${rc:-none}' after SIGTERM, stderr: $(head -c 300 "$tmp/con.err")"
fi
