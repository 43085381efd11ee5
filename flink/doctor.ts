/**
 * Asks a live cluster whether its monitoring works: version, TaskManagers, jobs, whether the reporters the config
 * expects are configured (in that version's key style), and whether their series arrive in the stores. Every
 * problem comes with its fix in one line.
 */
import type { MonitoringConfig } from "../config/resolve.js";
import { minorLabel } from "../config/version.js";
import { FlinkRestClient, FlinkRestError } from "./rest/client.js";
import type { Overview, DashboardConfig, TaskManagers, JobsOverview, ConfigEntry } from "./rest/types.js";
import type { Check, DoctorReport, StoreTargets } from "./doctor/report.js";
import { reporterChecks } from "./doctor/reporter-checks.js";
import { prometheusChecks, influxChecks } from "./doctor/store-probes.js";

export type { Check, DoctorReport, StoreTargets } from "./doctor/report.js";
export { formatDoctorText } from "./doctor/text.js";

const HEARTBEAT_WARN_MS = 30_000;

async function optional<T>(client: FlinkRestClient, path: string, missing: string[]): Promise<T | undefined> {
  try {
    return await client.get<T>(path);
  } catch (error) {
    if (error instanceof FlinkRestError && error.kind === "not-found") {
      missing.push(path);
      return undefined;
    }
    throw error;
  }
}

/** Throws FlinkRestError when the cluster cannot be reached at all. */
export async function runDoctor(
  client: FlinkRestClient,
  config: MonitoringConfig,
  stores: StoreTargets,
  now = Date.now(),
): Promise<DoctorReport> {
  const missing: string[] = [];
  const overview = await client.get<Overview>("/overview");
  const dashboardConfig = await optional<DashboardConfig>(client, "/config", missing);
  const tms = (await optional<TaskManagers>(client, "/taskmanagers", missing))?.taskmanagers ?? [];
  const jobsOverview = await optional<JobsOverview>(client, "/jobs/overview", missing);
  const jmConfig = await optional<ConfigEntry[]>(client, "/jobmanager/config", missing);
  const flinkVersion = overview["flink-version"] ?? dashboardConfig?.["flink-version"];

  const taskManagers = tms.map((tm) => ({
    id: tm.id,
    slotsFree: tm.freeSlots,
    slotsTotal: tm.slotsNumber,
    heartbeatAgeMs:
      tm.timeSinceLastHeartbeat > 1e12 ? Math.max(0, now - tm.timeSinceLastHeartbeat) : tm.timeSinceLastHeartbeat,
  }));
  const jobs = (jobsOverview?.jobs ?? [])
    .map((j) => ({ id: j.jid, name: j.name, state: j.state }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const checks: Check[] = [];

  const configured = minorLabel(config.flink.version);
  // "2.x" accepts any 2.minor; otherwise the cluster's major.minor must be the configured one.
  const sameLine = configured.endsWith(".x")
    ? flinkVersion?.startsWith(configured.slice(0, -1))
    : flinkVersion?.startsWith(`${configured}.`) || flinkVersion === configured;
  if (flinkVersion && !sameLine) {
    checks.push({
      name: "Flink version matches the config",
      ok: false,
      detail: `cluster runs ${flinkVersion}, flink.version is ${config.flink.version.text}`,
      fix: `set flink.version: "${flinkVersion.replace(/-.*$/, "")}" and regenerate, so keys and metric names match`,
    });
  }
  if (overview.taskmanagers === 0)
    checks.push({
      name: "TaskManagers registered",
      ok: false,
      detail: "no TaskManager is registered",
      fix: "start TaskManagers, or check that they reach the JobManager's RPC address",
    });
  for (const tm of taskManagers.filter((t) => (t.heartbeatAgeMs ?? 0) > HEARTBEAT_WARN_MS)) {
    checks.push({
      name: `TaskManager ${tm.id} heartbeat`,
      ok: false,
      detail: `last heartbeat ${Math.round(tm.heartbeatAgeMs! / 1000)} s ago`,
      fix: "the TaskManager is overloaded (GC) or its network is broken: check its log",
    });
  }
  for (const job of jobs.filter((j) => ["FAILING", "RESTARTING", "FAILED"].includes(j.state))) {
    checks.push({
      name: `job "${job.name}"`,
      ok: false,
      detail: `state ${job.state}`,
      fix: `see ${client.baseUrl}/jobs/${job.id}/exceptions`,
    });
  }
  if (jmConfig) checks.push(...reporterChecks(config, jmConfig, flinkVersion));
  if (stores.prometheusUrl) checks.push(...(await prometheusChecks(config, stores.prometheusUrl, jobs)));
  if (stores.influxdb) checks.push(...(await influxChecks(stores.influxdb, jobs)));

  return {
    restUrl: client.baseUrl,
    flinkVersion,
    taskManagers,
    jobs,
    checks,
    missingEndpoints: missing,
    healthy: checks.every((c) => c.ok),
  };
}
