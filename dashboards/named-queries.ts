/**
 * Queries that both a panel and an alert read, written once: the alert fires on the number the panel shows.
 * Functions of the config (windows follow the scrape interval) and of the panel's variable filters (alerts have
 * none); PromQL here, InfluxQL where the two agree. Grouped per cluster, like every alert.
 */
import type { MonitoringConfig } from "../config/resolve.js";
import { formatDuration } from "../config/duration.js";
import { CATALOG, storeNames } from "../flink/catalog.js";
import { CLUSTER_LABEL } from "../contract/services.js";
import { promGcSelector, promSelector } from "./dialects/promql.js";
import type { VariableFilter } from "./dialects/spec.js";
import { gcWindowSeconds } from "./jvm.js";

type Metric = Parameters<typeof storeNames>[0];

/** Milliseconds per second each TaskManager spends in garbage collection, all collectors summed (1.19+'s All left out). */
export function gcTimePerSecondByTaskManager(
  config: MonitoringConfig,
  filters: readonly VariableFilter[] = [],
): string {
  const gc = { metric: CATALOG.taskmanager.gcTime, transform: "value" as const, filters };
  const window = gcWindowSeconds(config);
  return `sum by (${CLUSTER_LABEL}, tm_id) (clamp_min(${promGcSelector(gc)} - ${promGcSelector(gc, ` offset ${formatDuration(window)}`)}, 0)) / ${window}`;
}

/** Heap used / heap max per cluster and `by` (0 to 1): tm_id for TaskManagers, host for the JobManager. */
export function heapRatio(
  used: Metric,
  max: Metric,
  by: readonly string[],
  filters: readonly VariableFilter[] = [],
): string {
  const grouping = [CLUSTER_LABEL, ...by].join(", ");
  const selector = (metric: Metric) => promSelector({ metric, transform: "value", filters });
  return `max by (${grouping}) (${selector(used)}) / max by (${grouping}) (${selector(max)})`;
}
