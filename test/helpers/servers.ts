/**
 * Real servers from Debian on free loopback ports with temp data folders, stopped by pid: Prometheus,
 * the Pushgateway and InfluxDB 1.x. Nothing here listens beyond 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

const tempDirs: string[] = [];

/**
 * A temporary folder, removed when the test process exits (each test file runs in a process of its own), so no
 * test leaves one behind, whether or not its own `after` removes it.
 */
export function tempDir(prefix: string): string {
  if (tempDirs.length === 0)
    process.once("exit", () => {
      for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    });
  const dir = mkdtempSync(join(tmpdir(), `flinkmon-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** Writes `files` (relative path → content) below `dir`. */
export function writeTree(dir: string, files: ReadonlyMap<string, string>): void {
  for (const [path, content] of files) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
  /** What the server printed, for failure messages. */
  output(): string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function start(
  name: string,
  command: string,
  args: string[],
  port: number,
  readyPath: string,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const server: RunningServer = {
    url,
    port,
    process: child,
    output: () => log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log}`);
    try {
      const res = await fetch(url + readyPath);
      if (res.ok) return server;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  await server.stop();
  throw new Error(`${name} did not become ready on ${url}${readyPath}:\n${log}`);
}

/** Runs promtool; returns its exit code and output. */
export function promtool(args: string[]): { code: number; output: string } {
  const r = spawnSync("promtool", args, { encoding: "utf8" });
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** Binaries to run: Debian's by default; the acceptance suite passes the pinned builds. */
export interface ServerBinaries {
  readonly prometheus?: string;
  readonly pushgateway?: string;
  readonly influxd?: string;
}

export async function startPrometheus(
  configFile: string,
  extraArgs: string[] = [],
  binaries: ServerBinaries = {},
  data = tempDir("prom-data"),
): Promise<RunningServer> {
  const port = await freePort();
  const server = await start(
    "prometheus",
    binaries.prometheus ?? "prometheus",
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${data}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...extraArgs,
    ],
    port,
    "/-/ready",
  );
  return { ...server, stop: async () => (await server.stop(), rmSync(data, { recursive: true, force: true })) };
}

/**
 * Debian's pushgateway persists to /var/lib/prometheus/pushgateway.data by default (upstream: no persistence),
 * so every test gets its own file: no state leaks between runs.
 */
export async function startPushgateway(
  persistenceFile = join(tempDir("pgw"), "metrics.db"),
  binaries: ServerBinaries = {},
): Promise<RunningServer> {
  const port = await freePort();
  const args = [
    `--web.listen-address=127.0.0.1:${port}`,
    `--persistence.file=${persistenceFile}`,
    "--persistence.interval=1s",
  ];
  return start("pushgateway", binaries.pushgateway ?? "prometheus-pushgateway", args, port, "/-/ready");
}

/** influxd with the given config file; data folders and addresses overridden through INFLUXDB_* variables. */
export async function startInfluxd(configFile: string, binaries: ServerBinaries = {}): Promise<RunningServer> {
  const port = await freePort();
  const rpcPort = await freePort();
  const data = tempDir("influx-data");
  const server = await start("influxd", binaries.influxd ?? "influxd", ["-config", configFile], port, "/ping", {
    INFLUXDB_META_DIR: join(data, "meta"),
    INFLUXDB_DATA_DIR: join(data, "data"),
    INFLUXDB_DATA_WAL_DIR: join(data, "wal"),
    INFLUXDB_HTTP_BIND_ADDRESS: `127.0.0.1:${port}`,
    INFLUXDB_BIND_ADDRESS: `127.0.0.1:${rpcPort}`,
  });
  return { ...server, stop: async () => (await server.stop(), rmSync(data, { recursive: true, force: true })) };
}

/** Waits until `check` returns a value (not undefined), polling; throws with `what` after the timeout. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
}
