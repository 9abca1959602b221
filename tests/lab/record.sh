#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/lab/record.sh FILE - run inside a lab world (tests/lab/lab run
# SCENARIO -- tests/lab/record.sh FILE): records the world's incident into
# FILE. A training world (one with a repair, tests/lab/train) is recorded
# as an incident: the outage, the fastest safe repair done to the world
# (lab_fix), the resolvers still holding the broken answers, and the
# recovery once their caches are empty. Any other world: one `bogus --once`
# scan, under the scenario's BOGUS_WRAP (a fake clock) as tests/lab/check.sh
# runs it. `make catalog-replays` ships these in tests/lab/replays/.
# Exits 0 when FILE holds a recording.
set -u
: "${LAB_HOME:?run me through tests/lab/lab run}"
: "${BOGUS:?BOGUS names the bogus binary}"
[ $# -eq 1 ] || { echo "usage: record.sh FILE" >&2; exit 3; }
if "$LAB_HOME/train" --right "$LAB_SCENARIO" >/dev/null 2>&1; then
	exec "$LAB_HOME/train" __record "$1"
fi
. "$LAB_HOME/world.sh"
. "$LAB_DIR/world.env"
. "$LAB_HOME/scenarios/$LAB_SCENARIO.sh"

rm -f "$1"
# The exit code is the world's verdict; the recording is what counts here.
timeout 60 ${BOGUS_WRAP:-} "$BOGUS" $LAB_BOGUS_ARGS --once --record "$1" >/dev/null
[ -s "$1" ]
