/**
 * What every group of alert definitions shares: the types, the windows derived from the scrape interval, and the
 * query shapes most alerts use (highest value per group, increase of a counter).
 */
import { CATALOG, pick, storeNames } from "../../flink/catalog.js";
import type { MonitoringConfig } from "../../config/resolve.js";
import type { AlertName, AlertSettings } from "../../config/alert-defaults.js";
import { formatDuration } from "../../config/duration.js";
import { renderPromQL } from "../dialects/promql.js";
import type { RenderContext } from "../dialects/spec.js";
import { rangeSeconds, rangeWindow } from "../windows.js";
import { CLUSTER_LABEL } from "../../contract/services.js";

/**
 * The labels an alert's value is grouped by: the cluster first, then what identifies the subject. Every alert is
 * per cluster, so a healthy cluster never hides a dead one and same-named jobs of two clusters stay apart.
 */
export const perCluster = (labels: readonly string[] = []): string[] => [CLUSTER_LABEL, ...labels];

/** `cluster, job_name`: a PromQL grouping (`by (…)`, `on (…)`) per cluster. */
export const groupingOf = (labels: readonly string[] = []): string => perCluster(labels).join(", ");

/** `"cluster", "job_name"`: an InfluxQL GROUP BY of tags per cluster. */
export const influxGroupingOf = (labels: readonly string[] = []): string =>
  perCluster(labels)
    .map((t) => `"${t}"`)
    .join(", ");

export interface AlertQuery {
  /** PromQL giving the watched value per series (no template variables). */
  readonly prometheus: string;
  /**
   * InfluxQL with `$timeFilter` and a fixed GROUP BY time(); undefined when InfluxQL cannot express it. Two
   * queries are combined (divided or added) by a Grafana math expression, as InfluxQL cannot join measurements.
   */
  readonly influxdb?: string | InfluxPair;
  /** Seconds of data the Grafana rule asks for. */
  readonly lookbackSeconds: number;
  /**
   * The whole expression of the Prometheus rule, where it differs from `<prometheus> <op> <limit>`: Prometheus
   * rules have no "no data" state, so absence is written with absent() there.
   */
  readonly prometheusRule?: string;
}

/** Two InfluxQL queries, each one series per group, joined by Grafana on their labels: `first <combine> second`. */
export interface InfluxPair {
  readonly parts: readonly [first: string, second: string];
  readonly combine: "/" | "+";
}

export interface AlertDef {
  /** An AlertName, or custom<Metric> for a custom metric's alert. */
  readonly name: string;
  /** Section of docs/runbook.md. @default the name in lower case */
  readonly runbookSection?: string;
  readonly title: string;
  readonly op: "gt" | "lt";
  /** Labels that identify what fires, for summaries and grouping. */
  readonly about: readonly string[];
  /** Summary; {{VALUE}} stands for the watched value, formatted per `valueFormat` by each rule form. */
  readonly summary: string;
  /** How {{VALUE}} prints: a whole number, or a 0..1 ratio as a percentage. @default "integer" */
  readonly valueFormat?: "integer" | "percent";
  readonly description: string;
  /** Dashboard that shows it. */
  readonly dashboard: "flink-jobmanager" | "flink-taskmanager" | "flink-job";
  /** Key of the panel that shows it: a notification links to that panel. */
  readonly panel: string;
  /** What Grafana does when the query returns nothing. */
  readonly noData: "OK" | "Alerting";
  readonly query: AlertQuery;
  readonly settings: AlertSettings;
  /** What the value is compared with: the threshold, except where the threshold sets a window. */
  readonly limit: number;
}

/** An alert definition before its settings are applied (definitions.ts applies them). */
export type DraftAlert = Omit<AlertDef, "settings" | "limit" | "name"> & {
  readonly name: AlertName;
  readonly limit?: number;
};

type Metric = Parameters<typeof storeNames>[0];

/**
 * Alert windows, derived from the scrape interval as the panels' are: Prometheus rates over at least 5 minutes
 * (four scrapes when scrapes are slower); InfluxDB buckets of four reporter intervals (one minute at the default
 * 15 s), so an alert sees data as soon as a panel does; Grafana rules look back at least 10 minutes (ten buckets).
 */
export function alertWindows(config: MonitoringConfig): RenderContext & { readonly lookbackSeconds: number } {
  return {
    rateWindow: formatDuration(Math.max(300, rangeSeconds(config))),
    bucket: rangeWindow(config),
    lookbackSeconds: Math.max(600, 10 * rangeSeconds(config)),
  };
}

/** Everything a group of definitions needs, computed once per config. */
export interface AlertKit {
  readonly config: MonitoringConfig;
  readonly windows: ReturnType<typeof alertWindows>;
  /**
   * `SELECT <fn> AS "value" FROM <measurement> WHERE <where>$timeFilter GROUP BY time(<window>), "cluster", <tags>
   * fill(none)`
   */
  readonly influxSelect: (
    fn: string,
    measurement: string,
    tags: readonly string[],
    window?: string,
    where?: string,
  ) => string;
  /** The highest value per cluster and group in PromQL. */
  readonly promMax: (metric: Metric, by: string[]) => string;
  /** The highest value per cluster and group, in both languages (gauges compared directly with a threshold). */
  readonly highest: (metric: Metric, by: string[]) => AlertQuery;
  /** The largest increase of a counter per cluster and job within `window` (PromQL). */
  readonly increase: (metric: Metric, window: string) => string;
  /** The job's running-time gauge of this version (runningTime, or uptime before it). */
  readonly running: Metric;
  /** The job's restart counter of this version (numRestarts, or fullRestarts on 1.9). */
  readonly restarts: Metric;
}

export function alertKit(config: MonitoringConfig): AlertKit {
  const windows = alertWindows(config);
  const v = config.flink.version;
  const influxSelect = (
    fn: string,
    measurement: string,
    tags: readonly string[],
    window = windows.bucket,
    where = "",
  ) =>
    `SELECT ${fn} AS "value" FROM ${measurement.startsWith("/") ? measurement : `"${measurement}"`} WHERE ${where}$timeFilter GROUP BY time(${window}), ${influxGroupingOf(tags)} fill(none)`;
  const promMax = (metric: Metric, by: string[]) =>
    renderPromQL({ metric, transform: "value", aggregate: { op: "max", by: perCluster(by) } }, windows);
  return {
    config,
    windows,
    influxSelect,
    promMax,
    highest: (metric, by) => ({
      prometheus: promMax(metric, by),
      influxdb: influxSelect('max("value")', storeNames(metric).influxdb, by),
      lookbackSeconds: windows.lookbackSeconds,
    }),
    increase: (metric, window) =>
      `max by (${groupingOf(["job_name"])}) (increase(${storeNames(metric).prometheus}[${window}]))`,
    running: pick(v, CATALOG.job.runningTime, CATALOG.job.uptime)!,
    restarts: pick(v, CATALOG.job.numRestarts, CATALOG.job.fullRestarts)!,
  };
}

export const COMPARATOR = { gt: ">", lt: "<" } as const;
