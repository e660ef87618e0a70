#!/usr/bin/env python3
"""Test helper for tests/chart: reads a rendered Helm manifest stream (Python 3 standard library + python3-yaml).

  manifest_tool.py validate SCHEMA_DIR FILE   validate every object against the Kubernetes "standalone-strict" JSON
                                              schemas (one file per kind: <kind>[-<group>]-<version>.json); prints one
                                              line per error, exit 1 when any object is invalid or has no schema
  manifest_tool.py digests FILE               "<Kind>/<name>\t<capstan.dev/config-digest>" per pod template
  manifest_tool.py objects FILE               "<Kind>/<name>\t<helm.sh/hook>\t<hook-weight>\t<delete-policy>"
  manifest_tool.py annotation FILE KIND/NAME KEY
                                              the pod template annotation KEY of workload KIND/NAME (exit 1 if absent)
  manifest_tool.py security FILE              one line per pod template breaking the chart's rules: every container
                                              non-root, read-only root filesystem, no privilege escalation, all
                                              capabilities dropped; exit 1 if any
  manifest_tool.py job FILE NAME ROOT [--pvc CLAIM=DIR]...
                                              materialise the volumes of Job NAME under ROOT (ConfigMaps from the same
                                              stream, the database Secret from $PGPASSWORD, claims from --pvc), and
                                              print its command line and environment with mount paths rewritten to
                                              the local directories: "ARG\t<arg>" and "ENV\t<name>=<value>" lines

The JSON Schema subset implemented is the one those schemas use: type (with null), properties,
additionalProperties, required, items, enum, oneOf, format int-or-string.
"""
import json
import os
import sys

import yaml


def load(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def ref(obj):
    return "%s/%s" % (obj.get("kind"), (obj.get("metadata") or {}).get("name"))


TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def check(schema, value, path, errors):
    if not isinstance(schema, dict):
        return
    t = schema.get("type")
    if t is not None:
        types = t if isinstance(t, list) else [t]
        if not any(TYPES[x](value) for x in types):
            errors.append("%s: got %s, want %s" % (path or "/", type(value).__name__, "|".join(types)))
            return
    if schema.get("format") == "int-or-string" and not (TYPES["integer"](value) or isinstance(value, str)):
        errors.append("%s: want an integer or a string" % (path or "/"))
    if "enum" in schema and value not in schema["enum"]:
        errors.append("%s: %r is not one of %r" % (path or "/", value, schema["enum"]))
    if "oneOf" in schema:
        matches = 0
        for sub in schema["oneOf"]:
            e = []
            check(sub, value, path, e)
            matches += not e
        if matches != 1:
            errors.append("%s: matches %d of the oneOf alternatives, want 1" % (path or "/", matches))
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for r in schema.get("required", []):
            if r not in value:
                errors.append("%s: missing required property %r" % (path or "/", r))
        extra = schema.get("additionalProperties", True)
        for k, v in value.items():
            if k in props:
                check(props[k], v, "%s/%s" % (path, k), errors)
            elif extra is False:
                errors.append("%s: unknown property %r" % (path or "/", k))
            elif isinstance(extra, dict):
                check(extra, v, "%s/%s" % (path, k), errors)
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for n, v in enumerate(value):
            check(schema["items"], v, "%s/%d" % (path, n), errors)


def schema_file(schema_dir, obj):
    group, _, version = str(obj.get("apiVersion", "")).rpartition("/")
    name = str(obj.get("kind", "")).lower()
    if group:
        name += "-" + group.split(".")[0]
    return os.path.join(schema_dir, "%s-%s.json" % (name, version))


def cmd_validate(schema_dir, path):
    bad = 0
    docs = load(path)
    for n, obj in enumerate(docs):
        f = schema_file(schema_dir, obj)
        if not os.path.exists(f):
            print("document %d %s: no schema %s" % (n, ref(obj), os.path.basename(f)))
            bad += 1
            continue
        with open(f, encoding="utf-8") as s:
            schema = json.load(s)
        errors = []
        check(schema, obj, "", errors)
        for e in errors:
            print("document %d %s: %s" % (n, ref(obj), e))
        bad += bool(errors)
    print("validated %d objects, %d invalid" % (len(docs), bad), file=sys.stderr)
    return 1 if bad or not docs else 0


def pod_template(obj):
    spec = obj.get("spec") or {}
    if obj.get("kind") == "CronJob":
        spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
    return spec.get("template")


def cmd_digests(path):
    for obj in load(path):
        t = pod_template(obj)
        if not t:
            continue
        d = ((t.get("metadata") or {}).get("annotations") or {}).get("capstan.dev/config-digest")
        if d:
            print("%s\t%s" % (ref(obj), d))
    return 0


def cmd_objects(path):
    for obj in load(path):
        a = (obj.get("metadata") or {}).get("annotations") or {}
        print("%s\t%s\t%s\t%s" % (ref(obj), a.get("helm.sh/hook", ""), a.get("helm.sh/hook-weight", ""),
                                  a.get("helm.sh/hook-delete-policy", "")))
    return 0


def cmd_annotation(path, workload, key):
    for obj in load(path):
        t = pod_template(obj)
        if t and ref(obj) == workload:
            value = ((t.get("metadata") or {}).get("annotations") or {}).get(key)
            if value is None:
                print("manifest_tool: %s has no annotation %s" % (workload, key), file=sys.stderr)
                return 1
            print(value)
            return 0
    print("manifest_tool: no workload %s in %s" % (workload, path), file=sys.stderr)
    return 1


def cmd_security(path):
    bad = []
    templates = 0
    for obj in load(path):
        t = pod_template(obj)
        if not t:
            continue
        templates += 1
        spec = t.get("spec") or {}
        pod_nonroot = (spec.get("securityContext") or {}).get("runAsNonRoot") is True
        for c in spec.get("initContainers", []) + spec.get("containers", []):
            sc = c.get("securityContext") or {}
            where = "%s container %s" % (ref(obj), c.get("name"))
            if not (pod_nonroot or sc.get("runAsNonRoot") is True) or sc.get("runAsUser") == 0:
                bad.append(where + ": may run as root")
            if sc.get("readOnlyRootFilesystem") is not True:
                bad.append(where + ": root filesystem is writable")
            if sc.get("allowPrivilegeEscalation") is not False:
                bad.append(where + ": privilege escalation allowed")
            if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
                bad.append(where + ": capabilities not dropped")
    for b in bad:
        print(b)
    print("checked %d pod templates, %d problems" % (templates, len(bad)), file=sys.stderr)
    return 1 if bad or not templates else 0


def cmd_job(path, name, root, pvcs):
    docs = load(path)
    jobs = [d for d in docs if d.get("kind") == "Job" and d["metadata"]["name"] == name]
    if len(jobs) != 1:
        print("manifest_tool: %d Jobs named %s in %s" % (len(jobs), name, path), file=sys.stderr)
        return 2
    configmaps = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "ConfigMap"}
    pod = jobs[0]["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    container = pod["containers"][0]
    mounts = {}
    for m in container.get("volumeMounts", []):
        v = volumes[m["name"]]
        local = os.path.join(root, m["name"])
        if "persistentVolumeClaim" in v:
            claim = v["persistentVolumeClaim"]["claimName"]
            if claim not in pvcs:
                print("manifest_tool: no --pvc for claim %s (volume %s)" % (claim, m["name"]), file=sys.stderr)
                return 2
            local = pvcs[claim]
        elif "configMap" in v:
            cm = configmaps.get(v["configMap"]["name"])
            if cm is None:
                print("manifest_tool: ConfigMap %s is not in %s" % (v["configMap"]["name"], path), file=sys.stderr)
                return 2
            os.makedirs(local, exist_ok=True)
            for key, text in (cm.get("data") or {}).items():
                with open(os.path.join(local, key), "w", encoding="utf-8") as f:
                    f.write(text)
        elif "projected" in v or "secret" in v:
            # The database Secret: "password" is the test server's password ($PGPASSWORD); "ca.crt", when the
            # volume projects one, the test server's CA ($CAPSTAN_TEST_PG_CA).
            os.makedirs(local, exist_ok=True)
            paths = [i["path"] for src in v.get("projected", {}).get("sources", [])
                     for i in (src.get("secret") or {}).get("items", [])]
            paths += [i["path"] for i in (v.get("secret") or {}).get("items", [])]
            for item in paths:
                if item == "password":
                    text = os.environ["PGPASSWORD"] + "\n"
                elif item == "ca.crt":
                    with open(os.environ["CAPSTAN_TEST_PG_CA"], encoding="utf-8") as ca:
                        text = ca.read()
                else:
                    print("manifest_tool: unknown Secret item %s in volume %s" % (item, m["name"]), file=sys.stderr)
                    return 2
                with open(os.path.join(local, item), "w", encoding="utf-8") as f:
                    f.write(text)
        elif "emptyDir" in v:
            os.makedirs(local, exist_ok=True)
        else:
            print("manifest_tool: unsupported volume %s" % m["name"], file=sys.stderr)
            return 2
        mounts[m["mountPath"].rstrip("/")] = local

    def rewrite(s):
        s = str(s)
        for mp in sorted(mounts, key=len, reverse=True):
            if s == mp or s.startswith(mp + "/"):
                return mounts[mp] + s[len(mp):]
        return s

    for a in container.get("command", []) + container.get("args", []):
        print("ARG\t" + rewrite(a))
    for e in container.get("env", []):
        if "value" in e:
            print("ENV\t%s=%s" % (e["name"], rewrite(e["value"])))
    return 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "validate":
        return cmd_validate(argv[1], argv[2])
    if len(argv) == 2 and argv[0] == "digests":
        return cmd_digests(argv[1])
    if len(argv) == 2 and argv[0] == "objects":
        return cmd_objects(argv[1])
    if len(argv) == 4 and argv[0] == "annotation":
        return cmd_annotation(argv[1], argv[2], argv[3])
    if len(argv) == 2 and argv[0] == "security":
        return cmd_security(argv[1])
    if len(argv) >= 4 and argv[0] == "job":
        pvcs = {}
        rest = argv[4:]
        while rest:
            if rest[0] != "--pvc" or len(rest) < 2 or "=" not in rest[1]:
                print(__doc__, file=sys.stderr)
                return 2
            k, v = rest[1].split("=", 1)
            pvcs[k] = v
            rest = rest[2:]
        return cmd_job(argv[1], argv[2], argv[3], pvcs)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
