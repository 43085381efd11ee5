/**
 * Every metric a live cluster registers, as its REST API lists them: the JobManager, each TaskManager, each running
 * job and each vertex (subtask and operator metrics, one id per subtask). Flink's REST API answers from the
 * MetricQueryService, which reporter filters do not touch: this is what an unfiltered reporter sends.
 */
import type { FlinkRestClient } from "./client.js";
import type { JobDetails, JobsOverview, TaskManagers } from "./types.js";
import { limiter } from "./limiter.js";

export interface JobInventory {
  readonly name: string;
  /** The job's JobManager-side metrics (checkpoints, restarts, uptime). */
  readonly metrics: readonly string[];
  /** Per vertex: its name (operator names chained by " -> ") and the ids "<subtask>.<metric>", "<subtask>.<operator>.<metric>". */
  readonly vertices: readonly { readonly name: string; readonly metrics: readonly string[] }[];
}

export interface MetricInventory {
  readonly jobmanager: readonly string[];
  /** Per TaskManager. */
  readonly taskmanagers: readonly (readonly string[])[];
  /** Per running job. */
  readonly jobs: readonly JobInventory[];
}

/** Reads the inventory, at most `concurrency` requests in flight. */
export async function metricInventory(client: FlinkRestClient, concurrency = 16): Promise<MetricInventory> {
  const gate = limiter(concurrency);
  const get = <T>(path: string) => gate(() => client.get<T>(path));
  const ids = async (path: string) => (await get<{ id: string }[]>(path)).map((m) => m.id);
  const [jobmanager, tms, overview] = await Promise.all([
    ids("/jobmanager/metrics"),
    get<TaskManagers>("/taskmanagers"),
    get<JobsOverview>("/jobs/overview"),
  ]);
  const running = overview.jobs.filter((j) => j.state === "RUNNING");
  const [taskmanagers, jobs] = await Promise.all([
    Promise.all(tms.taskmanagers.map((tm) => ids(`/taskmanagers/${encodeURIComponent(tm.id)}/metrics`))),
    Promise.all(
      running.map(async (job): Promise<JobInventory> => {
        const [details, metrics] = await Promise.all([
          get<JobDetails>(`/jobs/${job.jid}`),
          ids(`/jobs/${job.jid}/metrics`),
        ]);
        const vertices = await Promise.all(
          details.vertices.map(async (v) => ({
            name: v.name,
            metrics: await ids(`/jobs/${job.jid}/vertices/${v.id}/metrics`),
          })),
        );
        return { name: job.name, metrics, vertices };
      }),
    ),
  ]);
  return { jobmanager, taskmanagers, jobs };
}

/**
 * Parts that listed no metric ids: the JobManager answers from a metric cache it refreshes from the processes every
 * few seconds, and a refresh can briefly leave the JobManager, a TaskManager or a vertex empty.
 */
export function emptyParts(inventory: MetricInventory): number {
  const empty = (ids: readonly string[]) => (ids.length === 0 ? 1 : 0);
  return (
    empty(inventory.jobmanager) +
    inventory.taskmanagers.reduce((n, tm) => n + empty(tm), 0) +
    inventory.jobs.reduce((n, j) => n + j.vertices.reduce((m, v) => m + empty(v.metrics), 0), 0)
  );
}

/** Metric ids in the inventory: one per metric instance an unfiltered reporter would send. */
export function inventorySize(inventory: MetricInventory): number {
  const sum = (lists: readonly (readonly string[])[]) => lists.reduce((n, l) => n + l.length, 0);
  return (
    inventory.jobmanager.length +
    sum(inventory.taskmanagers) +
    inventory.jobs.reduce((n, j) => n + j.metrics.length + sum(j.vertices.map((v) => v.metrics)), 0)
  );
}
