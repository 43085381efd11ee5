/** The Kubernetes target's files in generated/kubernetes/ (kubectl-appliable; the stack deploys the same objects). */
import { stringify } from "yaml";
import type { MonitoringConfig } from "../../config/resolve.js";
import {
  flinkPodMonitor,
  pushgatewayPodMonitor,
  prometheusRule,
  grafanaDatasourcesK8s,
  flinkDeploymentSnippet,
} from "./manifests.js";
import { scrapesFlink } from "../../config/resolve.js";
import { YAML_OUTPUT } from "../../contract/yaml-output.js";

const yaml = (value: unknown, header: string) => `# ${header}\n${stringify(value, YAML_OUTPUT)}`;

/** Paths of the Kubernetes target's files (the stack reads the data sources file from here). */
export const K8S_FILES = {
  flinkPodMonitor: "kubernetes/podmonitor-flink.yaml",
  pushgatewayPodMonitor: "kubernetes/podmonitor-pushgateway.yaml",
  prometheusRule: "kubernetes/prometheusrule-flinkmon.yaml",
  grafanaDatasources: "kubernetes/grafana-datasources.yaml",
  flinkDeployment: "kubernetes/flinkdeployment-snippet.yaml",
} as const;

export function kubernetesFiles(config: MonitoringConfig): Map<string, string> {
  const files = new Map<string, string>();
  if (config.stores.prometheus) {
    if (scrapesFlink(config))
      files.set(
        K8S_FILES.flinkPodMonitor,
        yaml(flinkPodMonitor(config), "Scrapes the Prometheus reporter of Flink's JobManager and TaskManager pods."),
      );
    if (config.stores.pushgateway)
      files.set(
        K8S_FILES.pushgatewayPodMonitor,
        yaml(pushgatewayPodMonitor(config), "Scrapes flinkmon's Pushgateway, keeping the labels Flink pushed."),
      );
    files.set(
      K8S_FILES.prometheusRule,
      yaml(prometheusRule(config), "flinkmon's alerts: the same rules as prometheus/rules/flinkmon-alerts.rules.yml."),
    );
  }
  files.set(K8S_FILES.grafanaDatasources, grafanaDatasourcesK8s(config));
  files.set(
    K8S_FILES.flinkDeployment,
    yaml(
      flinkDeploymentSnippet(config),
      "Merge into your FlinkDeployment (Flink Kubernetes Operator): reporter keys and the metrics port.",
    ),
  );
  return files;
}
