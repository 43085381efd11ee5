/** What is true of each Flink metric reporter, independent of version (apache/flink flink-metrics/*; plugin folders as the distributions ship them, test/acceptance). */
import type { ReporterKind } from "../config/schema.js";
import { REPORTER_TITLES } from "../config/reporter-titles.js";

export interface ReporterKindInfo {
  /** Instance name in `metrics.reporter.<instance>.*`. */
  readonly instance: string;
  readonly title: string;
  /** Value of `factory.class` (1.11+; JMX from 1.9). */
  readonly factoryClass: string;
  /** Module jar name stem under opt/ and plugins/. */
  readonly module: string;
  /** Folder below plugins/ that Flink's distribution ships the jar in (1.11+). */
  readonly pluginDir: string;
  /** Push reporters take an `interval`. */
  readonly push: boolean;
}

export const REPORTER_KINDS: Record<ReporterKind, ReporterKindInfo> = {
  jmx: {
    instance: "jmx",
    title: REPORTER_TITLES.jmx,
    factoryClass: "org.apache.flink.metrics.jmx.JMXReporterFactory",
    module: "flink-metrics-jmx",
    pluginDir: "metrics-jmx",
    push: false,
  },
  prometheus: {
    instance: "prom",
    title: REPORTER_TITLES.prometheus,
    factoryClass: "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
    module: "flink-metrics-prometheus",
    pluginDir: "metrics-prometheus",
    push: false,
  },
  pushgateway: {
    instance: "promgateway",
    title: REPORTER_TITLES.pushgateway,
    factoryClass: "org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory",
    module: "flink-metrics-prometheus",
    pluginDir: "metrics-prometheus",
    push: true,
  },
  influxdb: {
    instance: "influxdb",
    title: REPORTER_TITLES.influxdb,
    factoryClass: "org.apache.flink.metrics.influxdb.InfluxdbReporterFactory",
    module: "flink-metrics-influxdb",
    pluginDir: "metrics-influx",
    push: true,
  },
  statsd: {
    instance: "statsd",
    title: REPORTER_TITLES.statsd,
    factoryClass: "org.apache.flink.metrics.statsd.StatsDReporterFactory",
    module: "flink-metrics-statsd",
    pluginDir: "metrics-statsd",
    push: true,
  },
  graphite: {
    instance: "graphite",
    title: REPORTER_TITLES.graphite,
    factoryClass: "org.apache.flink.metrics.graphite.GraphiteReporterFactory",
    module: "flink-metrics-graphite",
    pluginDir: "metrics-graphite",
    push: true,
  },
  slf4j: {
    instance: "slf4j",
    title: REPORTER_TITLES.slf4j,
    factoryClass: "org.apache.flink.metrics.slf4j.Slf4jReporterFactory",
    module: "flink-metrics-slf4j",
    pluginDir: "metrics-slf4j",
    push: true,
  },
  datadog: {
    instance: "datadog",
    title: REPORTER_TITLES.datadog,
    factoryClass: "org.apache.flink.metrics.datadog.DatadogHttpReporterFactory",
    module: "flink-metrics-datadog",
    pluginDir: "metrics-datadog",
    push: true,
  },
};

/** Legacy `class` value (Flink ≤ 1.16): the factory name without its `Factory` suffix. */
export function legacyClass(kind: ReporterKind): string {
  return REPORTER_KINDS[kind].factoryClass.replace(/Factory$/, "");
}
