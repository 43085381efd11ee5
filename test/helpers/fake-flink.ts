/**
 * A local stand-in for Flink's REST API, answering in the documented shapes (as the real clusters of test/acceptance answer;
 * §5), with knobs for errors, slow answers, auth, and endpoints a version lacks. Metric ids are REST ids (§5.3):
 * scope-relative dotted names, operator metrics "<operator>.<metric>" with the operator's name as the MetricQueryService
 * spells it (" ", ":", ".", "," become "_": real 1.20.5 lists "0.Source__Sequence_source.numRecordsOut" for the
 * operator "Source: Sequence source").
 */
import { createServer, type Server } from "node:http";
import { freePort } from "./servers.js";

export interface FakeFlinkOptions {
  version?: string;
  /** /jobmanager/config entries (the reporter keys the doctor checks). */
  jmConfig?: { key: string; value: string }[];
  /** Delay before every answer. */
  delayMs?: number;
  /** Paths answering with a status code instead (e.g. { "/overview": 503 }). */
  status?: Record<string, number>;
  /** Fail this many requests with 503 before answering normally. */
  failFirst?: number;
  /** Answer every path with this text instead of JSON. */
  html?: boolean;
  basicAuth?: { user: string; password: string };
  /** Paths that do not exist in this "version" (404). */
  missing?: string[];
  /** Serve under a path prefix, as behind a reverse proxy (e.g. "/flink"); other paths answer 404. */
  prefix?: string;
  /**
   * Latency-marker histograms listed on the job, as Flink 1.18 lists them (ids of about 120 characters each).
   * @default 0
   */
  latencyIds?: number;
  /** The job's state in /jobs/overview, asked on every request (a job that finishes). @default "RUNNING" */
  jobState?: () => string;
}

/** Flink's REST server refuses request lines longer than this (netty maxInitialLineLength). */
const MAX_REQUEST_LINE = 4096;

export interface FakeFlink {
  readonly url: string;
  readonly requests: string[];
  close(): Promise<void>;
}

const JOB = { jid: "c0ffee00c0ffee00c0ffee00c0ffee00", name: "Fraud Detection" };
const VERTICES = [
  { id: "cbc357ccb763df2852fee8c4fc7d55f2", name: "Source: Kafka -> Map", parallelism: 2 },
  { id: "90bea66de1c231edf33913ecd54406c1", name: "Window -> Sink: Print", parallelism: 1 },
];
export const FAKE_TASKMANAGERS = ["10.0.0.5:6122-a1b2c3", "10.0.0.6:6122-d4e5f6"];

const jvm = (young: string, old: string): Record<string, number> => ({
  "Status.JVM.CPU.Load": 0.3,
  "Status.JVM.CPU.Time": 9_000_000_000,
  "Status.JVM.Memory.Heap.Used": 600_000_000,
  "Status.JVM.Memory.Heap.Committed": 900_000_000,
  "Status.JVM.Memory.Heap.Max": 1_000_000_000,
  "Status.JVM.Memory.NonHeap.Used": 90_000_000,
  "Status.JVM.Memory.NonHeap.Committed": 100_000_000,
  "Status.JVM.Memory.Metaspace.Used": 60_000_000,
  "Status.JVM.Memory.Metaspace.Max": 250_000_000,
  "Status.JVM.Memory.Direct.MemoryUsed": 30_000_000,
  "Status.JVM.Memory.Direct.TotalCapacity": 40_000_000,
  "Status.JVM.Threads.Count": 80,
  "Status.JVM.ClassLoader.ClassesLoaded": 9000,
  "Status.JVM.ClassLoader.ClassesUnloaded": 12,
  [`Status.JVM.GarbageCollector.${young}.Count`]: 120,
  [`Status.JVM.GarbageCollector.${young}.Time`]: 2400,
  [`Status.JVM.GarbageCollector.${old}.Count`]: 3,
  [`Status.JVM.GarbageCollector.${old}.Time`]: 600,
});

const METRICS: Record<string, Record<string, number | string>> = {
  jobmanager: {
    ...jvm("PS Scavenge", "PS MarkSweep"),
    numRegisteredTaskManagers: 2,
    numPendingTaskManagers: 0,
    numRunningJobs: 1,
    taskSlotsAvailable: 4,
    taskSlotsTotal: 8,
  },
  taskmanager: {
    ...jvm("G1 Young Generation", "G1 Old Generation"),
    "Status.Flink.Memory.Managed.Used": 100_000_000,
    "Status.Flink.Memory.Managed.Total": 500_000_000,
    "Status.Shuffle.Netty.AvailableMemorySegments": 2000,
    "Status.Shuffle.Netty.UsedMemorySegments": 48,
    "Status.Shuffle.Netty.TotalMemorySegments": 2048,
  },
  job: {
    uptime: 3_600_000,
    runningTime: 3_600_000,
    downtime: 0,
    restartingTime: 0,
    numRestarts: 1,
    lastCheckpointDuration: 1200,
    lastCheckpointSize: 4_000_000,
    lastCheckpointFullSize: 90_000_000,
    numberOfCompletedCheckpoints: 42,
    numberOfFailedCheckpoints: 0,
    numberOfInProgressCheckpoints: 0,
    lastCheckpointExternalPath: "s3://bucket/chk-42",
  },
  subtask: {
    numRecordsIn: 1_000_000,
    numRecordsOut: 990_000,
    numRecordsInPerSecond: 1500,
    numRecordsOutPerSecond: 1400,
    numBytesInPerSecond: 150_000,
    numBytesOutPerSecond: 140_000,
    isBackPressured: "false",
    backPressuredTimeMsPerSecond: 120,
    busyTimeMsPerSecond: 430,
    idleTimeMsPerSecond: 450,
    "Shuffle.Netty.Input.Buffers.inPoolUsage": 0.2,
    "Shuffle.Netty.Output.Buffers.outPoolUsage": 0.4,
    checkpointAlignmentTime_p99: 5,
    checkpointAlignmentTime_median: 2,
    checkpointAlignmentTime_max: 9,
    checkpointAlignmentTime_min: 0,
  },
};

/** Operator metrics of each vertex's first operator: "<operator name>.<metric>". */
const OPERATOR_METRICS: Record<string, number> = {
  numRecordsInPerSecond: 1500,
  numRecordsOutPerSecond: 1400,
  currentOutputWatermark: 0,
  pendingRecords: 320,
  watermarkLag: 20_000,
  "KafkaSourceReader.KafkaConsumer.records-lag-max": 321,
};

function metricsOf(kind: keyof typeof METRICS, operators: string[] = []): Record<string, number | string> {
  const out: Record<string, number | string> = { ...METRICS[kind] };
  for (const op of operators)
    for (const [k, v] of Object.entries(OPERATOR_METRICS))
      out[`${op}.${k}`] = k === "currentOutputWatermark" ? Date.now() - 20_000 : v;
  return out;
}

/** GET …/metrics: the list of ids, or with ?get= the values as strings. */
function metricsAnswer(all: Record<string, number | string>, get: string | null): unknown {
  if (get === null) return Object.keys(all).map((id) => ({ id }));
  return get
    .split(",")
    .filter((id) => id in all)
    .map((id) => ({ id, value: String(all[id]) }));
}

/** Job-level latency histogram ids of Flink 1.18 (source and operator ids are 32 hex characters). */
function latencyMetrics(count: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const op = i.toString(16).padStart(32, "0");
    out[`latency.source_id.cbc357ccb763df2852fee8c4fc7d55f2.operator_id.${op}.operator_subtask_index.0.latency_p99`] =
      12;
  }
  return out;
}

function route(
  path: string,
  query: URLSearchParams,
  version: string,
  jmConfig: { key: string; value: string }[],
  latencyIds = 0,
  jobState = "RUNNING",
): unknown {
  const now = Date.now();
  if (path === "/overview")
    return {
      taskmanagers: 2,
      "taskmanagers-blocked": 0,
      "slots-total": 8,
      "slots-available": 4,
      "slots-free-and-blocked": 0,
      "jobs-running": 1,
      "jobs-finished": 0,
      "jobs-cancelled": 0,
      "jobs-failed": 0,
      "flink-version": version,
      "flink-commit": "1a2b3c4",
    };
  if (path === "/config")
    return {
      "refresh-interval": 3000,
      "timezone-name": "UTC",
      "timezone-offset": 0,
      "flink-version": version,
      "flink-revision": "1a2b3c4 @ 2024-08-01",
    };
  if (path === "/taskmanagers") {
    return {
      taskmanagers: FAKE_TASKMANAGERS.map((id, i) => ({
        id,
        path: `pekko.tcp://flink@10.0.0.${5 + i}:6122/user/rpc/taskmanager_0`,
        dataPort: 40000 + i,
        jmxPort: -1,
        timeSinceLastHeartbeat: now - 1200,
        slotsNumber: 4,
        freeSlots: 2,
        blocked: false,
      })),
    };
  }
  if (path === "/jobs/overview")
    return {
      jobs: [
        {
          ...JOB,
          state: jobState,
          "start-time": now - 3_600_000,
          "end-time": -1,
          duration: 3_600_000,
          "last-modification": now - 3_600_000,
          tasks: { total: 3, running: 3 },
        },
      ],
    };
  if (path === "/jobmanager/config") return jmConfig;
  if (path === "/jobmanager/metrics") return metricsAnswer(metricsOf("jobmanager"), query.get("get"));
  let m = /^\/taskmanagers\/([^/]+)\/metrics$/.exec(path);
  if (m && FAKE_TASKMANAGERS.includes(decodeURIComponent(m[1]!)))
    return metricsAnswer(metricsOf("taskmanager"), query.get("get"));
  if (path === `/jobs/${JOB.jid}`)
    return {
      ...JOB,
      isStoppable: false,
      state: "RUNNING",
      "job-type": "STREAMING",
      vertices: VERTICES.map((v) => ({ ...v, status: "RUNNING", maxParallelism: 128 })),
    };
  if (path === `/jobs/${JOB.jid}/metrics`)
    return metricsAnswer({ ...metricsOf("job"), ...latencyMetrics(latencyIds) }, query.get("get"));
  m = new RegExp(`^/jobs/${JOB.jid}/vertices/(\\w+)$`).exec(path);
  const details = m && VERTICES.find((v) => v.id === m![1]);
  if (details) {
    const subtasks = Array.from({ length: details.parallelism }, (_, n) => ({
      subtask: n,
      status: "RUNNING",
      attempt: 0,
      host: `10.0.0.${5 + (n % 2)}`,
      endpoint: `10.0.0.${5 + (n % 2)}:${40000 + (n % 2)}`,
      "taskmanager-id": FAKE_TASKMANAGERS[n % 2],
    }));
    return { id: details.id, name: details.name, maxParallelism: 128, parallelism: details.parallelism, now, subtasks };
  }
  m = new RegExp(`^/jobs/${JOB.jid}/vertices/(\\w+)/metrics$`).exec(path);
  const listed = m && VERTICES.find((v) => v.id === m![1]);
  if (listed) {
    // Every subtask's metrics, prefixed with its index (as the vertex endpoint lists them).
    const one = metricsOf("subtask", [listed.name.split(" -> ")[0]!.replace(/[ :.,]/g, "_")]);
    const all = Object.fromEntries(
      Array.from({ length: listed.parallelism }, (_, n) =>
        Object.entries(one).map(([id, v]) => [`${n}.${id}`, v]),
      ).flat(),
    );
    return metricsAnswer(all, query.get("get"));
  }
  m = new RegExp(`^/jobs/${JOB.jid}/vertices/(\\w+)/subtasks/(\\d+)(/metrics)?$`).exec(path);
  const vertex = m && VERTICES.find((v) => v.id === m![1]);
  if (m && vertex && Number(m[2]) < vertex.parallelism) {
    const n = Number(m[2]);
    if (!m[3])
      return {
        subtask: n,
        status: "RUNNING",
        attempt: 0,
        host: `10.0.0.${5 + (n % 2)}`,
        "taskmanager-id": FAKE_TASKMANAGERS[n % 2],
      };
    return metricsAnswer(
      metricsOf("subtask", [vertex.name.split(" -> ")[0]!.replace(/[ :.,]/g, "_")]),
      query.get("get"),
    );
  }
  return undefined;
}

export const REPORTER_CONFIG = {
  prometheus: [
    {
      key: "metrics.reporter.prom.factory.class",
      value: "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
    },
    { key: "metrics.reporter.prom.port", value: "9249" },
  ],
  pushgateway: [
    {
      key: "metrics.reporter.promgateway.factory.class",
      value: "org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory",
    },
    { key: "metrics.reporter.promgateway.hostUrl", value: "http://pgw:9091" },
  ],
  influxdb: [
    {
      key: "metrics.reporter.influxdb.factory.class",
      value: "org.apache.flink.metrics.influxdb.InfluxdbReporterFactory",
    },
    { key: "metrics.reporter.influxdb.host", value: "influxdb" },
  ],
};

export async function startFakeFlink(options: FakeFlinkOptions = {}): Promise<FakeFlink> {
  const port = await freePort();
  const requests: string[] = [];
  let failures = options.failFirst ?? 0;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push(url.pathname);
    if (`GET ${req.url} HTTP/1.1`.length > MAX_REQUEST_LINE) {
      res.writeHead(400, { "Content-Type": "application/json" });
      return res.end(`{"errors":["An HTTP line is larger than ${MAX_REQUEST_LINE} bytes."]}`);
    }
    const prefix = options.prefix ?? "";
    const inside = url.pathname.startsWith(`${prefix}/`);
    url.pathname = inside ? url.pathname.slice(prefix.length) : "/outside-prefix";
    const answer = (status: number, body: string, type = "application/json") => {
      res.writeHead(status, { "Content-Type": type });
      res.end(body);
    };
    setTimeout(() => {
      if (options.basicAuth) {
        const expected = `Basic ${Buffer.from(`${options.basicAuth.user}:${options.basicAuth.password}`).toString("base64")}`;
        if (req.headers.authorization !== expected) return answer(401, "Unauthorized", "text/plain");
      }
      if (failures > 0) {
        failures--;
        return answer(503, '{"errors":["Service temporarily unavailable"]}');
      }
      if (options.html) return answer(200, "<html><body>Login</body></html>", "text/html");
      const status = options.status?.[url.pathname];
      if (status) return answer(status, `{"errors":["status ${status}"]}`);
      const body = options.missing?.includes(url.pathname)
        ? undefined
        : route(
            url.pathname,
            url.searchParams,
            options.version ?? "1.20.0",
            options.jmConfig ?? [],
            options.latencyIds,
            options.jobState?.(),
          );
      if (body === undefined) return answer(404, '{"errors":["Not found: /' + url.pathname + '"]}');
      answer(200, JSON.stringify(body));
    }, options.delayMs ?? 0);
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}
