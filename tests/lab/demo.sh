#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/lab/demo.sh - run inside a lab world by `make demo`: the console on
# the world's zone, with the world's anchor, hints, canary and resolvers.
: "${LAB_BOGUS_ARGS:?run me through tests/lab/lab run SCENARIO -- tests/lab/demo.sh}"
exec "${BOGUS:-./bogus}" $LAB_BOGUS_ARGS
