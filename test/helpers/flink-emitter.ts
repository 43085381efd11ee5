/**
 * Writes Flink-shaped metrics the way Flink's reporters do, for the real-server tests. Every name here is written
 * out as docs/verified-metrics.md records real clusters (§2 Prometheus names and labels, §3 InfluxDB measurements, tags
 * and fields, §4 the metrics), NOT taken from flinkmon's catalog, so a wrong name in the catalog fails the tests.
 */
type Kind = "gauge" | "counter" | "meter" | "histogram";
type ScopeKey = "jm" | "job" | "tm" | "task" | "op" | "lat";

interface Emitted {
  /** PrometheusReporter name (§2.1: flink_ + scope + filtered metric path). */
  prom: string;
  /** InfluxdbReporter measurement (§3.1: no flink_ prefix, metric name unfiltered). */
  influx: string;
  scope: ScopeKey;
  kind: Kind;
  /** Labels of key/value groups (addGroup(key, value)): the key is in the name, the value a label (§2.1). */
  extra?: Record<string, string>;
  /** Value at second t (counters and cumulative gauges grow). */
  value: (t: number) => number;
  /**
   * A Gauge<Boolean> (value 1 = true): PrometheusReporter reports 1/0, InfluxdbReporter the text "true"/"false"
   * (MetricMapper writes a gauge value that is no Number as String.valueOf).
   */
  boolean?: true;
}

const grow = (rate: number) => (t: number) => Math.floor(t * rate);
const steady = (v: number) => () => v;

/** Flink 1.20-era metric set (§4.1-4.10), as the reference spells each name in each store. */
const METRICS: Emitted[] = [
  // JobManager process (§4.1, §4.3)
  ...jvm("jm", "jobmanager", "PS Scavenge", "PS MarkSweep"),
  {
    prom: "flink_jobmanager_numRegisteredTaskManagers",
    influx: "jobmanager_numRegisteredTaskManagers",
    scope: "jm",
    kind: "gauge",
    value: steady(2),
  },
  {
    prom: "flink_jobmanager_numPendingTaskManagers",
    influx: "jobmanager_numPendingTaskManagers",
    scope: "jm",
    kind: "gauge",
    value: steady(0),
  },
  {
    prom: "flink_jobmanager_numRunningJobs",
    influx: "jobmanager_numRunningJobs",
    scope: "jm",
    kind: "gauge",
    value: steady(1),
  },
  {
    prom: "flink_jobmanager_taskSlotsAvailable",
    influx: "jobmanager_taskSlotsAvailable",
    scope: "jm",
    kind: "gauge",
    value: steady(1),
  },
  {
    prom: "flink_jobmanager_taskSlotsTotal",
    influx: "jobmanager_taskSlotsTotal",
    scope: "jm",
    kind: "gauge",
    value: steady(4),
  },
  // Job on the JobManager (§4.4, §4.5)
  {
    prom: "flink_jobmanager_job_uptime",
    influx: "jobmanager_job_uptime",
    scope: "job",
    kind: "gauge",
    value: (t) => 3_600_000 + t * 1000,
  },
  {
    prom: "flink_jobmanager_job_runningTime",
    influx: "jobmanager_job_runningTime",
    scope: "job",
    kind: "gauge",
    value: (t) => 3_600_000 + t * 1000,
  },
  {
    prom: "flink_jobmanager_job_downtime",
    influx: "jobmanager_job_downtime",
    scope: "job",
    kind: "gauge",
    value: steady(0),
  },
  {
    prom: "flink_jobmanager_job_restartingTime",
    influx: "jobmanager_job_restartingTime",
    scope: "job",
    kind: "gauge",
    value: steady(0),
  },
  {
    prom: "flink_jobmanager_job_numRestarts",
    influx: "jobmanager_job_numRestarts",
    scope: "job",
    kind: "gauge",
    value: grow(0.1),
  },
  {
    prom: "flink_jobmanager_job_lastCheckpointDuration",
    influx: "jobmanager_job_lastCheckpointDuration",
    scope: "job",
    kind: "gauge",
    value: steady(1200),
  },
  {
    prom: "flink_jobmanager_job_lastCheckpointSize",
    influx: "jobmanager_job_lastCheckpointSize",
    scope: "job",
    kind: "gauge",
    value: steady(4_000_000),
  },
  {
    prom: "flink_jobmanager_job_lastCheckpointFullSize",
    influx: "jobmanager_job_lastCheckpointFullSize",
    scope: "job",
    kind: "gauge",
    value: steady(90_000_000),
  },
  {
    prom: "flink_jobmanager_job_lastCheckpointCompletedTimestamp",
    influx: "jobmanager_job_lastCheckpointCompletedTimestamp",
    scope: "job",
    kind: "gauge",
    value: () => Date.now() - 5000,
  },
  {
    prom: "flink_jobmanager_job_numberOfCompletedCheckpoints",
    influx: "jobmanager_job_numberOfCompletedCheckpoints",
    scope: "job",
    kind: "gauge",
    value: grow(0.5),
  },
  {
    prom: "flink_jobmanager_job_numberOfFailedCheckpoints",
    influx: "jobmanager_job_numberOfFailedCheckpoints",
    scope: "job",
    kind: "gauge",
    value: grow(0.05),
  },
  {
    prom: "flink_jobmanager_job_totalNumberOfCheckpoints",
    influx: "jobmanager_job_totalNumberOfCheckpoints",
    scope: "job",
    kind: "gauge",
    value: grow(0.55),
  },
  {
    prom: "flink_jobmanager_job_numberOfInProgressCheckpoints",
    influx: "jobmanager_job_numberOfInProgressCheckpoints",
    scope: "job",
    kind: "gauge",
    value: steady(1),
  },
  // TaskManager process (§4.1, §4.2)
  ...jvm("tm", "taskmanager", "G1 Young Generation", "G1 Old Generation"),
  {
    prom: "flink_taskmanager_Status_Flink_Memory_Managed_Used",
    influx: "taskmanager_Status_Flink_Memory_Managed_Used",
    scope: "tm",
    kind: "gauge",
    value: steady(100_000_000),
  },
  {
    prom: "flink_taskmanager_Status_Flink_Memory_Managed_Total",
    influx: "taskmanager_Status_Flink_Memory_Managed_Total",
    scope: "tm",
    kind: "gauge",
    value: steady(500_000_000),
  },
  {
    prom: "flink_taskmanager_Status_Shuffle_Netty_AvailableMemorySegments",
    influx: "taskmanager_Status_Shuffle_Netty_AvailableMemorySegments",
    scope: "tm",
    kind: "gauge",
    value: steady(2000),
  },
  {
    prom: "flink_taskmanager_Status_Shuffle_Netty_UsedMemorySegments",
    influx: "taskmanager_Status_Shuffle_Netty_UsedMemorySegments",
    scope: "tm",
    kind: "gauge",
    value: steady(48),
  },
  {
    prom: "flink_taskmanager_Status_Shuffle_Netty_TotalMemorySegments",
    influx: "taskmanager_Status_Shuffle_Netty_TotalMemorySegments",
    scope: "tm",
    kind: "gauge",
    value: steady(2048),
  },
  // Task (§4.6-4.8)
  {
    prom: "flink_taskmanager_job_task_numRecordsInPerSecond",
    influx: "taskmanager_job_task_numRecordsInPerSecond",
    scope: "task",
    kind: "meter",
    value: steady(1500),
  },
  {
    prom: "flink_taskmanager_job_task_numRecordsOutPerSecond",
    influx: "taskmanager_job_task_numRecordsOutPerSecond",
    scope: "task",
    kind: "meter",
    value: steady(1400),
  },
  {
    prom: "flink_taskmanager_job_task_numBytesInPerSecond",
    influx: "taskmanager_job_task_numBytesInPerSecond",
    scope: "task",
    kind: "meter",
    value: steady(150_000),
  },
  {
    prom: "flink_taskmanager_job_task_numBytesOutPerSecond",
    influx: "taskmanager_job_task_numBytesOutPerSecond",
    scope: "task",
    kind: "meter",
    value: steady(140_000),
  },
  {
    prom: "flink_taskmanager_job_task_isBackPressured",
    influx: "taskmanager_job_task_isBackPressured",
    scope: "task",
    kind: "gauge",
    boolean: true,
    value: steady(1),
  },
  {
    prom: "flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
    influx: "taskmanager_job_task_backPressuredTimeMsPerSecond",
    scope: "task",
    kind: "gauge",
    value: steady(120),
  },
  {
    prom: "flink_taskmanager_job_task_busyTimeMsPerSecond",
    influx: "taskmanager_job_task_busyTimeMsPerSecond",
    scope: "task",
    kind: "gauge",
    value: steady(430),
  },
  {
    prom: "flink_taskmanager_job_task_hardBackPressuredTimeMsPerSecond",
    influx: "taskmanager_job_task_hardBackPressuredTimeMsPerSecond",
    scope: "task",
    kind: "gauge",
    value: steady(40),
  },
  {
    prom: "flink_taskmanager_job_task_initializationTime",
    influx: "taskmanager_job_task_initializationTime",
    scope: "task",
    kind: "counter",
    value: steady(2300),
  },
  {
    prom: "flink_taskmanager_job_task_numBytesInLocalPerSecond",
    influx: "taskmanager_job_task_numBytesInLocalPerSecond",
    scope: "task",
    kind: "meter",
    value: steady(90_000),
  },
  {
    prom: "flink_taskmanager_job_task_numBytesInRemotePerSecond",
    influx: "taskmanager_job_task_numBytesInRemotePerSecond",
    scope: "task",
    kind: "meter",
    value: steady(60_000),
  },
  {
    prom: "flink_taskmanager_job_task_checkpointAlignmentTime",
    influx: "taskmanager_job_task_checkpointAlignmentTime",
    scope: "task",
    kind: "gauge",
    value: steady(3_000_000),
  },
  {
    prom: "flink_taskmanager_job_task_checkpointStartDelayNanos",
    influx: "taskmanager_job_task_checkpointStartDelayNanos",
    scope: "task",
    kind: "gauge",
    value: steady(12_000_000),
  },
  {
    prom: "flink_taskmanager_job_task_idleTimeMsPerSecond",
    influx: "taskmanager_job_task_idleTimeMsPerSecond",
    scope: "task",
    kind: "gauge",
    value: steady(450),
  },
  {
    prom: "flink_taskmanager_job_task_Shuffle_Netty_Input_Buffers_inPoolUsage",
    influx: "taskmanager_job_task_Shuffle_Netty_Input_Buffers_inPoolUsage",
    scope: "task",
    kind: "gauge",
    value: steady(0.2),
  },
  {
    prom: "flink_taskmanager_job_task_Shuffle_Netty_Output_Buffers_outPoolUsage",
    influx: "taskmanager_job_task_Shuffle_Netty_Output_Buffers_outPoolUsage",
    scope: "task",
    kind: "gauge",
    value: steady(0.4),
  },
  // Operator (§4.6, §4.10)
  {
    prom: "flink_taskmanager_job_task_operator_numRecordsInPerSecond",
    influx: "taskmanager_job_task_operator_numRecordsInPerSecond",
    scope: "op",
    kind: "meter",
    value: steady(1500),
  },
  {
    prom: "flink_taskmanager_job_task_operator_numRecordsOutPerSecond",
    influx: "taskmanager_job_task_operator_numRecordsOutPerSecond",
    scope: "op",
    kind: "meter",
    value: steady(1400),
  },
  {
    prom: "flink_taskmanager_job_task_operator_currentOutputWatermark",
    influx: "taskmanager_job_task_operator_currentOutputWatermark",
    scope: "op",
    kind: "gauge",
    value: () => Date.now() - 20_000,
  },
  {
    prom: "flink_taskmanager_job_task_operator_watermarkLag",
    influx: "taskmanager_job_task_operator_watermarkLag",
    scope: "op",
    kind: "gauge",
    value: steady(20_000),
  },
  {
    prom: "flink_taskmanager_job_task_operator_pendingRecords",
    influx: "taskmanager_job_task_operator_pendingRecords",
    scope: "op",
    kind: "gauge",
    value: grow(10),
  },
  {
    prom: "flink_taskmanager_job_task_operator_numRecordsInErrors",
    influx: "taskmanager_job_task_operator_numRecordsInErrors",
    scope: "op",
    kind: "counter",
    value: grow(0.2),
  },
  // Sink V2 writers (§4.10)
  {
    prom: "flink_taskmanager_job_task_operator_numRecordsSend",
    influx: "taskmanager_job_task_operator_numRecordsSend",
    scope: "op",
    kind: "counter",
    value: grow(1400),
  },
  {
    prom: "flink_taskmanager_job_task_operator_numBytesSend",
    influx: "taskmanager_job_task_operator_numBytesSend",
    scope: "op",
    kind: "counter",
    value: grow(140_000),
  },
  {
    prom: "flink_taskmanager_job_task_operator_numRecordsSendErrors",
    influx: "taskmanager_job_task_operator_numRecordsSendErrors",
    scope: "op",
    kind: "counter",
    value: grow(0.1),
  },
  {
    prom: "flink_taskmanager_job_task_operator_numLateRecordsDropped",
    influx: "taskmanager_job_task_operator_numLateRecordsDropped",
    scope: "op",
    kind: "counter",
    value: grow(0.1),
  },
  {
    prom: "flink_taskmanager_job_task_operator_KafkaSourceReader_KafkaConsumer_records_lag_max",
    influx: "taskmanager_job_task_operator_KafkaSourceReader_KafkaConsumer_records-lag-max",
    scope: "op",
    kind: "gauge",
    value: steady(321),
  },
  // A job's own metrics, as declared in flinkmon.config.yaml's customMetrics, named by §2.1/§3.1:
  // addGroup("fraud").counter("events"), gauge("queueSize"), addGroup("fraud").histogram("scoreLatency"), meter("alertsPerSecond").
  {
    prom: "flink_taskmanager_job_task_operator_fraud_events",
    influx: "taskmanager_job_task_operator_fraud_events",
    scope: "op",
    kind: "counter",
    value: grow(50),
  },
  {
    prom: "flink_taskmanager_job_task_operator_queueSize",
    influx: "taskmanager_job_task_operator_queueSize",
    scope: "op",
    kind: "gauge",
    value: steady(17),
  },
  {
    prom: "flink_taskmanager_job_task_operator_fraud_scoreLatency",
    influx: "taskmanager_job_task_operator_fraud_scoreLatency",
    scope: "op",
    kind: "histogram",
    value: steady(40),
  },
  {
    prom: "flink_taskmanager_job_task_operator_alertsPerSecond",
    influx: "taskmanager_job_task_operator_alertsPerSecond",
    scope: "op",
    kind: "meter",
    value: steady(3),
  },
  // Latency markers, granularity operator: on the task group from 1.19 (seen on real 1.19.3 to 2.3 clusters by the
  // acceptance suite; 1.18.1 still had them on the job group of the TaskManager, as §2.4 and §4.9 describe).
  {
    prom: "flink_taskmanager_job_task_latency_source_id_operator_id_operator_subtask_index_latency",
    influx: "taskmanager_job_task_latency_source_id_operator_id_operator_subtask_index_latency",
    scope: "lat",
    kind: "histogram",
    value: steady(12),
  },
  // RocksDB native metrics with column-family-as-variable: operator group, key/value group column_family, gauge named
  // by the RocksDB property (apache/flink RocksDBNativeMetricMonitor#registerColumnFamily; the reference has no table).
  ...[
    "estimate-num-keys",
    "estimate-live-data-size",
    "total-sst-files-size",
    "cur-size-all-mem-tables",
    "block-cache-usage",
    "estimate-pending-compaction-bytes",
  ].map((p): Emitted => ({
    prom: `flink_taskmanager_job_task_operator_column_family_rocksdb_${p.replace(/-/g, "_")}`,
    influx: `taskmanager_job_task_operator_column_family_rocksdb.${p}`,
    scope: "op",
    kind: "gauge",
    value: steady(4096),
    extra: { column_family: "window-contents" },
  })),
];

/** Histograms (§2.3, §3.3): Prometheus summary quantiles and _count; InfluxDB statistics fields. */
const QUANTILES = ["0.5", "0.75", "0.95", "0.98", "0.99", "0.999"];
const PERCENTILE_FIELDS = ["p50", "p75", "p95", "p98", "p99", "p999"];

/** JVM metrics of §4.1; the collector name is part of the metric name (spaces → "_" in both stores' group part). */
function jvm(scope: "jm" | "tm", prefix: string, young: string, old: string): Emitted[] {
  const g = (path: string, value: (t: number) => number): Emitted => ({
    prom: `flink_${prefix}_${path.replace(/[^a-zA-Z0-9:_]/g, "_")}`,
    influx: `${prefix}_${path.replace(/[^a-zA-Z0-9:_]/g, "_")}`,
    scope,
    kind: "gauge",
    value,
  });
  return [
    g("Status.JVM.CPU.Load", steady(0.35)),
    // Nanoseconds of CPU so far (§4.3): 0.7 of a core.
    g("Status.JVM.CPU.Time", grow(700_000_000)),
    g("Status.JVM.Memory.Heap.Used", steady(600_000_000)),
    g("Status.JVM.Memory.Heap.Committed", steady(900_000_000)),
    g("Status.JVM.Memory.Heap.Max", steady(1_000_000_000)),
    g("Status.JVM.Memory.NonHeap.Used", steady(90_000_000)),
    g("Status.JVM.Memory.NonHeap.Committed", steady(100_000_000)),
    g("Status.JVM.Memory.Metaspace.Used", steady(60_000_000)),
    g("Status.JVM.Memory.Metaspace.Max", steady(250_000_000)),
    g("Status.JVM.Memory.Direct.MemoryUsed", steady(30_000_000)),
    g("Status.JVM.Memory.Direct.TotalCapacity", steady(40_000_000)),
    g("Status.JVM.Threads.Count", steady(80)),
    g("Status.JVM.ClassLoader.ClassesLoaded", steady(9000)),
    g("Status.JVM.ClassLoader.ClassesUnloaded", steady(12)),
    g(`Status.JVM.GarbageCollector.${young}.Count`, grow(2)),
    g(`Status.JVM.GarbageCollector.${young}.Time`, grow(40)),
    g(`Status.JVM.GarbageCollector.${old}.Count`, grow(0.1)),
    g(`Status.JVM.GarbageCollector.${old}.Time`, grow(20)),
    g("Status.JVM.GarbageCollector.All.Count", grow(2.1)),
    g("Status.JVM.GarbageCollector.All.Time", grow(60)),
  ];
}

/** Variables per scope (§2.1 table), with raw values; the Prometheus reporter filters them (§2.2). */
export interface Identity {
  readonly host: string;
  readonly tmId: string;
  readonly jobName: string;
  readonly taskName: string;
  readonly operatorName: string;
  /** The InfluxDB reporter's scope.variables.additional (flinkmon sets cluster there): tags on every point. */
  readonly additional?: Readonly<Record<string, string>>;
}

export const DEFAULT_IDENTITY: Identity = {
  host: "10.0.0.5",
  tmId: "10.0.0.5:6122-a1b2c3",
  jobName: "Fraud Detection",
  taskName: "Source: Kafka -> Map",
  operatorName: "Source: Kafka",
};

function variables(scope: ScopeKey, id: Identity, subtask: number): Record<string, string> {
  const jm = { host: id.host };
  const job = { ...jm, job_id: "c0ffee00c0ffee00c0ffee00c0ffee00", job_name: id.jobName };
  const tm = { host: id.host, tm_id: id.tmId };
  const task = {
    ...tm,
    job_id: job.job_id,
    job_name: id.jobName,
    task_id: "cbc357ccb763df2852fee8c4fc7d55f2",
    task_name: id.taskName,
    task_attempt_id: `attempt${subtask}`,
    task_attempt_num: "0",
    subtask_index: String(subtask),
  };
  const op = { ...task, operator_id: "cbc357ccb763df2852fee8c4fc7d55f2", operator_name: id.operatorName };
  const lat = {
    ...task,
    source_id: "bc764cd8ddf7a0cff126f51c16239658",
    operator_id: "cbc357ccb763df2852fee8c4fc7d55f2",
    operator_subtask_index: String(subtask),
  };
  return { jm, job, tm, task, op, lat }[scope];
}

const filterLabel = (v: string) => v.replace(/[^a-zA-Z0-9:_]/g, "_");
const SUBTASKS = [0, 1];
const scopeSubtasks = (scope: ScopeKey) => (scope === "task" || scope === "op" || scope === "lat" ? SUBTASKS : [0]);

/** Prometheus text exposition of every metric, as PrometheusReporter serves it (all types as gauges, §2.3). */
export function exposition(t: number, id: Identity = DEFAULT_IDENTITY, only?: (m: Emitted) => boolean): string {
  const lines: string[] = [];
  for (const m of METRICS.filter(only ?? (() => true))) {
    lines.push(
      `# HELP ${m.prom} ${m.prom} (scope: ${m.scope})`,
      `# TYPE ${m.prom} ${m.kind === "histogram" ? "summary" : "gauge"}`,
    );
    for (const subtask of scopeSubtasks(m.scope)) {
      const labels = Object.entries({ ...variables(m.scope, id, subtask), ...m.extra })
        .map(([k, v]) => `${k}="${filterLabel(v)}"`)
        .join(",");
      if (m.kind === "histogram") {
        QUANTILES.forEach((q, i) => lines.push(`${m.prom}{${labels},quantile="${q}",} ${m.value(t) * (1 + i / 10)}`));
        lines.push(`${m.prom}_count{${labels},} ${Math.floor(t * 10)}`);
      } else {
        lines.push(`${m.prom}{${labels},} ${m.value(t)}`);
      }
    }
  }
  return `${lines.join("\n")}\n`;
}

const escapeTag = (v: string) => v.replace(/[ ,=]/g, (c) => `\\${c}`);

/** InfluxDB line protocol as InfluxdbReporter writes it (§3): tags unfiltered, fields by metric type, ms precision. */
export function lineProtocol(t: number, timestampMs: number, id: Identity = DEFAULT_IDENTITY): string {
  const lines: string[] = [];
  for (const m of METRICS) {
    for (const subtask of scopeSubtasks(m.scope)) {
      const tags = Object.entries({ ...variables(m.scope, id, subtask), ...m.extra, ...id.additional })
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${escapeTag(v)}`)
        .join(",");
      const v = m.value(t);
      const histogram = () =>
        [
          `count=${100 + Math.floor(t * 10)}i`,
          `min=${v / 2}`,
          `max=${v * 2}`,
          `mean=${v}`,
          `stddev=3`,
          ...PERCENTILE_FIELDS.map((f, i) => `${f}=${v * (1 + i / 10)}`),
        ].join(",");
      const fields =
        m.kind === "meter"
          ? `count=${Math.floor(v * t)}i,rate=${v}`
          : m.kind === "counter"
            ? `count=${Math.floor(v)}i`
            : m.kind === "histogram"
              ? histogram()
              : m.boolean
                ? `value="${v === 1}"`
                : `value=${v}`;
      lines.push(`${m.influx.replace(/[ ,]/g, (c) => `\\${c}`)},${tags} ${fields} ${timestampMs}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The metric set, for tests that push a part of it (JobManager metrics through the Pushgateway). */
export const isJobManagerMetric = (m: { scope: ScopeKey }) => m.scope === "jm" || m.scope === "job";
