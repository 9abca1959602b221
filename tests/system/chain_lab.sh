#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/chain_lab.sh - the chain-of-trust and nameserver probes
# against real servers, in every lab world: links root/test./example.test.,
# DS and DNSKEY tags at every server (cross-checked with dig there), DS match
# states and link status per scenario; in the healthy and ksk-ds-mismatch
# worlds also per-NS serial, keys, signatures, denial and the iterative
# lookup. The checks live in tests/unit/test_probe_chain.c, which runs them
# only inside a lab; it is built next to $BOGUS.
#   LAB_ONLY="healthy ns-down"   runs only these scenarios.
set -u
cd "$(dirname "$0")/../.." || exit 3
bin=$(dirname "${BOGUS:-build/bogus}")/tests/test_probe_chain
if [ ! -x "$bin" ]; then
	echo "FAIL: chain walk in the lab ($bin not built: make unit)"
	exit 0
fi
bin=$(realpath "$bin")
lab=tests/lab/lab
. tests/lab/self.sh

one_world() {
	local s=$1 out rc want=2
	out=$(timeout 300 "$lab" run "$s" -- "$bin" 2>&1)
	rc=$?
	case $s in healthy|ksk-ds-mismatch) want=4 ;; esac
	if [ "$rc" -eq 0 ] && grep -q "^\[  PASSED  \] $want test" <<<"$out"; then
		echo "PASS: probe chain/ns in the $s world (links, DS states, status; agrees with dig)"
	else
		why=$(grep -E '^\[ +(ERROR|LINE) ' <<<"$out" | head -n 2 | tr '\n' ' ')
		echo "FAIL: probe chain/ns in the $s world (exit $rc: ${why:-$(tail -n 3 <<<"$out" | tr '\n' ' ')})"
	fi
}
worlds=
for s in ${LAB_ONLY:-$($lab list | awk '{ print $1 }')}; do
	# Where our own network is the fault (intercepted, offline) the walk
	# cannot see the servers at all; tests/system/lab_scenarios.sh checks
	# that bogus says so (verdict vantage) instead.
	case $s in vantage-intercepted|vantage-offline|vantage-hijacked) continue ;; esac
	worlds="$worlds $s"
done
# shellcheck disable=SC2086 # one word per world
in_parallel one_world $worlds
exit 0
