/** What is true of each Flink metric reporter, independent of version (../shared/reference/flink-metrics.md §1.3). */
import type { ReporterKind } from "../config/schema.js";

export interface ReporterKindInfo {
  /** Instance name in `metrics.reporter.<instance>.*`. */
  readonly instance: string;
  readonly title: string;
  /** Value of `factory.class` (1.11+; JMX from 1.9). */
  readonly factoryClass: string;
  /** Module jar name stem under opt/ and plugins/; undefined when built into Flink (JMX). */
  readonly module?: string;
  /** Push reporters take an `interval`. */
  readonly push: boolean;
}

export const REPORTER_KINDS: Record<ReporterKind, ReporterKindInfo> = {
  jmx: { instance: "jmx", title: "JMX", factoryClass: "org.apache.flink.metrics.jmx.JMXReporterFactory", push: false },
  prometheus: {
    instance: "prom",
    title: "Prometheus",
    factoryClass: "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
    module: "flink-metrics-prometheus",
    push: false,
  },
  pushgateway: {
    instance: "promgateway",
    title: "Prometheus PushGateway",
    factoryClass: "org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory",
    module: "flink-metrics-prometheus",
    push: true,
  },
  influxdb: {
    instance: "influxdb",
    title: "InfluxDB",
    factoryClass: "org.apache.flink.metrics.influxdb.InfluxdbReporterFactory",
    module: "flink-metrics-influxdb",
    push: true,
  },
  statsd: { instance: "statsd", title: "StatsD", factoryClass: "org.apache.flink.metrics.statsd.StatsDReporterFactory", module: "flink-metrics-statsd", push: true },
  graphite: {
    instance: "graphite",
    title: "Graphite",
    factoryClass: "org.apache.flink.metrics.graphite.GraphiteReporterFactory",
    module: "flink-metrics-graphite",
    push: true,
  },
  slf4j: { instance: "slf4j", title: "Slf4j", factoryClass: "org.apache.flink.metrics.slf4j.Slf4jReporterFactory", module: "flink-metrics-slf4j", push: true },
  datadog: {
    instance: "datadog",
    title: "Datadog",
    factoryClass: "org.apache.flink.metrics.datadog.DatadogHttpReporterFactory",
    module: "flink-metrics-datadog",
    push: true,
  },
};

/** Legacy `class` value (Flink ≤ 1.16): the factory name without its `Factory` suffix. */
export function legacyClass(kind: ReporterKind): string {
  return REPORTER_KINDS[kind].factoryClass.replace(/Factory$/, "");
}
