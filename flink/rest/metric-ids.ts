/**
 * What a REST metric id is, for filters and counts: its logical scope and name. Ids are relative to the component
 * (reference §5): "Status.JVM.Memory.Heap.Used", vertex ids "<subtask>.<metric>" or
 * "<subtask>.<operator>.<metric>", a histogram listed as "<name>_<statistic>" eleven times.
 */

/** The statistics Flink's REST API lists for a histogram `<name>` (MetricStore). */
export const HISTOGRAM_STATS = ["min", "max", "mean", "median", "stddev", "p75", "p90", "p95", "p98", "p99", "p999"];

const STAT = new RegExp(`_(${HISTOGRAM_STATS.join("|")})$`);

/**
 * Key/value groups whose value is a variable, not part of the logical scope: RocksDB's column family (the rest
 * after its value is the name, dots and all: "rocksdb.estimate-num-keys") and the latency markers' groups.
 */
const KEY_GROUPS = new Set(["column_family", "source_id", "operator_id", "operator_subtask_index"]);

export interface MetricId {
  /** Component scope: jobmanager, taskmanager, jobmanager.job, taskmanager.job, taskmanager.job.task, …operator. */
  readonly scope: string;
  /** Groups below the component, key groups without their values; "" for none. */
  readonly groups: string;
  readonly name: string;
}

export const logicalScope = (m: MetricId): string => (m.groups ? `${m.scope}.${m.groups}` : m.scope);

/** Scope, groups and name of an id relative to `scope` (a histogram statistic's id gives the histogram's name). */
export function splitId(scope: string, id: string, histogram = STAT.test(id)): MetricId {
  const parts = (histogram ? id.replace(STAT, "") : id).split(".");
  const groups: string[] = [];
  for (let i = 0; i < parts.length - 1; i++) {
    groups.push(parts[i]!);
    if (!KEY_GROUPS.has(parts[i]!)) continue;
    if (parts[i] === "column_family") return { scope, groups: groups.join("."), name: parts.slice(i + 2).join(".") };
    i++; // the value
  }
  return { scope, groups: groups.join("."), name: parts[parts.length - 1]! };
}

/** The job endpoint merges the JobManager's job metrics with the TaskManagers' job group (latency before 1.19). */
export const jobIdScope = (id: string): string => (id.startsWith("latency.") ? "taskmanager.job" : "jobmanager.job");

/** A vertex id without its subtask: the operator it belongs to (undefined: a task metric) and the rest. */
export function splitVertexId(
  id: string,
  operators: readonly string[],
): { subtask: number; operator?: string; metric: string } {
  const dot = id.indexOf(".");
  const subtask = Number(id.slice(0, dot));
  const rest = id.slice(dot + 1);
  const operator = operators.filter((o) => rest.startsWith(`${o}.`)).sort((a, b) => b.length - a.length)[0];
  return operator ? { subtask, operator, metric: rest.slice(operator.length + 1) } : { subtask, metric: rest };
}
