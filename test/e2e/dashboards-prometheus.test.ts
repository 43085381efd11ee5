/**
 * Every Prometheus panel target, variable query and alert query runs against real Prometheus fed the way Flink's
 * reporters feed it: exposition endpoints scraped by Prometheus (JobManager and two TaskManagers), with names from
 * the reference (test/helpers/flink-emitter.ts). The first TaskManager also pushes the same series to a real
 * Pushgateway (both reporters on, as in the example config): the generated config must keep one copy.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { configFromObject } from "../../config/load.js";
import { build } from "../../artifacts/build.js";
import {
  tempDir,
  writeTree,
  startPrometheus,
  startPushgateway,
  eventually,
  freePort,
  type RunningServer,
} from "../helpers/servers.js";
import { promQuery } from "../helpers/clients.js";
import { exposition, isJobManagerMetric, DEFAULT_IDENTITY } from "../helpers/flink-emitter.js";
import { dashboardTargets, queryVariables, substitute, alertQueries } from "../helpers/grafana-targets.js";

const started = Date.now();
const clock = () => (Date.now() - started) / 1000;
const BUILTINS = { $__rate_interval: "4s", $__range: "1m", $__interval: "1s" };

async function serve(port: number, body: () => string): Promise<Server> {
  const server = createServer((_, res) => {
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" });
    res.end(body());
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return server;
}

/** Grafana's label_values(selector, label) as the Prometheus data source runs it. */
async function labelValues(url: string, query: string): Promise<string[]> {
  const m = /^label_values\((.*), (\w+)\)$/.exec(query);
  assert.ok(m, `not a label_values query: ${query}`);
  const res = await fetch(
    `${url}/api/v1/series?${new URLSearchParams({ "match[]": m[1]!, start: String(started / 1000 - 60) })}`,
  );
  const body = (await res.json()) as { data: Record<string, string>[] };
  return [...new Set(body.data.map((s) => s[m[2]!]).filter((v): v is string => v !== undefined))].sort();
}

describe("dashboards and alerts on real Prometheus", () => {
  const servers: Server[] = [];
  let prometheus: RunningServer;
  let pushgateway: RunningServer;
  let pusher: NodeJS.Timeout;
  let artifacts: ReadonlyMap<string, string>;

  before(async () => {
    const jmPort = await freePort();
    const tmPort = await freePort();
    const tm2Port = await freePort();
    const second = { ...DEFAULT_IDENTITY, host: "10.0.0.6", tmId: "10.0.0.6:6122-d4e5f6" };
    servers.push(await serve(jmPort, () => exposition(clock(), DEFAULT_IDENTITY, isJobManagerMetric)));
    servers.push(await serve(tmPort, () => exposition(clock(), DEFAULT_IDENTITY, (m) => !isJobManagerMetric(m))));
    servers.push(await serve(tm2Port, () => exposition(clock(), second, (m) => !isJobManagerMetric(m))));
    const config = configFromObject({
      flink: {
        version: "1.20",
        reporters: ["prometheus", "pushgateway"],
        interval: "1s",
        latencyTrackingInterval: "30s",
        rocksdbNativeMetrics: true,
      },
      prometheus: {
        scrape: { jobmanagers: [`127.0.0.1:${jmPort}`], taskmanagers: [`127.0.0.1:${tmPort}`, `127.0.0.1:${tm2Port}`] },
      },
      customMetrics: [
        { name: "events", type: "counter", groups: ["fraud"], alert: { above: 0 } },
        { name: "queueSize", type: "gauge", alert: { below: 1000 } },
        { name: "scoreLatency", type: "histogram", groups: ["fraud"], unit: "ms", alert: { above: 1 } },
        { name: "alertsPerSecond", type: "meter", alert: { above: 0 } },
      ],
    });
    artifacts = build(config).artifacts;
    pushgateway = await startPushgateway();
    // The first TaskManager's PushGateway reporter: PUT of its whole registry every interval (the scraped series).
    const push = () =>
      fetch(`${pushgateway.url}/metrics/job/flink0123456789abcdef0123456789abcdef`, {
        method: "PUT",
        body: exposition(clock(), DEFAULT_IDENTITY, (m) => !isJobManagerMetric(m)),
      }).catch(() => undefined);
    await push();
    pusher = setInterval(push, 1000);
    const dir = tempDir("prom-dash");
    const files = new Map(
      [...artifacts].filter(([p]) => p.startsWith("prometheus/")).map(([p, c]) => [p.slice("prometheus/".length), c]),
    );
    writeTree(dir, files);
    writeFileSync(
      join(dir, "prometheus.yml"),
      files.get("prometheus.yml")!.replace('"pushgateway:9091"', `"127.0.0.1:${pushgateway.port}"`),
    );
    prometheus = await startPrometheus(join(dir, "prometheus.yml"));
    // Enough history for rates, offsets and subqueries stepping once per scrape.
    await eventually(
      "15 s of scraped history",
      async () => {
        const r = await promQuery(
          prometheus.url,
          "count_over_time(flink_jobmanager_job_numberOfCompletedCheckpoints[1m]) >= 15",
        );
        return r.length > 0 ? true : undefined;
      },
      40_000,
    );
  });

  after(async () => {
    clearInterval(pusher);
    for (const s of servers) s.close();
    await prometheus?.stop();
    await pushgateway?.stop();
  });

  for (const key of ["flink-jobmanager", "flink-taskmanager", "flink-job"]) {
    it(`every ${key} variable and panel target returns series`, async () => {
      const dashboard = JSON.parse(artifacts.get(`grafana/dashboards/prometheus/${key}.json`)!);
      const values: Record<string, string> = {};
      for (const v of queryVariables(dashboard)) {
        const options = await labelValues(prometheus.url, substitute(v.query, values, BUILTINS));
        assert.ok(options.length > 0, `variable ${v.name} has no values: ${v.query}`);
        values[v.name] = options[0]!;
      }
      const empty: string[] = [];
      for (const t of dashboardTargets(key, dashboard)) {
        const query = substitute(t.text, values, BUILTINS);
        const series = await promQuery(prometheus.url, query);
        if (series.length === 0) empty.push(`${t.panel} ${t.refId}: ${query}`);
      }
      assert.deepEqual(empty, [], "targets without data");
    });
  }

  it("the custom metrics row has one panel per declared metric, each returning data", () => {
    const dashboard = JSON.parse(artifacts.get("grafana/dashboards/prometheus/flink-job.json")!);
    const row = dashboard.panels.findIndex((p: { title: string }) => p.title === "Custom metrics");
    assert.ok(row > 0);
    assert.deepEqual(
      dashboard.panels.slice(row + 1).map((p: { title: string }) => p.title),
      ["fraud.events", "queueSize", "fraud.scoreLatency", "alertsPerSecond"],
    );
  });

  it("a TaskManager both scraped and pushed is counted once (prometheus.source keeps the scraped copy)", async () => {
    const scraped = artifacts.get("prometheus/prometheus.yml")!;
    assert.match(
      scraped,
      /metric_relabel_configs:\n\s+- source_labels: \[__name__\]\n\s+regex: "flink_\.\+"\n\s+action: drop/,
    );
    // The push arrived and the Pushgateway is scraped: only the generated relabelling keeps its copy out.
    const pushed = await (await fetch(`${pushgateway.url}/metrics`)).text();
    assert.match(pushed, /flink_taskmanager_job_task_numRecordsInPerSecond\{[^}]*tm_id="10_0_0_5:6122_a1b2c3"/);
    await eventually("the Pushgateway's own push_time_seconds in Prometheus", async () => {
      const r = await promQuery(prometheus.url, 'push_time_seconds{job="flink0123456789abcdef0123456789abcdef"}');
      return r.length > 0 ? r : undefined;
    });
    const perTm = await promQuery(
      prometheus.url,
      "count by (tm_id) (flink_taskmanager_job_task_numRecordsInPerSecond)",
    );
    const counts = Object.fromEntries(perTm.map((r) => [r.metric.tm_id, Number(r.value![1])]));
    assert.equal(Object.keys(counts).length, 2, JSON.stringify(counts));
    assert.equal(
      counts["10_0_0_5:6122_a1b2c3"],
      counts["10_0_0_6:6122_d4e5f6"],
      `one copy each: ${JSON.stringify(counts)}`,
    );
    const sum = await promQuery(prometheus.url, "sum(flink_taskmanager_Status_JVM_CPU_Load)");
    const each = await promQuery(prometheus.url, "flink_taskmanager_Status_JVM_CPU_Load");
    assert.equal(each.length, 2);
    assert.equal(Number(sum[0]!.value![1]).toFixed(6), each.reduce((a, r) => a + Number(r.value![1]), 0).toFixed(6));
  });

  it("the TaskManager variable offers both TaskManagers", async () => {
    const dashboard = JSON.parse(artifacts.get("grafana/dashboards/prometheus/flink-taskmanager.json")!);
    const tm = queryVariables(dashboard).find((v) => v.name === "tm_id")!;
    const query = substitute(tm.query, { cluster: "default" }, BUILTINS);
    assert.deepEqual(await labelValues(prometheus.url, query), ["10_0_0_5:6122_a1b2c3", "10_0_0_6:6122_d4e5f6"]);
  });

  it("CPU cores used: the CPU time counter's nanoseconds per second, in cores", async () => {
    const dashboard = JSON.parse(artifacts.get("grafana/dashboards/prometheus/flink-jobmanager.json")!);
    const cpu = dashboardTargets("jm", dashboard).find((t) => t.panel === "CPU cores used")!;
    const [series] = await promQuery(prometheus.url, substitute(cpu.text, { cluster: "default" }, BUILTINS));
    // The emitter's JobManager uses 0.7 of a core (CPU.Time grows 700 000 000 ns per second).
    assert.ok(Math.abs(Number(series!.value![1]) - 0.7) < 0.05, `${series!.value![1]} cores`);
  });

  it("GC panels see every collector by name, and not the All sum", async () => {
    const dashboard = JSON.parse(artifacts.get("grafana/dashboards/prometheus/flink-jobmanager.json")!);
    const gc = dashboardTargets("jm", dashboard).find((t) => t.panel === "GC time per second")!;
    const collectors = (await promQuery(prometheus.url, substitute(gc.text, { cluster: "default" }, BUILTINS)))
      .map((s) => s.metric.collector)
      .sort();
    assert.deepEqual(collectors, ["PS_MarkSweep", "PS_Scavenge"]);
  });

  it("every alert query returns series, and Prometheus loads every rule without error", async () => {
    const queries = alertQueries(artifacts.get("grafana/provisioning/alerting/flinkmon-alerts.yaml")!);
    assert.ok(queries.length >= 14, `${queries.length} alert queries`);
    assert.equal(
      queries.filter((q) => q.rule.startsWith("Flink custom metric")).length,
      4,
      "one per declared custom alert",
    );
    for (const q of queries) {
      assert.equal(q.datasourceUid, "flinkmon-prometheus");
      assert.doesNotMatch(q.text, /\$[a-z_]/, `${q.rule}: no template variables in alert queries`);
      const series = await promQuery(prometheus.url, q.text);
      assert.ok(series.length > 0, `${q.rule}: ${q.text}`);
    }
    const res = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as {
      data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] };
    };
    const rules = res.data.groups.flatMap((g) => g.rules);
    assert.ok(rules.length >= 10);
    await eventually("every rule evaluated without error", async () => {
      const again = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as typeof res;
      const bad = again.data.groups.flatMap((g) => g.rules).filter((r) => r.health !== "ok");
      return bad.length === 0 ? true : undefined;
    });
  });
});
