#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# tests/screen_diff.py OLD NEW [MAX]: do two captures of the console show the
# same text, up to what changes between any two runs of one lab world (key
# tags, serials, clock times, ages, RTTs, and so where a line is cut)?
# Words are compared, not positions: a key tag one digit longer moves a
# column or a fold, not a word. Prints the words one has and the other lacks;
# exits 1 when more than MAX (default 6) differ.
import collections
import re
import sys


def words(path):
    out = collections.Counter()
    with open(path, encoding="utf-8", errors="replace") as f:
        for tok in re.split(r"[\s\u2502\u2500]+", f.read()):
            if not tok or "\u2026" in tok:
                continue  # a word cut at a pane's edge: where depends on the digits
            tok = re.sub(r"\d{1,2}:\d{2}(:\d{2})?", "T", tok)
            tok = re.sub(r"(\d+(ms|s|m|h|d))+", "D", tok)
            tok = re.sub(r"\d{3,}", "#", tok)
            # Which EDE a resolver sends first varies from run to run.
            tok = re.sub(r"^(\u2718|e)\d+$", r"\1E", tok)
            out[tok] += 1
    return out


def main():
    old, new = words(sys.argv[1]), words(sys.argv[2])
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    gone, came = old - new, new - old
    n = sum(gone.values()) + sum(came.values())
    if gone:
        print("only in %s: %s" % (sys.argv[1], " ".join(sorted(gone.elements()))))
    if came:
        print("only in %s: %s" % (sys.argv[2], " ".join(sorted(came.elements()))))
    print("%d word(s) differ (at most %d allowed)" % (n, limit))
    return 1 if n > limit else 0


if __name__ == "__main__":
    sys.exit(main())
