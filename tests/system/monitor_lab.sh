#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/monitor_lab.sh - the machine interfaces against the lab:
# every JSON document bogus writes (the --once --json report, the runbook
# report, each line of a recording) validates against its schema in
# schemas/ (python3-jsonschema) and carries schema_version; recordings
# store names, not enum numbers; recordings made before schema 1.0 still
# replay to the verdict they recorded. The worlds with an alias into another
# zone and with CDS/CDNSKEY carry aliases[] and cds[] (checked by content,
# and the schemas shown to reject them with a required key taken away).
# Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}
. tests/lab/self.sh

pass() { echo "PASS: monitor: $*"; }
fail() { echo "FAIL: monitor: $*"; }

schema_worlds="alias-target-healthy cds-would-break"
if [ "${1:-}" = inner ]; then	# inside a world: OUT_DIR/<scenario>.*
	out=$2/$LAB_SCENARIO
	$BOGUS --once --json --record "$out.jsonl" $LAB_BOGUS_ARGS >"$out.json" 2>"$out.err"
	echo $? >"$out.rc"
	echo "$LAB_EXPECT_VERDICT" >"$out.want"
	$BOGUS --once --json --runbook ksk-rollover $LAB_BOGUS_ARGS >"$out.runbook.json" 2>>"$out.err"
	# The schema-only worlds: their documents, not the monitoring outputs.
	case " $schema_worlds " in *" $LAB_SCENARIO "*) exit 0 ;; esac
	# nagios NAME ARGS...: the status line in $out.nagios.NAME, its exit code in .rc
	nagios() {
		local name=$1
		shift
		$BOGUS --nagios "$@" >"$out.nagios.$name" 2>>"$out.err"
		echo $? >"$out.nagios.$name.rc"
	}
	nagios plain --prometheus "$out.prom" $LAB_BOGUS_ARGS
	nagios thresholds -w 60d: -c 2d: $LAB_BOGUS_ARGS
	nagios secure --require-secure $LAB_BOGUS_ARGS
	if [ "$LAB_SCENARIO" = healthy ]; then
		# A broken vantage: no resolver, no root server answers.
		printf '. 3600 IN NS a.root.test.\na.root.test. 3600 IN A 127.0.9.9\n' >"$2/hints-dead"
		nagios vantage --resolver dead=127.0.9.9 --root-hints "$2/hints-dead" \
			--trust-anchor "$LAB_ANCHOR" --timeout 300 --tries 1 "$LAB_ZONE"
		# A resolver that swallows queries, and a deadline shorter than its
		# timeout: the run ends at the deadline and does not claim OK.
		socat -u UDP-RECV:53,bind=127.0.9.10 /dev/null &
		local_sink=$!
		sleep 0.3
		start=$(date +%s%N)
		nagios deadline --deadline 2 --timeout 20000 --resolver hole=127.0.9.10 \
			--trust-anchor "$LAB_ANCHOR" --root-hints "$LAB_HINTS" "$LAB_ZONE"
		echo $((($(date +%s%N) - start) / 1000000)) >"$out.nagios.deadline.ms"
		kill "$local_sink" 2>/dev/null
	fi
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
worlds="healthy ksk-ds-mismatch rrsig-expiring-soon insecure"
one_world() {
	log=$(timeout 240 tests/lab/lab run "$1" -- bash "$0" inner "$tmp" 2>&1) ||
		fail "lab $1 did not run: $(tail -n 3 <<<"$log" | tr '\n' ' ')"
}
# shellcheck disable=SC2086 # one word per world
in_parallel one_world $worlds $schema_worlds

if ! python3 -c 'import jsonschema' 2>/dev/null; then
	fail "python3-jsonschema is not installed (tests/deps.sh installs it)"
	exit 0
fi
for w in $worlds $schema_worlds; do
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

# expect_doc WORLD FILE WHAT [JQ-ARGS...] JQ: FILE of WORLD (slurped) holds
# WHAT (JQ prints true).
expect_doc() {
	local world=$1 file=$2 what=$3
	shift 3
	if [ "$(jq -s "$@" "$tmp/$file" 2>/dev/null)" = true ]; then
		pass "$world: $what"
	else
		fail "$world: $file does not hold $what"
	fi
}
# reject WORLD FILE SCHEMA WHAT JQ: FILE with JQ applied (to every line of a
# .jsonl) fails SCHEMA, naming the key WHAT: the schema checks that shape.
reject() {
	local bad=$tmp/bad.${2##*.} errs
	jq -c "$5" "$tmp/$2" >"$bad" 2>/dev/null || { fail "$1: jq '$5' on $2"; return; }
	if errs=$(tests/validate_json.py "schemas/$3.schema.json" "$bad" 2>&1); then
		fail "$1: schemas/$3.schema.json accepts $2 with $5"
	elif grep -q "$4" <<<"$errs"; then
		pass "$1: schemas/$3.schema.json rejects $2 with $5 ($(head -n 1 <<<"$errs" | cut -d: -f3-))"
	else
		fail "$1: $2 with $5 fails for another reason: $(head -n 2 <<<"$errs" | tr '\n' ' ')"
	fi
}
w=alias-target-healthy
expect_doc $w $w.json "aliases[]: www.example.test. A -> www.cdn.test., depth 1, target zone cdn.test. walked secure from the root" \
	'.[0].aliases | length == 1 and (.[0] | .owner == "www.example.test." and .qtype == "A" and
	 .target == "www.cdn.test." and .depth == 1 and .loop == false and .target_zone == "cdn.test." and
	 ([.target_chain[] | .zone] == [".", "test.", "cdn.test."]) and ([.target_chain[] | .status] | unique == ["secure"]))'
expect_doc $w $w.jsonl "the recording's aliases[]: the target's evidence (zone cdn.test., its chain from the root with its keys, its server asked for www.cdn.test. A: signed, valid)" \
	'[.[] | select(.type == "snapshot") | .evidence.aliases[0].target_ev |
	  .zone == "cdn.test." and ([.chain[].zone] == [".", "test.", "cdn.test."]) and (.chain[2].keys | length > 0) and
	  ([.nameservers[] | .name + " " + .address] == ["ns1.cdn.test. 127.0.6.1"]) and
	  ([.nameservers[0].checks[] | select(.qname == "www.cdn.test." and .qtype == "A") | .rcode == "NOERROR" and .n_rrs == 1 and
	    ([.sigs[].check] == ["valid"])] == [true])] == [true]'
reject $w $w.json report target_zone 'del(.aliases[0].target_zone)'
reject $w $w.json report target_chain '.aliases[0].target_chain[0] |= del(.status)'
reject $w $w.jsonl record-line target_ev 'if .type == "snapshot" then del(.evidence.aliases[0].target_ev) else . end'
reject $w $w.jsonl record-line aliases/0/depth 'if .type == "snapshot" then .evidence.aliases[0].depth = 0 else . end'
w=cds-would-break
expect_doc $w $w.json "cds[] at ns1 and ns2: a CDS then a CDNSKEY, for a key the zone does not serve" \
	'[.[0].nameservers[] | .cds | ([.[].type] == ["CDS", "CDNSKEY"]) and all(.[]; .matches == false and .delete == false and .key_tag > 0)] == [true, true]'
expect_doc $w $w.jsonl "the recording's cds[]/cdnskey[] per server, answered, match no-key" \
	'[.[] | select(.type == "snapshot") | .evidence.nameservers[] | .cds_answered and
	  (.cds | length == 1) and (.cdnskey | length == 1) and all((.cds + .cdnskey)[]; .match == "no-key")] == [true, true]'
# The KSK rollover runbook gates on the CDS: this one would break the zone.
expect_doc $w $w.runbook.json "--runbook ksk-rollover: the CDS gate stays blocked, naming each server's record for the unserved key" \
	--arg tag "$(jq -r '.nameservers[0].cds[0].key_tag' "$tmp/$w.json" 2>/dev/null)" \
	'[.[0].phases[].gates[] | select(.title | startswith("CDS/CDNSKEY match the new KSK"))] |
	 length == 1 and .[0].state == "blocked" and
	 (.[0].detail | contains("ns1.example.test. (127.0.3.1): CDS \($tag): no served key has this tag") and
	  contains("ns2.example.test. (127.0.3.2): CDNSKEY \($tag): no served key has this tag"))'
expect_doc healthy healthy.runbook.json "--runbook ksk-rollover without CDS published: no CDS gate" \
	'[.[0].phases[].gates[] | select(.title | startswith("CDS/CDNSKEY"))] == []'
reject $w $w.json report matches '.nameservers[0].cds[0] |= del(.matches)'
reject $w $w.json report cds/1/type '.nameservers[0].cds[1].type = "DS"'
reject $w $w.jsonl record-line match 'if .type == "snapshot" then .evidence.nameservers[0].cdnskey[0] |= del(.match) else . end'
reject $w $w.jsonl record-line cds/0/tag 'if .type == "snapshot" then .evidence.nameservers[0].cds[0].tag = 70000 else . end'

# --nagios: one line in the plugin guidelines' format, and the exit code.
# check_nagios WORLD NAME RC WORDS - the line is well-formed, exits RC, and
# its text holds every word in WORDS.
check_nagios() {
	local f=$tmp/$1.nagios.$2 rc line
	rc=$(cat "$f.rc" 2>/dev/null)
	line=$(cat "$f" 2>/dev/null)
	if [ "$(wc -l <"$f" 2>/dev/null)" != 1 ]; then
		fail "--nagios $1 $2: want exactly one line, got: $(head -c 300 "$f" 2>/dev/null)"
		return
	fi
	if ! grep -Eq '^DNSSEC (OK|WARNING|CRITICAL|UNKNOWN) - [^|]+ \| ([A-Za-z_]+=(-?[0-9.]+(s|%|B|KB|MB|c)?|U)(;[~@0-9.:-]*){0,4} ?)+$' "$f"; then
		fail "--nagios $1 $2: not 'DNSSEC STATUS - text | perfdata': $line"
		return
	fi
	if [ "$rc" != "$3" ]; then
		fail "--nagios $1 $2: exit $rc, want $3: $line"
		return
	fi
	for w in $4; do
		grep -qF -- "$w" "$f" || { fail "--nagios $1 $2: no '$w' in: $line"; return; }
	done
	pass "--nagios $1 $2: exit $3, $(cut -d'|' -f1 <<<"$line")"
}
check_nagios healthy plain 0 "OK example.test. expiry= validators_failing=0;;;0;2"
check_nagios healthy thresholds 1 "WARNING (warning 60d:) expiry= ;5184000:;172800:;"
check_nagios ksk-ds-mismatch plain 2 "CRITICAL ds-no-matching-key validators_failing=2;;;0;2"
check_nagios rrsig-expiring-soon plain 1 "WARNING rrsig-expiring-soon"
check_nagios rrsig-expiring-soon thresholds 2 "CRITICAL (critical 2d:)"
check_nagios insecure plain 0 "OK insecure"
check_nagios insecure secure 2 "CRITICAL --require-secure"
check_nagios healthy vantage 3 "UNKNOWN vantage:"
check_nagios healthy deadline 3 "UNKNOWN deadline"
grep -q vantage "$tmp/healthy.nagios.deadline" && fail "--nagios deadline: a cut run is blamed on the vantage"
ms=$(cat "$tmp/healthy.nagios.deadline.ms" 2>/dev/null)
if [ -n "$ms" ] && [ "$ms" -lt 8000 ]; then
	pass "--nagios --deadline 2 with a 20 s query timeout ends in $ms ms"
else
	fail "--nagios --deadline 2 took ${ms:-?} ms"
fi
# --prometheus: the textfile passes promtool, and names the verdict and
# the findings alerting rules match on.
if ! command -v promtool >/dev/null; then
	fail "promtool is not installed (Debian prometheus; tests/deps.sh installs it)"
else
	for w in $worlds; do
		f=$tmp/$w.prom want=$(cat "$tmp/$w.want" 2>/dev/null)
		if ! out=$(promtool check metrics <"$f" 2>&1); then
			fail "$w: promtool check metrics: $(head -n 3 <<<"$out" | tr '\n' ' ')"
		elif ! grep -qx "bogus_verdict{zone=\"example.test.\",verdict=\"$want\"} 1" "$f"; then
			fail "$w: no bogus_verdict{verdict=\"$want\"} 1 in $(grep bogus_verdict "$f" | tr '\n' ' ')"
		else
			pass "$w: --prometheus textfile passes promtool check metrics, bogus_verdict $want"
		fi
	done
	grep -q '^bogus_finding{zone="example.test.",id="ds-no-matching-key",severity="critical",actor="[a-z-]*"} 1$' \
		"$tmp/ksk-ds-mismatch.prom" && pass "ksk-ds-mismatch: bogus_finding for ds-no-matching-key" ||
		fail "ksk-ds-mismatch: no bogus_finding for ds-no-matching-key"
	grep -q '^bogus_rrsig_expiry_timestamp_seconds{zone="example.test.",owner="example.test.",type="DNSKEY",key_tag="[0-9]*"} [0-9]*$' \
		"$tmp/healthy.prom" && pass "healthy: bogus_rrsig_expiry_timestamp_seconds for the DNSKEY RRset" ||
		fail "healthy: no DNSKEY RRSIG expiry series"
	grep -q '^bogus_resolver_answer{zone="example.test.",resolver="unbound",validating="yes",rcode="SERVFAIL",ede="[69]"} [1-9]' \
		"$tmp/ksk-ds-mismatch.prom" && pass "ksk-ds-mismatch: bogus_resolver_answer counts unbound's SERVFAIL with its EDE (6 or 9)" ||
		fail "ksk-ds-mismatch: no SERVFAIL+EDE series for unbound: $(grep 'resolver="unbound"' "$tmp/ksk-ds-mismatch.prom" | tr '\n' ' ')"
	if out=$(promtool check rules examples/prometheus/bogus-alerts.yml 2>&1); then
		pass "examples/prometheus/bogus-alerts.yml passes promtool check rules"
	else
		fail "promtool check rules: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
	fi
fi

# Bad thresholds are usage errors: one line, exit 3.
err=$($BOGUS --nagios -w 7x: example.test 2>&1 >/dev/null); rc=$?
if [ "$rc" = 3 ] && [ "$(wc -l <<<"$err")" = 1 ] && grep -q "not a Nagios range" <<<"$err"; then
	pass "--nagios -w 7x: is a usage error: $err"
else
	fail "--nagios -w 7x: exit $rc: $err"
fi

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
