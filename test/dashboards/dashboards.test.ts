/** Dashboard structure: ids, uids, refIds, datasources, variables, units, links, version-chosen metrics. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ALERT_DEFAULTS } from "../../config/alert-defaults.js";
import { parse } from "yaml";
import { configFromObject } from "../../config/load.js";
import { build } from "../../artifacts/build.js";
import { ROOT } from "../helpers/cli.js";

const BUILTIN_VARIABLES = new Set(["__rate_interval", "__interval", "__range", "timeFilter", "__all", "datasource"]);

function dashboardsOf(raw: unknown): Map<string, any> {
  const artifacts = build(configFromObject(raw)).artifacts;
  return new Map(
    [...artifacts].filter(([p]) => p.startsWith("grafana/dashboards/")).map(([p, c]) => [p, JSON.parse(c)]),
  );
}

const all = dashboardsOf({ flink: { reporters: ["prometheus", "influxdb"] } });

describe("dashboard structure", () => {
  it("emits the three dashboards for each enabled store", () => {
    assert.deepEqual([...all.keys()].sort(), [
      "grafana/dashboards/influxdb/flink-job.json",
      "grafana/dashboards/influxdb/flink-jobmanager.json",
      "grafana/dashboards/influxdb/flink-taskmanager.json",
      "grafana/dashboards/prometheus/flink-job.json",
      "grafana/dashboards/prometheus/flink-jobmanager.json",
      "grafana/dashboards/prometheus/flink-taskmanager.json",
    ]);
    assert.deepEqual(
      [...dashboardsOf({ flink: { reporters: ["influxdb"] } }).keys()].every((p) => p.includes("/influxdb/")),
      true,
    );
  });

  it("every dashboard opens on one cluster and links to the others carrying time and variables", () => {
    for (const [path, d] of all) {
      const cluster = d.templating.list.find((v: { name: string }) => v.name === "cluster");
      assert.deepEqual([cluster?.multi, cluster?.includeAll], [false, false], `${path}: one cluster at a time`);
      assert.equal(d.templating.list[1].name, "cluster", `${path}: first after the data source`);
      assert.equal(d.links.length, 2, path);
      for (const link of d.links) assert.deepEqual([link.keepTime, link.includeVars], [true, true], path);
    }
  });

  it("job → its TaskManagers → one TaskManager: each bar links to a dashboard of the same store, with variables it has", () => {
    const byUid = new Map([...all.values()].map((d) => [d.uid, d]));
    for (const [path, d] of all) {
      for (const panel of d.panels) {
        for (const link of panel.fieldConfig?.defaults?.links ?? []) {
          const [, uid, query] = /^\/d\/([^?]+)\?(.*)$/.exec(link.url)!;
          const target = byUid.get(uid!);
          assert.ok(target, `${path} ${panel.title}: links to ${uid}`);
          assert.equal(uid!.split("-").pop(), d.uid.split("-").pop(), "same store");
          const names = new Set(target.templating.list.map((v: { name: string }) => v.name));
          for (const v of query!.match(/var-(\w+)=/g)!.map((m: string) => m.slice(4, -1)))
            assert.ok(names.has(v), `${path} ${panel.title}: ${uid} has the variable ${v}`);
          assert.ok(query!.includes("${__url_time_range}"), "keeps the time range");
        }
      }
    }
    const job = all.get("grafana/dashboards/prometheus/flink-job.json");
    const panel = job.panels.find((p: { title: string }) => p.title.startsWith("TaskManagers running this job"));
    assert.match(
      panel.fieldConfig.defaults.links[0].url,
      /^\/d\/flink-taskmanager-prom\?.*var-tm_id=\$\{__field\.labels\.tm_id\}/,
    );
    assert.match(panel.targets[0].expr, /job_name=~"\$job_name", task_name=~"\$task_name"/);
  });

  it("uids are unique, stable and at most 40 characters", () => {
    const uids = [...all.values()].map((d) => d.uid);
    assert.equal(new Set(uids).size, uids.length);
    for (const uid of uids) assert.match(uid, /^[a-z0-9-]{1,40}$/);
    assert.ok(uids.includes("flink-job-prom") && uids.includes("flink-taskmanager-influx"));
  });

  for (const [path, d] of all) {
    const dialect = path.includes("/prometheus/") ? "prometheus" : "influxdb";
    it(`${path}: ids, refIds, datasources, units, descriptions, variables, links`, () => {
      const ids = d.panels.map((p: any) => p.id);
      assert.ok(
        ids.every((id: unknown) => typeof id === "number"),
        "explicit panel ids",
      );
      assert.equal(new Set(ids).size, ids.length, "unique panel ids");
      const names = new Set(d.templating.list.map((v: any) => v.name));
      const ds = d.templating.list.find((v: any) => v.name === "datasource");
      assert.equal(ds.type, "datasource");
      assert.equal(ds.query, dialect, "datasource variable of the right type");
      for (const p of d.panels.filter((p: any) => p.type !== "row")) {
        assert.ok(p.description?.length > 20, `${p.title}: description`);
        assert.ok(p.fieldConfig?.defaults?.unit, `${p.title}: unit`);
        assert.ok(p.fieldConfig.defaults.thresholds?.steps?.length >= 1, `${p.title}: thresholds`);
        assert.deepEqual(p.datasource, { type: dialect, uid: "${datasource}" });
        assert.ok(p.targets.length > 0, `${p.title}: targets`);
        const refIds = p.targets.map((t: any) => t.refId);
        assert.equal(new Set(refIds).size, refIds.length, `${p.title}: unique refIds`);
        for (const t of p.targets) {
          assert.match(t.refId, /^[A-Z]$/);
          assert.deepEqual(t.datasource, { type: dialect, uid: "${datasource}" });
          const text: string = t.expr ?? t.query;
          assert.ok(text, `${p.title}: query text`);
          for (const [, used] of text.matchAll(/\$([a-zA-Z_]\w*)/g))
            assert.ok(names.has(used) || BUILTIN_VARIABLES.has(used!), `${p.title}: $${used} is not defined`);
        }
      }
      for (const v of d.templating.list.filter((v: any) => v.type === "query"))
        assert.deepEqual(v.datasource, { type: dialect, uid: "${datasource}" });
      const links = d.links.map((l: any) => l.url).sort();
      assert.equal(links.length, 2, "links to the other two dashboards");
      for (const url of links)
        assert.ok(
          [...all.values()].some((o) => `/d/${o.uid}` === url && o.uid !== d.uid),
          url,
        );
      assert.equal(d.id, undefined);
      assert.equal(d.version, undefined);
    });
  }

  it("the dashboard provider puts them in grafana.folder", () => {
    const artifacts = build(configFromObject({ grafana: { folder: "Streaming" } })).artifacts;
    assert.equal(
      parse(artifacts.get("grafana/provisioning/dashboards/flinkmon.yaml")!).providers[0].folder,
      "Streaming",
    );
    assert.equal(
      parse(build(configFromObject({})).artifacts.get("grafana/provisioning/dashboards/flinkmon.yaml")!).providers[0]
        .folder,
      "Flink",
    );
  });
});

describe("metric names follow the Flink version", () => {
  /** Every query text of every dashboard (descriptions may mention old names; queries must not). */
  const text = (version: string) =>
    [...dashboardsOf({ flink: { version, reporters: ["prometheus", "influxdb"] } }).values()]
      .flatMap((d) => [
        ...d.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr ?? t.query)),
        ...d.templating.list.map((v: any) => v.query),
      ])
      .join("\n");
  const v2 = text("2.1");
  const v19 = text("1.9");

  it("2.x has no fullRestarts and no legacy network metrics, 1.9 charts fullRestarts", () => {
    assert.doesNotMatch(v2, /fullRestarts/);
    assert.doesNotMatch(v2, /_buffers_|Status_Network_|Status\.Network/);
    assert.match(v2, /flink_jobmanager_job_numRestarts/);
    assert.match(v19, /flink_jobmanager_job_fullRestarts/);
    assert.doesNotMatch(v19, /numRestarts/);
  });

  it("newer metrics appear only where Flink has them", () => {
    assert.match(v2, /lastCheckpointCompletedTimestamp/);
    assert.doesNotMatch(text("1.20"), /lastCheckpointCompletedTimestamp/);
    assert.doesNotMatch(
      v19,
      /busyTimeMsPerSecond|Metaspace|Managed_Used|pendingRecords|lastCheckpointFullSize|runningTime/,
    );
    assert.match(text("1.13"), /busyTimeMsPerSecond/);
    assert.match(text("1.15"), /flink_jobmanager_job_runningTime/);
  });
});

describe("alert rules", () => {
  const artifacts = build(configFromObject({ flink: { reporters: ["prometheus"] } })).artifacts;
  const prom = parse(artifacts.get("prometheus/rules/flinkmon-alerts.rules.yml")!);
  const grafana = parse(artifacts.get("grafana/provisioning/alerting/flinkmon-alerts.yaml")!);
  const runbook = readFileSync(`${ROOT}/docs/runbook.md`, "utf8");

  it("at least ten rules, each with severity, summary, description and a runbook entry", () => {
    const rules = prom.groups.find((g: any) => g.name === "flinkmon").rules;
    assert.ok(rules.length >= 10, `${rules.length} rules`);
    for (const r of rules) {
      assert.match(r.labels.severity, /^(critical|warning|info)$/);
      assert.ok(r.annotations.summary && r.annotations.description, r.alert);
      const anchor = r.annotations.runbook_url.split("#")[1];
      assert.ok(
        runbook.includes(`\n## ${r.alert.replace(/^Flink/, "").replace(/^./, (c: string) => c.toLowerCase())}\n`),
        `runbook section for ${r.alert}`,
      );
      assert.equal(anchor, r.alert.replace(/^Flink/, "").toLowerCase());
    }
  });

  it("the runbook gives every alert its impact, why its default severity, and what to check or fix", () => {
    const sections = runbook.split("\n## ").slice(1);
    for (const [name, settings] of Object.entries(ALERT_DEFAULTS)) {
      const section = sections.find((s) => s.startsWith(`${name}\n`));
      assert.ok(section, `a section for ${name}`);
      assert.match(section, /\*\*Impact\*\*/, name);
      assert.match(section, new RegExp(`\\*\\*Severity\\*\\* ${settings.severity}`), `${name}: ${settings.severity}`);
      assert.match(section, /\*\*(Check|Fix)\*\*/, name);
    }
  });

  it("Grafana rules: the same alerts, file-provisioning shape, uids ≤ 40, contact point and policy", () => {
    const group = grafana.groups[0];
    assert.equal(group.folder, "Flink");
    assert.equal(group.interval, "1m");
    assert.equal(group.rules.length, prom.groups.find((g: any) => g.name === "flinkmon").rules.length);
    for (const r of group.rules) {
      assert.match(r.uid, /^[a-zA-Z0-9_-]{1,40}$/);
      assert.equal(r.condition, "C");
      assert.ok(["OK", "Alerting"].includes(r.noDataState));
      assert.equal(r.folderUID, undefined, "API-only fields are dropped");
      assert.equal(r.orgID, undefined);
      assert.ok(
        r.data.some((d: any) => d.refId === "B"),
        "B holds the watched value",
      );
    }
    assert.equal(grafana.contactPoints[0].receivers[0].type, "email");
    assert.equal(grafana.policies[0].receiver, grafana.contactPoints[0].name);
  });

  it("a panel's red line is its alert's threshold (GC time on both JVM dashboards)", () => {
    const artifacts = build(configFromObject({ alerts: { rules: { gcTimeHigh: { threshold: 150 } } } })).artifacts;
    for (const key of ["flink-jobmanager", "flink-taskmanager"]) {
      const d = JSON.parse(artifacts.get(`grafana/dashboards/prometheus/${key}.json`)!);
      const gc = d.panels.find((p: { title: string }) => p.title === "GC time per second");
      const steps = gc.fieldConfig.defaults.thresholds.steps.map((s: { value: number | null }) => s.value);
      assert.deepEqual(steps, [null, 150], key);
    }
  });

  it("thresholds and durations come from config", () => {
    const custom = build(
      configFromObject({
        alerts: {
          rules: {
            checkpointDurationHigh: { threshold: 30000, for: "2m", severity: "critical" },
            busyHigh: { enabled: false },
          },
        },
      }),
    ).artifacts;
    const rules = parse(custom.get("prometheus/rules/flinkmon-alerts.rules.yml")!).groups.find(
      (g: any) => g.name === "flinkmon",
    ).rules;
    const slow = rules.find((r: any) => r.alert === "FlinkCheckpointDurationHigh");
    assert.match(slow.expr, / > 30000$/);
    assert.equal(slow.for, "2m");
    assert.equal(slow.labels.severity, "critical");
    assert.equal(
      rules.find((r: any) => r.alert === "FlinkBusyHigh"),
      undefined,
    );
  });

  it("webhook and Slack contact points take their token-bearing URLs from the environment, never from config", () => {
    const webhook = parse(
      build(configFromObject({ alerts: { contactPoint: { type: "webhook" } } })).artifacts.get(
        "grafana/provisioning/alerting/flinkmon-alerts.yaml",
      )!,
    );
    assert.equal(webhook.contactPoints[0].receivers[0].settings.url, "$FLINKMON_WEBHOOK_URL");
    assert.throws(
      () =>
        configFromObject({ alerts: { contactPoint: { type: "webhook", url: "https://hooks.example/flink?token=x" } } }),
      /alerts\.contactPoint\.url/,
    );
    const slack = parse(
      build(configFromObject({ alerts: { contactPoint: { type: "slack" } } })).artifacts.get(
        "grafana/provisioning/alerting/flinkmon-alerts.yaml",
      )!,
    );
    assert.equal(slack.contactPoints[0].receivers[0].settings.url, "$FLINKMON_SLACK_WEBHOOK_URL");
  });
});

describe("optional panels", () => {
  const titles = (raw: unknown) =>
    [...dashboardsOf(raw).entries()]
      .filter(([p]) => p.endsWith("prometheus/flink-job.json"))
      .flatMap(([, d]) => d.panels.map((p: any) => p.title));
  it("RocksDB and latency panels appear only when the config turns the metrics on", () => {
    assert.ok(!titles({}).some((t: string) => /RocksDB|Latency markers/.test(t)));
    const on = titles({ flink: { latencyTrackingInterval: "30s", rocksdbNativeMetrics: true } });
    for (const t of [
      "State and latency",
      "RocksDB keys",
      "RocksDB state size",
      "RocksDB memory",
      "RocksDB compaction backlog",
      "Latency markers",
    ])
      assert.ok(on.includes(t), t);
  });

  it("latency moves to the task group on Flink 1.19 (seen on real 1.18.1 and 1.19.3 clusters)", () => {
    const exprs = (version: string) =>
      dashboardsOf({ flink: { version, latencyTrackingInterval: "30s" } })
        .get("grafana/dashboards/prometheus/flink-job.json")
        .panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr))
        .join("\n");
    assert.match(
      exprs("1.19"),
      /flink_taskmanager_job_task_latency_source_id_operator_id_operator_subtask_index_latency/,
    );
    assert.match(exprs("1.18"), /flink_taskmanager_job_latency_source_id_operator_id_operator_subtask_index_latency/);
  });
});

describe("units tell what a panel shows", () => {
  const panel = (store: string, key: string, title: string) =>
    dashboardsOf({ flink: { reporters: ["prometheus", "influxdb"] } })
      .get(`grafana/dashboards/${store}/${key}.json`)
      .panels.find((p: any) => p.title === title);

  it("milliseconds per second (busy, back-pressured, idle, GC time) are no durations", () => {
    for (const store of ["prometheus", "influxdb"]) {
      for (const [key, title] of [
        ["flink-job", "Busy time"],
        ["flink-job", "Back-pressured time"],
        ["flink-job", "Idle time"],
        ["flink-taskmanager", "GC time per second"],
        ["flink-taskmanager", "Top TaskManagers by GC time"],
        ["flink-jobmanager", "GC time per second"],
      ]) {
        assert.equal(panel(store, key!, title!).fieldConfig.defaults.unit, "suffix: ms/s", `${store} ${key} ${title}`);
      }
    }
  });

  it("InfluxDB's top TaskManagers by heap show bytes, not a ratio that is always red", () => {
    const influx = panel("influxdb", "flink-taskmanager", "Top TaskManagers by heap use").fieldConfig.defaults;
    assert.equal(influx.unit, "bytes");
    assert.equal(influx.max, undefined);
    assert.deepEqual(influx.thresholds.steps.length, 1);
    const prom = panel("prometheus", "flink-taskmanager", "Top TaskManagers by heap use").fieldConfig.defaults;
    assert.equal(prom.unit, "percentunit");
    assert.equal(prom.max, 1);
  });
});

describe("InfluxDB GC panels", () => {
  const dashboard = (version: string) =>
    dashboardsOf({ flink: { version, reporters: ["influxdb"] } }).get(
      "grafana/dashboards/influxdb/flink-taskmanager.json",
    );
  const query = (version: string, title: string) =>
    dashboard(version).panels.find((p: any) => p.title === title).targets[0].query as string;

  it("read every collector's measurement but not Flink 1.19+'s All sum (it would count GC time twice)", () => {
    const from = new RegExp(/FROM \/(.+?)\/ WHERE/.exec(query("1.20", "GC time per second"))![1]!);
    assert.ok(from.test("taskmanager_Status_JVM_GarbageCollector_G1_Young_Generation_Time"));
    assert.ok(from.test("taskmanager_Status_JVM_GarbageCollector_ZGC_Time"));
    assert.ok(!from.test("taskmanager_Status_JVM_GarbageCollector_All_Time"));
  });

  it("top GC per TaskManager reads the All sum where Flink reports it, else names each collector in the legend", () => {
    assert.match(
      query("1.20", "Top TaskManagers by GC time"),
      /FROM "taskmanager_Status_JVM_GarbageCollector_All_Time"/,
    );
    const old = dashboard("1.18").panels.find((p: any) => p.title === "Top TaskManagers by GC time").targets[0];
    assert.equal(old.alias, "$tag_tm_id $m");
  });
});

describe("InfluxDB watermark panel before Flink 1.14", () => {
  it("shows the lowest watermark as a time, unset watermarks left out, not an epoch charted as a duration", () => {
    const job = dashboardsOf({ flink: { version: "1.13", reporters: ["influxdb"] } }).get(
      "grafana/dashboards/influxdb/flink-job.json",
    );
    const panel = job.panels.find((p: any) => p.title === "Lowest output watermark");
    assert.ok(panel, "the panel says what it shows");
    assert.equal(panel.fieldConfig.defaults.unit, "dateTimeAsIso");
    assert.match(
      panel.targets[0].query,
      /FROM "taskmanager_job_task_operator_currentOutputWatermark" WHERE .*"value" > 0 AND \$timeFilter/,
    );
    const recent = dashboardsOf({ flink: { version: "1.14", reporters: ["influxdb"] } }).get(
      "grafana/dashboards/influxdb/flink-job.json",
    );
    assert.equal(recent.panels.find((p: any) => p.title === "Watermark lag").fieldConfig.defaults.unit, "ms");
  });
});
