/** How messages and generated comments name each reporter (the config layer's words; flink/ adds the facts). */
import type { ReporterKind } from "./schema.js";

export const REPORTER_TITLES: Record<ReporterKind, string> = {
  jmx: "JMX",
  prometheus: "Prometheus",
  pushgateway: "Prometheus PushGateway",
  influxdb: "InfluxDB",
  statsd: "StatsD",
  graphite: "Graphite",
  slf4j: "Slf4j",
  datadog: "Datadog",
};
