#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/host_loss.sh - a lossy path does not change the verdict
# (issue 14): in the healthy lab world, nftables drops 30% of DNS packets
# at random (UDP and TCP, queries and replies, silently: no ICMP, no EPERM),
# and `bogus --once --json` (default timeout and tries) is run RUNS times
# (default 3). Every run must
# end with the verdict the world has without loss (secure, exit 0) and
# blame no server: no ns-unreachable, tcp-unreachable, ns-lame,
# zone-unreachable or resolver-unreachable (one lost packet is not a dead
# server; a lost referral is asked again). Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}
. tests/lab/self.sh
in_lab healthy 400 "loss" "$0" "$@"

# ---- inside the lab world ----
runs=${RUNS:-3}
if ! nft -f - <<'NFT'
table inet loss {
	chain input {
		type filter hook input priority 0; policy accept;
		meta l4proto { udp, tcp } th dport 53 numgen random mod 100 < 30 drop
		meta l4proto { udp, tcp } th sport 53 numgen random mod 100 < 30 drop
	}
}
NFT
then
	fail "cannot add the nftables loss rules"
	exit 0
fi
for ((i = 1; i <= runs; i++)); do
	# The default budget (the lab's --timeout 1000 halves it).
	"$BOGUS" --once --json ${LAB_BOGUS_ARGS/--timeout 1000/} >"$tmp/$i.json" 2>"$tmp/$i.err"
	rc=$?
	s=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(d["verdict"], " ".join(f["id"] for f in d["findings"]))' "$tmp/$i.json" 2>/dev/null)
	if [ "$rc" -eq 0 ] && [[ $s == "secure"* ]] &&
		! grep -qE 'ns-unreachable|tcp-unreachable|ns-lame|zone-unreachable|resolver-unreachable' <<<"$s"; then
		pass "30% loss, run $i of $runs: secure, exit 0, no server blamed ($s)"
	else
		fail "30% loss, run $i of $runs: exit $rc, '$s', stderr: $(head -c 200 "$tmp/$i.err")"
	fi
done
