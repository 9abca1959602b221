#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/docs_catalog.sh - the README's catalog table is the catalog:
# every finding id of include/diag.h has its row, with the same severity,
# who must act and DNSViz code, and the table names no id the code lacks
# (ids are a public interface: a reader must find each one). No lab.
# Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
pass() { echo "PASS: docs-catalog: $*"; }
fail() { echo "FAIL: docs-catalog: $*"; }

# The code's catalog: "id severity actor dnsviz" per line.
code=$(sed -n 's/^\tX([A-Z0-9_]*, "\([a-z0-9-]*\)", SEV_\([A-Z]*\), \(NULL\|"\([A-Z0-9_]*\)"\), ACTOR_\([A-Z_]*\)).*/\1 \2 \5 \4/p' include/diag.h |
	awk '{ a = tolower($3); gsub("_", "-", a); print $1, tolower($2), a, $4 }')
# The README's rows: | `id` | severity | `actor` | CODE |
doc=$(sed -n 's/^| `\([a-z0-9-]*\)` | \(critical\|warning\|info\) | `\([a-z-]*\)` | *\([A-Z0-9_]*\) *|$/\1 \2 \3 \4/p' README.md)
n=$(wc -l <<<"$code")
all=$(grep -c '^	X([A-Z0-9_]*, "[a-z0-9-]*", SEV_' include/diag.h)
[ "$n" -eq "$all" ] || fail "read $n of the $all findings of include/diag.h (this script's pattern is stale)"
missing=$(comm -23 <(sort <<<"$code") <(sort <<<"$doc"))
extra=$(comm -13 <(sort <<<"$code") <(sort <<<"$doc"))
if [ -z "$missing" ]; then
	pass "all $n findings of the code are in the README's table, with severity, actor and DNSViz code"
else
	fail "README rows missing or different for: $(echo $missing)"
fi
if [ -z "$extra" ]; then
	pass "the README's table names no finding the code lacks"
else
	fail "README rows the code does not have (or has otherwise): $(echo $extra)"
fi
