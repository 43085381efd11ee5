/**
 * Asks a live cluster whether its monitoring works: version, TaskManagers, jobs, whether the reporters the config
 * expects are configured (in that version's key style), and whether their series arrive in the stores. Every
 * problem comes with its fix in one line.
 */
import { redactUrl, splitCredentials } from "./rest/url-credentials.js";
import { GRAFANA_ENV } from "../contract/grafana.js";
import { describeTargets, scrapesFlink, type MonitoringConfig } from "../config/resolve.js";
import type { ReporterKind } from "../config/schema.js";
import { parseFlinkVersion, atLeast, minorLabel } from "../config/version.js";
import { CATALOG, storeNames } from "./catalog.js";
import { PROMETHEUS_FLINK_SERIES, prometheusLabelValue } from "./naming.js";
import { REPORTER_KINDS, legacyClass } from "./reporter-kinds.js";
import { FlinkRestClient, FlinkRestError } from "./rest/client.js";
import type { Overview, DashboardConfig, TaskManagers, JobsOverview, ConfigEntry } from "./rest/types.js";

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  /** What is wrong (when not ok) or a note. */
  readonly detail?: string;
  /** One line: what to do. */
  readonly fix?: string;
}

export interface DoctorReport {
  readonly restUrl: string;
  readonly flinkVersion?: string;
  readonly taskManagers: { id: string; slotsFree: number; slotsTotal: number; heartbeatAgeMs?: number }[];
  readonly jobs: { id: string; name: string; state: string }[];
  readonly checks: Check[];
  /** Endpoints the cluster's version does not have. */
  readonly missingEndpoints: string[];
  readonly healthy: boolean;
}

export interface StoreTargets {
  readonly prometheusUrl?: string;
  readonly influxdb?: { readonly url: string; readonly db: string; readonly user?: string; readonly password?: string };
}

const HEARTBEAT_WARN_MS = 30_000;
const filterLabel = prometheusLabelValue;

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

/** Reporter checks against /jobmanager/config, in the key style of the cluster's version. */
function reporterChecks(config: MonitoringConfig, entries: ConfigEntry[], clusterVersion: string | undefined): Check[] {
  const keys = new Map(entries.map((e) => [e.key, e.value]));
  const version = (clusterVersion && parseFlinkVersion(clusterVersion.replace(/-.*$/, ""))) || config.flink.version;
  const include = keys.get("metrics.reporters")?.split(/\s*,\s*/);
  const checks: Check[] = [];
  for (const kind of config.flink.reporters as ReporterKind[]) {
    const info = REPORTER_KINDS[kind];
    const byFactory = [...keys].find(
      ([k, v]) => /^metrics\.reporter\.[^.]+\.factory\.class$/.test(k) && v === info.factoryClass,
    );
    const byClass = [...keys].find(([k, v]) => /^metrics\.reporter\.[^.]+\.class$/.test(k) && v === legacyClass(kind));
    const found = byFactory ?? byClass;
    const conf = `npx flinkmon conf --flink-version ${version.text} --reporter ${kind}`;
    if (!found) {
      checks.push({
        name: `${info.title} reporter configured`,
        ok: false,
        detail: `no metrics.reporter.*.factory.class = ${info.factoryClass}`,
        fix: `add the block printed by \`${conf}\` to the Flink configuration and restart the cluster`,
      });
      continue;
    }
    const instance = found[0].split(".")[2]!;
    if (!byFactory && atLeast(version, 1, 17)) {
      checks.push({
        name: `${info.title} reporter configured`,
        ok: false,
        detail: `${found[0]} is ignored from Flink 1.17`,
        fix: `use metrics.reporter.${instance}.factory.class: ${info.factoryClass} (see \`${conf}\`)`,
      });
    } else if (include && !include.includes(instance)) {
      checks.push({
        name: `${info.title} reporter configured`,
        ok: false,
        detail: `metrics.reporters (${include.join(",")}) leaves out "${instance}"`,
        fix: `add ${instance} to metrics.reporters`,
      });
    } else {
      checks.push({ name: `${info.title} reporter configured`, ok: true, detail: found[0] });
    }
  }
  return checks;
}

async function promQuery(withCredentials: string, expr: string): Promise<{ metric: Record<string, string> }[]> {
  const { url, authorization } = splitCredentials(withCredentials);
  const headers: Record<string, string> = authorization ? { Authorization: authorization } : {};
  const res = await fetch(`${url.replace(/\/$/, "")}/api/v1/query?${new URLSearchParams({ query: expr })}`, {
    headers,
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data?: { result: { metric: Record<string, string> }[] };
  };
  if (body.status !== "success") throw new Error(`Prometheus: ${body.error}`);
  return body.data!.result;
}

async function prometheusChecks(config: MonitoringConfig, url: string, jobs: DoctorReport["jobs"]): Promise<Check[]> {
  const checks: Check[] = [];
  let any: { metric: Record<string, string> }[];
  try {
    any = await promQuery(url, `count by (job) ({__name__=~"${PROMETHEUS_FLINK_SERIES}"})`);
  } catch (error) {
    return [
      {
        name: "Prometheus answers",
        ok: false,
        detail: `${redactUrl(url)}: ${(error as Error).message}`,
        fix: "check --prometheus-url and that Prometheus is up",
      },
    ];
  }
  const scrapeTargets = [config.prometheus.scrape.jobmanagers, config.prometheus.scrape.taskmanagers]
    .map(describeTargets)
    .join("; ");
  if (any.length === 0) {
    checks.push({
      name: "Flink series arrive in Prometheus",
      ok: false,
      detail: "Prometheus has no flink_ series at all",
      fix: scrapesFlink(config)
        ? `Prometheus does not scrape ${scrapeTargets}: check its targets page, the reporter port ${config.flink.prometheusPort} and the flink-metrics-prometheus jar in plugins/`
        : "check that Flink pushes to the Pushgateway (metrics.reporter.promgateway.hostUrl) and that Prometheus scrapes the Pushgateway",
    });
    return checks;
  }
  checks.push({
    name: "Flink series arrive in Prometheus",
    ok: true,
    detail: `from scrape jobs ${any
      .map((r) => r.metric.job ?? "?")
      .sort()
      .join(", ")}`,
  });
  checks.push(await singleDelivery(config, url));
  const uptime = storeNames(CATALOG.job.uptime).prometheus;
  const seen = new Set((await promQuery(url, `count by (job_name) (${uptime})`)).map((r) => r.metric.job_name));
  for (const job of jobs.filter((j) => j.state === "RUNNING")) {
    const ok = seen.has(filterLabel(job.name)) || seen.has(job.name);
    checks.push(
      ok
        ? { name: `series for job "${job.name}" in Prometheus`, ok }
        : {
            name: `series for job "${job.name}" in Prometheus`,
            ok,
            detail: `no ${uptime}{job_name="${filterLabel(job.name)}"}`,
            fix: "the JobManager's reporter endpoint is not scraped: add it to prometheus.scrape.jobmanagers",
          },
    );
  }
  return checks;
}

/**
 * A Flink series that reaches Prometheus both scraped and through the Pushgateway doubles every sum. The copies
 * differ only in the labels the path adds (job, instance, the scrape job's flink_component, the grouping key).
 */
async function singleDelivery(config: MonitoringConfig, url: string): Promise<Check> {
  const name = "each Flink series arrives once";
  const pathLabels = [
    "job",
    "instance",
    "flink_component",
    ...Object.keys(config.flink.reporter.pushgateway.groupingKey ?? {}),
  ];
  const probe = storeNames(CATALOG.jobmanager.registeredTaskManagers).prometheus;
  const twice = await promQuery(url, `count without (${pathLabels.join(", ")}) (${probe}) > 1`);
  if (twice.length === 0) return { name, ok: true };
  return {
    name,
    ok: false,
    detail: `${probe} arrives ${twice.length === 1 ? "by" : "for " + twice.length + " hosts by"} two paths (scrape and Pushgateway): every sum counts it twice`,
    fix: "use one path: drop one reporter, or scrape with the prometheus.yml flinkmon generates (prometheus.source)",
  };
}

async function influxChecks(
  target: NonNullable<StoreTargets["influxdb"]>,
  jobs: DoctorReport["jobs"],
): Promise<Check[]> {
  const query = async (q: string) => {
    const params = new URLSearchParams({ q, db: target.db });
    const { url, authorization } = splitCredentials(target.url);
    const headers: Record<string, string> = target.user
      ? { Authorization: `Basic ${Buffer.from(`${target.user}:${target.password ?? ""}`).toString("base64")}` }
      : authorization
        ? { Authorization: authorization }
        : {};
    const res = await fetch(`${url.replace(/\/$/, "")}/query?${params}`, {
      headers,
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as {
      error?: string;
      results?: { error?: string; series?: { values: string[][] }[] }[];
    };
    const error = body.error ?? body.results?.[0]?.error;
    if (!res.ok || error) throw new Error(`InfluxDB ${res.status}: ${error}`);
    return (body.results?.[0]?.series ?? []).flatMap((s) => s.values.map((v) => v[v.length - 1]!));
  };
  try {
    const measurements = await query("SHOW MEASUREMENTS WITH MEASUREMENT =~ /^(jobmanager|taskmanager)_/");
    if (measurements.length === 0) {
      return [
        {
          name: "Flink measurements arrive in InfluxDB",
          ok: false,
          detail: `database ${target.db} has no jobmanager_/taskmanager_ measurements`,
          fix: "check metrics.reporter.influxdb.* (host, port, db, username, password) and the flink-metrics-influxdb jar in plugins/",
        },
      ];
    }
    const checks: Check[] = [
      { name: "Flink measurements arrive in InfluxDB", ok: true, detail: `${measurements.length} measurements` },
    ];
    const uptime = storeNames(CATALOG.job.uptime).influxdb;
    const names = new Set(await query(`SHOW TAG VALUES FROM "${uptime}" WITH KEY = "job_name"`));
    for (const job of jobs.filter((j) => j.state === "RUNNING")) {
      const ok = names.has(job.name);
      checks.push(
        ok
          ? { name: `measurements for job "${job.name}" in InfluxDB`, ok }
          : {
              name: `measurements for job "${job.name}" in InfluxDB`,
              ok,
              detail: `no ${uptime} with job_name="${job.name}"`,
              fix: "the JobManager's InfluxDB reporter does not write: check its log for reporter errors",
            },
      );
    }
    return checks;
  } catch (error) {
    return [
      {
        name: "InfluxDB answers",
        ok: false,
        detail: (error as Error).message,
        fix: `check --influxdb-url, --influxdb-db and the credentials (${GRAFANA_ENV.influxdbReadPassword})`,
      },
    ];
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

export function formatDoctorText(report: DoctorReport): string {
  const lines = [`Flink ${report.flinkVersion ?? "(version unknown)"} at ${report.restUrl}`];
  lines.push(`TaskManagers (${report.taskManagers.length}):`);
  for (const tm of report.taskManagers)
    lines.push(
      `  ${tm.id}  slots ${tm.slotsFree}/${tm.slotsTotal} free  heartbeat ${tm.heartbeatAgeMs === undefined ? "?" : `${(tm.heartbeatAgeMs / 1000).toFixed(1)} s`} ago`,
    );
  lines.push(`Jobs (${report.jobs.length}):`);
  for (const job of report.jobs) lines.push(`  ${job.name}  ${job.state}`);
  lines.push("Checks:");
  for (const c of report.checks) {
    lines.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.name}${c.detail ? `: ${c.detail}` : ""}`);
    if (c.fix) lines.push(`       fix: ${c.fix}`);
  }
  for (const e of report.missingEndpoints) lines.push(`  note: ${e} does not exist in this Flink version (skipped)`);
  lines.push(report.healthy ? "healthy" : `${report.checks.filter((c) => !c.ok).length} problem(s) found`);
  return `${lines.join("\n")}\n`;
}
