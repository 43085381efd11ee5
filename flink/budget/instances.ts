/**
 * Metric instances: how many of each metric a cluster has, by component scope. Read from a live cluster's REST
 * inventory (exact), or computed from a job graph described in config (an estimate).
 */
import type { MetricInventory } from "../rest/inventory.js";
import { HISTOGRAM_STATS, jobIdScope, splitId, splitVertexId } from "../rest/metric-ids.js";
import { vertexOperators } from "../rest/query-names.js";

export interface MetricInstances {
  /** Component scope: jobmanager, jobmanager.job, taskmanager, taskmanager.job.task, taskmanager.job.task.operator. */
  readonly scope: string;
  /** The metric's groups below the component ("Status.JVM.Memory.Heap"), "" for none. */
  readonly groups: string;
  readonly name: string;
  /** Prometheus writes a histogram as six quantiles and a count. */
  readonly histogram: boolean;
  readonly count: number;
}

/** Adds the ids of one component (relative to `scope`), a histogram's eleven statistics counted once. */
function addIds(into: Map<string, MetricInstances>, scope: string, ids: readonly string[]): void {
  const histograms = new Set(ids.filter((id) => id.endsWith("_p999")).map((id) => id.slice(0, -"_p999".length)));
  for (const id of ids) {
    const stat = id.lastIndexOf("_");
    const histogram = histograms.has(id.slice(0, stat)) && HISTOGRAM_STATS.includes(id.slice(stat + 1));
    if (histogram && !id.endsWith("_p999")) continue;
    const metric = splitId(scope, id, histogram);
    const key = `${metric.scope}|${metric.groups}|${metric.name}`;
    into.set(key, { ...metric, histogram, count: (into.get(key)?.count ?? 0) + 1 });
  }
}

export function instancesFromInventory(inventory: MetricInventory): MetricInstances[] {
  const out = new Map<string, MetricInstances>();
  addIds(out, "jobmanager", inventory.jobmanager);
  for (const tm of inventory.taskmanagers) addIds(out, "taskmanager", tm);
  for (const job of inventory.jobs) {
    for (const scope of ["jobmanager.job", "taskmanager.job"])
      addIds(
        out,
        scope,
        job.metrics.filter((id) => jobIdScope(id) === scope),
      );
    for (const vertex of job.vertices) {
      const operators = vertexOperators(vertex.name);
      const task: string[] = [];
      const operator: string[] = [];
      for (const id of vertex.metrics) {
        const split = splitVertexId(id, operators);
        (split.operator ? operator : task).push(split.metric);
      }
      addIds(out, "taskmanager.job.task", task);
      addIds(out, "taskmanager.job.task.operator", operator);
    }
  }
  return [...out.values()];
}
