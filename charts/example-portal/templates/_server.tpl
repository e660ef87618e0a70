{{/* The pod spec of a portal server (app or manager): include "portal.serverPodSpec" (dict "ctx" $ "component" C "port" P "grace" G) */}}
{{- define "portal.serverPodSpec" -}}
{{- $ctx := .ctx -}}
{{- $v := $ctx.Values -}}
automountServiceAccountToken: false
terminationGracePeriodSeconds: {{ .grace }}
securityContext:
  {{- toYaml $v.podSecurityContext | nindent 2 }}
containers:
  - name: portal
    image: {{ include "portal.image" $v.app.image }}
    imagePullPolicy: {{ $v.app.image.pullPolicy }}
    env:
      - name: PORTAL_ROLE
        value: {{ .component | quote }}
      - name: PORTAL_DB_POOL_FILE
        value: /etc/portal/db-pool/db-pool.properties
      {{- include "portal.pgEnv" $ctx | nindent 6 }}
    ports:
      - name: http
        containerPort: {{ .port }}
    readinessProbe:
      httpGet:
        path: {{ $v.app.healthPath }}
        port: http
      {{- toYaml $v.app.probes.readiness | nindent 6 }}
    livenessProbe:
      httpGet:
        path: {{ $v.app.healthPath }}
        port: http
      {{- toYaml $v.app.probes.liveness | nindent 6 }}
    lifecycle:
      preStop:
        sleep:
          seconds: {{ $v.app.preStopSleepSeconds }}
    resources:
      {{- toYaml (ternary $v.app.resources $v.manager.resources (eq .component "app")) | nindent 6 }}
    securityContext:
      {{- include "portal.containerSecurityContext" $ctx | nindent 6 }}
    volumeMounts:
      - name: config
        mountPath: /etc/portal/config
        readOnly: true
      - name: db-pool
        mountPath: /etc/portal/db-pool
        readOnly: true
      - name: db-secret
        mountPath: /secrets/db
        readOnly: true
      - name: shared
        mountPath: {{ $v.persistence.mountPath }}
      - name: tmp
        mountPath: /tmp
      - name: work
        mountPath: /opt/portal/work
volumes:
  - name: config
    configMap:
      name: {{ include "portal.fullname" $ctx }}-config
  - name: db-pool
    configMap:
      name: {{ include "portal.fullname" $ctx }}-db-pool
  {{- include "portal.dbSecretVolume" $ctx | nindent 2 }}
  - name: shared
    persistentVolumeClaim:
      claimName: {{ include "portal.sharedClaim" $ctx }}
  - name: tmp
    emptyDir: {}
  - name: work
    emptyDir: {}
{{- end -}}
