/**
 * A large Flink cluster behind a fake REST API, for `collect` and `doctor` at scale: any number of TaskManagers,
 * jobs, vertices and subtasks, every metric id recorded from a real cluster (test/fixtures/rest/, Flink 1.20.5:
 * what each endpoint lists without ?get). Knobs for latency and failures; it counts requests and the most in flight.
 */
import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./servers.js";
import { ROOT } from "./cli.js";

interface Recorded {
  jobmanager: string[];
  taskmanager: string[];
  job: string[];
  vertices: { name: string; subtask: string[] }[];
}

export const RECORDED = JSON.parse(
  readFileSync(join(ROOT, "test/fixtures/rest/flink-1.20.5-metric-ids.json"), "utf8"),
) as Recorded;

export interface FakeClusterOptions {
  readonly taskManagers: number;
  readonly jobs: number;
  readonly verticesPerJob: number;
  readonly parallelism: number;
  /** Delay of every answer. @default 0 */
  readonly delayMs?: number;
  /** Every n-th request of a metrics endpoint answers 503 (0: none). @default 0 */
  readonly failEvery?: number;
}

export interface FakeCluster {
  readonly url: string;
  readonly stats: { requests: number; inFlight: number; maxInFlight: number; failed: number };
  close(): Promise<void>;
}

const hex = (n: number, width = 32) => n.toString(16).padStart(width, "0");
const tmId = (i: number) => `10.1.${Math.floor(i / 250)}.${i % 250}:6122-${hex(i, 6)}`;
const jobId = (j: number) => hex(j + 1);
const vertexId = (j: number, v: number) => hex((j + 1) * 1000 + v);

/** A metric's value as the REST API gives it (strings); watermarks are timestamps. */
const valueOf = (id: string) => (/Watermark$/.test(id) ? String(Date.now() - 20_000) : String(id.length % 97));

function answerMetrics(ids: readonly string[], get: string | null): unknown {
  if (get === null) return ids.map((id) => ({ id }));
  const known = new Set(ids);
  return get
    .split(",")
    .filter((id) => known.has(id))
    .map((id) => ({ id, value: valueOf(id) }));
}

function route(o: FakeClusterOptions, path: string, get: string | null): unknown {
  const now = Date.now();
  const running = o.jobs;
  if (path === "/config") return { "flink-version": "1.20.5", "refresh-interval": 3000 };
  if (path === "/overview")
    return {
      taskmanagers: o.taskManagers,
      "slots-total": o.taskManagers * 8,
      "slots-available": 0,
      "jobs-running": running,
      "flink-version": "1.20.5",
    };
  if (path === "/jobmanager/config") return [];
  if (path === "/jobmanager/metrics") return answerMetrics(RECORDED.jobmanager, get);
  if (path === "/taskmanagers")
    return {
      taskmanagers: Array.from({ length: o.taskManagers }, (_, i) => ({
        id: tmId(i),
        path: `pekko.tcp://flink@${tmId(i).split(":")[0]}:6122/user/rpc/taskmanager_0`,
        dataPort: 6121,
        timeSinceLastHeartbeat: now - 1000,
        slotsNumber: 8,
        freeSlots: 0,
      })),
    };
  let m = /^\/taskmanagers\/([^/]+)\/metrics$/.exec(path);
  if (m) return answerMetrics(RECORDED.taskmanager, get);
  if (path === "/jobs/overview")
    return {
      jobs: Array.from({ length: o.jobs }, (_, j) => ({
        jid: jobId(j),
        name: `job ${j}`,
        state: "RUNNING",
        "start-time": now - 3_600_000,
        duration: 3_600_000,
      })),
    };
  m = /^\/jobs\/([0-9a-f]{32})(\/.*)?$/.exec(path);
  const j = m ? parseInt(m[1]!, 16) - 1 : -1;
  if (!m || j < 0 || j >= o.jobs) return undefined;
  const rest = m[2] ?? "";
  const vertex = (v: number) => RECORDED.vertices[v % RECORDED.vertices.length]!;
  if (rest === "")
    return {
      jid: jobId(j),
      name: `job ${j}`,
      state: "RUNNING",
      vertices: Array.from({ length: o.verticesPerJob }, (_, v) => ({
        id: vertexId(j, v),
        name: vertex(v).name,
        parallelism: o.parallelism,
      })),
    };
  if (rest === "/metrics") return answerMetrics(RECORDED.job, get);
  m = /^\/vertices\/([0-9a-f]{32})(\/metrics|\/subtasks\/(\d+)\/metrics)?$/.exec(rest);
  const v = m ? parseInt(m[1]!, 16) - (j + 1) * 1000 : -1;
  if (!m || v < 0 || v >= o.verticesPerJob) return undefined;
  const ids = vertex(v).subtask;
  if (m[2] === "/metrics")
    return answerMetrics(Array.from({ length: o.parallelism }, (_, n) => ids.map((id) => `${n}.${id}`)).flat(), get);
  if (m[3] !== undefined) return Number(m[3]) < o.parallelism ? answerMetrics(ids, get) : undefined;
  return {
    id: vertexId(j, v),
    name: vertex(v).name,
    parallelism: o.parallelism,
    subtasks: Array.from({ length: o.parallelism }, (_, n) => {
      const tm = (j * o.verticesPerJob * o.parallelism + v * o.parallelism + n) % o.taskManagers;
      return {
        subtask: n,
        status: "RUNNING",
        attempt: 0,
        endpoint: `${tmId(tm).split(":")[0]}:${40000 + (tm % 1000)}`,
        "taskmanager-id": tmId(tm),
      };
    }),
  };
}

export async function startFakeCluster(options: FakeClusterOptions): Promise<FakeCluster> {
  const port = await freePort();
  const stats = { requests: 0, inFlight: 0, maxInFlight: 0, failed: 0 };
  const server: Server = createServer((req, res) => {
    stats.requests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const url = new URL(req.url ?? "/", "http://fake");
    const finish = (status: number, body: string) => {
      stats.inFlight--;
      res.writeHead(status, { "Content-Type": "application/json" }).end(body);
    };
    setTimeout(() => {
      if (options.failEvery && url.pathname.endsWith("/metrics") && stats.requests % options.failEvery === 0) {
        stats.failed++;
        return finish(503, '{"errors":["Service temporarily unavailable"]}');
      }
      const body = route(options, url.pathname, url.searchParams.get("get"));
      if (body === undefined) return finish(404, `{"errors":["Not found: ${url.pathname}"]}`);
      finish(200, JSON.stringify(body));
    }, options.delayMs ?? 0);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
