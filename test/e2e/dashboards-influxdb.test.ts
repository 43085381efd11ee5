/**
 * Every InfluxDB panel target, variable query and Grafana alert query runs against real InfluxDB 1.x, written to
 * the way Flink's InfluxdbReporter writes (line protocol, tags and fields per metric type; names from the
 * reference in test/helpers/flink-emitter.ts), through the stack's own auth setup.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { configFromObject } from "../../config/load.js";
import { build } from "../../artifacts/build.js";
import type { RunningServer } from "../helpers/servers.js";
import { influxQuery } from "../helpers/clients.js";
import { startInitializedInflux, usersFromConfig, writeAsFlink } from "../helpers/influx-init.js";
import { DEFAULT_IDENTITY, lineProtocol } from "../helpers/flink-emitter.js";
import { dashboardTargets, queryVariables, substitute, alertQueries } from "../helpers/grafana-targets.js";

const BUILTINS = { $timeFilter: "time > now() - 15m", $__interval: "10s" };
const RAW = {
  flink: {
    version: "1.20",
    reporters: ["influxdb"],
    interval: "5s",
    latencyTrackingInterval: "30s",
    rocksdbNativeMetrics: true,
  },
  customMetrics: [
    { name: "events", type: "counter", groups: ["fraud"], alert: { above: 0 } },
    { name: "queueSize", type: "gauge", alert: { below: 1000 } },
    { name: "scoreLatency", type: "histogram", groups: ["fraud"], unit: "ms", alert: { above: 1 } },
    { name: "alertsPerSecond", type: "meter", alert: { above: 0 } },
  ],
};
const config = configFromObject(RAW);
const artifacts = build(config).artifacts;
const users = usersFromConfig(config);

/** Series returned by an InfluxQL query (errors fail loudly). */
async function seriesOf(url: string, q: string): Promise<any[]> {
  const r = await influxQuery(url, q, users.reader, users.db);
  assert.equal(r.status, 200, `${q}: ${JSON.stringify(r.body)}`);
  const result = r.body.results[0];
  assert.equal(result.error, undefined, `${q}: ${result.error}`);
  return result.series ?? [];
}

describe("dashboards and alerts on real InfluxDB", () => {
  let influx: RunningServer;

  before(async () => {
    influx = await startInitializedInflux(artifacts, users);
    // Five minutes of reports every 5 s, as the reporter writes them: one batch per interval, one timestamp.
    const now = Date.now();
    const batches: string[] = [];
    // The reporter tags every point with flink.cluster (scope.variables.additional, 1.15+).
    const id = { ...DEFAULT_IDENTITY, additional: { cluster: config.flink.cluster } };
    for (let t = 0; t <= 300; t += 5) batches.push(lineProtocol(t, now - (300 - t) * 1000, id));
    await writeAsFlink(influx.url, users, config, batches.join(""));
  });

  after(async () => {
    await influx?.stop();
  });

  for (const key of ["flink-jobmanager", "flink-taskmanager", "flink-job"]) {
    it(`every ${key} variable and panel target returns series`, async () => {
      const dashboard = JSON.parse(artifacts.get(`grafana/dashboards/influxdb/${key}.json`)!);
      const values: Record<string, string> = {};
      for (const v of queryVariables(dashboard)) {
        const series = await seriesOf(influx.url, substitute(v.query, values, BUILTINS));
        const options = series.flatMap((s) => s.values.map((row: string[]) => row[1]!));
        assert.ok(options.length > 0, `variable ${v.name} has no values: ${v.query}`);
        values[v.name] = options.sort()[0];
      }
      const empty: string[] = [];
      for (const t of dashboardTargets(key, dashboard)) {
        const query = substitute(t.text, values, BUILTINS);
        if ((await seriesOf(influx.url, query)).length === 0) empty.push(`${t.panel} ${t.refId}: ${query}`);
      }
      assert.deepEqual(empty, [], "targets without data");
    });
  }

  it("before Flink 1.14 the watermark panel shows the lowest set watermark as a time, never Long.MIN_VALUE", async () => {
    // An operator whose watermark is unset reports Long.MIN_VALUE.
    const unset = `taskmanager_job_task_operator_currentOutputWatermark,job_name=Fraud\\ Detection,operator_name=Unset,task_name=Window value=-9223372036854775808 ${Date.now()}\n`;
    // Flink 1.13's reporter writes no cluster tag (scope.variables.additional is 1.15+).
    const untagged = lineProtocol(300, Date.now());
    await writeAsFlink(influx.url, users, config, unset + untagged);
    const old = build(configFromObject({ ...RAW, flink: { ...RAW.flink, version: "1.13" } })).artifacts;
    const job = JSON.parse(old.get("grafana/dashboards/influxdb/flink-job.json")!);
    const target = dashboardTargets("flink-job", job).find((t) => t.panel === "Lowest output watermark")!;
    // The job selected, every task and operator ("All" is an unescaped .* in Grafana). Flink 1.13 writes no
    // cluster tag: the cluster variable has no value, and its empty value selects the points without the tag.
    const all = target.text.split("$task_name").join(".*").split("$operator_name").join(".*");
    const query = substitute(all, { cluster: "", job_name: "Fraud Detection" }, BUILTINS);
    const values = (await seriesOf(influx.url, query)).flatMap((s: any) =>
      s.values.map((v: unknown[]) => v[1] as number),
    );
    assert.ok(values.length > 0, query);
    assert.ok(
      values.every((v) => v > Date.now() - 3_600_000),
      `epoch milliseconds only: ${values.slice(0, 5).join(", ")}`,
    );
  });

  it("GC panels see every collector's measurement", async () => {
    const dashboard = JSON.parse(artifacts.get("grafana/dashboards/influxdb/flink-taskmanager.json")!);
    const gc = dashboardTargets("tm", dashboard).find((t) => t.panel === "GC time per second")!;
    const values = { cluster: config.flink.cluster, tm_id: "10.0.0.5:6122-a1b2c3" };
    const series = await seriesOf(influx.url, substitute(gc.text, values, BUILTINS));
    const names = [...new Set(series.map((s) => s.name))].sort();
    assert.ok(names.includes("taskmanager_Status_JVM_GarbageCollector_G1_Young_Generation_Time"), names.join());
    assert.ok(names.includes("taskmanager_Status_JVM_GarbageCollector_G1_Old_Generation_Time"), names.join());
  });

  it("Grafana alerts use InfluxDB when it is the only store, and every alert query returns series", async () => {
    const queries = alertQueries(artifacts.get("grafana/provisioning/alerting/flinkmon-alerts.yaml")!);
    assert.ok(new Set(queries.map((q) => q.rule)).size >= 14, `${queries.length} alert queries`);
    assert.equal(new Set(queries.filter((q) => q.rule.startsWith("Flink custom metric")).map((q) => q.rule)).size, 4);
    for (const q of queries) {
      assert.equal(q.datasourceUid, "flinkmon-influxdb");
      // A fixed bucket, or none: the rule's look-back is then the window (counters' growth over a trailing window).
      assert.doesNotMatch(q.text, /\$__interval/, `${q.rule}: InfluxDB alert queries use no dashboard interval`);
      assert.doesNotMatch(q.text, /\$(?!timeFilter)[a-zA-Z_]/, `${q.rule}: no template variables`);
      const series = await seriesOf(influx.url, substitute(q.text, {}, BUILTINS));
      assert.ok(series.length > 0, `${q.rule}: ${q.text}`);
    }
  });
});
