#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/fuzz_corpus.sh - replays every saved fuzz input through its
# target, built with the compiler of this build (make builds them next to
# $BOGUS, in fuzz/). Each input once: seeds, real lab answers, and every
# crash `make fuzz` found and was fixed. One line per target.
set -u
cd "$(dirname "$0")/../.." || exit 3
dir="$(dirname "$BOGUS")/fuzz"
for corpus in tests/fuzz/corpus/*/; do
	t=$(basename "$corpus")
	bin="$dir/fuzz_$t"
	n=$(find "$corpus" -type f | wc -l)
	if [ ! -x "$bin" ]; then
		echo "FAIL: fuzz corpus $t ($bin not built: make fuzz-bins)"
		continue
	fi
	if out=$(timeout 120 "$bin" "$corpus" 2>&1) &&
		[ "$out" = "replayed $n inputs" ]; then
		echo "PASS: fuzz corpus $t ($n inputs)"
	else
		echo "FAIL: fuzz corpus $t ($(printf '%s\n' "$out" | grep -v '^ *#' | tail -3 | tr '\n' ' '))"
	fi
done
