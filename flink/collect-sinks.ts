/** Where `collect` writes what it read: the Pushgateway (one group, replaced every cycle) or InfluxDB 1.x. */
import { splitCredentials } from "./rest/url-credentials.js";
import { toPrometheusText, toInfluxLines } from "./rest/writers.js";
import type { Sample } from "./rest/samples.js";
import { CLUSTER_LABEL } from "../contract/services.js";

export interface Sink {
  readonly name: string;
  write(samples: readonly Sample[]): Promise<void>;
}

async function send(withCredentials: string, init: RequestInit, what: string): Promise<void> {
  // fetch refuses URLs with credentials; they become the Authorization header, unless one is set already.
  const { url, authorization } = splitCredentials(withCredentials);
  const headers = {
    ...(authorization ? { Authorization: authorization } : {}),
    ...(init.headers as Record<string, string> | undefined),
  };
  const res = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${what} answered ${res.status}: ${text.slice(0, 200)}`);
}

/**
 * PUT of the whole group, as Flink's PrometheusPushGatewayReporter does: series gone from Flink go from the group.
 * The cluster's name is in the grouping key, as flinkmon's reporter config puts it (the Pushgateway adds it to
 * every series of the group).
 */
export function pushgatewaySink(baseUrl: string, jobName: string, cluster: string): Sink {
  const url = `${baseUrl.replace(/\/$/, "")}/metrics/job/${encodeURIComponent(jobName)}/${CLUSTER_LABEL}/${encodeURIComponent(cluster)}`;
  return {
    name: "Pushgateway",
    write: (samples) =>
      send(
        url,
        { method: "PUT", body: toPrometheusText(samples), headers: { "Content-Type": "text/plain; version=0.0.4" } },
        "the Pushgateway",
      ),
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

/** Line protocol into the retention policy Flink's InfluxdbReporter writes to, one batch per cycle. */
export function influxdbSink(target: InfluxTarget): Sink {
  const params = new URLSearchParams({ db: target.db, precision: "ms", rp: target.retentionPolicy });
  const auth = `Basic ${Buffer.from(`${target.user}:${target.password}`).toString("base64")}`;
  const url = `${target.url.replace(/\/$/, "")}/write?${params}`;
  return {
    name: "InfluxDB",
    write: (samples) =>
      send(
        url,
        {
          method: "POST",
          body: toInfluxLines(
            samples.map((s) => ({ ...s, labels: { ...s.labels, [CLUSTER_LABEL]: target.cluster } })),
            Date.now(),
          ),
          headers: { Authorization: auth },
        },
        "InfluxDB",
      ),
  };
}
