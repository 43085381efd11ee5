/**
 * The Kubernetes target's objects as data (reference kubernetes.md §4, §6): a PodMonitor for Flink's pods, one for
 * the Pushgateway, the alert rules as a PrometheusRule, the Grafana data sources for the sidecar, and the block a
 * Flink Kubernetes Operator user pastes into a FlinkDeployment. The stack places them; build() writes them.
 */
import type { MonitoringConfig } from "../../config/resolve.js";
import { CLUSTER_LABEL, FLINK_POD_MONITOR, K8S_SERVICE } from "../../contract/services.js";
import { formatDuration } from "../../config/duration.js";
import { prometheusRuleGroups } from "../../dashboards/alerts/prometheus-rules.js";
import { planFlinkMetrics } from "../../flink/reporter-plan.js";
import { grafanaDatasources } from "../stores.js";
import { PROMETHEUS_FLINK_SERIES } from "../../flink/naming.js";

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
};

/** Container port name Flink's pods declare for the Prometheus reporter. */
export const METRICS_PORT_NAME = "metrics";
export const RELEASE = "flinkmon";

/** Labels that make an existing kube-prometheus-stack pick the object up (its selectors match `release`). */
function selectorLabels(config: MonitoringConfig): Record<string, string> {
  return {
    "app.kubernetes.io/part-of": "flinkmon",
    ...(config.kubernetes.installPrometheusOperator ? {} : { release: config.kubernetes.existingRelease }),
  };
}

export function flinkPodMonitor(config: MonitoringConfig): K8sObject {
  const k = config.kubernetes;
  const selector: Record<string, unknown> = {
    matchExpressions: [
      { key: "type", operator: "In", values: k.podSelector.types },
      { key: "component", operator: "In", values: k.podSelector.components },
    ],
  };
  if (Object.keys(k.podSelector.matchLabels).length > 0) selector.matchLabels = k.podSelector.matchLabels;
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: { name: FLINK_POD_MONITOR, namespace: k.namespace, labels: selectorLabels(config) },
    spec: {
      selector,
      namespaceSelector: k.flinkNamespaces.length > 0 ? { matchNames: k.flinkNamespaces } : { any: true },
      podTargetLabels: ["app", "component"],
      podMetricsEndpoints: [
        {
          port: METRICS_PORT_NAME,
          path: "/metrics",
          interval: formatDuration(config.prometheus.scrapeIntervalSeconds),
          relabelings: [{ targetLabel: CLUSTER_LABEL, replacement: config.flink.cluster }],
        },
      ],
    },
  };
}

export function pushgatewayPodMonitor(config: MonitoringConfig): K8sObject {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: { name: "flinkmon-pushgateway", namespace: config.kubernetes.namespace, labels: selectorLabels(config) },
    spec: {
      selector: { matchLabels: { "app.kubernetes.io/name": K8S_SERVICE.pushgateway } },
      // Keep the job and instance labels Flink pushed (like honor_labels on Docker).
      podMetricsEndpoints: [
        {
          port: "http",
          path: "/metrics",
          honorLabels: true,
          interval: formatDuration(config.prometheus.scrapeIntervalSeconds),
          // prometheus.source "scrape": the pushed Flink series duplicate the scraped ones (sums would double).
          ...(config.prometheus.source === "scrape"
            ? { metricRelabelings: [{ sourceLabels: ["__name__"], regex: PROMETHEUS_FLINK_SERIES, action: "drop" }] }
            : {}),
        },
      ],
    },
  };
}

export function prometheusRule(config: MonitoringConfig): K8sObject {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: "flinkmon-alerts", namespace: config.kubernetes.namespace, labels: selectorLabels(config) },
    spec: { groups: prometheusRuleGroups(config) },
  };
}

/** Grafana data sources for the chart's sidecar: the in-cluster Services; never the default data source. */
export function grafanaDatasourcesK8s(config: MonitoringConfig): string {
  const ns = config.kubernetes.namespace;
  const prometheus = config.kubernetes.installPrometheusOperator
    ? K8S_SERVICE.prometheus
    : `${config.kubernetes.existingRelease}-prometheus`;
  return grafanaDatasources(config, {
    prometheusUrl: `http://${prometheus}.${ns}:9090`,
    influxdbUrl: `http://${K8S_SERVICE.influxdb}.${ns}:8086`,
    setDefault: false,
  });
}

/** The FlinkDeployment block: reporter keys of the configured Flink version, and the declared metrics port. */
export function flinkDeploymentSnippet(config: MonitoringConfig): Record<string, unknown> {
  const plan = planFlinkMetrics(config);
  const flinkConfiguration: Record<string, string> = {
    "metrics.reporters": plan.reporters.map((r) => r.instance).join(","),
  };
  for (const r of plan.reporters)
    for (const e of r.entries) flinkConfiguration[`metrics.reporter.${r.instance}.${e.key}`] = e.value;
  for (const e of plan.extra) flinkConfiguration[e.key] = e.value;
  const spec: Record<string, unknown> = { flinkConfiguration };
  if (config.flink.reporters.includes("prometheus")) {
    spec.podTemplate = {
      spec: {
        containers: [
          {
            name: "flink-main-container",
            ports: [{ name: METRICS_PORT_NAME, containerPort: Number(config.flink.prometheusPort), protocol: "TCP" }],
          },
        ],
      },
    };
  }
  return { apiVersion: "flink.apache.org/v1beta1", kind: "FlinkDeployment", spec };
}
