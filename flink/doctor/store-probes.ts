/** Do the cluster's series arrive in the stores? Probes of Prometheus and InfluxDB, each failure with its fix. */
import { redactUrl, splitCredentials } from "../rest/url-credentials.js";
import { GRAFANA_ENV } from "../../contract/grafana.js";
import { describeTargets, scrapesFlink, type MonitoringConfig } from "../../config/resolve.js";
import { CATALOG, storeNames } from "../catalog.js";
import { PROMETHEUS_FLINK_SERIES, prometheusLabelValue } from "../naming.js";
import type { Check, DoctorReport, StoreTargets } from "./report.js";

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

export async function prometheusChecks(
  config: MonitoringConfig,
  url: string,
  jobs: DoctorReport["jobs"],
): Promise<Check[]> {
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
    const ok = seen.has(prometheusLabelValue(job.name)) || seen.has(job.name);
    checks.push(
      ok
        ? { name: `series for job "${job.name}" in Prometheus`, ok }
        : {
            name: `series for job "${job.name}" in Prometheus`,
            ok,
            detail: `no ${uptime}{job_name="${prometheusLabelValue(job.name)}"}`,
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

export async function influxChecks(
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
