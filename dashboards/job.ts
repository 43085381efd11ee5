/** flink-job: one job (variables job, task, operator): status, checkpoints, throughput, backpressure, buffers, lag. */
import { CATALOG, available, pick, storeNames, type MetricDef } from "../flink/catalog.js";
import type { MonitoringConfig } from "../config/resolve.js";
import type { Aggregation, VariableFilter } from "./dialects/spec.js";
import { promSelector, renderPromQL, recordingFor } from "./dialects/promql.js";
import { renderInfluxQL } from "./dialects/influxql.js";
import { DASHBOARD_CONTEXT } from "./dialects/spec.js";
import { CLUSTER, JOB, TASK, OPERATOR, clusterVariable, influxConditions, promFilters } from "./filters.js";
import { series, custom, label, type Query } from "./query.js";
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

function agg(metric: MetricDef, op: Aggregation, by: string[], filters: VariableFilter[], legend = ""): Query {
  return series({ metric, transform: "value", filters, aggregate: { op, by } }, [...by.map(label), legend]);
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
        targets: present([
          agg(j.checkpointSize, "max", ["job_name"], JOB, "checkpointed"),
          available(j.checkpointFullSize, v) && agg(j.checkpointFullSize, "max", ["job_name"], JOB, "full"),
        ]),
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
        targets: present([
          agg(t.checkpointAlignmentTime, "max", ["job_name", "task_name"], TASK, "alignment"),
          available(t.checkpointStartDelay, v) &&
            agg(t.checkpointStartDelay, "max", ["job_name", "task_name"], TASK, "start delay"),
        ]),
      },
    ],
  };
}

function throughputRow(): RowSpec {
  const t = CATALOG.task;
  const o = CATALOG.operator;
  const perTask = (metric: MetricDef, legend: string) => agg(metric, "sum", ["job_name", "task_name"], TASK, legend);
  const perOperator = (metric: MetricDef, legend: string) =>
    agg(metric, "sum", ["job_name", "operator_name"], OPERATOR, legend);
  return {
    title: "Throughput",
    panels: [
      {
        key: "records-task",
        title: "Records per second by task",
        kind: "timeseries",
        unit: "recps",
        min: 0,
        description: "Records in and out per second, summed over the subtasks of each task.",
        targets: [perTask(t.recordsInPerSecond, "in"), perTask(t.recordsOutPerSecond, "out")],
      },
      {
        key: "bytes-task",
        title: "Bytes per second by task",
        kind: "timeseries",
        unit: "binBps",
        min: 0,
        description: "Bytes in and out per second over the network, summed over the subtasks of each task.",
        targets: [perTask(t.bytesInPerSecond, "in"), perTask(t.bytesOutPerSecond, "out")],
      },
      {
        key: "records-operator",
        title: "Records per second by operator",
        kind: "timeseries",
        unit: "recps",
        min: 0,
        description: "Records in and out per second of each operator, summed over its subtasks.",
        targets: [perOperator(o.recordsInPerSecond, "in"), perOperator(o.recordsOutPerSecond, "out")],
      },
      {
        key: "shuffle-local-remote",
        title: "Bytes in by task: local and remote",
        kind: "timeseries",
        unit: "binBps",
        min: 0,
        description:
          "Bytes per second each task reads from producers on its own TaskManager (local) and over the network (remote), summed over its subtasks. Remote traffic costs network and serialization.",
        targets: [perTask(t.bytesInLocalPerSecond, "local"), perTask(t.bytesInRemotePerSecond, "remote")],
      },
      {
        key: "skew",
        title: "Subtask skew: records in per second",
        kind: "timeseries",
        unit: "recps",
        min: 0,
        description:
          "Per task, its busiest subtask against the average of its subtasks. Far apart: the keys are skewed and one subtask (the hot one) limits the task.",
        targets: [
          agg(t.recordsInPerSecond, "max", ["job_name", "task_name"], TASK, "busiest subtask"),
          agg(t.recordsInPerSecond, "avg", ["job_name", "task_name"], TASK, "average subtask"),
        ],
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
    targets: [perTask(t.idleTime)],
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
    : [
        available(t.isBackPressured, v) && {
          key: "backpressured",
          title: "Back-pressured",
          kind: "timeseries",
          unit: "bool",
          min: 0,
          max: 1,
          description: `${t.isBackPressured.description} (Flink ${v.text} has no back-pressured time yet.)`,
          thresholds: [{ value: 1, color: "red" }],
          targets: [perTask(t.isBackPressured)],
        },
        available(t.idleTime, v) && idle,
      ];
  return { title: "Backpressure", panels: present(panels) };
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
  // A counter's growth per second, summed over each operator's subtasks.
  const countPerOperator = (metric: MetricDef) =>
    series(
      {
        metric,
        transform: "perSecond",
        filters: OPERATOR,
        aggregate: { op: "sum", by: ["job_name", "operator_name"] },
      },
      [label("job_name"), label("operator_name")],
    );
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
            { recordings: [recordingFor(wm)!] },
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
        targets: [countPerOperator(o.lateRecordsDropped)],
      },
      available(o.recordsInErrors, v) && {
        key: "records-in-errors",
        title: "Source records in errors per second",
        kind: "timeseries" as const,
        unit: "short",
        min: 0,
        description: `${o.recordsInErrors.description} Above zero: bad input is being skipped or failing the job.`,
        thresholds: [{ value: 0.000001, color: "red" as const }],
        targets: [countPerOperator(o.recordsInErrors)],
      },
    ]),
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
      throughputRow(),
      backpressureRow(config),
      buffersRow(),
      lagRow(config),
      stateRow(config),
      customMetricsRow(config),
    ]),
  };
}
