{{/* Chart name, overridable. */}}
{{- define "flink-autoscaler.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name when it already contains the chart name, else release-chart. */}}
{{- define "flink-autoscaler.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "flink-autoscaler.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "flink-autoscaler.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flink-autoscaler.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "flink-autoscaler.labels" -}}
helm.sh/chart: {{ include "flink-autoscaler.chart" . }}
{{ include "flink-autoscaler.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: flinkfleet
{{- end }}

{{- define "flink-autoscaler.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "flink-autoscaler.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "flink-autoscaler.leaseName" -}}
{{- default (include "flink-autoscaler.fullname" .) .Values.leaderElection.leaseName }}
{{- end }}

{{/* ceil(shards / (replicas - 1)) with two or more replicas, so the others cover every shard while one is down; 0 = no cap. */}}
{{- define "flink-autoscaler.maxShardsPerReplica" -}}
{{- $shards := int .Values.leaderElection.shards }}
{{- $replicas := int .Values.replicaCount }}
{{- if not (kindIs "invalid" .Values.leaderElection.maxShardsPerReplica) }}
{{- int .Values.leaderElection.maxShardsPerReplica }}
{{- else if and (gt $shards 1) (gt $replicas 1) }}
{{- div (add $shards $replicas -2) (sub $replicas 1) }}
{{- else }}
{{- 0 }}
{{- end }}
{{- end }}

{{- define "flink-autoscaler.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
Rules on FlinkDeployments and Events, the same in both RBAC modes. Patch only: the daemon merge-patches
spec.taskManager.replicas and its state annotation; it never creates, updates or deletes FlinkDeployments.
Events: create, and patch because client libraries aggregate repeated events by patching their count.
*/}}
{{- define "flink-autoscaler.workloadRules" -}}
- apiGroups: ["flink.apache.org"]
  resources: ["flinkdeployments"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{/* Namespaces the daemon watches: the list in namespaced mode; the list or every namespace in cluster mode. */}}
{{- define "flink-autoscaler.watchNamespacesHocon" -}}
[{{- range $i, $ns := .Values.rbac.watchNamespaces }}{{ if $i }}, {{ end }}{{ $ns | quote }}{{- end }}]
{{- end }}
