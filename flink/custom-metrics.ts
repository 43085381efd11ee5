/**
 * A team's own metrics, declared in config, as catalog entries: the same naming rules as Flink's metrics
 * (reference §2.1, §3.1), the Java line that registers each, and a warning where a reporter rewrites the name.
 */
import type { MonitoringConfig } from "../config/resolve.js";
import type { MetricDef } from "./catalog.js";
import { prometheusName, influxMeasurement } from "./naming.js";

export type CustomMetricConfig = MonitoringConfig["customMetrics"][number];

export interface CustomMetric {
  readonly config: CustomMetricConfig;
  readonly def: MetricDef;
  /** Stable key for panel and alert names: scope, groups and name joined. */
  readonly key: string;
  readonly title: string;
  /** How the job's code registers it, for the panel description. */
  readonly javaLine: string;
}

const REGISTER: Record<CustomMetricConfig["type"], (name: string) => string> = {
  counter: (n) => `counter("${n}")`,
  gauge: (n) => `gauge("${n}", () -> value)`,
  histogram: (n) => `histogram("${n}", new DescriptiveStatisticsHistogram(1000))`,
  meter: (n) => `meter("${n}", new MeterView(60))`,
};

export function customMetrics(config: MonitoringConfig): CustomMetric[] {
  return config.customMetrics.map((m) => {
    const path = [...m.groups, m.name].join(".");
    const scope = m.scope === "operator" ? "taskmanager.job.task.operator" : "taskmanager.job.task";
    const groups = m.groups.map((g) => `.addGroup("${g}")`).join("");
    const javaLine = `getRuntimeContext().getMetricGroup()${groups}.${REGISTER[m.type](m.name)}`;
    const description = m.description ?? `Custom ${m.type} ${path} of the job's ${m.scope}s.`;
    return {
      config: m,
      key: [m.scope, ...m.groups, m.name].join("-").replace(/[^a-zA-Z0-9-]/g, "_"),
      title: m.title ?? path,
      javaLine,
      def: { scope, path, type: m.type, unit: m.unit, description },
    };
  });
}

/** Warnings for names Flink's reporters store differently from how the code spells them. */
export function customMetricWarnings(config: MonitoringConfig): string[] {
  const warnings: string[] = [];
  config.customMetrics.forEach((m, i) => {
    const parts = [...m.groups, m.name];
    if (parts.every((p) => /^[a-zA-Z0-9:_]+$/.test(p))) return;
    const scope = m.scope === "operator" ? "taskmanager.job.task.operator" : "taskmanager.job.task";
    const path = parts.join(".");
    warnings.push(
      `customMetrics[${i}] "${path}": Flink's reporters rewrite characters outside [a-zA-Z0-9:_]; Prometheus stores ${prometheusName(scope, path)}, InfluxDB ${influxMeasurement(scope, path)}`,
    );
  });
  return warnings;
}
