{{/* Labels on every object's metadata: deploy/'s part-of plus Helm's own. Selectors and pod labels stay as in deploy/,
so a release can take over objects that `kubectl apply -k deploy/` made (selectors are immutable). */}}
{{- define "carp-operator.labels" -}}
app.kubernetes.io/part-of: carp-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "carp-operator.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* The agents' namespace runs at Pod Security level privileged: sharing it with the operator and the users' password
Secrets would put them there too. */}}
{{- define "carp-operator.agentNamespace" -}}
{{- if eq .Values.agent.namespace .Release.Namespace -}}
{{- fail (printf "agent.namespace=%s is the release namespace; the agents need a namespace of their own (Pod Security: privileged)" .Values.agent.namespace) -}}
{{- end -}}
{{ .Values.agent.namespace }}
{{- end }}
