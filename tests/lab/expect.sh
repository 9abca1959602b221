# SPDX-License-Identifier: BSD-3-Clause
# tests/lab/expect.sh - checks what bogus said about a lab world against the
# scenario's expectations (EXPECT_* in tests/lab/scenarios/*.sh): verdict,
# findings, exit code, who must act, the first finding and its summary, the
# findings and fixes the world is built to lure, the fix's record. Sourced
# by tests/lab/check.sh (bogus live in the world) and
# tests/system/replay_catalog.sh (bogus replaying the world's recording), so
# that live and replayed diagnoses are held to the same expectations.
# The caller defines pass and fail, sources the scenario, and sets
# LAB_EXPECT_VERDICT and LAB_EXPECT_FINDINGS (tests/lab/lab does).

# expect_catalog_ids DIAG_H - fails for an expected or absent id the catalog
# lacks: such an expectation could never fail.
expect_catalog_ids() {
	local id
	for id in $LAB_EXPECT_FINDINGS ${EXPECT_ABSENT:-}; do
		grep -qF "\"$id\"," "$1" ||
			fail "expectation about $id, which is not in the catalog (include/diag.h)"
	done
}

# expect_bogus JSON RC - the checks, one pass/fail line each. The fix's
# record (scenario_expect_fix) is checked unless EXPECT_SKIP_FIX is set: it
# needs the world's keys (world.env), which a replay does not have.
expect_bogus() {
	local json=$1 rc=$2 verdict ids id want_rc cause actor first summary re bad crit
	verdict=$(jq -r '.verdict // "none"' <<<"$json")
	ids=$(jq -r '[.findings[]?.id] | join(" ")' <<<"$json")
	if [ "$verdict" = "$LAB_EXPECT_VERDICT" ]; then
		pass "bogus verdict $verdict"
	else
		fail "bogus verdict (want $LAB_EXPECT_VERDICT, got $verdict; findings: ${ids:-none})"
	fi
	for id in $LAB_EXPECT_FINDINGS; do
		if jq -e --arg id "$id" '[.findings[]?.id] | index($id) != null' >/dev/null <<<"$json"; then
			pass "bogus finding $id"
		else
			fail "bogus finding $id (got: ${ids:-none})"
		fi
	done
	# The exit code goes with the verdict (Nagios: 0 ok, 1 warning, 2
	# critical, 3 unknown: our own vantage is broken).
	case $LAB_EXPECT_VERDICT in
	secure | insecure) want_rc=0 ;;
	degraded) want_rc=1 ;;
	vantage) want_rc=3 ;;
	*) want_rc=2 ;;
	esac
	want_rc=${EXPECT_EXIT:-$want_rc}
	if [ "$rc" = "$want_rc" ]; then
		pass "bogus exit code $rc"
	else
		fail "bogus exit code (want $want_rc, got $rc)"
	fi
	# Who must act on the world's root cause (the first expected finding):
	# the party the room must call.
	cause=${LAB_EXPECT_FINDINGS%% *}
	if [ -n "${EXPECT_ACTOR:-}" ]; then
		actor=$(jq -r --arg id "$cause" '[.findings[]? | select(.id == $id) | .actor][0] // "none"' <<<"$json")
		if [ "$actor" = "$EXPECT_ACTOR" ]; then
			pass "bogus names $actor as the one who must act on $cause"
		else
			fail "who must act on $cause (want $EXPECT_ACTOR, got $actor)"
		fi
	fi
	# The finding reported first, and what its summary must say.
	if [ -n "${EXPECT_FIRST:-}" ]; then
		first=$(jq -r '.findings[0].id // "none"' <<<"$json")
		if [ "$first" = "$EXPECT_FIRST" ]; then
			pass "bogus reports $first first"
		else
			fail "first finding (want $EXPECT_FIRST, got $first)"
		fi
	fi
	if [ -n "${EXPECT_SUMMARY:-}" ]; then
		summary=$(jq -r '.findings[0].summary // ""' <<<"$json")
		if grep -Eq -- "$EXPECT_SUMMARY" <<<"$summary"; then
			pass "the first finding says /$EXPECT_SUMMARY/"
		else
			fail "the first finding: want /$EXPECT_SUMMARY/, got: $summary"
		fi
	fi
	# The wrong findings, and the wrong fixes, that this world is built to lure.
	for id in ${EXPECT_ABSENT:-}; do
		if jq -e --arg id "$id" '[.findings[]?.id] | index($id) == null' >/dev/null <<<"$json"; then
			pass "bogus does not report $id"
		else
			fail "bogus reports $id, which this world must not give (got: $ids)"
		fi
	done
	# The record or key the fix must name (scenario_expect_fix prints a
	# regular expression, from world.env: key tags are known only once the
	# world is built).
	if [ -z "${EXPECT_SKIP_FIX:-}" ] && declare -F scenario_expect_fix >/dev/null; then
		re=$(scenario_expect_fix)
		if jq -e --arg id "$cause" --arg re "$re" \
			'[.findings[]? | select(.id == $id) | (.fix // "") | test($re)] | any' >/dev/null <<<"$json"; then
			pass "the fix of $cause says /$re/"
		else
			fail "the fix of $cause does not say /$re/: $(jq -r --arg id "$cause" '[.findings[]? | select(.id == $id) | .fix][0]' <<<"$json" | head -c 300)"
		fi
	fi
	if [ -n "${EXPECT_NO_FIX:-}" ]; then
		bad=$(jq -r '[.findings[]? | select((.fix // "") | test($re; "i")) | .id] | join(" ")' \
			--arg re "$EXPECT_NO_FIX" <<<"$json")
		if [ -z "$bad" ]; then
			pass "no fix says /$EXPECT_NO_FIX/"
		else
			fail "fixes of $bad say /$EXPECT_NO_FIX/, the wrong repair here"
		fi
	fi
	case $LAB_EXPECT_VERDICT in
	secure | insecure)
		crit=$(jq -r '[.findings[]? | select(.severity == "critical") | .id] | join(" ")' <<<"$json")
		if [ -z "$crit" ]; then
			pass "bogus reports no critical finding"
		else
			fail "bogus reports no critical finding (got: $crit)"
		fi
		;;
	esac
}
