#!/usr/bin/env bash
# tests/system/systemd_units.sh - the systemd service and timer examples in
# examples/systemd/ pass `systemd-analyze verify` (when systemd-analyze is
# installed), with ExecStart pointed at the bogus under test; and the
# verifier itself fails a unit whose binary is missing, so a pass means
# something. Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}

if ! command -v systemd-analyze >/dev/null; then
	echo "PASS: systemd: systemd-analyze not installed; units not verified"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
svc=$tmp/bogus-check@example.test.service
sed "s#/usr/local/bin/bogus#$(realpath "$BOGUS")#" examples/systemd/bogus-check@.service >"$svc"
cp examples/systemd/bogus-check@.timer "$tmp/bogus-check@example.test.timer"
sed "s#/usr/local/bin/bogus#$(realpath "$BOGUS")#" examples/systemd/bogus-exporter.service >"$tmp/bogus-exporter.service"
if out=$(timeout 60 systemd-analyze verify "$svc" "$tmp/bogus-check@example.test.timer" \
		"$tmp/bogus-exporter.service" 2>&1) &&
   ! grep -qi "unknown\|invalid\|ignoring" <<<"$out"; then
	echo "PASS: systemd: bogus-check@.service and .timer, bogus-exporter.service pass systemd-analyze verify"
else
	echo "FAIL: systemd: systemd-analyze verify: $(head -n 3 <<<"$out" | tr '\n' ' ')"
fi
sed "s#/usr/local/bin/bogus#$tmp/missing-bogus#" examples/systemd/bogus-check@.service >"$svc"
if ! timeout 60 systemd-analyze verify "$svc" >/dev/null 2>&1; then
	echo "PASS: systemd: the verifier rejects a unit whose binary is missing"
else
	echo "FAIL: systemd: systemd-analyze verify accepts a missing ExecStart binary"
fi
