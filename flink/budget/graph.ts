/**
 * Metric instances of a cluster described in config (budget.graph): TaskManagers, and per job its vertices with
 * parallelism and chained operators. Catalog metrics are counted by name; the rest of what Flink registers per
 * scope comes from the counts real clusters showed (registered.ts). An estimate: a job's first vertex is taken to
 * hold its source and its last vertex its sink (one operator each: the connector metrics), every operator to have
 * every other operator metric, RocksDB one column family per vertex.
 */
import type { MonitoringConfig } from "../../config/resolve.js";
import { allMetrics, available, type MetricDef } from "../catalog.js";
import { atLeast } from "../../config/version.js";
import { customMetrics } from "../custom-metrics.js";
import { filterTarget } from "../metric-filter.js";
import type { MetricInstances } from "./instances.js";
import { registeredFor, type ComponentScope } from "./registered.js";

export interface GraphSize {
  readonly taskManagers: number;
  readonly jobs: number;
  readonly subtasks: number;
  readonly operatorSubtasks: number;
  /** Subtasks of the jobs' sources (first vertices) and sinks (last vertices). */
  readonly sourceSubtasks: number;
  readonly sinkSubtasks: number;
}

type Graph = NonNullable<MonitoringConfig["budget"]["graph"]>;

export function graphSize(graph: Graph): GraphSize {
  const vertices = graph.jobs.flatMap((j) => j.vertices);
  return {
    taskManagers: graph.taskManagers,
    jobs: graph.jobs.length,
    subtasks: vertices.reduce((n, v) => n + v.parallelism, 0),
    operatorSubtasks: vertices.reduce((n, v) => n + v.parallelism * v.operators, 0),
    sourceSubtasks: graph.jobs.reduce((n, j) => n + (j.vertices[0]?.parallelism ?? 0), 0),
    sinkSubtasks: graph.jobs.reduce((n, j) => n + (j.vertices[j.vertices.length - 1]?.parallelism ?? 0), 0),
  };
}

/** Collectors per GC metric: the JVM default's two (G1 young and old), and from 1.19 Flink's "All" sum. */
const collectors = (config: MonitoringConfig) => (atLeast(config.flink.version, 1, 19) ? 3 : 2);

export function instancesFromGraph(config: MonitoringConfig, graph: Graph): MetricInstances[] {
  const size = graphSize(graph);
  const per: Record<ComponentScope, number> = {
    jobmanager: 1,
    "jobmanager.job": size.jobs,
    taskmanager: size.taskManagers,
    "taskmanager.job.task": size.subtasks,
    "taskmanager.job.task.operator": size.operatorSubtasks,
  };
  const { counts } = registeredFor(config.flink.version);
  const out: MetricInstances[] = [];
  const add = (metric: MetricDef, count: number, names = 1) => {
    const { scope, name } = filterTarget(metric);
    const groups = scope.slice(metric.scope.length + 1);
    out.push({ scope: metric.scope, groups, name, histogram: metric.type === "histogram", count: count * names });
    if (metric.scope in counts) counts[metric.scope as ComponentScope] -= names;
  };
  const isRocks = (m: MetricDef) => m.name?.startsWith("rocksdb.") ?? false;
  for (const metric of allMetrics().filter((m) => available(m, config.flink.version))) {
    if (!(metric.scope in per)) continue; // latency: only with latency tracking, per source × operator
    if (isRocks(metric)) {
      if (config.flink.rocksdbNativeMetrics) out.push({ ...target(metric), histogram: false, count: size.subtasks });
      continue;
    }
    const count =
      metric.registeredBy === "source"
        ? size.sourceSubtasks
        : metric.registeredBy === "sink"
          ? size.sinkSubtasks
          : per[metric.scope as ComponentScope];
    add(metric, count, metric.path.includes("<collector>") ? collectors(config) : 1);
  }
  for (const m of customMetrics(config))
    out.push({ ...target(m.def), histogram: m.def.type === "histogram", count: size.subtasks });
  for (const [scope, rest] of Object.entries(counts) as [ComponentScope, number][])
    if (rest > 0)
      out.push({ scope, groups: "", name: "(other Flink metrics)", histogram: false, count: rest * per[scope] });
  return out;
}

function target(metric: MetricDef): Omit<MetricInstances, "histogram" | "count"> {
  const { scope, name } = filterTarget(metric);
  return { scope: metric.scope, groups: scope.slice(metric.scope.length + 1), name };
}
