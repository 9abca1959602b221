#!/usr/bin/env bash
# tests/system/monitor_lab.sh - the machine interfaces against the lab:
# every JSON document bogus writes (the --once --json report, the runbook
# report, each line of a recording) validates against its schema in
# schemas/ (python3-jsonschema) and carries schema_version; recordings
# store names, not enum numbers; recordings made before schema 1.0 still
# replay to the verdict they recorded. Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}

pass() { echo "PASS: monitor: $*"; }
fail() { echo "FAIL: monitor: $*"; }

if [ "${1:-}" = inner ]; then	# inside a world: OUT_DIR/<scenario>.*
	out=$2/$LAB_SCENARIO
	$BOGUS --once --json --record "$out.jsonl" $LAB_BOGUS_ARGS >"$out.json" 2>"$out.err"
	echo $? >"$out.rc"
	echo "$LAB_EXPECT_VERDICT" >"$out.want"
	$BOGUS --once --json --runbook ksk-rollover $LAB_BOGUS_ARGS >"$out.runbook.json" 2>>"$out.err"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
worlds="healthy ksk-ds-mismatch rrsig-expiring-soon"
for w in $worlds; do
	log=$(timeout 240 tests/lab/lab run "$w" -- bash "$0" inner "$tmp" 2>&1) ||
		fail "lab $w did not run: $(tail -n 3 <<<"$log" | tr '\n' ' ')"
done

if ! python3 -c 'import jsonschema' 2>/dev/null; then
	fail "python3-jsonschema is not installed (tests/deps.sh installs it)"
	exit 0
fi
for w in $worlds; do
	want=$(cat "$tmp/$w.want" 2>/dev/null)
	got=$(jq -r .verdict "$tmp/$w.json" 2>/dev/null)
	[ -n "$got" ] || { fail "$w: no report ($(head -c 200 "$tmp/$w.err"))"; continue; }
	for doc in "report:$w.json" "runbook:$w.runbook.json" "record-line:$w.jsonl"; do
		schema=${doc%%:*} file=$tmp/${doc#*:}
		if errs=$(tests/validate_json.py "schemas/$schema.schema.json" "$file" 2>&1); then
			pass "$w: ${doc#*:} validates against schemas/$schema.schema.json"
		else
			fail "$w: ${doc#*:} against schemas/$schema.schema.json: $(head -n 3 <<<"$errs" | tr '\n' ' ')"
		fi
	done
	if [ "$(jq -r .schema_version "$tmp/$w.json")" = 1.0 ] &&
	   [ "$(jq -r .schema_version "$tmp/$w.runbook.json")" = 1.0 ] &&
	   [ "$(jq -r .schema_version "$tmp/$w.jsonl" | sort -u)" = 1.0 ]; then
		pass "$w: report, runbook report and every recording line say schema_version 1.0"
	else
		fail "$w: schema_version missing somewhere"
	fi
	# Names, not enum numbers: the issue's own example.
	if grep -q '"outcome":[0-9]' "$tmp/$w.jsonl" || grep -q '"qtype":[0-9]' "$tmp/$w.jsonl"; then
		fail "$w: the recording holds enum numbers"
	else
		pass "$w: the recording holds names (\"outcome\":\"answer\", \"qtype\":\"SOA\")"
	fi
	[ -n "$want" ] && [ "$got" != "$want" ] && fail "$w: verdict $got, the lab says $want"
done

# Recordings made before schema 1.0 (enum numbers, no schema_version).
for r in healthy:secure ksk-ds-mismatch:bogus; do
	f=tests/fuzz/corpus/recording/${r%%:*}.jsonl
	if grep -q '"outcome":[0-9]' "$f" &&
	   [ "$($BOGUS --once --json --replay "$f" 2>/dev/null | jq -r .verdict)" = "${r#*:}" ]; then
		pass "a recording made before schema 1.0 ($f) still replays: ${r#*:}"
	else
		fail "old recording $f does not replay to ${r#*:}"
	fi
done
