/**
 * Every metric a live cluster registers, as its REST API lists them: the JobManager, each TaskManager, each running
 * job and each vertex (subtask and operator metrics, one id per subtask). Flink's REST API answers from the
 * MetricQueryService, which reporter filters do not touch: this is what an unfiltered reporter sends.
 */
import type { FlinkRestClient } from "./client.js";
import type { JobDetails, JobsOverview, TaskManagers } from "./types.js";
import { mapLimit } from "./map-limit.js";

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

const ids = async (client: FlinkRestClient, path: string): Promise<string[]> =>
  (await client.get<{ id: string }[]>(path)).map((m) => m.id);

/** Reads the inventory, `limit` requests in flight at most per stage. */
export async function metricInventory(client: FlinkRestClient, limit = 8): Promise<MetricInventory> {
  const jobmanager = await ids(client, "/jobmanager/metrics");
  const tms = (await client.get<TaskManagers>("/taskmanagers")).taskmanagers;
  const taskmanagers = await mapLimit(tms, limit, (tm) =>
    ids(client, `/taskmanagers/${encodeURIComponent(tm.id)}/metrics`),
  );
  const running = (await client.get<JobsOverview>("/jobs/overview")).jobs.filter((j) => j.state === "RUNNING");
  const jobs = await mapLimit(running, limit, async (job): Promise<JobInventory> => {
    const details = await client.get<JobDetails>(`/jobs/${job.jid}`);
    const metrics = await ids(client, `/jobs/${job.jid}/metrics`);
    const vertices = await mapLimit(details.vertices, limit, async (v) => ({
      name: v.name,
      metrics: await ids(client, `/jobs/${job.jid}/vertices/${v.id}/metrics`),
    }));
    return { name: job.name, metrics, vertices };
  });
  return { jobmanager, taskmanagers, jobs };
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
