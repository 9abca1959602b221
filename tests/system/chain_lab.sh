#!/usr/bin/env bash
# tests/system/chain_lab.sh - the chain-of-trust walk against real servers:
# in the healthy and ksk-ds-mismatch worlds, the links root/test./example.test.,
# DS and DNSKEY tags at every server (cross-checked with dig there) and the
# DS match states. The checks live in tests/unit/test_probe_chain.c, which
# runs them only inside a lab; it is built next to $BOGUS.
set -u
cd "$(dirname "$0")/../.." || exit 3
bin=$(dirname "${BOGUS:-build/bogus}")/tests/test_probe_chain
if [ ! -x "$bin" ]; then
	echo "FAIL: chain walk in the lab ($bin not built: make unit)"
	exit 0
fi
bin=$(realpath "$bin")
for s in healthy ksk-ds-mismatch; do
	out=$(timeout 300 tests/lab/lab run "$s" -- "$bin" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ] && ! grep -qE "^\[  (FAILED|SKIPPED) \]" <<<"$out" && grep -q "^\[  PASSED  \] 4 test" <<<"$out"; then
		echo "PASS: chain walk in the $s world matches dig: links, DS states, per-NS serial, keys, signatures, denial"
	else
		why=$(grep -E '^\[ +(ERROR|LINE|SKIPPED) ' <<<"$out" | head -n 3 | tr '\n' ' ')
		echo "FAIL: chain walk in the $s world (exit $rc: ${why:-$(tail -n 3 <<<"$out" | tr '\n' ' ')})"
	fi
done
exit 0
