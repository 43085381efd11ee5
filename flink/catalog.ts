/**
 * The one catalog of Flink metrics flinkmon uses: dashboards, alerts, the doctor and the collector look names up
 * here and nowhere else. Checked against docs/verified-metrics.md, written from real Flink 1.18 to 2.3 clusters (names, labels, versions).
 */
import { atLeast, type FlinkVersion } from "../config/version.js";
import { prometheusName, influxMeasurement, influxField, SCOPE_LABELS, type MetricType, type Scope } from "./naming.js";

export interface MetricDef {
  readonly scope: Scope;
  /** Dotted Flink metric path below the scope, e.g. "Status.JVM.Memory.Heap.Used". `<collector>` marks the GC name. */
  readonly path: string;
  readonly type: MetricType;
  /** The registered metric name when it contains dots itself; `path` then holds only the groups. */
  readonly name?: string;
  /** Grafana unit of the raw value. */
  readonly unit: string;
  readonly description: string;
  /** First Flink version that has it. */
  readonly since?: readonly [number, number];
  /** First Flink version that no longer has it. */
  readonly until?: readonly [number, number];
  /** Registered only by sources or only by (Sink V2) sink writers: FLIP-33 connector metrics. @default every operator */
  readonly registeredBy?: "source" | "sink";
}

const m = (
  scope: Scope,
  path: string,
  type: MetricType,
  unit: string,
  description: string,
  versions: Pick<MetricDef, "since" | "until" | "registeredBy"> = {},
): MetricDef => ({
  scope,
  path,
  type,
  unit,
  description,
  ...versions,
});

const rocks = (name: string, unit: string, description: string): MetricDef => ({
  scope: "taskmanager.job.task.operator",
  path: "column_family",
  name,
  type: "gauge",
  unit,
  description,
});

const JVM = (scope: "jobmanager" | "taskmanager") => ({
  cpuLoad: m(scope, "Status.JVM.CPU.Load", "gauge", "percentunit", "Recent CPU load of the JVM process (0..1)."),
  cpuTime: m(scope, "Status.JVM.CPU.Time", "gauge", "ns", "CPU time the JVM process used so far (cumulative ns)."),
  heapUsed: m(scope, "Status.JVM.Memory.Heap.Used", "gauge", "bytes", "Heap memory in use."),
  heapCommitted: m(
    scope,
    "Status.JVM.Memory.Heap.Committed",
    "gauge",
    "bytes",
    "Heap memory guaranteed to be available.",
  ),
  heapMax: m(scope, "Status.JVM.Memory.Heap.Max", "gauge", "bytes", "Largest heap the JVM may use."),
  nonHeapUsed: m(scope, "Status.JVM.Memory.NonHeap.Used", "gauge", "bytes", "Non-heap memory in use."),
  nonHeapCommitted: m(scope, "Status.JVM.Memory.NonHeap.Committed", "gauge", "bytes", "Non-heap memory committed."),
  metaspaceUsed: m(scope, "Status.JVM.Memory.Metaspace.Used", "gauge", "bytes", "Metaspace in use.", {
    since: [1, 12],
  }),
  metaspaceMax: m(scope, "Status.JVM.Memory.Metaspace.Max", "gauge", "bytes", "Metaspace limit.", { since: [1, 12] }),
  directUsed: m(scope, "Status.JVM.Memory.Direct.MemoryUsed", "gauge", "bytes", "Direct buffer memory in use."),
  directCapacity: m(
    scope,
    "Status.JVM.Memory.Direct.TotalCapacity",
    "gauge",
    "bytes",
    "Total capacity of direct buffers.",
  ),
  threads: m(scope, "Status.JVM.Threads.Count", "gauge", "short", "Live threads."),
  gcCount: m(
    scope,
    "Status.JVM.GarbageCollector.<collector>.Count",
    "gauge",
    "short",
    "Collections so far, per garbage collector (cumulative).",
  ),
  gcTime: m(
    scope,
    "Status.JVM.GarbageCollector.<collector>.Time",
    "gauge",
    "ms",
    "Time spent collecting so far, per garbage collector (cumulative ms).",
  ),
  classesLoaded: m(
    scope,
    "Status.JVM.ClassLoader.ClassesLoaded",
    "gauge",
    "short",
    "Classes loaded since the JVM started.",
  ),
  classesUnloaded: m(
    scope,
    "Status.JVM.ClassLoader.ClassesUnloaded",
    "gauge",
    "short",
    "Classes unloaded since the JVM started.",
  ),
});

const job = "jobmanager.job" as const;
const task = "taskmanager.job.task" as const;
const operator = "taskmanager.job.task.operator" as const;

export const CATALOG = {
  jobmanager: {
    ...JVM("jobmanager"),
    registeredTaskManagers: m(
      "jobmanager",
      "numRegisteredTaskManagers",
      "gauge",
      "short",
      "TaskManagers registered with the ResourceManager.",
    ),
    pendingTaskManagers: m(
      "jobmanager",
      "numPendingTaskManagers",
      "gauge",
      "short",
      "TaskManagers requested but not yet registered (active resource managers only).",
      { since: [1, 15] },
    ),
    runningJobs: m("jobmanager", "numRunningJobs", "gauge", "short", "Jobs in state RUNNING."),
    slotsAvailable: m("jobmanager", "taskSlotsAvailable", "gauge", "short", "Free task slots."),
    slotsTotal: m("jobmanager", "taskSlotsTotal", "gauge", "short", "All task slots."),
  },
  taskmanager: {
    ...JVM("taskmanager"),
    managedUsed: m(
      "taskmanager",
      "Status.Flink.Memory.Managed.Used",
      "gauge",
      "bytes",
      "Managed memory in use (RocksDB, sorting, Python).",
      { since: [1, 12] },
    ),
    managedTotal: m(
      "taskmanager",
      "Status.Flink.Memory.Managed.Total",
      "gauge",
      "bytes",
      "Managed memory configured.",
      { since: [1, 12] },
    ),
    segmentsAvailable: m(
      "taskmanager",
      "Status.Shuffle.Netty.AvailableMemorySegments",
      "gauge",
      "short",
      "Unused network memory segments.",
    ),
    segmentsUsed: m(
      "taskmanager",
      "Status.Shuffle.Netty.UsedMemorySegments",
      "gauge",
      "short",
      "Network memory segments in use.",
      { since: [1, 12] },
    ),
    segmentsTotal: m(
      "taskmanager",
      "Status.Shuffle.Netty.TotalMemorySegments",
      "gauge",
      "short",
      "Network memory segments allocated.",
    ),
  },
  job: {
    uptime: m(job, "uptime", "gauge", "ms", "Time the job has been running without interruption."),
    runningTime: m(job, "runningTime", "gauge", "ms", "Time since the job entered RUNNING (0 when not running).", {
      since: [1, 15],
    }),
    downtime: m(job, "downtime", "gauge", "ms", "For a failing or restarting job, time since the outage began."),
    restartingTime: m(job, "restartingTime", "gauge", "ms", "Time spent restarting (current restart from 1.15)."),
    numRestarts: m(job, "numRestarts", "gauge", "short", "Restarts since the job was submitted.", { since: [1, 10] }),
    fullRestarts: m(
      job,
      "fullRestarts",
      "gauge",
      "short",
      "Full restarts since the job was submitted (before numRestarts).",
      { until: [2, 0] },
    ),
    checkpointDuration: m(job, "lastCheckpointDuration", "gauge", "ms", "Time the last checkpoint took to complete."),
    checkpointSize: m(
      job,
      "lastCheckpointSize",
      "gauge",
      "bytes",
      "Checkpointed (incremental) size of the last checkpoint.",
    ),
    checkpointFullSize: m(job, "lastCheckpointFullSize", "gauge", "bytes", "Full size of the last checkpoint.", {
      since: [1, 15],
    }),
    checkpointCompletedTimestamp: m(
      job,
      "lastCheckpointCompletedTimestamp",
      "gauge",
      "dateTimeFromNow",
      "When the last checkpoint completed.",
      { since: [2, 0] },
    ),
    checkpointsCompleted: m(
      job,
      "numberOfCompletedCheckpoints",
      "gauge",
      "short",
      "Checkpoints completed since the job started.",
    ),
    checkpointsFailed: m(
      job,
      "numberOfFailedCheckpoints",
      "gauge",
      "short",
      "Checkpoints failed since the job started.",
    ),
    checkpointsInProgress: m(job, "numberOfInProgressCheckpoints", "gauge", "short", "Checkpoints in progress."),
    checkpointsTotal: m(
      job,
      "totalNumberOfCheckpoints",
      "gauge",
      "short",
      "Checkpoints triggered since the job started (completed, failed and in progress).",
    ),
  },
  task: {
    recordsInPerSecond: m(task, "numRecordsInPerSecond", "meter", "recps", "Records received per second."),
    recordsOutPerSecond: m(task, "numRecordsOutPerSecond", "meter", "recps", "Records sent per second."),
    bytesInPerSecond: m(task, "numBytesInPerSecond", "meter", "binBps", "Bytes received per second."),
    bytesOutPerSecond: m(task, "numBytesOutPerSecond", "meter", "binBps", "Bytes sent per second."),
    isBackPressured: m(task, "isBackPressured", "gauge", "bool", "Whether the task is back-pressured.", {
      since: [1, 10],
    }),
    backPressuredTime: m(
      task,
      "backPressuredTimeMsPerSecond",
      "gauge",
      "ms",
      "Milliseconds per second the task was back-pressured.",
      { since: [1, 13] },
    ),
    busyTime: m(task, "busyTimeMsPerSecond", "gauge", "ms", "Milliseconds per second the task was busy.", {
      since: [1, 13],
    }),
    idleTime: m(task, "idleTimeMsPerSecond", "gauge", "ms", "Milliseconds per second the task was idle.", {
      since: [1, 11],
    }),
    hardBackPressuredTime: m(
      task,
      "hardBackPressuredTimeMsPerSecond",
      "gauge",
      "ms",
      "Milliseconds per second the task was stalled without output buffers (hard back-pressure: it made no progress).",
      { since: [1, 15] },
    ),
    initializationTime: m(
      task,
      "initializationTime",
      "counter",
      "ms",
      "Milliseconds the task spent initializing (restoring state, opening operators) before it ran.",
      { since: [1, 18] },
    ),
    bytesInLocalPerSecond: m(
      task,
      "numBytesInLocalPerSecond",
      "meter",
      "binBps",
      "Bytes per second read from producers on the same TaskManager.",
    ),
    bytesInRemotePerSecond: m(
      task,
      "numBytesInRemotePerSecond",
      "meter",
      "binBps",
      "Bytes per second read over the network from other TaskManagers.",
    ),
    checkpointAlignmentTime: m(
      task,
      "checkpointAlignmentTime",
      "gauge",
      "ns",
      "Time the last checkpoint barrier waited for alignment across the task's inputs.",
    ),
    checkpointStartDelay: m(
      task,
      "checkpointStartDelayNanos",
      "gauge",
      "ns",
      "Time between the checkpoint's creation and the task starting it (barriers stuck behind back-pressure).",
      { since: [1, 11] },
    ),
    inPoolUsage: m(
      task,
      "Shuffle.Netty.Input.Buffers.inPoolUsage",
      "gauge",
      "percentunit",
      "Input buffer pool usage (0..1).",
    ),
    outPoolUsage: m(
      task,
      "Shuffle.Netty.Output.Buffers.outPoolUsage",
      "gauge",
      "percentunit",
      "Output buffer pool usage (can exceed 1 with overdraft buffers).",
    ),
  },
  operator: {
    recordsInPerSecond: m(
      operator,
      "numRecordsInPerSecond",
      "meter",
      "recps",
      "Records received per second by the operator.",
    ),
    recordsOutPerSecond: m(
      operator,
      "numRecordsOutPerSecond",
      "meter",
      "recps",
      "Records emitted per second by the operator.",
    ),
    outputWatermark: m(
      operator,
      "currentOutputWatermark",
      "gauge",
      "dateTimeAsIso",
      "Last watermark the operator emitted (ms since epoch).",
    ),
    watermarkLag: m(
      operator,
      "watermarkLag",
      "gauge",
      "ms",
      "Source: time between now and the last watermark (FLIP-33).",
      { since: [1, 14], registeredBy: "source" },
    ),
    lateRecordsDropped: m(
      operator,
      "numLateRecordsDropped",
      "counter",
      "short",
      "Window operators: records dropped because they arrived after the window closed (past the allowed lateness).",
    ),
    recordsInErrors: m(
      operator,
      "numRecordsInErrors",
      "counter",
      "short",
      "Source: records that could not be read or deserialized (FLIP-33).",
      { since: [1, 14], registeredBy: "source" },
    ),
    recordsSend: m(
      operator,
      "numRecordsSend",
      "counter",
      "short",
      "Sink: records the writer sent to the external system (FLIP-33; every Sink V2 writer: Kafka, files, JDBC, …).",
      { since: [1, 15], registeredBy: "sink" },
    ),
    bytesSend: m(
      operator,
      "numBytesSend",
      "counter",
      "bytes",
      "Sink: bytes the writer sent to the external system (FLIP-33, Sink V2 writers).",
      { since: [1, 15], registeredBy: "sink" },
    ),
    recordsSendErrors: m(
      operator,
      "numRecordsSendErrors",
      "counter",
      "short",
      "Sink: records the writer failed to send (FLIP-33, Sink V2 writers; a Kafka producer's failed sends).",
      { since: [1, 15], registeredBy: "sink" },
    ),
    pendingRecords: m(
      operator,
      "pendingRecords",
      "gauge",
      "short",
      "Source: records not yet fetched (FLIP-27 / FLIP-33).",
      { since: [1, 14], registeredBy: "source" },
    ),
    kafkaRecordsLagMax: m(
      operator,
      "KafkaSourceReader.KafkaConsumer.records-lag-max",
      "gauge",
      "short",
      "Kafka source: the largest partition lag in records.",
      { since: [1, 14], registeredBy: "source" },
    ),
  },
  /** Latency markers (metrics.latency.interval > 0), granularity "operator": key/value groups in the name (§4.9). */
  latency: {
    latency: m(
      "taskmanager.job.latency",
      "source_id.operator_id.operator_subtask_index.latency",
      "histogram",
      "ms",
      "Latency of latency markers from a source to an operator subtask.",
      { until: [1, 19] },
    ),
    // On the task group from 1.19 (FLINK-35750): seen on 1.19.3 to 2.3 by the acceptance suite, on the job group on 1.18.1.
    latencyOnTask: m(
      "taskmanager.job.task.latency",
      "source_id.operator_id.operator_subtask_index.latency",
      "histogram",
      "ms",
      "Latency of latency markers from a source to an operator subtask.",
      { since: [1, 19] },
    ),
  },
  /**
   * RocksDB native metrics (state.backend.rocksdb.metrics.*), on the operator group under the key/value group
   * column_family (column-family-as-variable), named by the RocksDB property (apache/flink
   * RocksDBNativeMetricMonitor#registerColumnFamily).
   */
  rocksdb: {
    estimateNumKeys: rocks("rocksdb.estimate-num-keys", "short", "Estimated number of keys in the state."),
    liveDataSize: rocks("rocksdb.estimate-live-data-size", "bytes", "Estimated size of the live state data."),
    sstFilesSize: rocks("rocksdb.total-sst-files-size", "bytes", "Size of all SST files."),
    memTables: rocks(
      "rocksdb.cur-size-all-mem-tables",
      "bytes",
      "Size of the active and unflushed immutable memtables.",
    ),
    blockCacheUsage: rocks("rocksdb.block-cache-usage", "bytes", "Memory used by entries in the block cache."),
    pendingCompactionBytes: rocks(
      "rocksdb.estimate-pending-compaction-bytes",
      "bytes",
      "Bytes compaction still has to rewrite; growth means compaction falls behind.",
    ),
  },
} as const;

/** True when the configured Flink version registers the metric. */
export function available(metric: MetricDef, version: FlinkVersion): boolean {
  if (metric.since && !atLeast(version, ...metric.since)) return false;
  if (metric.until && atLeast(version, ...metric.until)) return false;
  return true;
}

/** The first of `candidates` the version has (for renamed metrics: runningTime over uptime, numRestarts over fullRestarts). */
export function pick(version: FlinkVersion, ...candidates: MetricDef[]): MetricDef | undefined {
  return candidates.find((c) => available(c, version));
}

/** Names in each store; `<collector>` becomes a regex for GC metrics. */
export interface StoreNames {
  readonly prometheus: string;
  readonly influxdb: string;
  readonly field: string;
  readonly labels: readonly string[];
}

const names = new WeakMap<MetricDef, StoreNames>();

/** The names a metric has in each store (computed once per metric: every query asks). */
export function storeNames(metric: MetricDef): StoreNames {
  let known = names.get(metric);
  if (!known) names.set(metric, (known = computeStoreNames(metric)));
  return known;
}

function computeStoreNames(metric: MetricDef): StoreNames {
  return {
    prometheus: prometheusName(metric.scope, metric.path.replace("<collector>", "COLLECTOR"), metric.name).replace(
      "COLLECTOR",
      "<collector>",
    ),
    influxdb: influxMeasurement(metric.scope, metric.path.replace("<collector>", "COLLECTOR"), metric.name).replace(
      "COLLECTOR",
      "<collector>",
    ),
    field: influxField(metric.type),
    labels: SCOPE_LABELS[metric.scope],
  };
}

/** Every catalog entry, for listing and tests. */
export function allMetrics(): MetricDef[] {
  return Object.values(CATALOG).flatMap((group) => Object.values(group) as MetricDef[]);
}
