/**
 * One collection cycle: polls JobManager, TaskManager, job and per-subtask metrics from the REST API and returns
 * them as samples named and labelled the way Flink's reporters name them (reference §5.3, §2, §3).
 */
import type { FlinkRestClient } from "./rest/client.js";
import type { TaskManagers, JobsOverview, JobDetails, VertexDetails, MetricValue } from "./rest/types.js";
import { toSamples, type Sample } from "./rest/samples.js";
import { mapLimit } from "./rest/map-limit.js";
import { metricQueryName } from "./rest/query-names.js";

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

/** Every metric of one REST metrics endpoint: list the ids, then fetch their values in batches. */
async function readMetrics(client: FlinkRestClient, path: string, batch: number): Promise<MetricValue[]> {
  const ids = (await client.get<MetricValue[]>(path)).map((m) => m.id);
  const out: MetricValue[] = [];
  for (const get of batches(ids, batch)) out.push(...(await client.get<MetricValue[]>(`${path}?get=${get}`)));
  return out;
}

/** Host of an RPC path such as "pekko.tcp://flink@10.0.0.5:6122/user/rpc/taskmanager_0". */
function hostOf(path: string | undefined, fallback: string): string {
  const m = path && /@([^:/]+):\d+/.exec(path);
  return m ? m[1]! : fallback;
}

/**
 * Operator metric ids are "<operator name>.<metric>", the name spelled as the MetricQueryService spells it
 * ("Source: Kafka" → "Source__Kafka"); the vertex name chains the operators' own names with " -> ". Returns the
 * operator's own name (the reporters' label value).
 */
function splitOperator(id: string, operators: readonly string[]): { operator: string; metric: string } | undefined {
  const match = operators
    .flatMap((name) => [name, metricQueryName(name)].map((spelled) => ({ name, spelled })))
    .filter(({ spelled }) => id.startsWith(`${spelled}.`))
    .sort((a, b) => b.spelled.length - a.spelled.length)[0];
  return match ? { operator: match.name, metric: id.slice(match.spelled.length + 1) } : undefined;
}

export async function collectOnce(
  client: FlinkRestClient,
  options: CollectOptions = {},
): Promise<{ samples: Sample[]; stats: CycleStats }> {
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
  const tmValues = await mapLimit(tms, limit, (tm) =>
    guard(() => readMetrics(client, `/taskmanagers/${encodeURIComponent(tm.id)}/metrics`, batch)),
  );
  tms.forEach((tm, i) =>
    samples.push(...toSamples("taskmanager", { host: tmHosts.get(tm.id)!, tm_id: tm.id }, tmValues[i] ?? [])),
  );

  const running = ((await guard(() => client.get<JobsOverview>("/jobs/overview")))?.jobs ?? []).filter(
    (j) => j.state === "RUNNING",
  );
  stats.jobs = running.length;
  for (const job of running) {
    const jobLabels = { host: jmHost, job_id: job.jid, job_name: job.name };
    samples.push(
      ...toSamples(
        "jobmanager.job",
        jobLabels,
        (await guard(() => readMetrics(client, `/jobs/${job.jid}/metrics`, batch))) ?? [],
      ),
    );
    const details = await guard(() => client.get<JobDetails>(`/jobs/${job.jid}`));
    // One call per vertex gives every subtask's host and TaskManager (not one call per subtask).
    const vertices = await mapLimit(details?.vertices ?? [], limit, (v) =>
      guard(() => client.get<VertexDetails>(`/jobs/${job.jid}/vertices/${v.id}`)),
    );
    const subtasks = (details?.vertices ?? []).flatMap((vertex, i) =>
      Array.from({ length: vertex.parallelism }, (_, n) => ({
        vertex,
        n,
        info: vertices[i]?.subtasks.find((s) => s.subtask === n),
      })),
    );
    stats.subtasks += subtasks.length;
    const read = await mapLimit(subtasks, limit, ({ vertex, n }) =>
      guard(() => readMetrics(client, `/jobs/${job.jid}/vertices/${vertex.id}/subtasks/${n}/metrics`, batch)),
    );
    subtasks.forEach(({ vertex, n, info }, i) => {
      const values = read[i];
      if (!values) return;
      // Labels the vertex details could not give stay empty: the metric is written all the same.
      const tmId = info?.["taskmanager-id"] ?? "";
      const address = info?.endpoint ?? info?.host;
      const taskLabels: Record<string, string> = {
        host: address?.replace(/:\d+$/, "") ?? tmHosts.get(tmId) ?? "",
        tm_id: tmId,
        job_id: job.jid,
        job_name: job.name,
        task_id: vertex.id,
        task_name: vertex.name,
        task_attempt_num: String(info?.attempt ?? 0),
        subtask_index: String(n),
      };
      const operators = vertex.name.split(" -> ");
      const taskValues: MetricValue[] = [];
      const byOperator = new Map<string, MetricValue[]>();
      for (const v of values) {
        const split = splitOperator(v.id, operators);
        if (!split) taskValues.push(v);
        else
          byOperator.set(split.operator, [
            ...(byOperator.get(split.operator) ?? []),
            { id: split.metric, value: v.value },
          ]);
      }
      samples.push(...toSamples("taskmanager.job.task", taskLabels, taskValues));
      for (const [operator, values] of byOperator)
        samples.push(...toSamples("taskmanager.job.task.operator", { ...taskLabels, operator_name: operator }, values));
    });
  }

  const max = options.maxSeries ?? 200_000;
  stats.series = Math.min(samples.length, max);
  return { samples: samples.slice(0, max), stats };
}
