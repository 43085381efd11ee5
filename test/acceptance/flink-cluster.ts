/**
 * A standalone Flink cluster (one JobManager, two TaskManagers) started with the distribution's own scripts in
 * the foreground, on loopback, with its configuration in a folder of its own: the distribution's config file with
 * flinkmon's generated metrics section merged in (its Java 17 options kept) and the secrets substituted by envsubst,
 * as the README tells users. Stopped by process group, always.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { freePort, tempDir } from "../helpers/servers.js";

export interface ClusterOptions {
  readonly home: string;
  /** The generated Flink file: "flink-conf.yaml" (flat, before 1.19) or "config.yaml" (nested). */
  readonly generated: { readonly file: string; readonly content: string };
  /** Extra settings as flat Flink keys (loopback addresses, ports, state backend). */
  readonly settings: Readonly<Record<string, string>>;
  /** Values of the ${VAR} placeholders in the generated file (envsubst). */
  readonly secrets: Readonly<Record<string, string>>;
  /** Called after the JobManager and after each TaskManager has started (to let each bind its reporter port). */
  readonly afterEachProcess?: (index: number) => Promise<void>;
}

export interface FlinkCluster {
  readonly restUrl: string;
  readonly confDir: string;
  readonly logDir: string;
  /** Every log file's text, for assertions and failure messages. */
  logs(): string;
  /** SIGTERM, then SIGKILL for what still runs after `graceMs` (default 15 s). */
  stop(graceMs?: number): Promise<void>;
}

type Json = Record<string, unknown>;

function deepMerge(base: Json, extra: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const b = out[k];
    out[k] =
      b && typeof b === "object" && !Array.isArray(b) && v && typeof v === "object" && !Array.isArray(v)
        ? deepMerge(b as Json, v as Json)
        : v;
  }
  return out;
}

/** {"rest.port": "1"} → {rest: {port: "1"}}: the nested form config.yaml uses. */
function nest(flat: Readonly<Record<string, string>>): Json {
  let out: Json = {};
  for (const [key, value] of Object.entries(flat))
    out = deepMerge(out, key.split(".").reduceRight<unknown>((acc, part) => ({ [part]: acc }), value) as Json);
  return out;
}

/** envsubst, as the README says to install the file: only the placeholders flinkmon wrote are replaced. */
function envsubst(text: string, secrets: Readonly<Record<string, string>>): string {
  const shellFormat = Object.keys(secrets)
    .map((k) => `$${k}`)
    .join(" ");
  const r = spawnSync("envsubst", [shellFormat], {
    input: text,
    encoding: "utf8",
    env: { PATH: process.env.PATH, ...secrets },
  });
  if (r.status !== 0) throw new Error(`envsubst failed: ${r.stderr}`);
  return r.stdout;
}

/** The distribution's config file with the generated metrics section and the test's settings merged in. */
function mergedConfig(confDir: string, options: ClusterOptions): void {
  const generated = envsubst(options.generated.content, options.secrets);
  const file = join(confDir, options.generated.file);
  const own = readFileSync(file, "utf8");
  if (options.generated.file === "config.yaml") {
    const merged = deepMerge(deepMerge(parse(own) as Json, parse(generated) as Json), nest(options.settings));
    writeFileSync(file, stringify(merged, { lineWidth: 0 }));
    return;
  }
  // flink-conf.yaml: Flink's line parser takes the last occurrence of a key; keep the file, append ours.
  const ours = new Set([...Object.keys(options.settings)]);
  const kept = own.split("\n").filter((line) => !ours.has(line.split(":")[0]!.trim()));
  const settings = Object.entries(options.settings).map(([k, v]) => `${k}: ${v}`);
  writeFileSync(file, [...kept, "", generated, ...settings, ""].join("\n"));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function stopGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    /* already gone */
  }
}

export async function startCluster(options: ClusterOptions): Promise<FlinkCluster> {
  const confDir = tempDir("flink-conf");
  const logDir = tempDir("flink-log");
  cpSync(join(options.home, "conf"), confDir, { recursive: true });
  const restPort = await freePort();
  const rpcPort = await freePort();
  const settings = {
    "jobmanager.rpc.address": "127.0.0.1",
    "jobmanager.rpc.port": String(rpcPort),
    "jobmanager.bind-host": "127.0.0.1",
    "taskmanager.bind-host": "127.0.0.1",
    "taskmanager.host": "127.0.0.1",
    "rest.address": "127.0.0.1",
    "rest.bind-address": "127.0.0.1",
    "rest.port": String(restPort),
    "jobmanager.memory.process.size": "1024m",
    "taskmanager.memory.process.size": "1200m",
    "taskmanager.numberOfTaskSlots": "1",
    ...options.settings,
  };
  mergedConfig(confDir, { ...options, settings });
  // Pid files (which also number the log files) in the cluster's own folder, not in the shared /tmp.
  const env = {
    ...process.env,
    FLINK_CONF_DIR: confDir,
    FLINK_LOG_DIR: logDir,
    FLINK_PID_DIR: logDir,
    FLINK_HOME: options.home,
  };
  const children: ChildProcess[] = [];
  const cluster: FlinkCluster = {
    restUrl: `http://127.0.0.1:${restPort}`,
    confDir,
    logDir,
    logs: () =>
      readdirSync(logDir)
        .map((f) => `==> ${f}\n${readFileSync(join(logDir, f), "utf8")}`)
        .join("\n"),
    stop: async (graceMs = 15_000) => {
      for (const c of children) stopGroup(c, "SIGTERM");
      const deadline = Date.now() + graceMs;
      while (children.some((c) => c.exitCode === null && c.signalCode === null) && Date.now() < deadline)
        await sleep(200);
      for (const c of children) if (c.exitCode === null && c.signalCode === null) stopGroup(c, "SIGKILL");
    },
  };
  const launch = (script: string) => {
    // Each in its own process group, so stop() reaches the JVM behind the script.
    const child = spawn(join(options.home, "bin", script), ["start-foreground"], {
      env,
      detached: true,
      stdio: ["ignore", "ignore", "ignore"],
    });
    children.push(child);
    return child;
  };
  try {
    launch("jobmanager.sh");
    await waitFor(
      `the JobManager's REST API on ${cluster.restUrl}`,
      async () => (await fetch(`${cluster.restUrl}/overview`)).ok,
      children,
    );
    await options.afterEachProcess?.(0);
    for (const i of [1, 2]) {
      launch("taskmanager.sh");
      await waitFor(
        `TaskManager ${i} to register`,
        async () => {
          const overview = (await (await fetch(`${cluster.restUrl}/overview`)).json()) as { taskmanagers: number };
          return overview.taskmanagers >= i;
        },
        children,
      );
      await options.afterEachProcess?.(i);
    }
  } catch (error) {
    await cluster.stop();
    throw new Error(`${(error as Error).message}\n${cluster.logs().slice(-6000)}`);
  }
  return cluster;
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  children: readonly ChildProcess[],
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dead = children.find((c) => c.exitCode !== null);
    if (dead) throw new Error(`a Flink process exited with ${dead.exitCode} while waiting for ${what}`);
    try {
      if (await check()) return;
    } catch {
      /* not up yet */
    }
    await sleep(300);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** `bin/flink run -d -m host:port job.jar args…`, as users submit; returns the job id it prints. */
export function submitJob(home: string, cluster: FlinkCluster, jar: string, args: readonly string[]): string {
  const address = cluster.restUrl.replace("http://", "");
  const r = spawnSync(join(home, "bin", "flink"), ["run", "-d", "-m", address, jar, ...args], {
    env: { ...process.env, FLINK_CONF_DIR: cluster.confDir, FLINK_LOG_DIR: cluster.logDir },
    encoding: "utf8",
    timeout: 120_000,
  });
  const id = /JobID ([0-9a-f]{32})/.exec(r.stdout)?.[1];
  if (r.status !== 0 || !id) throw new Error(`bin/flink run failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return id;
}
