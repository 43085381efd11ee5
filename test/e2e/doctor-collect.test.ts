/**
 * doctor and collect against the fake Flink REST API and real stores: `collect --once` into a real Pushgateway
 * scraped by a real Prometheus and into a real InfluxDB, after which the key queries of the job and TaskManager
 * dashboards return data; doctor for healthy, reporter missing, no data arriving, and unreachable.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { configFromObject } from "../../config/load.js";
import { build } from "../../artifacts/build.js";
import {
  tempDir,
  writeTree,
  startPrometheus,
  startPushgateway,
  startInfluxd,
  eventually,
  freePort,
  type RunningServer,
} from "../helpers/servers.js";
import { promQuery, influxQuery } from "../helpers/clients.js";
import { initInflux, usersFromConfig } from "../helpers/influx-init.js";
import { startFakeFlink, REPORTER_CONFIG, type FakeFlink } from "../helpers/fake-flink.js";
import { dashboardTargets, substitute } from "../helpers/grafana-targets.js";
import { runCliAsync as cli } from "../helpers/cli.js";

/** Panels whose every query must return data after one collect (the dashboards' key queries). */
const KEY_PANELS = {
  "flink-taskmanager": [
    "CPU load",
    "Heap memory",
    "Direct memory",
    "Threads",
    "Managed memory",
    "Network memory segments",
    "GC time per second",
  ],
  "flink-job": [
    "Running time",
    "Restarts",
    "Checkpoint duration",
    "Checkpoint size",
    "Records per second by task",
    "Bytes per second by task",
    "Records per second by operator",
    "Back-pressured time",
    "Busy time",
    "Idle time",
    "Input buffer pool usage",
    "Output buffer pool usage",
    "Source backlog (pendingRecords)",
    "Kafka consumer lag (records-lag-max)",
  ],
};

describe("collect and doctor on real stores", () => {
  /** doctor against the fake cluster with both stores to check. */
  const doctorWithStores = () => [
    "doctor",
    "--rest-url",
    flink.url,
    "--config",
    configFile,
    "--prometheus-url",
    prometheus.url,
    "--influxdb-url",
    influx.url,
    "--influxdb-user",
    users.reader.user,
  ];

  const configFile = join(tempDir("doctor-config"), "flinkmon.config.yaml");
  writeFileSync(
    configFile,
    'flink:\n  version: "1.20"\n  cluster: east\n  reporters: [pushgateway, influxdb]\n  interval: 1s\n',
  );
  const config = configFromObject({
    flink: { version: "1.20", cluster: "east", reporters: ["pushgateway", "influxdb"], interval: "1s" },
  });
  const artifacts = build(config).artifacts;
  const users = usersFromConfig(config);
  let flink: FakeFlink;
  let bare: FakeFlink;
  let pushgateway: RunningServer;
  let prometheus: RunningServer;
  let influx: RunningServer;

  before(async () => {
    flink = await startFakeFlink({ jmConfig: [...REPORTER_CONFIG.pushgateway, ...REPORTER_CONFIG.influxdb] });
    bare = await startFakeFlink({ jmConfig: [] });
    pushgateway = await startPushgateway();
    const dir = tempDir("collect-prom");
    writeTree(
      dir,
      new Map(
        [...artifacts].filter(([p]) => p.startsWith("prometheus/")).map(([p, c]) => [p.slice("prometheus/".length), c]),
      ),
    );
    writeFileSync(
      join(dir, "prometheus.yml"),
      artifacts.get("prometheus/prometheus.yml")!.replace('"pushgateway:9091"', `"127.0.0.1:${pushgateway.port}"`),
    );
    prometheus = await startPrometheus(join(dir, "prometheus.yml"));
    const influxDir = tempDir("collect-influx");
    writeFileSync(join(influxDir, "influxdb.conf"), artifacts.get("influxdb/influxdb.conf")!);
    influx = await startInfluxd(join(influxDir, "influxdb.conf"));
    await initInflux(influx.url, users, [artifacts.get("influxdb/init/01-flinkmon.iql")!]);
  });

  after(async () => {
    await flink?.close();
    await bare?.close();
    await prometheus?.stop();
    await pushgateway?.stop();
    await influx?.stop();
  });

  it("doctor: unreachable cluster exits 2 with the reason", async () => {
    const r = await cli([
      "doctor",
      "--rest-url",
      `http://127.0.0.1:${await freePort()}`,
      "--config",
      configFile,
      "--timeout",
      "500",
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot reach .*ECONNREFUSED/);
  });

  it("doctor: reporters missing on the cluster exit 1 with the fix", async () => {
    const r = await cli(["doctor", "--rest-url", bare.url, "--config", configFile]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stdout,
      /FAIL Prometheus PushGateway reporter configured: no metrics\.reporter\.\*\.factory\.class = org\.apache\.flink\.metrics\.prometheus\.PrometheusPushGatewayReporterFactory/,
    );
    assert.match(
      r.stdout,
      /fix: add the block printed by `npx flinkmon conf --flink-version 1\.20\.0 --reporter pushgateway`/,
    );
  });

  it("doctor: no data arriving exits 1 and says where", async () => {
    const r = await cli(doctorWithStores(), { FLINKMON_INFLUXDB_READ_PASSWORD: users.reader.password });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /ok {3}Prometheus PushGateway reporter configured/);
    assert.match(
      r.stdout,
      /FAIL Flink series arrive in Prometheus: Prometheus has no flink_ series at all\n\s+fix: check that Flink pushes to the Pushgateway/,
    );
    assert.match(
      r.stdout,
      /FAIL Flink measurements arrive in InfluxDB: database flink has no jobmanager_\/taskmanager_ measurements/,
    );
  });

  it("collect --once into the Pushgateway: the key dashboard queries return data in Prometheus", async () => {
    const r = await cli([
      "collect",
      "--rest-url",
      flink.url,
      "--config",
      configFile,
      "--pushgateway-url",
      pushgateway.url,
      "--once",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^collect .*: \d+ series \(2 TaskManagers, 1 jobs, 3 subtasks\) → Pushgateway in \d+ ms, \d+ REST requests, \d+ to the store\n$/,
    );
    await eventually("collected series in Prometheus", async () =>
      (await promQuery(prometheus.url, "flink_taskmanager_job_task_numRecordsInPerSecond")).length === 3
        ? true
        : undefined,
    );
    await new Promise((r) => setTimeout(r, 5000)); // a few scrapes, for the offset/rate windows (4 × 1 s)
    const values = {
      cluster: "east",
      tm_id: "10_0_0_5:6122_a1b2c3",
      job_name: "Fraud_Detection",
      task_name: "Source:_Kafka____Map",
      operator_name: "Source:_Kafka",
    };
    for (const [key, panels] of Object.entries(KEY_PANELS)) {
      const dashboard = JSON.parse(artifacts.get(`grafana/dashboards/prometheus/${key}.json`)!);
      for (const t of dashboardTargets(key, dashboard).filter((t) => panels.includes(t.panel))) {
        const query = substitute(t.text, values, { $__rate_interval: "4s", $__range: "1m", $__interval: "1s" });
        assert.ok((await promQuery(prometheus.url, query)).length > 0, `${key} › ${t.panel} ${t.refId}: ${query}`);
      }
    }
    const labels = (await promQuery(prometheus.url, "flink_taskmanager_job_task_operator_numRecordsInPerSecond"))[0]!
      .metric;
    assert.equal(labels.job, "flinkmon-collect");
    assert.equal(labels.cluster, "east", "the cluster's name from the grouping key, as the reporter pushes it");
    assert.equal(
      labels.task_name,
      "Source:_Kafka____Map",
      "label values filtered like the reporter's ([^a-zA-Z0-9:_] → _)",
    );
  });

  it("collect leaves no series of a job that no longer runs in the Pushgateway: each cycle replaces the group", async () => {
    let state = "RUNNING";
    const finishing = await startFakeFlink({ jobState: () => state });
    try {
      // A group of its own: the group the other tests collect into keeps its job.
      const once = () =>
        cli([
          "collect",
          "--rest-url",
          finishing.url,
          "--config",
          configFile,
          "--pushgateway-url",
          pushgateway.url,
          "--job-name",
          "flinkmon-collect-finishing",
          "--once",
        ]);
      const jobSeries = async () =>
        (await (await fetch(`${pushgateway.url}/metrics`)).text())
          .split("\n")
          .filter(
            (l) =>
              l.startsWith("flink_taskmanager_job_task_numRecordsInPerSecond{") &&
              l.includes('job="flinkmon-collect-finishing"'),
          );
      assert.equal((await once()).code, 0);
      assert.equal((await jobSeries()).length, 3, "one series per subtask while the job runs");
      state = "FINISHED";
      assert.equal((await once()).code, 0);
      assert.deepEqual(await jobSeries(), [], "the finished job's series are gone from the group");
    } finally {
      await finishing.close();
      // Two groups with the same JobManager series would be a second delivery path to the doctor tests below.
      const groups = (await (await fetch(`${pushgateway.url}/api/v1/metrics`)).json()) as {
        data: { labels: Record<string, string> }[];
      };
      for (const { labels } of groups.data.filter((g) => g.labels.job === "flinkmon-collect-finishing")) {
        const key = Object.entries(labels)
          .filter(([k]) => k !== "job")
          .map(([k, v]) => `${k}@base64/${v === "" ? "=" : Buffer.from(v).toString("base64url")}`)
          .join("/");
        await fetch(`${pushgateway.url}/metrics/job/${labels.job}/${key}`, { method: "DELETE" });
      }
      await eventually("the deleted group gone from Prometheus", async () =>
        (await promQuery(prometheus.url, '{job="flinkmon-collect-finishing"}')).length === 0 ? true : undefined,
      );
    }
  });

  it("collect --once into InfluxDB: the key dashboard queries return data", async () => {
    const r = await cli(
      ["collect", "--rest-url", flink.url, "--config", configFile, "--influxdb-url", influx.url, "--once"],
      { FLINKMON_INFLUXDB_WRITE_PASSWORD: users.writer.password },
    );
    assert.equal(r.code, 0, r.stderr);
    const values = {
      cluster: "east",
      tm_id: "10.0.0.5:6122-a1b2c3",
      job_name: "Fraud Detection",
      task_name: "Source: Kafka -> Map",
      operator_name: "Source: Kafka",
    };
    for (const [key, panels] of Object.entries(KEY_PANELS)) {
      const dashboard = JSON.parse(artifacts.get(`grafana/dashboards/influxdb/${key}.json`)!);
      for (const t of dashboardTargets(key, dashboard).filter(
        (t) => panels.includes(t.panel) && t.panel !== "GC time per second",
      )) {
        const query = substitute(t.text, values, { $timeFilter: "time > now() - 5m", $__interval: "10s" });
        const res = await influxQuery(influx.url, query, users.reader, users.db);
        assert.equal(res.body.results[0].error, undefined, query);
        assert.ok((res.body.results[0].series ?? []).length > 0, `${key} › ${t.panel} ${t.refId}: ${query}`);
      }
    }
    const tags = await influxQuery(
      influx.url,
      'SHOW TAG VALUES FROM "taskmanager_job_task_operator_KafkaSourceReader_KafkaConsumer_records-lag-max" WITH KEY = "operator_name"',
      users.reader,
      users.db,
    );
    assert.deepEqual(
      tags.body.results[0].series[0].values.map((v: string[]) => v[1]).sort(),
      ["Source: Kafka", "Window"],
      "unfiltered tags, raw metric name",
    );
  });

  it("doctor: healthy once data arrives (exit 0), and JSON output", async () => {
    const r = await cli([...doctorWithStores(), "--format", "json"], {
      FLINKMON_INFLUXDB_READ_PASSWORD: users.reader.password,
    });
    const report = JSON.parse(r.stdout);
    assert.equal(r.code, 0, JSON.stringify(report.checks.filter((c: { ok: boolean }) => !c.ok)));
    assert.equal(report.flinkVersion, "1.20.0");
    assert.equal(report.taskManagers.length, 2);
    assert.deepEqual(
      report.jobs.map((j: { name: string }) => j.name),
      ["Fraud Detection"],
    );
    assert.ok(report.checks.some((c: { name: string }) => c.name === 'series for job "Fraud Detection" in Prometheus'));
  });
});
