/**
 * Every container image flinkmon deploys, pinned in this one file (README: "The monitoring stack").
 * Never `latest`: influxdb:latest is 2.x/3.x, and an unpinned image changes under a running stack.
 */
export const IMAGES = {
  /** InfluxDB 1.x line (InfluxQL, the HTTP API Flink's InfluxdbReporter writes to). Debian-based: has curl. */
  influxdb: "influxdb:1.12.4",
  /** Prometheus 3.13 is an LTS line supported until July 2027. Busybox-based: wget, no curl. */
  prometheus: "prom/prometheus:v3.13.2",
  pushgateway: "prom/pushgateway:v1.11.3",
  /** grafana/grafana, not grafana/grafana-oss (no longer updated from 12.4). */
  grafana: "grafana/grafana:13.3.0",
} as const;

export type ServiceName = keyof typeof IMAGES;
