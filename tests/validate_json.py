#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tests/validate_json.py SCHEMA FILE... - validates each FILE against the
JSON Schema SCHEMA (python3-jsonschema, draft 2020-12); a FILE ending in
.jsonl is checked line by line. One line per problem on stdout naming file,
line and path; exit 0 when all are valid, 1 otherwise, 3 on usage errors."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed")
    sys.exit(3)


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 3
    schema = json.load(open(sys.argv[1]))
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in sys.argv[2:]:
        with open(path) as f:
            docs = ([(i + 1, l) for i, l in enumerate(f) if l.strip()]
                    if path.endswith(".jsonl") else [(1, f.read())])
        if not docs:
            print(f"{path}: empty")
            bad += 1
        for lineno, text in docs:
            try:
                doc = json.loads(text)
            except ValueError as e:
                print(f"{path}:{lineno}: not JSON: {e}")
                bad += 1
                continue
            for err in v.iter_errors(doc):
                where = "/".join(str(p) for p in err.absolute_path)
                print(f"{path}:{lineno}: /{where}: {err.message[:200]}")
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
