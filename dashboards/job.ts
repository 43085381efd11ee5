/** flink-job: one job (variables job, task, operator): status, checkpoints, throughput, backpressure, buffers, lag. */
import { CATALOG, available, pick, storeNames, type MetricDef } from "../flink/catalog.js";
import type { MonitoringConfig } from "../config/resolve.js";
import type { Aggregation, VariableFilter } from "./dialects/spec.js";
import { promSelector, renderPromQL, recordingFor, spreadRule, spreadRecordName } from "./dialects/promql.js";
import { renderInfluxQL } from "./dialects/influxql.js";
import { DASHBOARD_CONTEXT } from "./dialects/spec.js";
import { CLUSTER, JOB, TASK, OPERATOR, clusterVariable, influxConditions, promFilters } from "./filters.js";
import { series, custom, followFirst, label, spreadOf, spreadFor, type Query } from "./query.js";
import type { Spread } from "./dialects/promql.js";
import {
  MS_PER_SECOND,
  present,
  type AnnotationSpec,
  type DashboardSpec,
  type PanelSpec,
  type RowSpec,
} from "./model.js";
import { rangeWindow, subqueryStep } from "./windows.js";
import { parseDurationSeconds } from "../config/duration.js";
import { customMetricsRow } from "./custom.js";

/** How many TaskManagers the job's TaskManager panel lists. */
const TOP_TASKMANAGERS = 10;

function agg(
  metric: MetricDef,
  op: Aggregation,
  by: string[],
  filters: VariableFilter[],
  legend = "",
  worst?: Spread["worst"],
): Query {
  return series({ metric, transform: "value", filters, aggregate: { op, by } }, [...by.map(label), legend], { worst });
}

function statusRow(config: MonitoringConfig): RowSpec {
  const j = CATALOG.job;
  const v = config.flink.version;
  const running = pick(v, j.runningTime, j.uptime)!;
  const restarts = pick(v, j.numRestarts, j.fullRestarts)!;
  return {
    title: "Status",
    panels: [
      {
        key: "running-time",
        title: "Running time",
        kind: "stat",
        unit: "dtdurationms",
        width: 6,
        description: `${running.description} Resets on every restart.`,
        targets: [agg(running, "max", ["job_name"], JOB)],
      },
      {
        key: "restarts",
        title: "Restarts",
        kind: "stat",
        unit: "short",
        width: 6,
        description: `${restarts.description} (${restarts.path}).`,
        thresholds: [
          { value: 1, color: "orange" },
          { value: 5, color: "red" },
        ],
        targets: [agg(restarts, "max", ["job_name"], JOB)],
      },
      {
        key: "downtime",
        title: "Downtime and restarting time",
        kind: "timeseries",
        unit: "ms",
        width: 12,
        min: 0,
        description:
          "How long the current outage (downtime) or restart (restartingTime) has lasted; 0 while the job runs.",
        thresholds: [{ value: 1, color: "red" }],
        targets: [
          agg(j.downtime, "max", ["job_name"], JOB, "downtime"),
          agg(j.restartingTime, "max", ["job_name"], JOB, "restarting"),
        ],
      },
    ],
  };
}

function lastCompletedCheckpoint(config: MonitoringConfig): PanelSpec {
  const j = CATALOG.job;
  if (available(j.checkpointCompletedTimestamp, config.flink.version)) {
    return {
      key: "last-checkpoint",
      title: "Last completed checkpoint",
      kind: "stat",
      unit: "dateTimeFromNow",
      width: 6,
      description: j.checkpointCompletedTimestamp.description,
      targets: [agg(j.checkpointCompletedTimestamp, "max", ["job_name"], JOB)],
    };
  }
  // Before 2.0 Flink has no completion timestamp: derive it from changes of the completed counter (reference §4.5).
  const completed = storeNames(j.checkpointsCompleted).prometheus;
  const window = `${config.alerts.rules.noCompletedCheckpoint.threshold * 4}m`;
  const range = rangeWindow(config);
  const step = subqueryStep(config);
  return {
    key: "last-checkpoint",
    title: "Time since a checkpoint completed",
    kind: "stat",
    unit: "s",
    width: 6,
    description: `Seconds since numberOfCompletedCheckpoints last grew, to within ${range} (looks back ${window}; when no checkpoint completed within that, it shows ${window}: at least that long).`,
    thresholds: [{ value: config.alerts.rules.noCompletedCheckpoint.threshold * 60, color: "red" }],
    // InfluxQL cannot find the time of a change: show the completion rate, red at zero.
    influxdb: {
      title: "Checkpoints completed per second",
      unit: "cps",
      description:
        "How fast numberOfCompletedCheckpoints grows; 0 for long means no checkpoint completes (Flink 2.0 reports the completion time itself).",
      thresholds: [{ value: 0.000001, color: "green" }],
      baseColor: "red",
    },
    targets: [
      custom(
        // The last step whose range still saw the change is (range - step) after it: added back. Without a
        // completion in the look-back window the first part is empty: the window, a lower bound, instead.
        `(time() - max by (job_name) (max_over_time((timestamp(changes(${completed}${promFilters(JOB)}[${range}]) > 0))[${window}:${step}])) + ${parseDurationSeconds(range)! - parseDurationSeconds(step)!})` +
          ` or on (job_name) (0 * max by (job_name) (${completed}${promFilters(JOB)}) + ${parseDurationSeconds(window)})`,
        renderInfluxQL(
          {
            metric: j.checkpointsCompleted,
            transform: "perSecond",
            filters: JOB,
            aggregate: { op: "max", by: ["job_name"] },
          },
          DASHBOARD_CONTEXT,
        ),
        [label("job_name")],
      ),
    ],
  };
}

function checkpointRow(config: MonitoringConfig): RowSpec {
  const j = CATALOG.job;
  const t = CATALOG.task;
  const v = config.flink.version;
  return {
    title: "Checkpoints",
    panels: [
      {
        key: "checkpoint-duration",
        title: "Checkpoint duration",
        kind: "timeseries",
        unit: "ms",
        min: 0,
        width: 6,
        description: `${j.checkpointDuration.description} Red above the alert threshold.`,
        thresholds: [{ value: config.alerts.rules.checkpointDurationHigh.threshold, color: "red" }],
        targets: [agg(j.checkpointDuration, "max", ["job_name"], JOB)],
      },
      {
        key: "checkpoint-size",
        title: "Checkpoint size",
        kind: "timeseries",
        unit: "bytes",
        min: 0,
        width: 6,
        description:
          "Checkpointed (incremental) size and, from 1.15, full size of the last checkpoint. Steady growth means state grows.",
        targets: followFirst(
          present([
            agg(j.checkpointSize, "max", ["job_name"], JOB, "checkpointed"),
            available(j.checkpointFullSize, v) && agg(j.checkpointFullSize, "max", ["job_name"], JOB, "full"),
          ]),
        ),
      },
      {
        key: "checkpoint-counts",
        title: "Checkpoints completed, failed, in progress, total",
        kind: "timeseries",
        unit: "short",
        min: 0,
        width: 6,
        description:
          "Checkpoint counters since the job started: completed should grow every interval, failed should not grow at all.",
        targets: [
          agg(j.checkpointsCompleted, "max", ["job_name"], JOB, "completed"),
          agg(j.checkpointsFailed, "max", ["job_name"], JOB, "failed"),
          agg(j.checkpointsInProgress, "max", ["job_name"], JOB, "in progress"),
          agg(j.checkpointsTotal, "max", ["job_name"], JOB, "total"),
        ],
      },
      lastCompletedCheckpoint(config),
      {
        key: "checkpoint-alignment",
        title: "Checkpoint alignment and start delay",
        kind: "timeseries",
        unit: "ns",
        min: 0,
        width: 24,
        description:
          "Per task, its slowest subtask: how long the last barrier waited for alignment across inputs, and how long after the checkpoint started the task began it. A growing start delay means barriers are stuck behind back-pressure (unaligned checkpoints or buffer debloating help).",
        targets: followFirst(
          present([
            agg(t.checkpointAlignmentTime, "max", ["job_name", "task_name"], TASK, "alignment"),
            available(t.checkpointStartDelay, v) &&
              agg(t.checkpointStartDelay, "max", ["job_name", "task_name"], TASK, "start delay"),
          ]),
        ),
      },
    ],
  };
}

/** A counter's growth per second, summed over each operator's subtasks (a recording on Prometheus). */
function countPerOperator(metric: MetricDef, config: MonitoringConfig, legend = ""): Query {
  return series(
    {
      metric,
      transform: "perSecond",
      filters: OPERATOR,
      aggregate: { op: "sum", by: ["job_name", "operator_name"] },
      recordRateOver: rangeWindow(config),
    },
    [label("job_name"), label("operator_name"), legend],
  );
}

/** Sink writers' FLIP-33 counters (1.15+) as per-second rates per operator. */
function sinkPanel(
  key: string,
  title: string,
  unit: string,
  description: string,
  counters: readonly [MetricDef, string][],
  config: MonitoringConfig,
): PanelSpec | undefined {
  if (!counters.every(([metric]) => available(metric, config.flink.version))) return undefined;
  return {
    key,
    title,
    kind: "timeseries",
    unit,
    min: 0,
    description,
    targets: counters.map(([metric, legend]) => countPerOperator(metric, config, legend)),
  };
}

function throughputRow(config: MonitoringConfig): RowSpec {
  const t = CATALOG.task;
  const o = CATALOG.operator;
  const perTask = (metric: MetricDef, legend: string) => agg(metric, "sum", ["job_name", "task_name"], TASK, legend);
  const perOperator = (metric: MetricDef, legend: string) =>
    agg(metric, "sum", ["job_name", "operator_name"], OPERATOR, legend);
  return {
    title: "Throughput",
    panels: present([
      {
        key: "records-task",
        title: "Records per second by task",
        kind: "timeseries",
        unit: "recps",
        min: 0,
        description: "Records in and out per second, summed over the subtasks of each task.",
        targets: followFirst([perTask(t.recordsInPerSecond, "in"), perTask(t.recordsOutPerSecond, "out")]),
      },
      {
        key: "bytes-task",
        title: "Bytes per second by task",
        kind: "timeseries",
        unit: "binBps",
        min: 0,
        description: "Bytes in and out per second over the network, summed over the subtasks of each task.",
        targets: followFirst([perTask(t.bytesInPerSecond, "in"), perTask(t.bytesOutPerSecond, "out")]),
      },
      {
        key: "records-operator",
        title: "Records per second by operator",
        kind: "timeseries",
        unit: "recps",
        min: 0,
        description: "Records in and out per second of each operator, summed over its subtasks.",
        targets: followFirst([perOperator(o.recordsInPerSecond, "in"), perOperator(o.recordsOutPerSecond, "out")]),
      },
      {
        key: "shuffle-local-remote",
        title: "Bytes in by task: local and remote",
        kind: "timeseries",
        unit: "binBps",
        min: 0,
        description:
          "Bytes per second each task reads from producers on its own TaskManager (local) and over the network (remote), summed over its subtasks. Remote traffic costs network and serialization.",
        targets: followFirst([perTask(t.bytesInLocalPerSecond, "local"), perTask(t.bytesInRemotePerSecond, "remote")]),
      },
      sinkPanel(
        "sink-records",
        "Sink records sent and send errors per second",
        "recps",
        "Records each sink writer sent to the external system per second, and those it failed to send (a Kafka producer's failed sends), summed over its subtasks. Sink V2 writers only (KafkaSink, FileSink, …): a SinkFunction reports none.",
        [
          [o.recordsSend, "sent"],
          [o.recordsSendErrors, "errors"],
        ],
        config,
      ),
      sinkPanel(
        "sink-bytes",
        "Sink bytes sent per second",
        "binBps",
        "Bytes each sink writer sent to the external system per second, summed over its subtasks (Sink V2 writers).",
        [[o.bytesSend, "sent"]],
        config,
      ),
      {
        key: "skew",
        title: "Subtask skew: records in per second",
        kind: "timeseries",
        unit: "recps",
        min: 0,
        description:
          "Per task, its busiest subtask against the average of its subtasks. Far apart: the keys are skewed and one subtask (the hot one) limits the task.",
        targets: followFirst([
          agg(t.recordsInPerSecond, "max", ["job_name", "task_name"], TASK, "busiest subtask"),
          agg(t.recordsInPerSecond, "avg", ["job_name", "task_name"], TASK, "average subtask"),
        ]),
      },
    ]),
  };
}

/**
 * How many subtasks of each task report back-pressure (isBackPressured, 1.10+). Flink's InfluxDB reporter writes
 * this Boolean gauge as the text "true"/"false", which InfluxQL cannot add up: there, the subtasks that reported
 * "true" at least once in each interval are counted.
 */
function backPressuredSubtasks(config: MonitoringConfig): PanelSpec | undefined {
  const flag = CATALOG.task.isBackPressured;
  if (!available(flag, config.flink.version)) return undefined;
  const measurement = storeNames(flag).influxdb;
  const reported = `SELECT count("value") AS "reports" FROM "${measurement}" WHERE "value" = 'true' AND ${influxConditions(TASK)} AND $timeFilter GROUP BY time($__interval), "job_name", "task_name", "subtask_index"`;
  const query = agg(flag, "sum", ["job_name", "task_name"], TASK);
  return {
    key: "backpressured-subtasks",
    title: "Back-pressured subtasks",
    kind: "timeseries",
    unit: "short",
    min: 0,
    description:
      "How many subtasks of each task report back-pressure (isBackPressured). Some subtasks only: skewed keys or a slow TaskManager; all of them: the task's output is throttled downstream.",
    influxdb: {
      description:
        "How many subtasks of each task reported back-pressure (isBackPressured = true) within each interval. Empty while none did: Flink writes the flag as text, so there is no 0 to draw.",
    },
    targets: [
      {
        ...query,
        influxdb: `SELECT count("reports") AS "value" FROM (${reported}) WHERE $timeFilter GROUP BY time($__interval), "job_name", "task_name" fill(none)`,
      },
    ],
  };
}

function backpressureRow(config: MonitoringConfig): RowSpec {
  const t = CATALOG.task;
  const v = config.flink.version;
  const perTask = (metric: MetricDef) => agg(metric, "max", ["job_name", "task_name"], TASK);
  const rules = config.alerts.rules;
  const idle: PanelSpec = {
    key: "idle",
    title: "Idle time",
    kind: "timeseries",
    unit: MS_PER_SECOND,
    min: 0,
    max: 1000,
    description: `${t.idleTime.description} Mostly idle tasks have spare capacity.`,
    // The least idle task is the one to see.
    targets: [agg(t.idleTime, "max", ["job_name", "task_name"], TASK, "", "low")],
  };
  const panels: (PanelSpec | false)[] = available(t.backPressuredTime, v)
    ? [
        {
          key: "backpressured",
          title: "Back-pressured time",
          kind: "timeseries",
          unit: MS_PER_SECOND,
          min: 0,
          max: 1000,
          description: `${t.backPressuredTime.description} Flink calls > 100 LOW and > 500 HIGH; the busiest subtask is shown.`,
          thresholds: [
            { value: 100, color: "orange" },
            { value: rules.backpressureHigh.threshold, color: "red" },
          ],
          targets: [perTask(t.backPressuredTime)],
        },
        {
          key: "busy",
          title: "Busy time",
          kind: "timeseries",
          unit: MS_PER_SECOND,
          min: 0,
          max: 1000,
          description: `${t.busyTime.description} A busy task with back-pressured predecessors is the bottleneck.`,
          thresholds: [{ value: rules.busyHigh.threshold, color: "red" }],
          targets: [perTask(t.busyTime)],
        },
        idle,
        available(t.hardBackPressuredTime, v) && {
          key: "hard-backpressured",
          title: "Hard back-pressured time",
          kind: "timeseries",
          unit: MS_PER_SECOND,
          min: 0,
          max: 1000,
          description: `${t.hardBackPressuredTime.description} Part of the back-pressured time; high values stall the task entirely.`,
          thresholds: [{ value: rules.backpressureHigh.threshold, color: "red" }],
          targets: [perTask(t.hardBackPressuredTime)],
        },
        available(t.initializationTime, v) && {
          key: "initialization",
          title: "Task initialization time",
          kind: "timeseries",
          unit: "ms",
          min: 0,
          description: `${t.initializationTime.description} Long after a restart: large state to restore.`,
          targets: [perTask(t.initializationTime)],
        },
      ]
    : [available(t.idleTime, v) && idle];
  return { title: "Backpressure", panels: present([...panels, backPressuredSubtasks(config)]) };
}

function buffersRow(): RowSpec {
  const t = CATALOG.task;
  const perTask = (metric: MetricDef) => agg(metric, "max", ["job_name", "task_name"], TASK);
  return {
    title: "Network buffers",
    panels: [
      {
        key: "in-pool",
        title: "Input buffer pool usage",
        kind: "timeseries",
        unit: "percentunit",
        min: 0,
        width: 12,
        description: `${t.inPoolUsage.description} High input usage: this task cannot keep up.`,
        thresholds: [
          { value: 0.5, color: "orange" },
          { value: 0.9, color: "red" },
        ],
        targets: [perTask(t.inPoolUsage)],
      },
      {
        key: "out-pool",
        title: "Output buffer pool usage",
        kind: "timeseries",
        unit: "percentunit",
        min: 0,
        width: 12,
        description: `${t.outPoolUsage.description} High output usage: a downstream task is slow.`,
        thresholds: [
          { value: 0.5, color: "orange" },
          { value: 0.9, color: "red" },
        ],
        targets: [perTask(t.outPoolUsage)],
      },
    ],
  };
}

function lagRow(config: MonitoringConfig): RowSpec {
  const o = CATALOG.operator;
  const v = config.flink.version;
  const wm = {
    metric: o.outputWatermark,
    transform: "value" as const,
    filters: OPERATOR,
    above: 0,
    aggregate: { op: "min" as const, by: ["job_name", "operator_name"] },
  };
  // Unset watermarks are Long.MIN_VALUE, hence "> 0"; InfluxQL cannot subtract from now(), so it charts the source's watermarkLag.
  const watermarkLag = available(o.watermarkLag, v)
    ? renderInfluxQL(
        {
          metric: o.watermarkLag,
          transform: "value",
          filters: OPERATOR,
          aggregate: { op: "max", by: ["job_name", "operator_name"] },
        },
        DASHBOARD_CONTEXT,
      )
    : renderInfluxQL(wm, DASHBOARD_CONTEXT);
  const perOperator = (metric: MetricDef, op: Aggregation) => agg(metric, op, ["job_name", "operator_name"], OPERATOR);
  return {
    title: "Watermarks and source lag",
    panels: present([
      {
        key: "watermark-lag",
        title: "Watermark lag",
        kind: "timeseries",
        unit: "ms",
        min: 0,
        description:
          "How far event time trails wall-clock time: now minus the lowest output watermark of each operator (InfluxDB: the sources' watermarkLag, 1.14+).",
        thresholds: [{ value: config.alerts.rules.watermarkLagHigh.threshold, color: "red" }],
        // InfluxQL cannot subtract from now(); before 1.14 there is no watermarkLag: show the watermark as a time.
        influxdb: available(o.watermarkLag, v)
          ? undefined
          : {
              title: "Lowest output watermark",
              unit: "dateTimeAsIso",
              description:
                "The lowest output watermark of each operator (unset watermarks left out). Flink before 1.14 reports no watermarkLag, and InfluxQL cannot subtract a time from now().",
              thresholds: [],
            },
        targets: [
          custom(
            `time() * 1000 - ${renderPromQL(wm, DASHBOARD_CONTEXT)}`,
            watermarkLag,
            [label("job_name"), label("operator_name")],
            {
              recordings: [recordingFor(wm)!],
              // The largest lag is the lowest watermark: the operators to draw are the lowest ranked.
              spread: spreadFor(
                wm,
                spreadOf(wm.aggregate.by, "low")!,
                spreadRule(
                  spreadRecordName(storeNames(wm.metric).prometheus, "lag", wm.aggregate.by),
                  `time() * 1000 - ${renderPromQL(wm, DASHBOARD_CONTEXT, true)}`,
                ),
              ),
            },
          ),
        ],
      },
      available(o.pendingRecords, v) && {
        key: "pending-records",
        title: "Source backlog (pendingRecords)",
        kind: "timeseries" as const,
        unit: "short",
        min: 0,
        description: `${o.pendingRecords.description} Growing backlog: the job cannot keep up with its sources.`,
        targets: [perOperator(o.pendingRecords, "sum")],
      },
      available(o.kafkaRecordsLagMax, v) && {
        key: "kafka-lag",
        title: "Kafka consumer lag (records-lag-max)",
        kind: "timeseries" as const,
        unit: "short",
        min: 0,
        description: `${o.kafkaRecordsLagMax.description} Needs register.consumer.metrics (on by default).`,
        targets: [perOperator(o.kafkaRecordsLagMax, "max")],
      },
      {
        key: "late-records",
        title: "Late records dropped per second",
        kind: "timeseries" as const,
        unit: "short",
        min: 0,
        description: `${o.lateRecordsDropped.description} Above zero: results miss data; raise the allowed lateness or the watermark's out-of-orderness.`,
        thresholds: [{ value: 0.000001, color: "orange" as const }],
        targets: [countPerOperator(o.lateRecordsDropped, config)],
      },
      available(o.recordsInErrors, v) && {
        key: "records-in-errors",
        title: "Source records in errors per second",
        kind: "timeseries" as const,
        unit: "short",
        min: 0,
        description: `${o.recordsInErrors.description} Above zero: bad input is being skipped or failing the job.`,
        thresholds: [{ value: 0.000001, color: "red" as const }],
        targets: [countPerOperator(o.recordsInErrors, config)],
      },
    ]),
  };
}

/**
 * Job → the TaskManagers that run it → one TaskManager: the TaskManagers holding the selected job's (and task's)
 * subtasks, busiest subtask first (1.13+; before, by the number of subtasks), each bar linking to the TaskManager
 * dashboard. A TaskManager's JVM serves slots of several jobs, so the TaskManager dashboard itself has no job variable.
 */
function taskManagersRow(config: MonitoringConfig): RowSpec {
  const t = CATALOG.task;
  const busy = available(t.busyTime, config.flink.version);
  const metric = busy ? t.busyTime : t.recordsInPerSecond;
  const names = storeNames(metric);
  const top = TOP_TASKMANAGERS;
  const prometheus = busy
    ? `topk(${top}, max by (tm_id) (${names.prometheus}${promFilters(TASK)}))`
    : `topk(${top}, count by (tm_id) (${names.prometheus}${promFilters(TASK)}))`;
  // InfluxQL: the last value of each subtask, then the busiest (or the count) per TaskManager; it cannot rank.
  const inner = `SELECT last("value") AS "value" FROM "${names.influxdb}" WHERE ${influxConditions(TASK)} AND $timeFilter GROUP BY "tm_id", "task_name", "subtask_index"`;
  const influxdb = `SELECT ${busy ? "max" : "count"}("value") AS "value" FROM (${inner}) GROUP BY "tm_id"`;
  return {
    title: "TaskManagers",
    panels: [
      {
        key: "taskmanagers",
        title: busy ? "TaskManagers running this job, busiest first" : "TaskManagers running this job",
        kind: "bargauge",
        unit: busy ? MS_PER_SECOND : "short",
        width: 24,
        min: 0,
        ...(busy ? { max: 1000 } : {}),
        description: busy
          ? `The ${top} TaskManagers whose busiest subtask of the selected job and tasks is busiest (busyTimeMsPerSecond). Click a bar for that TaskManager's JVM and memory.`
          : `The ${top} TaskManagers holding the most subtasks of the selected job and tasks. Click a bar for that TaskManager's JVM and memory.`,
        ...(busy ? { thresholds: [{ value: config.alerts.rules.busyHigh.threshold, color: "red" as const }] } : {}),
        drillDown: { dashboard: "flink-taskmanager", label: "tm_id", title: "TaskManager ${__field.labels.tm_id}" },
        targets: [custom(prometheus, influxdb, [label("tm_id")], { instant: true })],
      },
    ],
  };
}

/** RocksDB native metrics and latency markers, when the config turns them on. */
function stateRow(config: MonitoringConfig): RowSpec | undefined {
  const r = CATALOG.rocksdb;
  const byOperator = ["job_name", "operator_name"];
  const rocks = (metric: MetricDef, op: Aggregation, legend: string) => agg(metric, op, byOperator, OPERATOR, legend);
  const panels: PanelSpec[] = [];
  if (config.flink.rocksdbNativeMetrics) {
    panels.push(
      {
        key: "rocksdb-keys",
        title: "RocksDB keys",
        kind: "timeseries",
        unit: "short",
        min: 0,
        description: `${r.estimateNumKeys.description} Summed over subtasks and column families (states).`,
        targets: [rocks(r.estimateNumKeys, "sum", "keys")],
      },
      {
        key: "rocksdb-size",
        title: "RocksDB state size",
        kind: "timeseries",
        unit: "bytes",
        min: 0,
        description: "Live data and SST files on disk, summed over subtasks and column families.",
        targets: [rocks(r.liveDataSize, "sum", "live data"), rocks(r.sstFilesSize, "sum", "SST files")],
      },
      {
        key: "rocksdb-memory",
        title: "RocksDB memory",
        kind: "timeseries",
        unit: "bytes",
        min: 0,
        description: "Memtables and block cache in use (the largest subtask): they live in managed memory.",
        targets: [rocks(r.memTables, "max", "memtables"), rocks(r.blockCacheUsage, "max", "block cache")],
      },
      {
        key: "rocksdb-compaction",
        title: "RocksDB compaction backlog",
        kind: "timeseries",
        unit: "bytes",
        min: 0,
        description: `${r.pendingCompactionBytes.description} The largest subtask.`,
        targets: [rocks(r.pendingCompactionBytes, "max", "pending")],
      },
    );
  }
  const latency = pick(config.flink.version, CATALOG.latency.latency, CATALOG.latency.latencyOnTask);
  if (config.flink.latencyTrackingSeconds !== undefined && latency) {
    const by = ["job_name", "source_id", "operator_id"];
    const q = (quantile: "0.5" | "0.99") =>
      series({ metric: latency, transform: "value", quantile, filters: JOB, aggregate: { op: "max", by } }, [
        ...by.slice(1).map(label),
        `p${Number(quantile) * 100}`,
      ]);
    panels.push({
      key: "latency",
      title: "Latency markers",
      kind: "timeseries",
      unit: "ms",
      min: 0,
      width: 24,
      description: `${latency.description} From each source to each operator (ids: see the job graph), slowest subtask; p50 and p99.`,
      targets: [q("0.5"), q("0.99")],
    });
  }
  return panels.length > 0 ? { title: "State and latency", panels } : undefined;
}

/**
 * A mark on every panel where the job restarted: its restart counter changed within a window of several scrapes,
 * evaluated once per window (one mark per restart).
 */
function restartAnnotation(config: MonitoringConfig): AnnotationSpec {
  const restarts = pick(config.flink.version, CATALOG.job.numRestarts, CATALOG.job.fullRestarts)!;
  const window = rangeWindow(config);
  return {
    name: "Restarts",
    prometheus: `changes(${promSelector({ metric: restarts, transform: "value", filters: JOB })}[${window}]) > 0`,
    step: window,
    text: "{{job_name}} restarted",
    color: "red",
  };
}

export function jobDashboard(config: MonitoringConfig): DashboardSpec {
  const jobNames = storeNames(CATALOG.job.uptime);
  const tasks = storeNames(CATALOG.task.recordsInPerSecond);
  const operators = storeNames(CATALOG.operator.recordsInPerSecond);
  return {
    key: "flink-job",
    title: "Jobs",
    description:
      "One job at a time: status, checkpoints, throughput, backpressure, buffers, watermarks and source lag.",
    annotations: [restartAnnotation(config)],
    variables: [
      clusterVariable(CATALOG.job.uptime),
      {
        name: "job_name",
        label: "Job",
        startOnAll: false,
        prometheus: `label_values(${jobNames.prometheus}${promFilters(CLUSTER)}, job_name)`,
        influxdb: `SHOW TAG VALUES FROM "${jobNames.influxdb}" WITH KEY = "job_name" WHERE ${influxConditions(CLUSTER)}`,
      },
      {
        name: "task_name",
        label: "Task",
        prometheus: `label_values(${tasks.prometheus}${promFilters(JOB)}, task_name)`,
        influxdb: `SHOW TAG VALUES FROM "${tasks.influxdb}" WITH KEY = "task_name" WHERE ${influxConditions(JOB)}`,
      },
      {
        name: "operator_name",
        label: "Operator",
        prometheus: `label_values(${operators.prometheus}${promFilters(TASK)}, operator_name)`,
        influxdb: `SHOW TAG VALUES FROM "${operators.influxdb}" WITH KEY = "operator_name" WHERE ${influxConditions(TASK)}`,
      },
    ],
    rows: present([
      statusRow(config),
      checkpointRow(config),
      throughputRow(config),
      backpressureRow(config),
      buffersRow(),
      taskManagersRow(config),
      lagRow(config),
      stateRow(config),
      customMetricsRow(config),
    ]),
  };
}
