/**
 * Where `collect` writes what it read. The Pushgateway: one group per host, as Flink's reporter pushes one per
 * process, each replaced every cycle, and the groups of hosts gone from the cluster deleted. InfluxDB 1.x: the
 * points in batches the server takes, and while it is down a bounded backlog (what does not fit is dropped and
 * counted).
 */
import { splitCredentials } from "./rest/url-credentials.js";
import { toPrometheusText, toInfluxLines } from "./rest/writers.js";
import type { Sample } from "./rest/samples.js";
import { CLUSTER_LABEL } from "../contract/services.js";

export interface WriteReport {
  /** Requests made to the store. */
  readonly requests: number;
  /** A line for the status output, when there is something to say (groups deleted, points dropped). */
  readonly note?: string;
}

export interface Sink {
  readonly name: string;
  write(samples: readonly Sample[]): Promise<WriteReport>;
}

async function send(withCredentials: string, init: RequestInit, what: string): Promise<string> {
  // fetch refuses URLs with credentials; they become the Authorization header, unless one is set already.
  const { url, authorization } = splitCredentials(withCredentials);
  const headers = {
    ...(authorization ? { Authorization: authorization } : {}),
    ...(init.headers as Record<string, string> | undefined),
  };
  const res = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${what} answered ${res.status}: ${text.slice(0, 200)}`);
  return text;
}

/** A grouping-key segment in the Pushgateway's base64 form: any value, empty ones included. */
const segment = (label: string, value: string) =>
  `${label}@base64/${value === "" ? "=" : Buffer.from(value).toString("base64url")}`;

/** Groups of this collector's job and cluster the Pushgateway holds now, by their host label. */
async function ownGroups(baseUrl: string, jobName: string, cluster: string): Promise<string[]> {
  const text = await send(`${baseUrl}/api/v1/metrics`, { method: "GET" }, "the Pushgateway");
  let groups: { labels: Record<string, string> }[];
  try {
    groups = (JSON.parse(text) as { data?: { labels: Record<string, string> }[] }).data ?? [];
  } catch {
    throw new Error(`${baseUrl}/api/v1/metrics is not the Pushgateway's group list (JSON; Pushgateway 1.0+)`);
  }
  return groups
    .map((g) => g.labels)
    .filter((l) => l.job === jobName && l[CLUSTER_LABEL] === cluster && l.host !== undefined)
    .map((l) => l.host!);
}

/**
 * PUT per host group, as Flink's PrometheusPushGatewayReporter replaces its group: series gone from Flink go from
 * the group. The cluster's name and the host are the grouping key; groups of hosts this cycle did not see (a
 * TaskManager gone) are deleted, so no stale series stays behind.
 */
export function pushgatewaySink(baseUrl: string, jobName: string, cluster: string): Sink {
  const base = baseUrl.replace(/\/$/, "");
  const group = (host: string) =>
    `${base}/metrics/job/${encodeURIComponent(jobName)}/${CLUSTER_LABEL}/${encodeURIComponent(cluster)}/${segment("host", host)}`;
  return {
    name: "Pushgateway",
    write: async (samples) => {
      const byHost = new Map<string, Sample[]>();
      for (const s of samples) {
        const host = s.labels.host ?? "";
        const list = byHost.get(host);
        if (list) list.push(s);
        else byHost.set(host, [s]);
      }
      const headers = { "Content-Type": "text/plain; version=0.0.4" };
      for (const [host, list] of byHost)
        await send(group(host), { method: "PUT", body: toPrometheusText(list), headers }, "the Pushgateway");
      const stale = (await ownGroups(base, jobName, cluster)).filter((h) => !byHost.has(h));
      for (const host of stale) await send(group(host), { method: "DELETE" }, "the Pushgateway");
      return {
        requests: byHost.size + 1 + stale.length,
        note: stale.length > 0 ? `${stale.length} group(s) of hosts gone deleted` : undefined,
      };
    },
  };
}

export interface InfluxTarget {
  readonly url: string;
  readonly db: string;
  readonly retentionPolicy: string;
  readonly user: string;
  readonly password: string;
  /** Tagged on every point, as flinkmon's reporter config has Flink tag it (scope.variables.additional). */
  readonly cluster: string;
}

/** Points per write request: InfluxDB's guidance for 1.x is batches of 5,000 to 10,000. */
export const INFLUX_BATCH = 5000;
/** Points kept while InfluxDB is down; older ones are dropped first (and counted). */
export const INFLUX_BACKLOG = 500_000;

/** Line protocol into the retention policy Flink's InfluxdbReporter writes to, in batches, a backlog kept. */
export function influxdbSink(target: InfluxTarget, limits = { batch: INFLUX_BATCH, backlog: INFLUX_BACKLOG }): Sink {
  const params = new URLSearchParams({ db: target.db, precision: "ms", rp: target.retentionPolicy });
  const auth = `Basic ${Buffer.from(`${target.user}:${target.password}`).toString("base64")}`;
  const url = `${target.url.replace(/\/$/, "")}/write?${params}`;
  let backlog: string[] = [];
  let dropped = 0;
  return {
    name: "InfluxDB",
    write: async (samples) => {
      const tagged = samples.map((s) => ({ ...s, labels: { ...s.labels, [CLUSTER_LABEL]: target.cluster } }));
      const lines = toInfluxLines(tagged, Date.now()).split("\n").filter(Boolean);
      backlog.push(...lines);
      if (backlog.length > limits.backlog) {
        dropped += backlog.length - limits.backlog;
        backlog = backlog.slice(backlog.length - limits.backlog);
      }
      let requests = 0;
      while (backlog.length > 0) {
        const batch = backlog.slice(0, limits.batch);
        requests++;
        await send(
          url,
          { method: "POST", body: `${batch.join("\n")}\n`, headers: { Authorization: auth } },
          "InfluxDB",
        );
        backlog = backlog.slice(batch.length);
      }
      const note =
        dropped > 0 ? `${dropped} point(s) dropped while InfluxDB was down (backlog ${limits.backlog})` : undefined;
      dropped = 0;
      return { requests, note };
    },
  };
}
