#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/engine_lab.sh - the probe engine against real resolvers.
#
# In a healthy and a broken lab world, bogus --once --json must report, per
# resolver, what dig sees asking the same resolver the same question (rcode,
# AD, an EDE or none), whether the resolver validates as dig's canary test
# shows it (SERVFAIL, rescued by +cd), and for libunbound's local verdict
# what delv concludes. dig and delv are the ground truth, not this script.
#   ENGINE_LAB_ONLY="healthy"   runs only these scenarios.
set -u
self=$(realpath "$0")
cd "$(dirname "$self")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}

if [ -z "${LAB_HOME:-}" ]; then
	for s in ${ENGINE_LAB_ONLY:-healthy ksk-ds-mismatch}; do
		out=$(timeout 300 tests/lab/lab run "$s" -- bash "$self" 2>&1)
		printf '%s\n' "$out" | grep -E '^(PASS|FAIL): '
		grep -qE '^(PASS|FAIL): ' <<<"$out" ||
			echo "FAIL: engine $s: lab did not run: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
	done
	exit 0
fi

# Inside the world from here on.
. "$LAB_DIR/world.env"
s=$LAB_SCENARIO
pass() { echo "PASS: engine $s: $*"; }
fail() { echo "FAIL: engine $s: $*"; }

json=$(timeout 60 "$BOGUS" --once --json $LAB_BOGUS_ARGS 2>/dev/null)
if ! jq -e '.resolvers | type == "array"' >/dev/null 2>&1 <<<"$json"; then
	fail "bogus --once --json gave no resolvers ($(head -c 200 <<<"$json"))"
	exit 0
fi
name=www.$LAB_ZONE
name=${name%.}.

# dig's view: "RCODE AD EDE?" for one resolver and question.
dig_view() {
	local out rcode ad ede
	out=$(dig +time=3 +tries=1 +dnssec "$@" 2>&1)
	rcode=$(sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<<"$out" | head -n 1)
	ad=false
	grep -qE '^;; flags:[^;]* ad[ ;]' <<<"$out" && ad=true
	ede=none
	grep -q '; EDE: ' <<<"$out" && ede=some
	echo "${rcode:-TIMEOUT} $ad $ede"
}

for spec in $LAB_RESOLVERS; do
	rname=${spec%%=*}
	addr=${spec#*=}
	want=$(dig_view "@$addr" "$name" A)
	got=$(jq -r --arg r "$rname" --arg q "$name" '
		.resolvers[] | select(.name == $r) | .answers[]
		| select(.qname == $q and .qtype == "A")
		| "\(.rcode // "TIMEOUT") \(.ad) \(if (.ede | length) > 0 then "some" else "none" end)"' <<<"$json")
	if [ "$got" = "$want" ]; then
		pass "$rname $name/A rcode, AD, EDE as dig sees them ($got)"
	else
		fail "$rname $name/A: dig sees '$want', bogus reported '${got:-nothing}'"
	fi
	c=$(dig_view "@$addr" "$LAB_CANARY" A)
	ccd=$(dig_view "@$addr" "$LAB_CANARY" A +cd)
	wantv=false
	[ "${c%% *}" = SERVFAIL ] && [ "${ccd%% *}" != SERVFAIL ] && wantv=true
	gotv=$(jq -r --arg r "$rname" '.resolvers[] | select(.name == $r) | .validating' <<<"$json")
	if [ "$gotv" = "$wantv" ]; then
		pass "$rname validating=$gotv as the canary shows (dig: $c / +cd ${ccd%% *})"
	else
		fail "$rname validating: canary says $wantv (dig: $c / +cd ${ccd%% *}), bogus reported $gotv"
	fi
done

# The local verdict against delv, which validates on its own from the anchor.
office=$(tr ' ' '\n' <<<"$LAB_RESOLVERS" | sed -n 's/^office=//p')
dv=$(timeout 20 delv @"$office" -a "$LAB_DELV_ANCHOR" +root=. "$name" A 2>&1)
case $dv in
*"fully validated"*) wantl=secure ;;
*"unsigned answer"*) wantl=insecure ;;
*) wantl=bogus ;;
esac
gotl=$(jq -r --arg q "$name" '.local[] | select(.qname == $q and .qtype == "A") | .security' <<<"$json")
if [ "$gotl" = "$wantl" ]; then
	pass "local validation of $name/A is $gotl, as delv concludes"
else
	fail "local validation of $name/A: delv says $wantl, bogus reported ${gotl:-nothing}"
fi
exit 0
