/**
 * The files the synthesized stack uploads, run for real: decoded from cdk.tf.json and served by Debian's
 * prometheus, prometheus-pushgateway and influxd. Differences from the containers: loopback ports instead of
 * the Docker network's names (the Pushgateway target is rewritten), and the InfluxDB image's init script is
 * re-enacted with the same statements, users and files (the image itself cannot run here).
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import { synthStack, uploadsOf } from "../helpers/synth.js";
import {
  tempDir,
  writeTree,
  startPrometheus,
  startPushgateway,
  startInfluxd,
  promtool,
  eventually,
  type RunningServer,
} from "../helpers/servers.js";
import { promQuery, influxQuery, influxWrite } from "../helpers/clients.js";
import { usersFromEnv, initInflux } from "../helpers/influx-init.js";

const CONFIG = {
  flink: {
    version: "1.20",
    cluster: "e2e",
    reporters: ["prometheus", "pushgateway", "influxdb"],
    interval: "1s",
    reporter: { pushgateway: { jobName: "flink" } },
  },
  // Flink's series reach Prometheus through the Pushgateway (with "scrape" the pushed copy is dropped).
  prometheus: { source: "pushgateway" },
  influxdb: { retentionPolicy: { name: "one_hour", duration: "1h" } },
};
const stack = synthStack(CONFIG).json;
const containers = stack.resource.docker_container;

/** The container's files below `containerDir`, as paths relative to it. */
function filesUnder(container: any, containerDir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, content] of uploadsOf(container))
    if (file.startsWith(`${containerDir}/`)) out.set(file.slice(containerDir.length + 1), content);
  return out;
}

describe("stack files on real Prometheus and Pushgateway", () => {
  let pushgateway: RunningServer;
  let prometheus: RunningServer;
  let configFile: string;

  before(async () => {
    const dir = tempDir("prom-conf");
    writeTree(dir, filesUnder(containers.prometheus, "/etc/prometheus"));
    configFile = join(dir, "prometheus.yml");
    const check = promtool(["check", "config", configFile]);
    assert.equal(check.code, 0, `promtool check config on the shipped file:\n${check.output}`);
    pushgateway = await startPushgateway(join(dir, "pushgateway-metrics.db"));
    const shipped = readFileSync(configFile, "utf8");
    assert.match(shipped, /"pushgateway:9091"/);
    writeFileSync(configFile, shipped.replace('"pushgateway:9091"', `"127.0.0.1:${pushgateway.port}"`));
    prometheus = await startPrometheus(configFile);
  });

  after(async () => {
    await prometheus?.stop();
    await pushgateway?.stop();
  });

  it("the shipped prometheus.yml scrapes the Pushgateway with honor_labels and is healthy", async () => {
    assert.equal((await fetch(`${prometheus.url}/-/healthy`)).status, 200);
    assert.equal((await fetch(`${pushgateway.url}/-/healthy`)).status, 200);
    const up = await eventually("up{job=pushgateway} == 1", async () => {
      const r = await promQuery(prometheus.url, 'up{job="pushgateway"} == 1');
      return r.length > 0 ? r : undefined;
    });
    assert.equal(up.length, 1);
  });

  it("a group pushed the way Flink's PushGateway reporter pushes it is queryable, with Flink's labels", async () => {
    // PrometheusPushGatewayReporter: PUT /metrics/job/<jobName><32 hex>/<groupingKey…>, text format, counters as gauges.
    const jobName = "flink" + "0123456789abcdef0123456789abcdef";
    const body = [
      "# HELP flink_jobmanager_numRegisteredTaskManagers numRegisteredTaskManagers (scope: jobmanager)",
      "# TYPE flink_jobmanager_numRegisteredTaskManagers gauge",
      'flink_jobmanager_numRegisteredTaskManagers{host="10_0_0_5",} 3.0',
      "# TYPE flink_jobmanager_job_numRestarts gauge",
      'flink_jobmanager_job_numRestarts{host="10_0_0_5",job_id="a1b2",job_name="WordCount",} 0.0',
      "",
    ].join("\n");
    const res = await fetch(`${pushgateway.url}/metrics/job/${jobName}/cluster/e2e`, {
      method: "PUT",
      body,
      headers: { "Content-Type": "text/plain; version=0.0.4" },
    });
    assert.ok(res.status === 200 || res.status === 202, `push answered ${res.status}`);
    const series = await eventually("the pushed gauge in Prometheus", async () => {
      const r = await promQuery(prometheus.url, "flink_jobmanager_numRegisteredTaskManagers");
      return r.length > 0 ? r : undefined;
    });
    assert.equal(series[0]!.metric.job, jobName, "honor_labels keeps the pushed job label");
    assert.equal(series[0]!.metric.cluster, "e2e");
    assert.equal(series[0]!.metric.host, "10_0_0_5");
    assert.equal(series[0]!.value![1], "3");
  });
});

describe("stack files on real InfluxDB", () => {
  const users = usersFromEnv(containers.influxdb.env);
  const { db, admin, writer, reader } = users;
  let influx: RunningServer;

  before(async () => {
    const dir = tempDir("influx-conf");
    const files = uploadsOf(containers.influxdb);
    writeFileSync(join(dir, "influxdb.conf"), files.get("/etc/influxdb/influxdb.conf")!);
    influx = await startInfluxd(join(dir, "influxdb.conf"));
    assert.equal(new Set(containers.influxdb.env).has("INFLUXDB_HTTP_AUTH_ENABLED=true"), true);
    await initInflux(influx.url, users, [files.get("/docker-entrypoint-initdb.d/01-flinkmon.iql")!]);
  });
  after(async () => {
    await influx?.stop();
  });

  const line = `jobmanager_numRegisteredTaskManagers,host=10.0.0.5 value=3i ${Date.now()}`;

  it("creates the retention policy from config as the default", async () => {
    const r = await influxQuery(influx.url, `SHOW RETENTION POLICIES ON "${db}"`, admin);
    const rows: unknown[][] = r.body.results[0].series[0].values;
    const rp = rows.find((row) => row[0] === "one_hour");
    assert.ok(rp, JSON.stringify(rows));
    assert.equal(rp![1], "1h0m0s");
    assert.equal(rp!.at(-1), true, "default policy");
  });

  it("refuses an unauthenticated write", async () => {
    assert.equal(await influxWrite(influx.url, db, line), 401);
  });

  it("accepts the Flink user's write into the retention policy, and refuses it a read", async () => {
    assert.equal(await influxWrite(influx.url, db, line, writer, "one_hour"), 204);
    const read = await influxQuery(
      influx.url,
      'SELECT last("value") FROM "jobmanager_numRegisteredTaskManagers"',
      writer,
      db,
    );
    assert.ok(
      read.status === 403 || read.body?.results?.[0]?.error || read.body?.error,
      `write-only user read: ${JSON.stringify(read.body)}`,
    );
  });

  it("lets the Grafana user read but not write", async () => {
    const read = await influxQuery(
      influx.url,
      'SELECT last("value") FROM "one_hour"."jobmanager_numRegisteredTaskManagers"',
      reader,
      db,
    );
    assert.equal(read.status, 200);
    assert.equal(read.body.results[0].series[0].values[0][1], 3);
    assert.equal(await influxWrite(influx.url, db, line, reader), 403);
  });
});
