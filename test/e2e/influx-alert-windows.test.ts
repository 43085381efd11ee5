/**
 * InfluxDB alert queries on counters, replayed on real InfluxDB over hours of a healthy job: the job completes a
 * checkpoint every 3 minutes, so "checkpoints not completing" must never see a window without growth. Each
 * evaluation runs the rule's query as Grafana would, with $timeFilter the rule's look-back ending at that moment.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { configFromObject } from "../../config/load.js";
import { build } from "../../artifacts/build.js";
import { alertDefinitions } from "../../dashboards/alerts/definitions.js";
import type { RunningServer } from "../helpers/servers.js";
import { influxQuery } from "../helpers/clients.js";
import { startInitializedInflux, usersFromConfig, writeAsFlink } from "../helpers/influx-init.js";

const config = configFromObject({ flink: { version: "1.20", reporters: ["influxdb"], interval: "15s" } });
const artifacts = build(config).artifacts;
const users = usersFromConfig(config);
const HOURS = 6;
// Within the retention policy, and not aligned to any bucket.
const START = Math.floor(Date.now() / 900_000) * 900_000 - (HOURS + 1) * 3600_000 + 7_000;

/** The value Grafana's reduce("last") takes from the query's result at `at` (ms), or undefined for no data. */
async function evaluate(influx: RunningServer, query: string, lookbackSeconds: number, at: number) {
  const text = query.replace("$timeFilter", `time > ${(at - lookbackSeconds * 1000) * 1e6} AND time <= ${at * 1e6}`);
  const r = await influxQuery(influx.url, text, users.reader, users.db);
  const values = r.body.results[0].series?.[0]?.values as [string, number][] | undefined;
  return values?.at(-1)?.[1];
}

describe("InfluxDB counter alerts over a trailing window", () => {
  let influx: RunningServer;

  before(async () => {
    influx = await startInitializedInflux(artifacts, users);
    // The reporter writes every 15 s; the counter grows by one every 3 minutes.
    const lines: string[] = [];
    for (let s = 0; s <= HOURS * 3600; s += 15)
      lines.push(
        `jobmanager_job_numberOfCompletedCheckpoints,job_name=etl value=${Math.floor(s / 180)}i ${START + s * 1000}`,
      );
    await writeAsFlink(influx.url, users, config, lines.join("\n"));
  });

  after(async () => {
    await influx?.stop();
  });

  it("FlinkNoCompletedCheckpoint never fires on a job that checkpoints every 3 minutes (89 evaluations)", async () => {
    const def = alertDefinitions(config).find((d) => d.name === "noCompletedCheckpoint")!;
    const query = def.query.influxdb as string;
    const fired: number[] = [];
    for (let i = 0; i < 89; i++) {
      const at = START + 3600_000 + i * 197_000; // every 3 min 17 s, across bucket boundaries
      const value = await evaluate(influx, query, def.query.lookbackSeconds, at);
      if (value === undefined || value < def.limit) fired.push(i);
    }
    assert.deepEqual(fired, [], `fired at evaluations ${fired.join(", ")}: ${query}`);
    // The same data in epoch-aligned buckets, as before: the partial current bucket misses checkpoints.
    const bucketed = query.replace(
      'GROUP BY "cluster", "job_name"',
      'GROUP BY time(15m), "cluster", "job_name" fill(none)',
    );
    assert.notEqual(bucketed, query);
    let bucketedFired = 0;
    for (let i = 0; i < 89; i++) {
      const value = await evaluate(influx, bucketed, def.query.lookbackSeconds, START + 3600_000 + i * 197_000);
      if (value === undefined || value < def.limit) bucketedFired++;
    }
    assert.ok(bucketedFired > 0, "the replay is sensitive: bucketed windows fire on this healthy job");
  });
});
