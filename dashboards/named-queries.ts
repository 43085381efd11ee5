/**
 * Queries that both a panel and an alert read, written once: the alert fires on the number the panel shows.
 * Functions of the config (windows follow the scrape interval); PromQL here, InfluxQL where the two agree.
 */
import type { MonitoringConfig } from "../config/resolve.js";
import { formatDuration } from "../config/duration.js";
import { CATALOG, storeNames } from "../flink/catalog.js";
import { promGcSelector } from "./dialects/promql.js";
import { gcWindowSeconds } from "./jvm.js";

type Metric = Parameters<typeof storeNames>[0];

/** Milliseconds per second each TaskManager spends in garbage collection, all collectors summed (1.19+'s All left out). */
export function gcTimePerSecondByTaskManager(config: MonitoringConfig): string {
  const gc = { metric: CATALOG.taskmanager.gcTime, transform: "value" as const };
  const window = gcWindowSeconds(config);
  return `sum by (tm_id) (clamp_min(${promGcSelector(gc)} - ${promGcSelector(gc, ` offset ${formatDuration(window)}`)}, 0)) / ${window}`;
}

/** Heap used / heap max per `by` (0 to 1): tm_id for TaskManagers, host for the JobManager. */
export function heapRatio(used: Metric, max: Metric, by: string): string {
  return `max by (${by}) (${storeNames(used).prometheus}) / max by (${by}) (${storeNames(max).prometheus})`;
}
