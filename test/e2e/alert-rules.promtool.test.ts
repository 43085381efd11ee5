/**
 * `promtool check rules` and `promtool test rules` on the generated Prometheus rules: for every alert a case that
 * fires and a case that stays quiet, on input series named as docs/verified-metrics.md records real clusters.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { configFromObject } from "../../config/load.js";
import { build } from "../../artifacts/build.js";
import { tempDir, promtool } from "../helpers/servers.js";

/** The cluster of the config under test; series of another cluster name theirs. */
const CLUSTER = "prod";
const cluster = (name = CLUSTER) => `cluster="${name}"`;
const job = (name: string, clusterName = CLUSTER) => `${cluster(clusterName)},host="h1",job_id="j1",job_name="${name}"`;
const task = (jobName: string, taskName: string) =>
  `${job(jobName)},tm_id="tm1",task_id="t1",task_name="${taskName}",task_attempt_id="a1",task_attempt_num="0",subtask_index="0"`;
const operator = (jobName: string, op: string) =>
  `${task(jobName, "Source__Kafka")},operator_id="o1",operator_name="${op}"`;

interface Case {
  readonly alert: string;
  readonly series: Record<string, string>;
  readonly quietAt: string;
  readonly fireAt: string;
  readonly labels: Record<string, string>;
  readonly summary: string;
}

const CASES: Case[] = [
  {
    alert: "FlinkJobNotRunning",
    quietAt: "2m",
    fireAt: "20m",
    labels: { job_name: "etl" },
    summary: "Flink job etl is failing or restarting",
    series: {
      [`flink_jobmanager_job_downtime{${job("etl")}}`]: "0 0 0 60000+60000x30",
      [`flink_jobmanager_job_downtime{${job("fine")}}`]: "0x30",
    },
  },
  {
    alert: "FlinkJobRestarting",
    quietAt: "9m",
    fireAt: "14m",
    labels: { job_name: "etl" },
    summary: "Flink job etl restarted within 10 minutes",
    series: { [`flink_jobmanager_job_numRestarts{${job("etl")}}`]: "0x10 1 2 3 3 3 3 3 3 3 3" },
  },
  {
    alert: "FlinkJobRestartLoop",
    quietAt: "12m",
    fireAt: "25m",
    labels: { job_name: "etl" },
    summary: "Flink job etl restarted 4 times within 30 minutes",
    // One restart (a rescale, or a transient failure) at 10m stays quiet; three more from 20m fire.
    series: { [`flink_jobmanager_job_numRestarts{${job("etl")}}`]: "0x10 1x10 2 3 4 4 4 4 4 4 4 4" },
  },
  {
    alert: "FlinkCheckpointsFailing",
    quietAt: "9m",
    fireAt: "14m",
    labels: { job_name: "etl" },
    summary: "Flink job etl has failing checkpoints",
    series: { [`flink_jobmanager_job_numberOfFailedCheckpoints{${job("etl")}}`]: "0x10 1 1 2 2 2 2 2 2 2 2" },
  },
  {
    alert: "FlinkNoCompletedCheckpoint",
    quietAt: "10m",
    fireAt: "30m",
    labels: { job_name: "etl" },
    summary: "Flink job etl completed no checkpoint in 15m",
    series: {
      [`flink_jobmanager_job_numberOfCompletedCheckpoints{${job("etl")}}`]: "0+1x5 5x40",
      [`flink_jobmanager_job_runningTime{${job("etl")}}`]: "0+60000x40",
    },
  },
  {
    alert: "FlinkCheckpointDurationHigh",
    quietAt: "4m",
    fireAt: "20m",
    labels: { job_name: "etl" },
    summary: "Flink job etl: last checkpoint took 90000 ms",
    series: { [`flink_jobmanager_job_lastCheckpointDuration{${job("etl")}}`]: "1000x5 90000x30" },
  },
  {
    alert: "FlinkBackpressureHigh",
    quietAt: "10m",
    fireAt: "25m",
    labels: { job_name: "etl", task_name: "Map" },
    summary: "Flink task Map of etl is back-pressured 900 ms/s",
    series: { [`flink_taskmanager_job_task_backPressuredTimeMsPerSecond{${task("etl", "Map")}}`]: "0x5 900x30" },
  },
  {
    alert: "FlinkBusyHigh",
    quietAt: "10m",
    fireAt: "25m",
    labels: { job_name: "etl", task_name: "Map" },
    summary: "Flink task Map of etl is busy 950 ms/s",
    series: { [`flink_taskmanager_job_task_busyTimeMsPerSecond{${task("etl", "Map")}}`]: "0x5 950x30" },
  },
  {
    alert: "FlinkTaskManagersMissing",
    quietAt: "3m",
    fireAt: "10m",
    labels: {},
    summary: "Only 0 Flink TaskManagers are registered",
    series: { [`flink_jobmanager_numRegisteredTaskManagers{${cluster()},host="h1"}`]: "1x5 0x10" },
  },
  {
    alert: "FlinkHeapHigh",
    quietAt: "4m",
    fireAt: "20m",
    labels: { tm_id: "tm1" },
    summary: "Flink heap use 95% on tm1",
    series: {
      [`flink_taskmanager_Status_JVM_Memory_Heap_Used{${cluster()},host="h1",tm_id="tm1"}`]: "500x5 950x30",
      [`flink_taskmanager_Status_JVM_Memory_Heap_Max{${cluster()},host="h1",tm_id="tm1"}`]: "1000x40",
    },
  },
  {
    alert: "FlinkGcTimeHigh",
    quietAt: "5m",
    fireAt: "20m",
    labels: { tm_id: "tm1" },
    summary: "Flink TaskManager tm1 spends 500 ms/s in garbage collection",
    series: {
      // 30 s of G1 young collection per minute = 500 ms/s; the 1.19+ "All" sum must not be counted twice.
      [`flink_taskmanager_Status_JVM_GarbageCollector_G1_Young_Generation_Time{${cluster()},host="h1",tm_id="tm1"}`]:
        "0+30000x30",
      [`flink_taskmanager_Status_JVM_GarbageCollector_All_Time{${cluster()},host="h1",tm_id="tm1"}`]: "0+30000x30",
      [`flink_taskmanager_Status_JVM_GarbageCollector_PS_MarkSweep_Time{${cluster()},host="h2",tm_id="tm2"}`]:
        "0+60x30",
    },
  },
  {
    alert: "FlinkSourceLagGrowing",
    quietAt: "5m",
    fireAt: "40m",
    labels: { job_name: "etl" },
    summary: "Flink job etl has 40000 pending source records and the backlog grows",
    series: {
      [`flink_taskmanager_job_task_operator_pendingRecords{${operator("etl", "Source__Kafka")}}`]: "0+1000x60",
    },
  },
  {
    alert: "FlinkNoRecords",
    quietAt: "5m",
    fireAt: "20m",
    labels: { job_name: "etl" },
    summary: "Flink job etl: its operators emit 0 records/s",
    // A fully chained job: one task, whose output (its sink's) is always 0, and whose source stops after 5 minutes.
    series: {
      [`flink_taskmanager_job_task_numRecordsOutPerSecond{${task("etl", "Source__Kafka____Sink__S3")}}`]: "0x35",
      [`flink_taskmanager_job_task_operator_numRecordsOutPerSecond{${operator("etl", "Source__Kafka")}}`]: "100x5 0x30",
      [`flink_taskmanager_job_task_operator_numRecordsOutPerSecond{${operator("etl", "Sink__S3")}}`]: "0x35",
    },
  },
  {
    // promtool's clock starts at 0: at 20m, now is 1 200 000 ms and a watermark of 1 ms lags by 1 199 999 ms.
    alert: "FlinkWatermarkLagHigh",
    quietAt: "4m",
    fireAt: "20m",
    labels: { job_name: "etl" },
    summary: "Flink job etl: event time trails by 1199999 ms",
    series: {
      [`flink_taskmanager_job_task_operator_currentOutputWatermark{${operator("etl", "Window")}}`]: "1x30",
      [`flink_taskmanager_job_task_operator_currentOutputWatermark{${operator("etl", "NoWatermark")}}`]:
        "-9223372036854775808x30",
    },
  },
  {
    alert: "FlinkReporterDown",
    quietAt: "3m",
    fireAt: "10m",
    labels: { job: "flink-taskmanager", instance: "tm1:9249" },
    summary: "Prometheus cannot scrape Flink's reporter at tm1:9249",
    series: {
      [`up{${cluster()},job="flink-taskmanager",instance="tm1:9249",flink_component="taskmanager"}`]: "1x5 0x30",
      [`up{${cluster()},job="flink-jobmanager",instance="jm:9249",flink_component="jobmanager"}`]: "1x35",
    },
  },
  {
    // The JobManager's series stop after 5 minutes: absent() once they are stale (5 minutes), then 5 minutes pending.
    alert: "FlinkMetricsAbsent",
    quietAt: "8m",
    fireAt: "20m",
    labels: {},
    summary: "No Flink JobManager metrics arrive from cluster prod",
    series: { [`flink_jobmanager_numRegisteredTaskManagers{${cluster()},host="h1"}`]: "2x5" },
  },
  {
    alert: "FlinkJobMissing",
    quietAt: "3m",
    fireAt: "20m",
    labels: { job_name: "fraud_detector" },
    summary: "Flink job fraud_detector is expected to run but has no metrics",
    series: {
      [`flink_jobmanager_job_runningTime{${job("fraud_detector")}}`]: "0+60000x5",
      [`flink_jobmanager_job_runningTime{${job("etl")}}`]: "0+60000x30",
      [`flink_jobmanager_numRegisteredTaskManagers{${cluster()},host="h1"}`]: "2x30",
    },
  },
];

/**
 * Two clusters in one store, each with what used to hide the other's trouble: a healthy cluster's TaskManagers
 * (max() saw 3), a same-named healthy job, and JobManager metrics that still arrive (absent() saw them).
 */
const TWO_CLUSTERS: Case[] = [
  {
    alert: "FlinkTaskManagersMissing",
    quietAt: "3m",
    fireAt: "10m",
    labels: { cluster: "staging" },
    summary: "Only 0 Flink TaskManagers are registered",
    series: {
      [`flink_jobmanager_numRegisteredTaskManagers{${cluster()},host="h1"}`]: "3x15",
      [`flink_jobmanager_numRegisteredTaskManagers{${cluster("staging")},host="h2"}`]: "1x5 0x10",
    },
  },
  {
    alert: "FlinkJobNotRunning",
    quietAt: "2m",
    fireAt: "20m",
    labels: { cluster: "staging", job_name: "etl" },
    summary: "Flink job etl is failing or restarting",
    series: {
      [`flink_jobmanager_job_downtime{${job("etl")}}`]: "0x30",
      [`flink_jobmanager_job_downtime{${job("etl", "staging")}}`]: "0 0 0 60000+60000x30",
    },
  },
  {
    alert: "FlinkMetricsAbsent",
    quietAt: "8m",
    fireAt: "20m",
    labels: {},
    summary: "No Flink JobManager metrics arrive from cluster prod",
    series: {
      [`flink_jobmanager_numRegisteredTaskManagers{${cluster()},host="h1"}`]: "2x5",
      [`flink_jobmanager_numRegisteredTaskManagers{${cluster("staging")},host="h2"}`]: "2x30",
    },
  },
  {
    alert: "FlinkJobMissing",
    quietAt: "3m",
    fireAt: "20m",
    labels: { job_name: "fraud_detector" },
    summary: "Flink job fraud_detector is expected to run but has no metrics",
    series: {
      [`flink_jobmanager_job_runningTime{${job("fraud_detector")}}`]: "0+60000x5",
      [`flink_jobmanager_job_runningTime{${job("fraud_detector", "staging")}}`]: "0+60000x30",
      [`flink_jobmanager_job_runningTime{${job("etl")}}`]: "0+60000x30",
    },
  },
];

type Rule = { alert: string; labels: Record<string, string>; annotations: Record<string, string> };

/** Runs `promtool test rules` with a quiet and a firing evaluation for each case; returns promtool's result. */
function runCases(dir: string, rulesText: string, rules: Rule[], cases: Case[]): { code: number; output: string } {
  writeFileSync(join(dir, "flinkmon-alerts.rules.yml"), rulesText);
  const tests = cases.map((c) => {
    const rule = rules.find((r) => r.alert === c.alert)!;
    const expected = {
      exp_labels: { cluster: CLUSTER, ...c.labels, ...rule.labels },
      exp_annotations: {
        summary: c.summary,
        description: rule.annotations.description,
        runbook_url: rule.annotations.runbook_url,
      },
    };
    return {
      name: c.alert,
      interval: "1m",
      input_series: Object.entries(c.series).map(([series, values]) => ({ series, values })),
      alert_rule_test: [
        { eval_time: c.quietAt, alertname: c.alert, exp_alerts: [] },
        { eval_time: c.fireAt, alertname: c.alert, exp_alerts: [expected] },
      ],
    };
  });
  writeFileSync(
    join(dir, "tests.yml"),
    stringify({ rule_files: ["flinkmon-alerts.rules.yml"], evaluation_interval: "1m", tests }),
  );
  return promtool(["test", "rules", join(dir, "tests.yml")]);
}

describe("Prometheus alert rules under promtool", () => {
  const artifacts = build(
    configFromObject({
      flink: { version: "1.20", cluster: CLUSTER, reporters: ["prometheus"] },
      alerts: { expectedJobs: ["fraud detector", "etl"] },
    }),
  ).artifacts;
  const rulesText = artifacts.get("prometheus/rules/flinkmon-alerts.rules.yml")!;
  const rules = parse(rulesText).groups.find((g: { name: string }) => g.name === "flinkmon").rules as Rule[];
  const dir = tempDir("promtool");
  writeFileSync(join(dir, "flinkmon-alerts.rules.yml"), rulesText);

  it("promtool check rules passes", () => {
    const r = promtool(["check", "rules", join(dir, "flinkmon-alerts.rules.yml")]);
    assert.equal(r.code, 0, r.output);
  });

  it("every alert has a test case", () => {
    assert.deepEqual(rules.map((r) => r.alert).sort(), CASES.map((c) => c.alert).sort());
  });

  it("each alert fires on its firing case and stays quiet on its quiet case", () => {
    const r = runCases(dir, rulesText, rules, CASES);
    assert.equal(r.code, 0, r.output);
  });

  it("alerts fire per cluster: a healthy cluster hides no dead one, and same-named jobs stay apart", () => {
    const r = runCases(tempDir("promtool-clusters"), rulesText, rules, TWO_CLUSTERS);
    assert.equal(r.code, 0, r.output);
  });
});

describe("custom metric alerts under promtool", () => {
  const config = configFromObject({
    flink: { version: "1.20", reporters: ["prometheus"] },
    alerts: { enabled: true },
    customMetrics: [
      { name: "events", type: "counter", groups: ["fraud"], alert: { above: 1, for: "1m" } },
      { name: "queueSize", type: "gauge", alert: { below: 1000, for: "1m" } },
      { name: "scoreLatency", type: "histogram", groups: ["fraud"], unit: "ms", alert: { above: 500, for: "1m" } },
      { name: "alertsPerSecond", type: "meter", alert: { above: 5, for: "1m" } },
    ],
  });
  const rulesText = build(config).artifacts.get("prometheus/rules/flinkmon-alerts.rules.yml")!;
  const rules = (parse(rulesText).groups.find((g: { name: string }) => g.name === "flinkmon").rules as Rule[]).filter(
    (r) => r.alert.startsWith("FlinkCustom"),
  );
  const op = operator("etl", "Score");
  const custom: Case[] = [
    {
      alert: "FlinkCustomFraudEvents",
      quietAt: "10m",
      fireAt: "25m",
      labels: { job_name: "etl", operator_name: "Score" },
      summary: "Flink job etl, operator Score: fraud.events per second is 10 (above 1)",
      series: { [`flink_taskmanager_job_task_operator_fraud_events{${op}}`]: "0x10 600+600x20" },
    },
    {
      alert: "FlinkCustomQueueSize",
      quietAt: "4m",
      fireAt: "20m",
      labels: { job_name: "etl", operator_name: "Score" },
      summary: "Flink job etl, operator Score: queueSize is 10 (below 1000)",
      series: { [`flink_taskmanager_job_task_operator_queueSize{${op}}`]: "5000x5 10x30" },
    },
    {
      alert: "FlinkCustomFraudScoreLatency",
      quietAt: "4m",
      fireAt: "20m",
      labels: { job_name: "etl", operator_name: "Score" },
      summary: "Flink job etl, operator Score: p99 of fraud.scoreLatency is 900 (above 500)",
      series: {
        [`flink_taskmanager_job_task_operator_fraud_scoreLatency{${op},quantile="0.99"}`]: "100x5 900x30",
        [`flink_taskmanager_job_task_operator_fraud_scoreLatency{${op},quantile="0.5"}`]: "900x35",
      },
    },
    {
      alert: "FlinkCustomAlertsPerSecond",
      quietAt: "4m",
      fireAt: "20m",
      labels: { job_name: "etl", operator_name: "Score" },
      summary: "Flink job etl, operator Score: alertsPerSecond is 9 (above 5)",
      series: { [`flink_taskmanager_job_task_operator_alertsPerSecond{${op}}`]: "1x5 9x30" },
    },
  ];

  it("each custom alert fires on its firing case and stays quiet on its quiet case", () => {
    assert.deepEqual(rules.map((r) => r.alert).sort(), custom.map((c) => c.alert).sort());
    for (const rule of rules) assert.match(rule.annotations.runbook_url!, /#custom-metrics$/);
    const r = runCases(tempDir("promtool-custom"), rulesText, rules, custom);
    assert.equal(r.code, 0, r.output);
  });
});
