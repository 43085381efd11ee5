/**
 * Metric instances: how many of each metric a cluster has, by component scope. Read from a live cluster's REST
 * inventory (exact), or computed from a job graph described in config (an estimate).
 */
import type { MetricInventory } from "../rest/inventory.js";
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

/** The statistics Flink's REST API lists for a histogram `<name>` (MetricStore): one histogram, eleven ids. */
const HISTOGRAM_STATS = ["min", "max", "mean", "median", "stddev", "p75", "p90", "p95", "p98", "p99", "p999"];

/**
 * Key/value groups whose value is a variable, not part of the logical scope: RocksDB's column family (the rest
 * after its value is the name, dots and all: "rocksdb.estimate-num-keys") and the latency markers' groups.
 */
const KEY_GROUPS = new Set(["column_family", "source_id", "operator_id", "operator_subtask_index"]);

function split(scope: string, id: string): Omit<MetricInstances, "histogram" | "count"> {
  const parts = id.split(".");
  const groups: string[] = [];
  for (let i = 0; i < parts.length - 1; i++) {
    groups.push(parts[i]!);
    if (!KEY_GROUPS.has(parts[i]!)) continue;
    if (parts[i] === "column_family") return { scope, groups: groups.join("."), name: parts.slice(i + 2).join(".") };
    i++; // the value
  }
  return { scope, groups: groups.join("."), name: parts[parts.length - 1]! };
}

/** Adds the ids of one component (relative to `scope`), histograms folded from their eleven statistics. */
function addIds(into: Map<string, MetricInstances>, scope: string, ids: readonly string[]): void {
  const histograms = new Set(ids.filter((id) => id.endsWith("_p999")).map((id) => id.slice(0, -"_p999".length)));
  for (const id of ids) {
    const stat = id.lastIndexOf("_");
    const base = stat > 0 ? id.slice(0, stat) : id;
    const histogram = histograms.has(base) && HISTOGRAM_STATS.includes(id.slice(stat + 1));
    if (histogram && !id.endsWith("_p999")) continue;
    const metric = split(scope, histogram ? base : id);
    const key = `${metric.scope}|${metric.groups}|${metric.name}`;
    const seen = into.get(key);
    into.set(key, { ...metric, histogram, count: (seen?.count ?? 0) + 1 });
  }
}

/** Operator metric ids start with the operator's name as metric ids spell it (query-names.ts). */
function operatorOf(id: string, operators: readonly string[]): string | undefined {
  return operators.filter((o) => id.startsWith(`${o}.`)).sort((a, b) => b.length - a.length)[0];
}

export function instancesFromInventory(inventory: MetricInventory): MetricInstances[] {
  const out = new Map<string, MetricInstances>();
  addIds(out, "jobmanager", inventory.jobmanager);
  for (const tm of inventory.taskmanagers) addIds(out, "taskmanager", tm);
  for (const job of inventory.jobs) {
    // The job's metrics as the REST API merges them: the JobManager's, and the TaskManagers' job group (latency
    // markers before 1.19).
    addIds(
      out,
      "jobmanager.job",
      job.metrics.filter((id) => !id.startsWith("latency.")),
    );
    addIds(
      out,
      "taskmanager.job",
      job.metrics.filter((id) => id.startsWith("latency.")),
    );
    for (const vertex of job.vertices) {
      const operators = vertexOperators(vertex.name);
      const task: string[] = [];
      const operator: string[] = [];
      for (const id of vertex.metrics) {
        const metric = id.slice(id.indexOf(".") + 1); // "<subtask>." off
        const op = operatorOf(metric, operators);
        if (op) operator.push(metric.slice(op.length + 1));
        else task.push(metric);
      }
      addIds(out, "taskmanager.job.task", task);
      addIds(out, "taskmanager.job.task.operator", operator);
    }
  }
  return [...out.values()];
}
