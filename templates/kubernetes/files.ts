/** The Kubernetes target's files in generated/kubernetes/ (kubectl-appliable; the stack deploys the same objects). */
import { stringify } from "yaml";
import type { MonitoringConfig } from "../../config/resolve.js";
import { flinkPodMonitor, pushgatewayPodMonitor, prometheusRule, grafanaDatasourcesK8s, flinkDeploymentSnippet } from "./manifests.js";

const yaml = (value: unknown, header: string) => `# ${header}\n${stringify(value, { lineWidth: 0 })}`;

export function kubernetesFiles(config: MonitoringConfig): Map<string, string> {
  const files = new Map<string, string>();
  if (config.stores.prometheus) {
    if (config.flink.reporters.includes("prometheus")) files.set("kubernetes/podmonitor-flink.yaml", yaml(flinkPodMonitor(config), "Scrapes the Prometheus reporter of Flink's JobManager and TaskManager pods."));
    if (config.stores.pushgateway) files.set("kubernetes/podmonitor-pushgateway.yaml", yaml(pushgatewayPodMonitor(config), "Scrapes flinkmon's Pushgateway, keeping the labels Flink pushed."));
    files.set("kubernetes/prometheusrule-flinkmon.yaml", yaml(prometheusRule(config), "flinkmon's alerts: the same rules as prometheus/rules/flinkmon-alerts.rules.yml."));
  }
  files.set("kubernetes/grafana-datasources.yaml", yaml(grafanaDatasourcesK8s(config), "Grafana data sources for the chart's datasource sidecar (ConfigMap label grafana_datasource)."));
  files.set("kubernetes/flinkdeployment-snippet.yaml", yaml(flinkDeploymentSnippet(config), "Merge into your FlinkDeployment (Flink Kubernetes Operator): reporter keys and the metrics port."));
  return files;
}
