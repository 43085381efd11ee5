/**
 * One collection cycle: polls JobManager, TaskManager, job and per-subtask metrics from the REST API and returns
 * them as samples named and labelled the way Flink's reporters name them (reference §5.3, §2, §3).
 */
import type { FlinkRestClient } from "./rest/client.js";
import type { TaskManagers, JobsOverview, JobDetails, VertexDetails, MetricValue } from "./rest/types.js";
import { toSamples, type Sample } from "./rest/samples.js";
import type { MetricMatcher } from "./budget/filter-match.js";
import { limiter } from "./rest/limiter.js";
import { jobIdScope, logicalScope, splitId, splitVertexId } from "./rest/metric-ids.js";
import { vertexOperators } from "./rest/query-names.js";

export interface CycleStats {
  jobManagers: number;
  taskManagers: number;
  jobs: number;
  subtasks: number;
  series: number;
  /** Entities whose metrics could not be read this cycle (they are skipped, the rest is written). */
  skipped: number;
  /** REST requests the cycle made. */
  requests: number;
}

export interface CollectOptions {
  /** Requests in flight at once, across the whole cycle. @default 16 */
  readonly concurrency?: number;
  /** Metric ids requested per call (also cut by URL length). @default 100 */
  readonly batch?: number;
  /** Series kept per cycle at most; memory stays bounded on huge clusters. @default 200000 */
  readonly maxSeries?: number;
  /** The reporter filter collect stands in for: only what it sends is read. @default every metric */
  readonly sends?: MetricMatcher;
}

/**
 * Longest `get=` list per request. Flink's REST server refuses request lines over 4096 bytes (netty's
 * maxInitialLineLength): latency-marker ids alone are 120 characters (seen on Flink 1.18, where the job endpoint
 * lists them), so batches are cut by length as well as by count.
 */
const MAX_GET_CHARS = 3000;

/** Ids in batches of at most `batch` that keep the request line within Flink's limit. */
function batches(ids: readonly string[], batch: number): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const id of ids.map(encodeURIComponent)) {
    if (current.length > 0 && (current.length >= batch || length + id.length + 1 > MAX_GET_CHARS)) {
      out.push(current.join(","));
      current = [];
      length = 0;
    }
    current.push(id);
    length += id.length + 1;
  }
  if (current.length > 0) out.push(current.join(","));
  return out;
}

/** Host of an RPC path such as "pekko.tcp://flink@10.0.0.5:6122/user/rpc/taskmanager_0". */
function hostOf(path: string | undefined, fallback: string): string {
  const m = path && /@([^:/]+):\d+/.exec(path);
  return m ? m[1]! : fallback;
}

export async function collectOnce(
  client: FlinkRestClient,
  options: CollectOptions = {},
): Promise<{ samples: Sample[]; stats: CycleStats }> {
  const batch = options.batch ?? 100;
  const stats: CycleStats = {
    jobManagers: 1,
    taskManagers: 0,
    jobs: 0,
    subtasks: 0,
    series: 0,
    skipped: 0,
    requests: 0,
  };
  const samples: Sample[] = [];
  const jmHost = new URL(client.baseUrl).hostname;
  const gate = limiter(options.concurrency ?? 16);
  const get = <T>(path: string) =>
    gate(() => {
      stats.requests++;
      return client.get<T>(path);
    });
  const guard = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch {
      stats.skipped++;
      return undefined;
    }
  };
  const sent = (scope: string, id: string) => {
    if (!options.sends) return true;
    const metric = splitId(scope, id);
    return options.sends(logicalScope(metric), metric.name);
  };
  /** Every metric of an endpoint the filter sends: the ids, then their values in batches. */
  const readMetrics = async (path: string, keep: (id: string) => boolean): Promise<MetricValue[]> => {
    const ids = (await get<MetricValue[]>(path)).map((m) => m.id).filter(keep);
    const values = await Promise.all(batches(ids, batch).map((ids) => get<MetricValue[]>(`${path}?get=${ids}`)));
    return values.flat();
  };

  // The JobManager itself must answer; everything below it is best effort.
  const jm = await readMetrics("/jobmanager/metrics", (id) => sent("jobmanager", id));
  samples.push(...toSamples("jobmanager", { host: jmHost }, jm));

  const [tmList, jobList] = await Promise.all([
    guard(() => get<TaskManagers>("/taskmanagers")),
    guard(() => get<JobsOverview>("/jobs/overview")),
  ]);
  const tms = tmList?.taskmanagers ?? [];
  stats.taskManagers = tms.length;
  const tmHosts = new Map(tms.map((tm) => [tm.id, hostOf(tm.path, tm.id)]));
  const running = (jobList?.jobs ?? []).filter((j) => j.state === "RUNNING");
  stats.jobs = running.length;

  await Promise.all([
    ...tms.map(async (tm) => {
      const values = await guard(() =>
        readMetrics(`/taskmanagers/${encodeURIComponent(tm.id)}/metrics`, (id) => sent("taskmanager", id)),
      );
      samples.push(...toSamples("taskmanager", { host: tmHosts.get(tm.id)!, tm_id: tm.id }, values ?? []));
    }),
    ...running.map(async (job) => {
      const jobLabels = { host: jmHost, job_id: job.jid, job_name: job.name };
      const [values, details] = await Promise.all([
        guard(() => readMetrics(`/jobs/${job.jid}/metrics`, (id) => sent(jobIdScope(id), id))),
        guard(() => get<JobDetails>(`/jobs/${job.jid}`)),
      ]);
      samples.push(...toSamples("jobmanager.job", jobLabels, values ?? []));
      await Promise.all(
        (details?.vertices ?? []).map(async (vertex) => {
          stats.subtasks += vertex.parallelism;
          const vertexSamples = await collectVertex(job, vertex, jobLabels, tmHosts);
          if (vertexSamples) samples.push(...vertexSamples);
        }),
      );
    }),
  ]);

  /**
   * One vertex, every subtask at once: the vertex details give each subtask's TaskManager (one call, not one per
   * subtask), the vertex metrics endpoint lists "<subtask>.<metric>" for all subtasks (values in batches).
   */
  async function collectVertex(
    job: { jid: string; name: string },
    vertex: { id: string; name: string },
    jobLabels: Record<string, string>,
    hosts: ReadonlyMap<string, string>,
  ): Promise<Sample[] | undefined> {
    const names = vertex.name.split(" -> ");
    const spelled = vertexOperators(vertex.name);
    const path = `/jobs/${job.jid}/vertices/${vertex.id}`;
    const [info, values] = await Promise.all([
      guard(() => get<VertexDetails>(path)),
      guard(() =>
        readMetrics(`${path}/metrics`, (id) => {
          const split = splitVertexId(id, spelled);
          return sent(split.operator ? "taskmanager.job.task.operator" : "taskmanager.job.task", split.metric);
        }),
      ),
    ]);
    if (!values) return undefined;
    const bySubtask = new Map<number, { task: MetricValue[]; operators: Map<string, MetricValue[]> }>();
    for (const v of values) {
      const split = splitVertexId(v.id, spelled);
      const entry = bySubtask.get(split.subtask) ?? { task: [], operators: new Map<string, MetricValue[]>() };
      bySubtask.set(split.subtask, entry);
      if (!split.operator) entry.task.push({ id: split.metric, value: v.value });
      else {
        // The reporters' label is the operator's own name, not the spelling of the REST ids.
        const name = names[spelled.indexOf(split.operator)] ?? split.operator;
        const list = entry.operators.get(name);
        if (list) list.push({ id: split.metric, value: v.value });
        else entry.operators.set(name, [{ id: split.metric, value: v.value }]);
      }
    }
    const out: Sample[] = [];
    for (const [n, { task, operators }] of [...bySubtask].sort(([a], [b]) => a - b)) {
      const subtask = info?.subtasks.find((s) => s.subtask === n);
      // Labels the vertex details could not give stay empty: the metric is written all the same.
      const tmId = subtask?.["taskmanager-id"] ?? "";
      const address = subtask?.endpoint ?? subtask?.host;
      const taskLabels: Record<string, string> = {
        ...jobLabels,
        host: address?.replace(/:\d+$/, "") ?? hosts.get(tmId) ?? "",
        tm_id: tmId,
        task_id: vertex.id,
        task_name: vertex.name,
        task_attempt_num: String(subtask?.attempt ?? 0),
        subtask_index: String(n),
      };
      out.push(...toSamples("taskmanager.job.task", taskLabels, task));
      for (const [operator, values] of operators)
        out.push(...toSamples("taskmanager.job.task.operator", { ...taskLabels, operator_name: operator }, values));
    }
    return out;
  }

  const max = options.maxSeries ?? 200_000;
  stats.series = Math.min(samples.length, max);
  return { samples: samples.slice(0, max), stats };
}
