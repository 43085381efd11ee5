/** Dashboards as data: what a panel shows. Rendering to Grafana JSON (through the SDK) is in render.ts. */
import type { Query } from "./query.js";

/**
 * Grafana unit of a "milliseconds per second" value (busy, back-pressured, idle and GC time): not a duration, so
 * not "ms", which Grafana would print as "1.2 s" for 1 200 ms/s. A custom suffix unit.
 */
export const MS_PER_SECOND = "suffix: ms/s";

export interface Threshold {
  readonly value: number;
  readonly color: "green" | "orange" | "red" | "yellow";
}

export interface PanelSpec {
  /** Stable key: the panel id derives from its position, the key keeps diffs readable. */
  readonly key: string;
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly kind: "timeseries" | "stat" | "bargauge";
  readonly targets: readonly Query[];
  /** Coloured steps above the base. */
  readonly thresholds?: readonly Threshold[];
  /** Colour below the first threshold. @default "green" */
  readonly baseColor?: "green" | "red";
  readonly min?: number;
  readonly max?: number;
  /** Grid width (24 = full row). @default 8 */
  readonly width?: number;
  /**
   * Each value (a bar, a series) links to another dashboard with one of its labels as that dashboard's variable,
   * keeping the cluster and the time range. @default no link
   */
  readonly drillDown?: { readonly dashboard: string; readonly label: string; readonly title: string };
  /** What differs on InfluxDB where InfluxQL cannot express the same value. @default nothing */
  readonly influxdb?: Partial<Pick<PanelSpec, "title" | "description" | "unit" | "thresholds" | "baseColor" | "max">>;
}

export interface RowSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

export interface VariableSpec {
  readonly name: string;
  readonly label: string;
  /**
   * Start on "All" (true) or on the first value (false): a dashboard that opens on one job or one TaskManager
   * stays fast on large clusters (bench:dashboards). @default true
   */
  readonly startOnAll?: boolean;
  /** One value at a time and no All (the cluster: a view never mixes clusters). @default false */
  readonly single?: boolean;
  readonly prometheus: string;
  readonly influxdb: string;
}

/** Events marked on every time series panel (a restart). */
export interface AnnotationSpec {
  readonly name: string;
  /** PromQL returning a sample at each event; its labels fill `text`. */
  readonly prometheus: string;
  /** Evaluation step of `prometheus`. */
  readonly step: string;
  /** Text of each event, with {{label}} placeholders. */
  readonly text: string;
  readonly color: "red" | "orange";
}

export interface DashboardSpec {
  /** flink-jobmanager | flink-taskmanager | flink-job: file name and uid stem. */
  readonly key: string;
  readonly title: string;
  readonly description: string;
  readonly variables: readonly VariableSpec[];
  /** Prometheus only: InfluxQL annotations need a time-and-text result InfluxQL cannot give from a counter. @default none */
  readonly annotations?: readonly AnnotationSpec[];
  readonly rows: readonly RowSpec[];
}

/** Keeps panels whose metrics the Flink version has (builders return undefined for the others). */
export function present<T>(items: readonly (T | undefined | false)[]): T[] {
  return items.filter((x): x is T => x !== undefined && x !== false);
}
