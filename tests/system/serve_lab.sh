#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/serve_lab.sh - bogus --serve, the Prometheus exporter, end to
# end in a lab world whose zone is bogus (ksk-ds-mismatch): /probe answers
# the zone's metrics with the lab's verdict, bad requests get 400/404/405
# with one line, a probe over --max-probes gets 503, /metrics counts it all;
# a real Prometheus scrapes the exporter through the multi-target
# relabelling of examples/prometheus/prometheus.yml and its query API
# returns bogus_verdict for the lab zone; SIGTERM stops the exporter (exit 0)
# with a probe in flight; under valgrind, no error and no leak.
# Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}

pass() { echo "PASS: serve: $*"; }
fail() { echo "FAIL: serve: $*"; }

# start_exporter LOG ARGS...: runs bogus --serve 127.0.0.1:0 ARGS in the
# background ($exporter) and sets $base to its URL (from its first line).
start_exporter() {
	local log=$1
	shift
	"$@" 2>"$log" &
	exporter=$!
	base=
	for _ in $(seq 100); do
		base=$(sed -n 's|^bogus: serving on \(http://[^ ]*\)/ .*|\1|p' "$log")
		[ -n "$base" ] && return 0
		kill -0 "$exporter" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# get NAME PATH: the body in $t/NAME, the status code echoed.
get() { curl -s -o "$t/$1" -w '%{http_code}' --max-time 20 "$base$2"; }

inner() {
	t=$1
	local args=${LAB_BOGUS_ARGS% "$LAB_ZONE"} z=$LAB_ZONE want=$LAB_EXPECT_VERDICT code
	# A query's budget of 2 x 3 s outlasts the 4 s deadline, so the probe
	# held by a silent resolver below is cut by the deadline, not ended by
	# the engine (which waits for a silent server only once per scan).
	# shellcheck disable=SC2086
	if ! start_exporter "$t/serve.err" "$BOGUS" --serve 127.0.0.1:0 --max-probes 1 \
			--deadline 4 $args --timeout 3000; then
		fail "the exporter did not start: $(head -c 300 "$t/serve.err")"
		return
	fi
	code=$(get probe "/probe?zone=$z")
	if [ "$code" = 200 ] && grep -qx "bogus_verdict{zone=\"$z\",verdict=\"$want\"} 1" "$t/probe" &&
	   grep -q "^bogus_finding{zone=\"$z\",id=\"ds-no-matching-key\"" "$t/probe"; then
		pass "/probe?zone=$z: 200, verdict $want, finding ds-no-matching-key"
	else
		fail "/probe?zone=$z: $code, want 200 with verdict $want: $(grep verdict "$t/probe" | tr '\n' ' ')"
	fi
	# what PATH CODE TEXT: PATH answers CODE with a single line holding TEXT.
	what() {
		code=$(get bad "$1")
		if [ "$code" = "$2" ] && [ "$(wc -l <"$t/bad")" = 1 ] && grep -qF -- "$3" "$t/bad"; then
			pass "$1: $2, '$(cat "$t/bad")'"
		else
			fail "$1: $code '$(head -c 200 "$t/bad")', want $2 with '$3'"
		fi
	}
	what "/probe?zone=bad..zone" 400 "invalid zone 'bad..zone': empty label"
	what "/probe" 400 "no zone"
	what "/probe?zone=$z&file=/tmp/x" 400 "unknown parameter 'file'"
	what "/probe?zone=$z&resolver=127.0.0.1:53" 400 "invalid resolver address"
	what "/probe?zone=%1b%5b31m" 400 "invalid character '\\?'"
	what "/" 404 "not found"
	code=$(curl -s -o "$t/bad" -w '%{http_code}' -X POST --max-time 10 "$base/metrics")
	[ "$code" = 405 ] && pass "POST /metrics: 405" || fail "POST /metrics: $code, want 405"

	# The cap: a probe held by a resolver that swallows queries (until the
	# 4 s deadline), and a second probe meanwhile.
	socat -u UDP-RECV:53,bind=127.0.9.10 /dev/null &
	local sink=$!
	sleep 0.3
	curl -s -o "$t/slow" -w '%{http_code}' --max-time 20 \
		"$base/probe?zone=$z&resolver=hole=127.0.9.10" >"$t/slow.code" &
	local slow=$!
	sleep 1
	code=$(get busy "/probe?zone=$z")
	wait "$slow"
	if [ "$code" = 503 ] && grep -q "busy: 1 probes already running (--max-probes 1)" "$t/busy" &&
	   [ "$(cat "$t/slow.code")" = 200 ] && grep -q 'resolver="hole",validating="unknown",rcode="timeout"\|resolver="hole".*rcode="cancelled"' "$t/slow"; then
		pass "a probe beyond --max-probes 1: 503 '$(cat "$t/busy")'; the running one: 200"
	else
		fail "cap: second probe $code '$(head -c 200 "$t/busy")', first $(cat "$t/slow.code"): $(grep hole "$t/slow" | head -3 | tr '\n' ' ')"
	fi
	code=$(get metrics /metrics)
	if [ "$code" = 200 ] &&
	   grep -qx 'bogus_exporter_requests_total{handler="probe",code="400"} 5' "$t/metrics" &&
	   grep -qx 'bogus_exporter_requests_total{handler="probe",code="503"} 1' "$t/metrics" &&
	   grep -qx 'bogus_exporter_probe_duration_seconds_count 2' "$t/metrics" &&
	   grep -qx 'bogus_exporter_probe_deadline_hits_total 1' "$t/metrics"; then
		pass "/metrics counts 5 bad probes, 1 over the cap, 2 probes run, 1 cut by the deadline"
	else
		fail "/metrics: $code: $(grep -v '^#' "$t/metrics" | tr '\n' ' ')"
	fi

	# A real Prometheus, with the example's relabelling, scraping it.
	local hostport=${base#http://}
	sed -e "s|127.0.0.1:9553|$hostport|" -e "s|^  scrape_interval: .*|  scrape_interval: 1s|" \
	    -e "s|^  scrape_timeout: .*|  scrape_timeout: 1s|" -e "/^rule_files:/,/^  - /d" \
	    -e "s|^          - example.com|          - $z|" -e "/^          - example.org/d" \
	    examples/prometheus/prometheus.yml >"$t/prometheus.yml"
	prometheus --config.file="$t/prometheus.yml" --storage.tsdb.path="$t/tsdb" \
		--web.listen-address=127.0.0.1:9090 >"$t/prometheus.log" 2>&1 &
	local prom=$! i series= up=
	# query EXPR: "zone verdict job value" per series.
	query() {
		curl -s --max-time 2 -G 'http://127.0.0.1:9090/api/v1/query' --data-urlencode "query=$1" \
			2>/dev/null | jq -r '.data.result[] | "\(.metric.zone) \(.metric.verdict) \(.metric.job) \(.value[1])"' 2>/dev/null
	}
	for i in $(seq 40); do
		series=$(query "bogus_verdict{instance=\"$z\"} == 1")
		up=$(query 'up{job="bogus_exporter"}')
		[ -n "$series" ] && [ -n "$up" ] && break
		sleep 0.5
	done
	if [ "$series" = "$z $want bogus 1" ]; then
		pass "Prometheus scraped /probe via relabelling: bogus_verdict{zone=\"$z\",verdict=\"$want\"} 1"
	else
		fail "Prometheus query API: '$series', want '$z $want bogus 1' ($(grep -i 'level=error\|level=warn' "$t/prometheus.log" | tail -n 2 | tr '\n' ' '))"
	fi
	[ "${up##* }" = 1 ] && pass "Prometheus scrapes the exporter's /metrics (up 1)" ||
		fail "up{job=\"bogus_exporter\"}: '$up'"
	kill "$prom"
	wait "$prom" 2>/dev/null

	# SIGTERM with a probe in flight: cancelled, joined, exit 0, promptly.
	curl -s -o /dev/null --max-time 20 "$base/probe?zone=$z&resolver=hole=127.0.9.10" &
	slow=$!
	sleep 0.5
	local t0=$SECONDS rc
	kill -TERM "$exporter"
	wait "$exporter"
	rc=$?
	wait "$slow"
	if [ "$rc" = 0 ] && [ $((SECONDS - t0)) -le 3 ] && grep -q "stopped serving" "$t/serve.err"; then
		pass "SIGTERM with a probe in flight: exit 0 within 3 s"
	else
		fail "SIGTERM: exit $rc after $((SECONDS - t0)) s: $(tail -n 2 "$t/serve.err" | tr '\n' ' ')"
	fi

	# Under valgrind: a probe, a bad request, /metrics, SIGINT mid-probe.
	if command -v valgrind >/dev/null; then
		# shellcheck disable=SC2086
		if start_exporter "$t/vg.err" valgrind -q --error-exitcode=99 --leak-check=full \
				--errors-for-leak-kinds=definite,indirect "$BOGUS" --serve 127.0.0.1:0 \
				--deadline 4 $args; then
			code=$(get vg1 "/probe?zone=$z")$(get vg2 "/probe?zone=..")$(get vg3 /metrics)
			curl -s -o /dev/null --max-time 20 "$base/probe?zone=$z&resolver=hole=127.0.9.10" &
			slow=$!
			sleep 1
			kill -INT "$exporter"
			wait "$exporter"
			rc=$?
			wait "$slow"
			if [ "$code" = 200400200 ] && [ "$rc" = 0 ]; then
				pass "under valgrind: 200/400/200, SIGINT mid-probe, exit 0, no error or leak"
			else
				fail "under valgrind: codes $code, exit $rc: $(grep -v '^bogus:' "$t/vg.err" | head -n 8 | tr '\n' ' ')"
			fi
		else
			fail "the exporter did not start under valgrind: $(head -c 300 "$t/vg.err")"
		fi
	fi
	kill "$sink" 2>/dev/null
	wait "$sink" 2>/dev/null
}

if [ "${1:-}" = inner ]; then
	inner "$2" >"$2/results"
	exit 0
fi

for tool in curl jq prometheus socat; do
	if ! command -v $tool >/dev/null; then
		fail "$tool is not installed (tests/deps.sh installs it)"
		exit 0
	fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log=$(timeout 150 tests/lab/lab run ksk-ds-mismatch -- bash "$0" inner "$tmp" 2>&1) ||
	fail "lab ksk-ds-mismatch did not run: $(tail -n 3 <<<"$log" | tr '\n' ' ')"
if [ -s "$tmp/results" ]; then
	cat "$tmp/results"
else
	fail "no results: $(tail -n 3 <<<"$log" | tr '\n' ' ')"
fi
