#!/usr/bin/env python3
"""The peer side of bench/jsonschema/run.sh: python3-jsonschema (Debian) on the same inputs, CPU ms per operation."""
import json
import sys
import time

import jsonschema

schema = json.load(open(sys.argv[1]))
values = json.load(open(sys.argv[2]))
n = int(sys.argv[3]) if len(sys.argv) > 3 else 5
c0 = time.process_time()
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
c1 = time.process_time()
for _ in range(n):
    errors = list(validator.iter_errors(values))
c2 = time.process_time()
print("compile_ms %.3f\nvalidate_ms %.3f\nerrors %d" % ((c1 - c0) * 1e3, (c2 - c1) * 1e3 / n, len(errors)))
