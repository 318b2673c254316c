{{- define "harken.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "harken.fullname" -}}
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

{{- define "harken.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "harken.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: harken
{{- end -}}

{{/* selector labels; call with (dict "root" $ "component" "gateway") */}}
{{- define "harken.selector" -}}
app.kubernetes.io/name: {{ include "harken.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "harken.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "harken.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "harken.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "harken.cudaImage" -}}
{{- printf "%s:%s%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) .Values.image.cudaSuffix -}}
{{- end -}}

{{- define "harken.secretName" -}}
{{- default (printf "%s-secrets" (include "harken.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* A generated value that survives upgrades: reuse the key from the live Secret when present. */}}
{{- define "harken.keep" -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace (printf "%s-secrets" (include "harken.fullname" .root)) -}}
{{- if and $existing (hasKey $existing.data .key) -}}
{{- index $existing.data .key | b64dec -}}
{{- else -}}
{{- randAlphaNum 32 -}}
{{- end -}}
{{- end -}}

{{- define "harken.redisHost" -}}
{{- printf "%s-redis" (include "harken.fullname" .) -}}
{{- end -}}

{{- define "harken.podSecurity" -}}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}

{{/* env shared by every Harken container; .root and optional .extra (map) */}}
{{- define "harken.env" -}}
envFrom:
  - configMapRef:
      name: {{ include "harken.fullname" .root }}-config
  - secretRef:
      name: {{ include "harken.secretName" .root }}
{{- with .extra }}
env:
  {{- range $k, $v := . }}
  - name: {{ $k }}
    value: {{ $v | quote }}
  {{- end }}
{{- end }}
{{- end -}}

{{/* writable paths under a read-only root file system */}}
{{- define "harken.scratchMounts" -}}
- name: tmp
  mountPath: /tmp
- name: data
  mountPath: /var/lib/harken
{{- end -}}

{{- define "harken.scratchVolumes" -}}
- name: tmp
  emptyDir: {}
- name: data
  emptyDir: {}
{{- end -}}

{{- define "harken.modelMount" -}}
- name: models
  mountPath: {{ .Values.models.mountPath }}
  readOnly: true
{{- end -}}

{{- define "harken.modelVolume" -}}
- name: models
{{- if .Values.models.hostPath }}
  hostPath:
    path: {{ .Values.models.hostPath }}
    type: Directory
{{- else }}
  persistentVolumeClaim:
    claimName: {{ default (printf "%s-models" (include "harken.fullname" .)) .Values.models.existingClaim }}
    readOnly: true
{{- end }}
{{- end -}}
