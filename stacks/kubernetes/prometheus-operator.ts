/** kube-prometheus-stack with Prometheus, Grafana and Alertmanager; flinkmon's PodMonitors and rules in its values. */
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { stringify } from "yaml";
import { Release } from "@cdktf/provider-helm/lib/release/index.js";
import { scrapesFlink, type MonitoringConfig } from "../../config/resolve.js";
import { formatDuration } from "../../config/duration.js";
import {
  flinkPodMonitor,
  pushgatewayPodMonitor,
  prometheusRule,
  RELEASE,
} from "../../templates/kubernetes/manifests.js";
import { CHARTS } from "../charts.js";
import { address, SECRET } from "./address.js";
import { YAML_OUTPUT } from "../../contract/yaml-output.js";

export interface PrometheusOperatorProps {
  readonly config: MonitoringConfig;
  /** What must exist first (the namespace, the Secrets Grafana reads). */
  readonly dependsOn: readonly ITerraformDependable[];
}

export class PrometheusOperator extends Construct {
  readonly release: Release;

  constructor(scope: Construct, props: PrometheusOperatorProps) {
    super(scope, "kube-prometheus-stack");
    const config = props.config;
    const k = config.kubernetes;
    const interval = formatDuration(config.prometheus.scrapeIntervalSeconds);
    const pvc = (size: string) => ({
      spec: {
        ...(k.storageClass ? { storageClassName: k.storageClass } : {}),
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: size } },
      },
    });
    const podMonitors = [
      ...(scrapesFlink(config) ? [flinkPodMonitor(config)] : []),
      ...(config.stores.pushgateway ? [pushgatewayPodMonitor(config)] : []),
    ].map((pm) => ({ name: pm.metadata.name, additionalLabels: pm.metadata.labels, ...pm.spec }));
    const values = {
      fullnameOverride: RELEASE,
      prometheus: {
        prometheusSpec: {
          retention: formatDuration(config.prometheus.retentionSeconds),
          scrapeInterval: interval,
          evaluationInterval: interval,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          storageSpec: { volumeClaimTemplate: pvc(k.storage.prometheus) },
          resources: { requests: { memory: k.prometheusMemory } },
          remoteWrite: k.remoteWrite,
        },
        additionalPodMonitors: podMonitors,
      },
      additionalPrometheusRulesMap: { alerts: { groups: prometheusRule(config).spec!.groups } },
      grafana: {
        admin: { existingSecret: SECRET.grafanaAdmin, userKey: "admin-user", passwordKey: "admin-password" },
        envFromSecrets: [{ name: SECRET.grafanaEnv }],
        persistence: {
          enabled: true,
          size: k.storage.grafana,
          ...(k.storageClass ? { storageClassName: k.storageClass } : {}),
        },
        "grafana.ini": {
          "auth.anonymous": { enabled: false },
          users: { allow_sign_up: false },
          analytics: { reporting_enabled: false },
        },
        sidecar: { dashboards: { folderAnnotation: "grafana_folder", provider: { foldersFromFilesStructure: true } } },
      },
    };
    this.release = address(
      new Release(this, "release", {
        name: RELEASE,
        chart: CHARTS.kubePrometheusStack.chart,
        repository: CHARTS.kubePrometheusStack.repository,
        version: CHARTS.kubePrometheusStack.version,
        namespace: k.namespace,
        values: [stringify(values, { ...YAML_OUTPUT, sortMapEntries: true })],
        timeout: 900,
        dependsOn: [...props.dependsOn],
      }),
      "kube_prometheus_stack",
    );
  }
}
