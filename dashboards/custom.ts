/** The "Custom metrics" row of the job dashboard: one panel per declared metric, shown the way its type reads best. */
import type { MonitoringConfig } from "../config/resolve.js";
import { customMetrics, type CustomMetric } from "../flink/custom-metrics.js";
import type { SeriesSpec, VariableFilter } from "./dialects/spec.js";
import type { Quantile } from "../flink/naming.js";
import { TASK, OPERATOR } from "./filters.js";
import { series, label, type Query } from "./query.js";
import type { PanelSpec, RowSpec } from "./model.js";
import { rangeWindow } from "./windows.js";

/** Per operator (or task): the labels a custom metric's panel and alert group by. */
export function customGrouping(m: CustomMetric): { by: string[]; filters: VariableFilter[] } {
  return m.config.scope === "operator"
    ? { by: ["job_name", "operator_name"], filters: OPERATOR }
    : { by: ["job_name", "task_name"], filters: TASK };
}

/** The watched value of a custom metric: counters as a rate, meters' rate, gauges' value, a histogram's quantile. */
export function customSpec(
  m: CustomMetric,
  filters: readonly VariableFilter[],
  quantile?: Quantile,
  recordRateOver?: string,
): SeriesSpec {
  const { by } = customGrouping(m);
  const op = m.config.type === "counter" || m.config.type === "meter" ? "sum" : "max";
  return {
    metric: m.def,
    transform: m.config.type === "counter" ? "perSecond" : "value",
    quantile,
    filters,
    aggregate: { op, by },
    ...(recordRateOver ? { recordRateOver } : {}),
  };
}

/** Key of a custom metric's panel (its alert links to it). */
export function customPanelKey(m: CustomMetric): string {
  return `custom-${m.key}`;
}

function panel(m: CustomMetric, config: MonitoringConfig): PanelSpec {
  const { by, filters } = customGrouping(m);
  const who = by.map(label);
  const type = m.config.type;
  const targets: Query[] =
    type === "histogram"
      ? (["0.5", "0.95", "0.99"] as const).map((q) =>
          series(customSpec(m, filters, q), [...who, `p${Number(q) * 100}`]),
        )
      : [
          series(customSpec(m, filters, undefined, rangeWindow(config)), [
            ...who,
            type === "counter" || type === "meter" ? "per second" : "",
          ]),
        ];
  const shown = {
    counter: "rate per second (summed over subtasks)",
    meter: "rate per second (summed over subtasks)",
    gauge: "value (highest subtask)",
    histogram: "p50, p95 and p99 (highest subtask)",
  }[type];
  const unit =
    type === "counter" || type === "meter" ? (m.config.unit === "short" ? "cps" : m.config.unit) : m.config.unit;
  const alert = m.config.alert;
  return {
    key: customPanelKey(m),
    title: m.title,
    kind: "timeseries",
    unit,
    min: type === "gauge" ? undefined : 0,
    description: `${m.def.description} Shown: ${shown}. Registered in the job's code as: ${m.javaLine}`,
    thresholds: alert
      ? [{ value: alert.above ?? alert.below!, color: alert.below !== undefined ? "green" : "red" }]
      : undefined,
    baseColor: alert?.below !== undefined ? "red" : undefined,
    targets,
  };
}

export function customMetricsRow(config: MonitoringConfig): RowSpec | undefined {
  const metrics = customMetrics(config);
  if (metrics.length === 0) return undefined;
  return { title: "Custom metrics", panels: metrics.map((m) => panel(m, config)) };
}
