/**
 * Real Flink: for each version of versions.ts, a standalone cluster from Flink's own distribution runs the
 * acceptance job with the reporter configuration `flinkmon generate` wrote, into the pinned Prometheus,
 * Pushgateway and InfluxDB. Every catalog metric, panel query, alert query, recording rule, the doctor and the
 * collector are checked against what really arrives. FLINKMON_FLINK_VERSIONS=1.20.5,2.3.0 runs a subset.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { FLINK_VERSIONS } from "./versions.js";
import { CLI } from "../helpers/cli.js";
import { configFromObject } from "../../config/load.js";
import { atLeast, type FlinkVersion } from "../../config/version.js";
import type { DoctorReport } from "../../flink/doctor.js";
import { build } from "../../artifacts/build.js";
import { CLUSTER_LABEL } from "../../contract/services.js";
import { FlinkRestClient } from "../../flink/rest/client.js";
import { emptyParts, inventorySize, metricInventory, type MetricInventory } from "../../flink/rest/inventory.js";
import type { BudgetReport } from "../../flink/budget/report.js";
import { startWorld, pinnedBinaries, PASSWORDS, type VersionWorld } from "./environment.js";
import { expectations } from "./expectations.js";
import { group, readVerified, writeVerified, type Verified } from "./observed.js";
import { NOT_EXERCISED, notExercisedOn, metricKey } from "./not-exercised.js";
import { allMetrics, storeNames } from "../../flink/catalog.js";
import {
  eventually,
  startPrometheus,
  startPushgateway,
  tempDir,
  writeTree,
  type ServerBinaries,
} from "../helpers/servers.js";
import { promQuery, influxQuery } from "../helpers/clients.js";
import { dashboardTargets, queryVariables, substitute, alertQueries } from "../helpers/grafana-targets.js";

const run = promisify(execFile);
const VERSIONS = (process.env.FLINKMON_FLINK_VERSIONS?.split(",") ?? [...FLINK_VERSIONS]).map((v) => v.trim());
const PROM_BUILTINS = { $__rate_interval: "20s", $__range: "5m", $__interval: "5s" };
const INFLUX_BUILTINS = { $timeFilter: "time > now() - 15m", $__interval: "5s" };
/**
 * Labels every directly scraped series carries besides Flink's variables (the scrape job and flinkmon's labels:
 * the component and the cluster's name).
 */
const SCRAPE_LABELS = ["flink_component", "instance", "job", CLUSTER_LABEL];

/**
 * Panels and alerts that stay empty on this job, with the reason. Keys are "<store>:<dashboard>/<panel title>"
 * (store "*" for both) and "<alert title>"; anything else without data fails.
 */
const CONDITIONAL: Readonly<Record<string, string>> = {
  "*:flink-jobmanager/Pending TaskManagers": NOT_EXERCISED["jobmanager.numPendingTaskManagers"]!,
  "*:flink-job/Source backlog (pendingRecords)": NOT_EXERCISED["taskmanager.job.task.operator.pendingRecords"]!,
  "*:flink-job/Late records dropped per second": NOT_EXERCISED["taskmanager.job.task.operator.numLateRecordsDropped"]!,
  "*:flink-job/Kafka consumer lag (records-lag-max)":
    NOT_EXERCISED["taskmanager.job.task.operator.KafkaSourceReader.KafkaConsumer.records-lag-max"]!,
  "influxdb:flink-job/Watermark lag": `InfluxDB charts the sources' watermarkLag: ${NOT_EXERCISED["taskmanager.job.task.operator.watermarkLag"]!}`,
  "influxdb:flink-job/Back-pressured subtasks":
    "counts subtasks that reported isBackPressured = true; the job is not back-pressured, and Flink writes the flag as text (no 0 to draw): checked apart",
  "Flink source backlog growing": NOT_EXERCISED["taskmanager.job.task.operator.pendingRecords"]!,
  "Flink checkpoints not completing":
    "looks only at jobs running longer than its window (15 minutes); the job is younger",
  "influxdb:Flink watermark lag high": `on InfluxDB the alert reads the sources' watermarkLag: ${NOT_EXERCISED["taskmanager.job.task.operator.watermarkLag"]!}`,
};
/**
 * Panels of metrics only sources or sinks have (the job's sequence source, FLIP-27; its Sink V2 discarding sink):
 * the variables select the metered map, so these are checked with task and operator on All.
 */
const CONNECTOR_ONLY = new Set([
  "Source records in errors per second",
  "Sink records sent and send errors per second",
  "Sink bytes sent per second",
]);

/** Panels of metrics the job exercises only from some version on (NOT_EXERCISED_BEFORE): panel → metric key. */
const CONDITIONAL_BEFORE: Readonly<Record<string, string>> = {
  "flink-job/Sink records sent and send errors per second": "taskmanager.job.task.operator.numRecordsSend",
  "flink-job/Sink bytes sent per second": "taskmanager.job.task.operator.numBytesSend",
};

const conditional = (store: string, dashboard: string, panel: string, version: FlinkVersion) =>
  CONDITIONAL[`*:${dashboard}/${panel}`] ??
  CONDITIONAL[`${store}:${dashboard}/${panel}`] ??
  (CONDITIONAL_BEFORE[`${dashboard}/${panel}`] &&
    notExercisedOn(CONDITIONAL_BEFORE[`${dashboard}/${panel}`]!, version));

const observed: Verified = {};
const timings: Record<string, Record<string, number | string>> = {};
let binaries: ServerBinaries;

async function promNames(url: string, match: string): Promise<Map<string, Set<string>>> {
  const res = (await (await fetch(`${url}/api/v1/series?${new URLSearchParams({ "match[]": match })}`)).json()) as {
    data: Record<string, string>[];
  };
  const out = new Map<string, Set<string>>();
  for (const s of res.data) {
    const labels = Object.keys(s)
      .filter((l) => l !== "__name__")
      .sort()
      .join(",");
    (out.get(s.__name__!) ?? out.set(s.__name__!, new Set()).get(s.__name__!)!).add(labels);
  }
  return out;
}

async function influxRows(world: VersionWorld, q: string): Promise<any[]> {
  const r = await influxQuery(world.influx.url, q, world.users.reader, world.users.db);
  assert.equal(r.status, 200, `${q}: ${JSON.stringify(r.body)}`);
  const result = r.body.results[0];
  assert.equal(result.error, undefined, `${q}: ${result.error}`);
  return result.series ?? [];
}

const column = (series: any[]) => series.flatMap((s) => s.values.map((v: string[]) => v[0]!));

before(async () => {
  binaries = await pinnedBinaries();
});

after(() => {
  const lines = Object.entries(timings).map(
    ([v, t]) =>
      `flink ${v}: ${Object.entries(t)
        .map(([k, x]) => `${k} ${typeof x === "number" ? `${x.toFixed(1)} s` : x}`)
        .join(", ")}`,
  );
  process.stderr.write(`\nacceptance timings\n${lines.join("\n")}\n`);
  if (Object.keys(observed).length === 0) return;
  if (process.env.FLINKMON_UPDATE_VERIFIED === "1") writeVerified({ ...readVerifiedOrEmpty(), ...observed });
});

function readVerifiedOrEmpty(): Verified {
  try {
    return readVerified();
  } catch {
    return {};
  }
}

for (const version of VERSIONS) {
  describe(`Flink ${version}`, () => {
    let world: VersionWorld;
    let started = 0;

    before(async () => {
      started = Date.now();
      world = await startWorld(version, binaries);
      const t = (timings[version] = {
        install: world.timings.install,
        installed: world.timings.installedNow ? "now (cold)" : "from cache",
        "cluster start": world.timings.clusterStart,
      } as Record<string, number | string>);
      try {
        await waitForData(world, t);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${await diagnosis(world)}`);
      }
    });

    after(async () => {
      await world?.stop();
      if (timings[version]) timings[version]!["suite"] = (Date.now() - started) / 1000;
    });

    it("starts every reporter on every process and logs no reporter error", () => {
      const logs = world.cluster.logs();
      // One log per process: flink-<user>-standalonesession-N-<host>.log and …-taskexecutor-N-….log (rolled
      // ".log.1" files and ".out" files left out).
      const files = logs
        .split(/^==> /m)
        .filter((f) => /(standalonesession|taskexecutor)-\d+-.*\.log$/.test(f.split("\n")[0]!));
      assert.equal(
        files.length,
        3,
        `one JobManager and two TaskManager logs (logs: ${logs
          .split("\n")
          .filter((l) => l.startsWith("==> "))
          .join(", ")})`,
      );
      const plan = {
        jmx: "JMXReporter",
        prom: "PrometheusReporter",
        promgateway: "PrometheusPushGatewayReporter",
        influxdb: "InfluxdbReporter",
      };
      for (const file of files) {
        for (const [instance, type] of Object.entries(plan)) {
          assert.match(
            file,
            new RegExp(`reporter ${instance} of type org\\.apache\\.flink\\.metrics\\.[a-z]+\\.${type}`),
            `${file.split("\n")[0]}: reporter ${instance}`,
          );
        }
      }
      const problems = logs
        .split("\n")
        .filter((l) => / (ERROR|WARN) /.test(l) && /metrics|[Rr]eporter|PushGateway|[Ii]nflux/.test(l));
      assert.deepEqual(problems, [], "reporter warnings or errors in Flink's logs");
    });

    it("has every catalog metric of this version in Prometheus, under the name and labels the catalog gives", async () => {
      const seen = await promNames(
        world.prometheus.url,
        '{__name__=~"flink_.+", job=~"flink-jobmanager|flink-taskmanager"}',
      );
      const { present } = expectations(world.config, world.artifacts);
      const wrong: string[] = [];
      for (const e of present) {
        const labels = seen.get(e.prometheus);
        if (!labels) {
          wrong.push(`${e.key}: no series ${e.prometheus}`);
          continue;
        }
        const want = [
          ...e.labels,
          ...SCRAPE_LABELS,
          ...(e.type === "histogram" ? ["quantile"] : []),
          ...e.extraLabels.filter((l) => l !== "quantile"),
        ].sort();
        const wanted = [...new Set(want)].sort().join(",");
        if (![...labels].includes(wanted))
          wrong.push(`${e.key}: ${e.prometheus} has labels ${[...labels].join(" | ")}, the catalog says ${wanted}`);
      }
      // What was seen goes into the verified table whatever the verdict.
      (observed[version] ??= {} as Verified[string]).prometheus = group([...seen.keys()], "prometheus");
      assert.deepEqual(wrong, []);
    });

    it("sends only the metrics flinkmon reads (filter.includes), and counts what that saves", async (t) => {
      const { filtered } = expectations(world.config, world.artifacts);
      if (!world.config.flink.metricFilter.enabled) return t.skip("reporter filters off (recording the table)");
      const scraped = await promNames(
        world.prometheus.url,
        '{__name__=~"flink_.+", job=~"flink-jobmanager|flink-taskmanager"}',
      );
      const measurements = new Set(column(await influxRows(world, "SHOW MEASUREMENTS LIMIT 10000")));
      const leaked = filtered.flatMap((e) => [
        ...(scraped.has(e.prometheus) ? [`Prometheus ${e.prometheus}`] : []),
        ...(measurements.has(e.influxdb) ? [`InfluxDB ${e.influxdb}`] : []),
      ]);
      assert.deepEqual(leaked, [], "metrics flinkmon does not read arrive anyway");
      // Flink's REST API lists every registered metric, filters or not: what an unfiltered reporter sends.
      const all = inventorySize(await fullInventory(world.cluster.restUrl));
      const series = await promQuery(
        world.prometheus.url,
        'count({__name__=~"flink_.+", job=~"flink-jobmanager|flink-taskmanager"})',
      );
      const kept = Number(series[0]?.value?.[1] ?? 0);
      console.log(
        `# Flink ${version}: reporter filters: ${all} metrics registered, ${kept} series in Prometheus (${Math.round(100 - (100 * kept) / all)} % fewer)`,
      );
      assert.ok(kept < all, `${kept} series kept of ${all} registered`);
    });

    it("budget --rest-url estimates the series each store holds within 10 %", async () => {
      await fullInventory(world.cluster.restUrl);
      const r = await run(process.execPath, [
        CLI,
        "budget",
        "--config",
        world.configFile,
        "--rest-url",
        world.cluster.restUrl,
        "--format",
        "json",
      ]);
      const stores = (JSON.parse(r.stdout) as BudgetReport).estimate.stores;
      const estimated = (store: string) => stores.find((s) => s.store === store)!.sent;
      const prometheus = await promQuery(
        world.prometheus.url,
        'count({__name__=~"flink_.+", job=~"flink-jobmanager|flink-taskmanager"})',
      );
      const pushed = (await (await fetch(`${world.pushgateway.url}/metrics`)).text())
        .split("\n")
        .filter((l) => /^flink_\S*\{[^}]*job="flinkmon-acceptance/.test(l));
      const influx = await influxRows(world, "SHOW SERIES LIMIT 100000");
      const measured = {
        prometheus: Number(prometheus[0]?.value?.[1] ?? 0),
        pushgateway: pushed.length,
        influxdb: influx.reduce((n: number, s: { values?: unknown[] }) => n + (s.values?.length ?? 0), 0),
      };
      const off = Object.entries(measured).map(([store, count]) => {
        const e = estimated(store);
        return { store, estimated: e, measured: count, error: Math.abs(e - count) / Math.max(1, count) };
      });
      console.log(
        `# Flink ${version}: budget estimate vs stores: ${off.map((o) => `${o.store} ${o.estimated} / ${o.measured}`).join(", ")}`,
      );
      assert.deepEqual(
        off.filter((o) => o.error > 0.1),
        [],
      );
    });

    it("counts each Flink series once in Prometheus though Flink also pushes it to the Pushgateway", async () => {
      const pushed = await (await fetch(`${world.pushgateway.url}/metrics`)).text();
      const probe = "flink_jobmanager_numRegisteredTaskManagers";
      assert.match(pushed, new RegExp(`^${probe}\\{[^}]*job="flinkmon-acceptance`, "m"), "Flink pushed the probe");
      const twice = await promQuery(
        world.prometheus.url,
        // The copies differ only in the labels each path adds; the name is kept in a label (aggregation drops it).
        'count without (job, instance, flink_component, cluster) (label_replace({__name__=~"flink_.+"}, "name", "$1", "__name__", "(.+)")) > 1',
      );
      assert.deepEqual(
        twice.slice(0, 5).map((s) => s.metric),
        [],
        `${twice.length} Flink series arrive by both paths`,
      );
      assert.equal((await promQuery(world.prometheus.url, probe)).length, 1);
    });

    it("has every catalog metric of this version in InfluxDB, as measurement, tags and fields the catalog gives", async () => {
      const names = column(await influxRows(world, "SHOW MEASUREMENTS LIMIT 10000"));
      const { present } = expectations(world.config, world.artifacts);
      const wrong: string[] = [];
      for (const e of present) {
        if (!names.includes(e.influxdb)) {
          wrong.push(`${e.key}: no measurement ${e.influxdb}`);
          continue;
        }
        const tags = column(await influxRows(world, `SHOW TAG KEYS FROM "${e.influxdb}"`))
          .sort()
          .join(",");
        // The reporter's additional variables (flinkmon sets the cluster there, Flink 1.15+) become tags too.
        const additional = atLeast(world.config.flink.version, 1, 15) ? [CLUSTER_LABEL] : [];
        const want = [...new Set([...e.labels, ...e.extraLabels.filter((l) => l !== "quantile"), ...additional])]
          .sort()
          .join(",");
        if (tags !== want) wrong.push(`${e.key}: ${e.influxdb} has tags ${tags}, the catalog says ${want}`);
        const fields = column(await influxRows(world, `SHOW FIELD KEYS FROM "${e.influxdb}"`))
          .sort()
          .join(",");
        if (fields !== [...e.influxFields].sort().join(","))
          wrong.push(`${e.key}: ${e.influxdb} has fields ${fields}, flinkmon reads ${e.influxFields.join(",")}`);
      }
      (observed[version] ??= {} as Verified[string]).influxdb = group(names, "influxdb");
      assert.deepEqual(wrong, []);
    });

    for (const store of ["prometheus", "influxdb"] as const) {
      it(`returns data for every ${store} dashboard variable and panel query (but the conditional ones)`, async () => {
        const empty: string[] = [];
        for (const key of ["flink-jobmanager", "flink-taskmanager", "flink-job"]) {
          const dashboard = JSON.parse(world.artifacts.get(`grafana/dashboards/${store}/${key}.json`)!);
          const values: Record<string, string> = {};
          for (const v of queryVariables(dashboard)) {
            const options =
              store === "prometheus"
                ? await labelValues(world, substitute(v.query, values, PROM_BUILTINS))
                : influxValues(await influxRows(world, substitute(v.query, values, INFLUX_BUILTINS)));
            assert.ok(options.length > 0, `${key}: variable ${v.name} has no values: ${v.query}`);
            values[v.name] =
              options.sort().find((o) => o.includes("Metered") || o.includes("flinkmon-acceptance")) ?? options[0]!;
          }
          for (const t of dashboardTargets(key, dashboard)) {
            if (conditional(store, key, t.panel, world.config.flink.version)) continue;
            // A source's metric: the metered map the variables select has none; task and operator on All instead.
            const text = CONNECTOR_ONLY.has(t.panel)
              ? t.text.split("$task_name").join(".*").split("$operator_name").join(".*")
              : t.text;
            const query = substitute(text, values, store === "prometheus" ? PROM_BUILTINS : INFLUX_BUILTINS);
            const count =
              store === "prometheus"
                ? (await promQuery(world.prometheus.url, query)).length
                : (await influxRows(world, query)).length;
            if (count === 0) empty.push(`${key} / ${t.panel} ${t.refId}: ${query}`);
          }
        }
        assert.deepEqual(empty, [], "panel queries without data");
      });
    }

    it("InfluxDB's GC panels: one series per collector (not the All sum), top GC one series per TaskManager where Flink sums", async () => {
      const dashboard = JSON.parse(world.artifacts.get("grafana/dashboards/influxdb/flink-taskmanager.json")!);
      const target = (title: string) => dashboardTargets("tm", dashboard).find((t) => t.panel === title)!;
      const [tm] = influxValues(
        await influxRows(world, 'SHOW TAG VALUES FROM "taskmanager_Status_JVM_CPU_Load" WITH KEY = "tm_id"'),
      );
      const perCollector = await influxRows(
        world,
        substitute(
          target("GC time per second").text,
          { cluster: world.config.flink.cluster, tm_id: tm! },
          INFLUX_BUILTINS,
        ),
      );
      const names = [...new Set(perCollector.map((s: { name: string }) => s.name))].sort();
      assert.deepEqual(names, [
        "taskmanager_Status_JVM_GarbageCollector_G1_Old_Generation_Time",
        "taskmanager_Status_JVM_GarbageCollector_G1_Young_Generation_Time",
      ]);
      const top = await influxRows(
        world,
        substitute(
          target("Top TaskManagers by GC time").text,
          { cluster: world.config.flink.cluster },
          INFLUX_BUILTINS,
        ),
      );
      const collectorsPerTm = atLeast(world.config.flink.version, 1, 19) ? 1 : 2;
      assert.equal(
        top.length,
        2 * collectorsPerTm,
        JSON.stringify(top.map((s: { name: string; tags: unknown }) => [s.name, s.tags])),
      );
    });

    it("InfluxDB gets isBackPressured as the text true/false, which the back-pressured subtasks panel counts", async () => {
      const fields = await influxRows(world, 'SHOW FIELD KEYS FROM "taskmanager_job_task_isBackPressured"');
      assert.deepEqual(fields[0]?.values, [["value", "string"]]);
      const dashboard = JSON.parse(world.artifacts.get("grafana/dashboards/influxdb/flink-job.json")!);
      const panel = dashboardTargets("job", dashboard).find((t) => t.panel === "Back-pressured subtasks")!;
      // The job is not back-pressured: counting the subtasks that reported "false" shows the query reads Flink's points.
      const query = substitute(
        panel.text.replace("\"value\" = 'true'", "\"value\" = 'false'"),
        { cluster: world.config.flink.cluster },
        INFLUX_BUILTINS,
      )
        .split("$job_name")
        .join(".*")
        .split("$task_name")
        .join(".*");
      assert.notEqual(query, panel.text);
      const counted = await influxRows(world, query);
      assert.ok(counted.length > 0, query);
      const most = Math.max(...counted.flatMap((s: { values: [string, number][] }) => s.values.map((v) => v[1])));
      assert.ok(most >= 1 && most <= 2, `at most the job's parallelism (2) subtasks per task: ${most}`);
    });

    it("returns data for every Grafana alert query (but the conditional ones), and Prometheus evaluates every rule", async () => {
      const empty: string[] = [];
      for (const q of alertQueries(world.artifacts.get("grafana/provisioning/alerting/flinkmon-alerts.yaml")!)) {
        if (CONDITIONAL[q.rule]) continue;
        if ((await promQuery(world.prometheus.url, q.text)).length === 0) empty.push(`${q.rule} ${q.refId}: ${q.text}`);
      }
      assert.deepEqual(empty, [], "alert queries without data");
      const rules = (await (await fetch(`${world.prometheus.url}/api/v1/rules`)).json()) as {
        data: { groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] };
      };
      const unhealthy = rules.data.groups
        .flatMap((g) => g.rules)
        .filter((r) => r.health !== "ok")
        .map((r) => `${r.name}: ${r.lastError}`);
      assert.deepEqual(unhealthy, []);
    });

    it("returns data for every Grafana alert query of the InfluxDB-only variant of the config (but the conditional ones)", async () => {
      // With Prometheus off, Grafana alerts on InfluxDB: the same config's rules, run on the same data.
      const raw = parse(readFileSync(world.configFile, "utf8"));
      const influxOnly = configFromObject({ ...raw, stores: { prometheus: false } }, world.configFile);
      const queries = alertQueries(
        build(influxOnly).artifacts.get("grafana/provisioning/alerting/flinkmon-alerts.yaml")!,
      );
      assert.ok(queries.every((q) => q.datasourceUid === "flinkmon-influxdb") && queries.length > 10);
      const empty: string[] = [];
      for (const q of queries) {
        if (CONDITIONAL[q.rule] ?? CONDITIONAL[`influxdb:${q.rule}`]) continue;
        if ((await influxRows(world, substitute(q.text, {}, { $timeFilter: "time > now() - 10m" }))).length === 0)
          empty.push(`${q.rule} ${q.refId}: ${q.text}`);
      }
      assert.deepEqual(empty, [], "InfluxDB alert queries without data");
    });

    it("produces a series for every recording rule", async () => {
      const doc = parse(world.artifacts.get("prometheus/rules/flinkmon-alerts.rules.yml")!) as {
        groups: { name: string; rules: { record?: string }[] }[];
      };
      const records = doc.groups.flatMap((g) => g.rules).flatMap((r) => (r.record ? [r.record] : []));
      assert.ok(records.length > 0);
      // Recordings of metrics the job does not make Flink report (NOT_EXERCISED) stay empty.
      const { notExercised } = expectations(world.config, world.artifacts);
      const absent = allMetrics()
        .filter((m) => notExercised[metricKey(m)])
        .map((m) => storeNames(m).prometheus);
      const conditional = records.filter((r) => absent.some((name) => r.includes(`:${name}:`)));
      const empty: string[] = [];
      for (const r of records.filter((x) => !conditional.includes(x)))
        if ((await promQuery(world.prometheus.url, r)).length === 0) empty.push(r);
      assert.deepEqual(empty, []);
    });

    it("has the custom metrics where flinkmon says they are, in both stores", async () => {
      const { present } = expectations(world.config, world.artifacts);
      const custom = present.filter((e) => world.config.customMetrics.some((m) => e.prometheus.endsWith(`_${m.name}`)));
      assert.equal(custom.length, world.config.customMetrics.length);
      for (const e of custom) {
        assert.ok(
          (await promQuery(world.prometheus.url, `${e.prometheus}{job="flink-taskmanager"}`)).length > 0,
          e.prometheus,
        );
        assert.ok(
          (await influxRows(world, `SELECT last(*) FROM "${e.influxdb}" WHERE time > now() - 5m`)).length > 0,
          e.influxdb,
        );
      }
    });

    it("doctor: healthy on the live cluster, and names a reporter the cluster does not run", async () => {
      const env = { ...process.env, FLINKMON_INFLUXDB_READ_PASSWORD: PASSWORDS.reader };
      const args = [
        "doctor",
        "--config",
        world.configFile,
        "--rest-url",
        world.cluster.restUrl,
        "--prometheus-url",
        world.prometheus.url,
        "--influxdb-url",
        world.influx.url,
        "--influxdb-user",
        world.users.reader.user,
      ];
      const ok = await run(process.execPath, [CLI, ...args, "--format", "json"], { env }).catch((e) => e);
      assert.equal(ok.code ?? 0, 0, `${ok.stdout}${ok.stderr}`);
      const report = JSON.parse(ok.stdout) as DoctorReport;
      assert.equal(report.flinkVersion, version);
      assert.equal(report.taskManagers.length, 2);
      assert.deepEqual(
        report.jobs.map((j) => `${j.name} ${j.state}`),
        ["flinkmon-acceptance RUNNING"],
      );
      const passed = report.checks.filter((c) => c.ok).map((c) => c.name);
      for (const name of [
        "JMX reporter configured",
        "Prometheus reporter configured",
        "Prometheus PushGateway reporter configured",
        "InfluxDB reporter configured",
        "Flink series arrive in Prometheus",
        "Flink measurements arrive in InfluxDB",
      ]) {
        assert.ok(passed.includes(name), `${name} (passed: ${passed.join("; ")})`);
      }
      const withStatsd = join(tempDir("doctor"), "flinkmon.config.yaml");
      const raw = parse(readFileSync(world.configFile, "utf8"));
      raw.flink.reporters.push("statsd");
      writeFileSync(withStatsd, JSON.stringify(raw));
      const missing = await run(
        process.execPath,
        [CLI, ...args.map((a) => (a === world.configFile ? withStatsd : a))],
        { env },
      ).catch((e) => e);
      assert.equal(missing.code, 1, `${missing.stdout}${missing.stderr}`);
      assert.match(missing.stdout, /FAIL StatsD reporter configured: /);
    });

    it("collect: writes from the live REST API what the dashboards read", async () => {
      const pushgateway = await startPushgateway(undefined, binaries);
      const dir = tempDir("collect-prom");
      // The Pushgateway alone, with flinkmon's rules (the job dashboard reads recording rules).
      const yml = `global: { scrape_interval: 1s, evaluation_interval: 1s }\nrule_files: ["rules/*.yml"]\nscrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n    static_configs: [{ targets: ["127.0.0.1:${pushgateway.port}"] }]\n`;
      const rules = [...world.artifacts]
        .filter(([p]) => p.startsWith("prometheus/rules/"))
        .map(([p, c]) => [p.slice("prometheus/".length), c] as [string, string]);
      writeTree(dir, new Map([["prometheus.yml", yml], ...rules]));
      const prometheus = await startPrometheus(join(dir, "prometheus.yml"), [], binaries);
      try {
        const printed: string[] = [];
        for (let i = 0; i < 3; i++) {
          const r = await run(process.execPath, [
            CLI,
            "collect",
            "--config",
            world.configFile,
            "--rest-url",
            world.cluster.restUrl,
            "--pushgateway-url",
            pushgateway.url,
            "--once",
          ]);
          printed.push(r.stdout.trim());
          await new Promise((r) => setTimeout(r, 1500));
        }
        await eventually(
          "collected series in Prometheus",
          async () =>
            (await promQuery(prometheus.url, "flink_jobmanager_numRegisteredTaskManagers")).length > 0
              ? true
              : undefined,
          30_000,
        );
        const dashboard = JSON.parse(world.artifacts.get("grafana/dashboards/prometheus/flink-job.json")!);
        await new Promise((r) => setTimeout(r, 3000)); // the recording rules evaluate once more
        // The job selected as the dashboard offers it (label values are filtered like the reporter's), every task
        // and operator ("All" is an unescaped .* in Grafana).
        const [jobName] = await labelValues({ prometheus }, "label_values(flink_jobmanager_job_uptime, job_name)");
        const jobSeries = await promNames(prometheus.url, '{__name__=~"flink_jobmanager_job_.+"}');
        assert.ok(
          jobName,
          `the collected job has a job_name (collect printed: ${printed.join(" | ")}; job series: ${[...jobSeries.keys()].join(", ")})`,
        );
        const all = (text: string) => text.split("$task_name").join(".*").split("$operator_name").join(".*");
        const withData: string[] = [];
        for (const t of dashboardTargets("flink-job", dashboard)) {
          if (
            (
              await promQuery(
                prometheus.url,
                substitute(all(t.text), { cluster: world.config.flink.cluster, job_name: jobName }, PROM_BUILTINS),
              )
            ).length > 0
          )
            withData.push(t.panel);
        }
        for (const panel of ["Running time", "Checkpoint duration", "Records per second by task", "Busy time"])
          assert.ok(withData.includes(panel), `${panel} has no collected data (had: ${withData.join(", ")})`);
      } finally {
        await prometheus.stop();
        await pushgateway.stop();
      }
    });

    // Last: it stops the cluster.
    it("a cluster that stops cleanly deletes its Pushgateway groups (deleteOnShutdown)", async () => {
      const groups = async () =>
        (
          (await (await fetch(`${world.pushgateway.url}/api/v1/metrics`)).json()) as {
            data: { labels: { job: string }; push_time_seconds?: { metrics: { value: string }[] } }[];
          }
        ).data
          .filter((g) => g.labels.job.startsWith("flinkmon-acceptance"))
          .map((g) => ({ job: g.labels.job, pushed: Number(g.push_time_seconds?.metrics[0]?.value ?? 0) }));
      assert.equal((await groups()).length, 3, "a group per JobManager and TaskManager while they run");
      // A clean stop: the reporters close (and delete) only if the processes are not killed first.
      const stopping = Date.now();
      await world.cluster.stop(90_000);
      const gone = await eventually(
        "no group left",
        async () => ((await groups()).length === 0 ? true : undefined),
        20_000,
      ).catch(() => false);
      if (gone) return;
      // Flink deletes on close, best effort (FLINK-13787): a push racing the delete re-creates the group. Such a
      // group was pushed as the cluster stopped; one whose last push is older was never deleted.
      const left = await groups();
      const interval = world.config.flink.intervalSeconds;
      console.log(`# Flink ${version}: ${left.length} Pushgateway group(s) re-created by a push racing the delete`);
      assert.deepEqual(
        left.filter((g) => g.pushed * 1000 < stopping - interval * 1000),
        [],
        "groups not deleted although their last push was before the stop",
      );
    });
  });
}

/**
 * The REST inventory once the JobManager's metric cache holds every process and vertex: it is refreshed from the
 * TaskManagers every few seconds, and a refresh can briefly list a TaskManager or vertex without its metrics.
 */
async function fullInventory(restUrl: string): Promise<MetricInventory> {
  return eventually(
    "every TaskManager and vertex listing its metrics",
    async () => {
      const inventory = await metricInventory(new FlinkRestClient({ baseUrl: restUrl }));
      const full = inventory.taskmanagers.length === 2 && inventory.jobs.length === 1 && emptyParts(inventory) === 0;
      return full ? inventory : undefined;
    },
    30_000,
  );
}

/** Waits for the first metric in each store (timed), two checkpoints and enough history for rates and offsets. */
async function waitForData(world: VersionWorld, t: Record<string, number | string>): Promise<void> {
  // Times to the first metric count from the moment the JobManager was started.
  const since = world.timings.clusterStartedAt;
  await eventually(
    "a first metric in Prometheus (scraped)",
    async () =>
      (await promQuery(world.prometheus.url, "flink_jobmanager_numRegisteredTaskManagers")).length > 0
        ? true
        : undefined,
    120_000,
  );
  t["first metric, Prometheus"] = (Date.now() - since) / 1000;
  // prometheus.source is "scrape": Prometheus drops the pushed copy, so the Pushgateway itself is asked.
  await eventually(
    "a first metric through the Pushgateway",
    async () =>
      /^flink_\w+\{[^}]*job="flinkmon-acceptance/m.test(await (await fetch(`${world.pushgateway.url}/metrics`)).text())
        ? true
        : undefined,
    120_000,
  );
  t["first metric, Pushgateway"] = (Date.now() - since) / 1000;
  await eventually(
    "a first metric in InfluxDB",
    async () => (column(await influxRows(world, "SHOW MEASUREMENTS LIMIT 1")).length > 0 ? true : undefined),
    120_000,
  );
  t["first metric, InfluxDB"] = (Date.now() - since) / 1000;
  // Two completed checkpoints and enough history for the rate windows and GC offsets (a few reporter intervals).
  await eventually(
    "two completed checkpoints",
    async () => {
      const r = await promQuery(
        world.prometheus.url,
        'max(flink_jobmanager_job_numberOfCompletedCheckpoints{job="flink-jobmanager"}) >= 2',
      );
      return r.length > 0 ? true : undefined;
    },
    180_000,
  );
  // 40 s of the job's history: rate windows and GC offsets span a few reporter intervals.
  const submitted = since + world.timings.clusterStart * 1000;
  await new Promise((r) => setTimeout(r, Math.max(0, 40_000 - (Date.now() - submitted))));
}

/** What went wrong on the cluster: the job's state and exceptions, and the end of the logs. */
async function diagnosis(world: VersionWorld): Promise<string> {
  const get = async (path: string) =>
    fetch(`${world.cluster.restUrl}${path}`).then(
      (r) => r.text(),
      (e) => String(e),
    );
  const errors = world.cluster
    .logs()
    .split("\n")
    .filter((l) => / (ERROR|WARN) /.test(l))
    .slice(-20);
  return [
    `jobs: ${await get("/jobs/overview")}`,
    `exceptions: ${(await get(`/jobs/${world.jobId}/exceptions`)).slice(0, 3000)}`,
    "log warnings and errors:",
    ...errors,
  ].join("\n");
}

async function labelValues(world: Pick<VersionWorld, "prometheus">, query: string): Promise<string[]> {
  const m = /^label_values\((.*), (\w+)\)$/.exec(query);
  assert.ok(m, `not a label_values query: ${query}`);
  const res = (await (
    await fetch(`${world.prometheus.url}/api/v1/series?${new URLSearchParams({ "match[]": m[1]! })}`)
  ).json()) as { data: Record<string, string>[] };
  return [...new Set(res.data.map((s) => s[m[2]!]).filter((v): v is string => v !== undefined))];
}

function influxValues(series: any[]): string[] {
  return series.flatMap((s) => s.values.map((row: string[]) => row[1]!));
}
