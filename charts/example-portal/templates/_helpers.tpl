{{/* Names, labels and shared fragments of the example portal chart. */}}

{{- define "portal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "portal.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels: include "portal.labels" (dict "ctx" $ "component" "app") */}}
{{- define "portal.selectorLabels" -}}
app.kubernetes.io/name: {{ include "portal.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "portal.labels" -}}
{{ include "portal.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "portal.image" -}}
{{ printf "%s:%s" .repository .tag | quote }}
{{- end -}}

{{/* The schema version this chart needs: the highest V<version>__*.sql in files/migrations. */}}
{{- define "portal.schemaVersion" -}}
{{- $max := 0 -}}
{{- range $path, $_ := .Files.Glob "files/migrations/V*__*.sql" -}}
{{- $v := base $path | trimPrefix "V" | splitList "__" | first | atoi -}}
{{- if gt $v $max }}{{ $max = $v }}{{ end -}}
{{- end -}}
{{- $max -}}
{{- end -}}

{{- define "portal.dbHost" -}}
{{- if .Values.postgresql.enabled -}}
{{- printf "%s-postgresql" (include "portal.fullname" .) -}}
{{- else -}}
{{- required "externalDatabase.host is required when postgresql.enabled is false" .Values.externalDatabase.host -}}
{{- end -}}
{{- end -}}

{{- define "portal.dbPort" -}}
{{- if .Values.postgresql.enabled }}{{ .Values.postgresql.port }}{{ else }}{{ .Values.externalDatabase.port }}{{ end -}}
{{- end -}}

{{- define "portal.dbSecretName" -}}
{{- default (printf "%s-db" (include "portal.fullname" .)) .Values.database.existingSecret -}}
{{- end -}}

{{- define "portal.dbSecretKey" -}}
{{- if .Values.database.existingSecret }}{{ .Values.database.existingSecretPasswordKey }}{{ else }}password{{ end -}}
{{- end -}}

{{- define "portal.sharedClaim" -}}
{{- default (printf "%s-shared" (include "portal.fullname" .)) .Values.persistence.existingClaim -}}
{{- end -}}

{{- define "portal.contentClaim" -}}
{{- default (printf "%s-content-profile" (include "portal.fullname" .)) .Values.contentPlatform.persistence.existingClaim -}}
{{- end -}}

{{/* Whether the roll hook runs (and the hooks' Role holds its rules): the content platform and its roll are on. */}}
{{- define "portal.rollEnabled" -}}
{{- if and .Values.contentPlatform.enabled .Values.hooks.roll.enabled }}true{{ end -}}
{{- end -}}

{{- define "portal.backupClaim" -}}
{{- default (printf "%s-backups" (include "portal.fullname" .)) .Values.hooks.backup.existingClaim -}}
{{- end -}}

{{- define "portal.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (printf "%s-hooks" (include "portal.fullname" .)) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The condition app pods wait for (capstan.dev/wait-for): the database answers and its schema is recent enough. */}}
{{- define "portal.waitFor" -}}
{{- $ca := ternary ", ca=/secrets/db/ca.crt" "" (ne .Values.database.caSecret "") -}}
{{- printf "postgres://%s@%s:%s/%s?sslmode=%s (schema>=%s, password-file=/secrets/db/password%s)" .Values.database.user (include "portal.dbHost" .) (include "portal.dbPort" .) .Values.database.name .Values.database.sslmode (include "portal.schemaVersion" .) $ca -}}
{{- end -}}

{{/* Container security context: non-root, read-only root filesystem, no privileges. */}}
{{- define "portal.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* Standard PG* environment for hooks and servers. */}}
{{- define "portal.pgEnv" -}}
- name: PGHOST
  value: {{ include "portal.dbHost" . | quote }}
- name: PGPORT
  value: {{ include "portal.dbPort" . | quote }}
- name: PGDATABASE
  value: {{ .Values.database.name | quote }}
- name: PGUSER
  value: {{ .Values.database.user | quote }}
- name: PGSSLMODE
  value: {{ .Values.database.sslmode | quote }}
{{- if .Values.database.caSecret }}
- name: PGSSLROOTCERT
  value: /secrets/db/ca.crt
{{- end }}
{{- end -}}

{{/* The volume mounted at /secrets/db: the database password (file "password") and, with database.caSecret, the CA
     that signed the server's certificate (file "ca.crt", PGSSLROOTCERT). */}}
{{- define "portal.dbSecretVolume" -}}
- name: db-secret
  projected:
    defaultMode: 0440
    sources:
      - secret:
          name: {{ include "portal.dbSecretName" . }}
          items:
            - key: {{ include "portal.dbSecretKey" . }}
              path: password
      {{- with .Values.database.caSecret }}
      - secret:
          name: {{ . }}
          items:
            - key: ca.crt
              path: ca.crt
      {{- end }}
{{- end -}}

{{/* The spec of a hook Job: include "portal.hookPod" (dict "ctx" $ "name" N "image" IMG "args" LIST "env" LIST "mounts" LIST "volumes" LIST "kubeApi" BOOL).
     Only hooks that call the Kubernetes API (kubeApi) get the hooks ServiceAccount and a token. A hook whose retry
     continues its work (roll) passes "backoffLimit" N and its own "activeDeadlineSeconds"; the others never retry. */}}
{{- define "portal.hookPod" -}}
{{- $ctx := .ctx -}}
backoffLimit: {{ .backoffLimit | default 0 }}
activeDeadlineSeconds: {{ .activeDeadlineSeconds | default $ctx.Values.hooks.activeDeadlineSeconds }}
template:
  metadata:
    labels:
      {{- include "portal.selectorLabels" (dict "ctx" $ctx "component" (printf "hook-%s" .name)) | nindent 6 }}
  spec:
    restartPolicy: Never
    {{- if .kubeApi }}
    serviceAccountName: {{ include "portal.serviceAccountName" $ctx }}
    automountServiceAccountToken: true
    {{- else }}
    automountServiceAccountToken: false
    {{- end }}
    securityContext:
      {{- toYaml $ctx.Values.podSecurityContext | nindent 6 }}
    containers:
      - name: {{ .name }}
        image: {{ .image | default $ctx.Values.hooks.image | quote }}
        imagePullPolicy: {{ $ctx.Values.hooks.pullPolicy }}
        args:
          {{- toYaml .args | nindent 10 }}
        env:
          - name: CAPSTAN_LOG_FORMAT
            value: {{ $ctx.Values.hooks.logFormat | quote }}
          {{- with .env }}
          {{- toYaml . | nindent 10 }}
          {{- end }}
        securityContext:
          {{- include "portal.containerSecurityContext" $ctx | nindent 10 }}
        resources:
          {{- toYaml $ctx.Values.hooks.resources | nindent 10 }}
        volumeMounts:
          - name: tmp
            mountPath: /tmp
          {{- with .mounts }}
          {{- toYaml . | nindent 10 }}
          {{- end }}
    volumes:
      - name: tmp
        emptyDir: {}
      {{- with .volumes }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
{{- end -}}
