/** A query as data, rendered to PromQL or InfluxQL by the dialects. Panels and alerts build these; never strings. */
import type { MetricDef } from "../../flink/catalog.js";
import type { Quantile } from "../../flink/naming.js";

export type Dialect = "prometheus" | "influxdb";
export type Aggregation = "sum" | "max" | "min" | "avg";

/** Restricts a label to a dashboard variable (`$job_name`), multi-value and "All" aware. */
export interface VariableFilter {
  readonly label: string;
  readonly variable: string;
}

export interface SeriesSpec {
  readonly metric: MetricDef;
  /**
   * value: the reported value (a meter's rate, a gauge's value);
   * perSecond: rate of a monotonically growing value (counters, cumulative gauges).
   */
  readonly transform: "value" | "perSecond";
  /** Aggregate across series, keeping these labels. */
  readonly aggregate?: { readonly op: Aggregation; readonly by: readonly string[] };
  readonly quantile?: Quantile;
  readonly filters?: readonly VariableFilter[];
  /** Drop values not above this (e.g. unset watermarks, Long.MIN_VALUE). */
  readonly above?: number;
  /**
   * Divide the result by this (a unit change: CPU nanoseconds per second → cores); a whole number, which both
   * languages read (InfluxQL takes 1e-9 for a duration). @default 1
   */
  readonly divideBy?: number;
  /**
   * perSecond over a large scope (tasks, operators): a dashboard may read it from a recording rule that takes the
   * rate over this window (a literal: rules have no $__rate_interval). @default not recorded
   */
  readonly recordRateOver?: string;
}

/** Window and grouping choices that differ between dashboards (Grafana macros) and alerts (fixed). */
export interface RenderContext {
  /** PromQL range for rate(): "$__rate_interval" in dashboards, a literal in alerts. */
  readonly rateWindow: string;
  /** InfluxQL GROUP BY time(...) bucket: "$__interval" in dashboards, a literal in alerts. */
  readonly bucket: string;
  /** Read task and operator aggregates from flinkmon's recording rules (dashboards over large jobs). */
  readonly recorded?: boolean;
}

export const DASHBOARD_CONTEXT: RenderContext = {
  rateWindow: "$__rate_interval",
  bucket: "$__interval",
  recorded: true,
};
