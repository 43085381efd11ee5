/** Alerts declared on custom metrics (`customMetrics[].alert`), on the value their panel shows. */
import type { MonitoringConfig } from "../../config/resolve.js";
import { renderPromQL } from "../dialects/promql.js";
import { renderInfluxQL } from "../dialects/influxql.js";
import { customMetrics } from "../../flink/custom-metrics.js";
import { customGrouping, customSpec, customPanelKey } from "../custom.js";
import { alertWindows, perCluster, type AlertDef } from "./alert-kit.js";

const pascal = (s: string) =>
  s
    .replace(/[^a-zA-Z0-9]+/g, " ")
    .trim()
    .split(" ")
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");

/** Alerts declared on custom metrics (`customMetrics[].alert`), on the value their panel shows. */
export function customAlertDefinitions(config: MonitoringConfig): AlertDef[] {
  const windows = alertWindows(config);
  return customMetrics(config)
    .filter((m) => m.config.alert)
    .map((m) => {
      const alert = m.config.alert!;
      const { by } = customGrouping(m);
      const quantile = m.config.type === "histogram" ? ("0.99" as const) : undefined;
      const panel = customSpec(m, [], quantile);
      const spec = { ...panel, aggregate: { ...panel.aggregate!, by: perCluster(panel.aggregate!.by) } };
      const above = alert.above !== undefined;
      const limit = alert.above ?? alert.below!;
      const what = quantile
        ? `p99 of ${m.def.path}`
        : m.config.type === "counter"
          ? `${m.def.path} per second`
          : m.def.path;
      const where = by[1] === "operator_name" ? "operator {{ $labels.operator_name }}" : "task {{ $labels.task_name }}";
      return {
        name: `custom${pascal([...m.config.groups, m.config.name].join(" "))}`,
        runbookSection: "custom-metrics",
        title: `Flink custom metric ${m.title} ${above ? "high" : "low"}`,
        op: above ? "gt" : "lt",
        about: by,
        summary: `Flink job {{ $labels.job_name }}, ${where}: ${what} is {{VALUE}} (${above ? "above" : "below"} ${limit})`,
        description: `The custom ${m.config.type} ${m.def.path} (${m.javaLine}) is ${above ? "above" : "below"} ${limit} for ${alert.for}.`,
        dashboard: "flink-job",
        panel: customPanelKey(m),
        noData: "OK",
        query: {
          prometheus: renderPromQL(spec, windows),
          influxdb: renderInfluxQL(spec, windows),
          lookbackSeconds: windows.lookbackSeconds,
        },
        settings: { enabled: true, threshold: limit, for: alert.for, severity: alert.severity },
        limit,
      } satisfies AlertDef;
    });
}
