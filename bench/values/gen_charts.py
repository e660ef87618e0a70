#!/usr/bin/env python3
"""Generates the inputs of the values lint benchmark (deterministic, no randomness):

  gen_charts.py realistic OUT   a portal-like chart (about 200 values keys in nested sections, a draft-07 schema,
                                templates for a Deployment, Service, ConfigMap and Ingress) and three overlays
                                (customer, environment, region) in OUT/overlays/
  gen_charts.py big OUT         a 10,000-key values hierarchy (20 sections x 20 groups x 25 keys) with a schema
                                describing every key, and three overlays overriding 1,000 keys each
"""
import json
import os
import sys


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def yaml_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    return json.dumps(v)


def to_yaml(d, indent=0):
    out = []
    for k, v in d.items():
        pad = "  " * indent
        if isinstance(v, dict):
            if not v:
                out.append(f"{pad}{k}: {{}}")
            else:
                out.append(f"{pad}{k}:")
                out.append(to_yaml(v, indent + 1))
        elif isinstance(v, list):
            out.append(f"{pad}{k}: [{', '.join(yaml_scalar(x) for x in v)}]")
        else:
            out.append(f"{pad}{k}: {yaml_scalar(v)}")
    return "\n".join(x for x in out if x)


def schema_of(v, strict=True):
    if isinstance(v, bool):
        return {"type": "boolean"}
    if isinstance(v, int):
        return {"type": "integer"}
    if isinstance(v, float):
        return {"type": "number"}
    if isinstance(v, str):
        return {"type": "string"}
    if isinstance(v, list):
        return {"type": "array", "items": {"type": "string"}}
    if not v:
        return {"type": "object", "additionalProperties": {"type": "string"}}
    s = {"type": "object", "properties": {k: schema_of(x, strict) for k, x in v.items()}}
    if strict:
        s["additionalProperties"] = False
    return s


TEMPLATES = {
    "_helpers.tpl": '{{- define "portal.name" -}}{{ .Chart.Name }}{{- end -}}\n'
                    '{{- define "portal.labels" -}}\napp.kubernetes.io/name: {{ include "portal.name" . }}\n'
                    'app.kubernetes.io/instance: {{ .Release.Name }}\n{{- end -}}\n',
    "deployment.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
  labels: {{- include "portal.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.web.replicas }}
  selector:
    matchLabels: {{- include "portal.labels" . | nindent 6 }}
  template:
    metadata:
      labels: {{- include "portal.labels" . | nindent 8 }}
      annotations: {{- toYaml .Values.web.podAnnotations | nindent 8 }}
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - containerPort: {{ .Values.web.port }}
          resources: {{- toYaml .Values.web.resources | nindent 12 }}
          env:
            {{- range $k, $v := .Values.web.env }}
            - name: {{ $k }}
              value: {{ $v | quote }}
            {{- end }}
""",
    "service.yaml": """apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-web
spec:
  type: {{ .Values.service.type }}
  ports:
    - port: {{ .Values.service.port }}
      targetPort: {{ .Values.web.port }}
  selector: {{- include "portal.labels" . | nindent 4 }}
""",
    "configmap.yaml": """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
data:
  settings.json: {{ toJson .Values.settings | quote }}
  database: {{ .Values.database.host }}:{{ .Values.database.port }}
""",
    "ingress.yaml": """{{- if .Values.ingress.enabled }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ .Release.Name }}
spec:
  rules:
    {{- range .Values.ingress.hosts }}
    - host: {{ . }}
    {{- end }}
{{- end }}
""",
}


def realistic(out):
    settings = {}
    for i in range(12):
        settings[f"feature{i:02d}"] = {"enabled": i % 2 == 0, "level": "standard", "limit": 100 + i,
                                       "ratio": 0.5, "owner": f"team-{i}", "tags": ["a", "b"]}
    values = {
        "image": {"repository": "registry.example.internal/portal", "tag": "4.2.1", "pullPolicy": "IfNotPresent"},
        "web": {"replicas": 2, "port": 8080, "podAnnotations": {},
                "resources": {"requests": {"cpu": "250m", "memory": "512Mi"},
                              "limits": {"cpu": "1", "memory": "1Gi"}},
                "env": {"LOG_LEVEL": "info", "TZ": "UTC"},
                "probes": {"readiness": {"path": "/ready", "period": 10}, "liveness": {"path": "/live", "period": 20}}},
        "service": {"type": "ClusterIP", "port": 80},
        "ingress": {"enabled": False, "className": "nginx", "hosts": ["portal.example.internal"],
                    "annotations": {}},
        "database": {"host": "postgres", "port": 5432, "name": "portal", "user": "portal", "sslMode": "require",
                     "pool": {"min": 2, "max": 20, "idleTimeout": "5m"}},
        "cache": {"enabled": True, "size": 256, "ttl": "10m"},
        "migrations": {"enabled": True, "timeout": "10m", "backoffLimit": 1},
        "backup": {"enabled": True, "schedule": "0 3 * * *", "retention": 7, "bucket": "backups"},
        "country": "SE",
        "settings": settings,
        "nodeSelector": {},
        "tolerations": [],
    }
    chart = os.path.join(out, "chart")
    write(os.path.join(chart, "Chart.yaml"), "apiVersion: v2\nname: portal\nversion: 4.2.1\nappVersion: 4.2.1\n"
                                             "description: A web portal with a database\n")
    write(os.path.join(chart, "values.yaml"), "# Default values of the portal chart.\n" + to_yaml(values) + "\n")
    schema = schema_of(values)
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["properties"]["web"]["properties"]["replicas"]["minimum"] = 1
    schema["properties"]["web"]["properties"]["port"].update({"minimum": 1, "maximum": 65535})
    schema["properties"]["database"]["required"] = ["host", "port"]
    write(os.path.join(chart, "values.schema.json"), json.dumps(schema, indent=2) + "\n")
    for name, body in TEMPLATES.items():
        write(os.path.join(chart, "templates", name), body)
    write(os.path.join(out, "overlays", "customer.yaml"),
          "# ACME's settings\nimage:\n  tag: \"4.2.2\"\nweb:\n  replicas: 3\n  env:\n    LOG_LEVEL: debug\n"
          "database:\n  host: acme-db.internal\n  name: acme\ncountry: \"NO\"\n"
          + "settings:\n" + "".join(f"  feature{i:02d}:\n    limit: {200 + i}\n" for i in range(6)))
    write(os.path.join(out, "overlays", "staging.yaml"),
          "web:\n  replicas: 2\n  resources:\n    limits:\n      memory: 2Gi\ningress:\n  enabled: true\n"
          "  hosts: [acme.staging.example.internal]\nbackup:\n  enabled: false\n")
    write(os.path.join(out, "overlays", "eu.yaml"),
          "database:\n  sslMode: verify-full\nbackup:\n  bucket: backups-eu\nweb:\n  podAnnotations:\n"
          "    region: eu-north-1\n")


def big(out):
    values = {}
    for s in range(20):
        sec = {}
        for g in range(20):
            grp = {}
            for k in range(25):
                n = (s * 20 + g) * 25 + k
                grp[f"key{k:02d}"] = [n, f"value-{n}", n % 2 == 0, n + 0.5][n % 4]
            sec[f"group{g:02d}"] = grp
        values[f"section{s:02d}"] = sec
    chart = os.path.join(out, "chart")
    write(os.path.join(chart, "Chart.yaml"), "apiVersion: v2\nname: big\nversion: 1.0.0\n")
    write(os.path.join(chart, "values.yaml"), to_yaml(values) + "\n")
    schema = schema_of(values)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    write(os.path.join(chart, "values.schema.json"), json.dumps(schema) + "\n")
    write(os.path.join(chart, "templates", "cm.yaml"),
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n"
          "  sections: {{ len .Values | quote }}\n")
    for o, name in enumerate(["customer", "staging", "eu"]):
        ov = {}
        for s in range(20):
            for g in range(o * 5, o * 5 + 5):
                for k in range(10):
                    n = (s * 20 + g) * 25 + k
                    v = values[f"section{s:02d}"][f"group{g:02d}"][f"key{k:02d}"]
                    ov.setdefault(f"section{s:02d}", {}).setdefault(f"group{g:02d}", {})[f"key{k:02d}"] = \
                        (not v) if isinstance(v, bool) else (v + 1 if isinstance(v, (int, float)) else v + "-x")
        write(os.path.join(out, "overlays", name + ".yaml"), to_yaml(ov) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("realistic", "big"):
        sys.exit(__doc__)
    {"realistic": realistic, "big": big}[sys.argv[1]](sys.argv[2])
