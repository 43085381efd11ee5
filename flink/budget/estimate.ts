/**
 * Series per store from metric instances and the reporter configuration flinkmon generates: with the filters as
 * generated, and without any. Prometheus and the Pushgateway hold a histogram as six quantiles and a count,
 * InfluxDB as one series (its statistics are fields).
 */
import type { MonitoringConfig } from "../../config/resolve.js";
import type { ReporterKind } from "../../config/schema.js";
import { planFlinkMetrics } from "../reporter-plan.js";
import type { MetricDef } from "../catalog.js";
import { metricMatcher, type MetricMatcher } from "./filter-match.js";
import type { MetricInstances } from "./instances.js";
import { logicalScope } from "../rest/metric-ids.js";

export type BudgetStore = "prometheus" | "pushgateway" | "influxdb";

export interface StoreEstimate {
  readonly store: BudgetStore;
  /** The reporter that delivers to it. */
  readonly reporter: ReporterKind;
  /** Without any filter: everything Flink registers. */
  readonly all: number;
  /** With the reporter's filters as generated (equal to `all` where the version has none). */
  readonly sent: number;
}

export interface FamilyEstimate {
  readonly scope: string;
  readonly metric: string;
  readonly series: number;
}

export interface SeriesEstimate {
  readonly stores: readonly StoreEstimate[];
  /** Series sent per component scope, in the first store. */
  readonly byScope: readonly { readonly scope: string; readonly all: number; readonly sent: number }[];
  /** Every metric family sent, in the first store, largest first (`largest`: the first ten). */
  readonly families: readonly FamilyEstimate[];
  readonly largest: readonly FamilyEstimate[];
}

const QUANTILES_AND_COUNT = 7;

function seriesOf(i: MetricInstances, store: BudgetStore): number {
  return i.histogram && store !== "influxdb" ? i.count * QUANTILES_AND_COUNT : i.count;
}

/** Which reporter fills each store, as the generated configuration has it. */
function storeReporters(config: MonitoringConfig): [BudgetStore, ReporterKind][] {
  const r = config.flink.reporters;
  const out: [BudgetStore, ReporterKind][] = [];
  if (config.stores.prometheus && config.prometheus.source)
    out.push(["prometheus", config.prometheus.source === "pushgateway" ? "pushgateway" : "prometheus"]);
  if (r.includes("pushgateway")) out.push(["pushgateway", "pushgateway"]);
  if (r.includes("influxdb")) out.push(["influxdb", "influxdb"]);
  return out;
}

/** The filter each reporter gets from the generated configuration (the keys flinkmon writes, nothing re-derived). */
function reporterMatchers(config: MonitoringConfig, read: readonly MetricDef[]): (kind: ReporterKind) => MetricMatcher {
  const plan = planFlinkMetrics(config, read);
  return (kind) => {
    const entries = plan.reporters.find((p) => p.kind === kind)?.entries ?? [];
    const list = (key: string) => entries.find((e) => e.key === key)?.value.split(";");
    return metricMatcher(list("filter.includes"), list("filter.excludes"));
  };
}

export function estimateSeries(
  config: MonitoringConfig,
  read: readonly MetricDef[],
  instances: readonly MetricInstances[],
): SeriesEstimate {
  const matcherOf = reporterMatchers(config, read);
  const routes = storeReporters(config).map(([store, reporter]) => ({ store, reporter, sends: matcherOf(reporter) }));
  const stores = routes.map(({ store, reporter, sends }) => {
    let all = 0;
    let sent = 0;
    for (const i of instances) {
      const n = seriesOf(i, store);
      all += n;
      if (sends(logicalScope(i), i.name)) sent += n;
    }
    return { store, reporter, all, sent };
  });
  const first = routes[0];
  if (!first) return { stores, byScope: [], families: [], largest: [] };
  // By scope and by family: in the first store (Prometheus, where there is one).
  const scopes = new Map<string, { all: number; sent: number }>();
  const families = new Map<string, FamilyEstimate>();
  for (const i of instances) {
    const n = seriesOf(i, first.store);
    const on = first.sends(logicalScope(i), i.name);
    const s = scopes.get(i.scope) ?? { all: 0, sent: 0 };
    scopes.set(i.scope, { all: s.all + n, sent: s.sent + (on ? n : 0) });
    if (!on) continue;
    const metric = i.groups ? `${i.groups}.${i.name}` : i.name;
    const key = `${i.scope}|${metric}`;
    families.set(key, { scope: i.scope, metric, series: (families.get(key)?.series ?? 0) + n });
  }
  const sorted = [...families.values()].sort(
    (a, b) => b.series - a.series || (a.scope + a.metric < b.scope + b.metric ? -1 : 1),
  );
  return {
    stores,
    byScope: [...scopes].map(([scope, v]) => ({ scope, ...v })).sort((a, b) => (a.scope < b.scope ? -1 : 1)),
    families: sorted,
    largest: sorted.slice(0, 10),
  };
}
