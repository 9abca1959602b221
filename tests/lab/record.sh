#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/lab/record.sh FILE - run inside a lab world (tests/lab/lab run
# SCENARIO -- tests/lab/record.sh FILE): records one `bogus --once` scan of
# the world into FILE, under the scenario's BOGUS_WRAP (a fake clock) as
# tests/lab/check.sh runs it. `make catalog-replays` ships these in
# tests/lab/replays/. Exits 0 when FILE holds a recording.
set -u
: "${LAB_HOME:?run me through tests/lab/lab run}"
: "${BOGUS:?BOGUS names the bogus binary}"
[ $# -eq 1 ] || { echo "usage: record.sh FILE" >&2; exit 3; }
. "$LAB_HOME/world.sh"
. "$LAB_DIR/world.env"
. "$LAB_HOME/scenarios/$LAB_SCENARIO.sh"

rm -f "$1"
# The exit code is the world's verdict; the recording is what counts here.
timeout 60 ${BOGUS_WRAP:-} "$BOGUS" $LAB_BOGUS_ARGS --once --record "$1" >/dev/null
[ -s "$1" ]
