/** Helm charts flinkmon installs on Kubernetes, pinned (reference kubernetes.md §3.1, §7). */
export const CHARTS = {
  /** Prometheus Operator, Prometheus, Alertmanager, Grafana (operator v0.93.1). Bump after reading its UPGRADE.md. */
  kubePrometheusStack: {
    chart: "kube-prometheus-stack",
    repository: "https://prometheus-community.github.io/helm-charts",
    version: "88.5.3",
  },
  /** InfluxDB 1.x; the chart is frozen since 2023, so the image tag is overridden to the pinned 1.x (images.ts). */
  influxdb: { chart: "influxdb", repository: "https://helm.influxdata.com/", version: "4.12.5" },
} as const;
