#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/lab/check.sh - run inside a lab world (tests/lab/lab run SCENARIO --
# tests/lab/check.sh): first the scenario's independent confirmation with
# dig/delv, then bogus --once --json against the same world (with the
# resolvers restarted, so bogus sees no answer cached by the confirmation),
# checked against the scenario's expectations. One PASS/FAIL line per check.
# Exits 0 only when every check passed.
set -u
: "${LAB_HOME:?run me through tests/lab/lab run}"
. "$LAB_HOME/world.sh"
. "$LAB_DIR/world.env"
. "$LAB_HOME/scenarios/$LAB_SCENARIO.sh"
. "$LAB_HOME/expect.sh"

failed=0
pass() { echo "PASS: $LAB_SCENARIO: $*"; }
fail() { echo "FAIL: $LAB_SCENARIO: $*"; failed=1; }

if out=$(confirm 2>&1); then
	pass "confirmed by dig/delv: $out"
else
	fail "confirmation by dig/delv ($out)"
fi

world_restart_resolvers >/dev/null 2>&1 || fail "restarting the resolvers"

bogus=${BOGUS:-}
if [ -z "$bogus" ] || [ ! -x "$bogus" ]; then
	fail "bogus verdict (no bogus binary: BOGUS='$bogus')"
	exit 1
fi
# BOGUS_WRAP: a scenario's wrapper around bogus (a fake clock).
json=$(timeout 60 ${BOGUS_WRAP:-} "$bogus" --once --json $LAB_BOGUS_ARGS 2>"$LAB_DIR/bogus.stderr")
rc=$?
if ! jq -e 'type == "object"' >/dev/null 2>&1 <<<"$json"; then
	fail "bogus --once --json (exit $rc, no JSON object: $(head -c 200 <<<"$json" | tr '\n' ' ') $(head -c 200 "$LAB_DIR/bogus.stderr" | tr '\n' ' '))"
	exit 1
fi
expect_catalog_ids "$LAB_HOME/../../include/diag.h"
expect_bogus "$json" "$rc"
exit $failed
