/**
 * One collection cycle: polls JobManager, TaskManager, job and per-subtask metrics from the REST API and returns
 * them as samples named and labelled the way Flink's reporters name them (reference §5.3, §2, §3).
 */
import type { FlinkRestClient } from "./rest/client.js";
import type { TaskManagers, JobsOverview, JobDetails, SubtaskDetails, MetricValue } from "./rest/types.js";
import { toSamples, type Sample } from "./rest/samples.js";

export interface CycleStats {
  jobManagers: number;
  taskManagers: number;
  jobs: number;
  subtasks: number;
  series: number;
  /** Entities whose metrics could not be read this cycle (they are skipped, the rest is written). */
  skipped: number;
}

export interface CollectOptions {
  /** Requests in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Metric ids requested per call (URL length). @default 60 */
  readonly batch?: number;
  /** Series kept per cycle at most; memory stays bounded on huge clusters. @default 200000 */
  readonly maxSeries?: number;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Every metric of one REST metrics endpoint: list the ids, then fetch their values in batches. */
async function readMetrics(client: FlinkRestClient, path: string, batch: number): Promise<MetricValue[]> {
  const ids = (await client.get<MetricValue[]>(path)).map((m) => m.id);
  const out: MetricValue[] = [];
  for (let i = 0; i < ids.length; i += batch) {
    const get = ids.slice(i, i + batch).map(encodeURIComponent).join(",");
    out.push(...(await client.get<MetricValue[]>(`${path}?get=${get}`)));
  }
  return out;
}

/** Host of an RPC path such as "pekko.tcp://flink@10.0.0.5:6122/user/rpc/taskmanager_0". */
function hostOf(path: string | undefined, fallback: string): string {
  const m = path && /@([^:/]+):\d+/.exec(path);
  return m ? m[1]! : fallback;
}

/** Operator metric ids are "<operator name>.<metric>"; the vertex name chains operator names with " -> ". */
function splitOperator(id: string, operators: readonly string[]): { operator: string; metric: string } | undefined {
  const op = operators.filter((o) => id.startsWith(`${o}.`)).sort((a, b) => b.length - a.length)[0];
  return op ? { operator: op, metric: id.slice(op.length + 1) } : undefined;
}

export async function collectOnce(client: FlinkRestClient, options: CollectOptions = {}): Promise<{ samples: Sample[]; stats: CycleStats }> {
  const limit = options.concurrency ?? 8;
  const batch = options.batch ?? 60;
  const stats: CycleStats = { jobManagers: 1, taskManagers: 0, jobs: 0, subtasks: 0, series: 0, skipped: 0 };
  const samples: Sample[] = [];
  const jmHost = new URL(client.baseUrl).hostname;
  const guard = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch {
      stats.skipped++;
      return undefined;
    }
  };

  // The JobManager itself must answer; everything below it is best effort.
  samples.push(...toSamples("jobmanager", { host: jmHost }, await readMetrics(client, "/jobmanager/metrics", batch)));

  const tms = (await guard(() => client.get<TaskManagers>("/taskmanagers")))?.taskmanagers ?? [];
  stats.taskManagers = tms.length;
  const tmHosts = new Map(tms.map((tm) => [tm.id, hostOf(tm.path, tm.id)]));
  const tmValues = await mapLimit(tms, limit, (tm) => guard(() => readMetrics(client, `/taskmanagers/${encodeURIComponent(tm.id)}/metrics`, batch)));
  tms.forEach((tm, i) => samples.push(...toSamples("taskmanager", { host: tmHosts.get(tm.id)!, tm_id: tm.id }, tmValues[i] ?? [])));

  const running = ((await guard(() => client.get<JobsOverview>("/jobs/overview")))?.jobs ?? []).filter((j) => j.state === "RUNNING");
  stats.jobs = running.length;
  for (const job of running) {
    const jobLabels = { host: jmHost, job_id: job.jid, job_name: job.name };
    samples.push(...toSamples("jobmanager.job", jobLabels, (await guard(() => readMetrics(client, `/jobs/${job.jid}/metrics`, batch))) ?? []));
    const details = await guard(() => client.get<JobDetails>(`/jobs/${job.jid}`));
    const subtasks = (details?.vertices ?? []).flatMap((v) => Array.from({ length: v.parallelism }, (_, n) => ({ vertex: v, n })));
    stats.subtasks += subtasks.length;
    const read = await mapLimit(subtasks, limit, ({ vertex, n }) =>
      guard(async () => {
        const base = `/jobs/${job.jid}/vertices/${vertex.id}/subtasks/${n}`;
        return { info: await client.get<SubtaskDetails>(base), values: await readMetrics(client, `${base}/metrics`, batch) };
      }),
    );
    subtasks.forEach(({ vertex, n }, i) => {
      const r = read[i];
      if (!r) return;
      const tmId = r.info["taskmanager-id"] ?? "";
      const taskLabels: Record<string, string> = {
        host: r.info.host?.replace(/:\d+$/, "") ?? tmHosts.get(tmId) ?? "",
        tm_id: tmId,
        job_id: job.jid,
        job_name: job.name,
        task_id: vertex.id,
        task_name: vertex.name,
        task_attempt_num: String(r.info.attempt ?? 0),
        subtask_index: String(n),
      };
      const operators = vertex.name.split(" -> ");
      const taskValues: MetricValue[] = [];
      const byOperator = new Map<string, MetricValue[]>();
      for (const v of r.values) {
        const split = splitOperator(v.id, operators);
        if (!split) taskValues.push(v);
        else byOperator.set(split.operator, [...(byOperator.get(split.operator) ?? []), { id: split.metric, value: v.value }]);
      }
      samples.push(...toSamples("taskmanager.job.task", taskLabels, taskValues));
      for (const [operator, values] of byOperator) samples.push(...toSamples("taskmanager.job.task.operator", { ...taskLabels, operator_name: operator }, values));
    });
  }

  const max = options.maxSeries ?? 200_000;
  stats.series = Math.min(samples.length, max);
  return { samples: samples.slice(0, max), stats };
}
