#!/usr/bin/env python3
"""Writes a values-like schema (SECTIONS x KEYS typed properties, additionalProperties false) and a matching
values document to OUTDIR, for bench/jsonschema/run.sh. Usage: gen_values.py OUTDIR [SECTIONS] [KEYS]"""
import json
import sys

out = sys.argv[1]
sections = int(sys.argv[2]) if len(sys.argv) > 2 else 100
keys = int(sys.argv[3]) if len(sys.argv) > 3 else 100
schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {},
          "additionalProperties": False}
values = {}
for i in range(sections):
    props, sec = {}, {}
    for j in range(keys):
        kind = ["string", "integer", "boolean"][j % 3]
        props[f"key{j}"] = {"type": kind, "description": f"setting {j}"}
        sec[f"key{j}"] = "v" if kind == "string" else (j if kind == "integer" else True)
    props["annotations"] = {"type": "object", "additionalProperties": {"type": "string"}}
    schema["properties"][f"section{i}"] = {"type": "object", "properties": props, "additionalProperties": False,
                                           "required": ["key0"]}
    values[f"section{i}"] = sec
json.dump(schema, open(f"{out}/schema.json", "w"))
json.dump(values, open(f"{out}/values.json", "w"))
