/**
 * One Flink version's world for the acceptance suite: the pinned stores on loopback, flinkmon's output generated
 * by its CLI for that version, a Flink cluster configured with it, and the job running. Timings are recorded.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { configFromObject } from "../../config/load.js";
import type { MonitoringConfig } from "../../config/resolve.js";
import {
  startInfluxd,
  startPrometheus,
  startPushgateway,
  tempDir,
  writeTree,
  type RunningServer,
  type ServerBinaries,
} from "../helpers/servers.js";
import { initInflux, type InfluxUsers } from "../helpers/influx-init.js";
import { startCluster, submitJob, type FlinkCluster } from "./flink-cluster.js";
import { installFlink } from "./install-flink.js";
import { SERVER_BUILDS, installServer, serverBinary } from "./install-servers.js";
import { compileJob } from "./job.js";
import { CLI } from "../helpers/cli.js";

const ROOT = join(import.meta.dirname, "..", "..");

export const PASSWORDS = { admin: "admin-secret-1234", writer: "flink-secret-1234", reader: "grafana-secret-1234" };

/** The example config's custom metrics: the job registers exactly these. */
export function exampleCustomMetrics(): unknown[] {
  return (parse(readFileSync(join(ROOT, "flinkmon.config.yaml"), "utf8")) as { customMetrics: unknown[] })
    .customMetrics;
}

/** "counter:fraud.events": how the job is told what to register, from the config. */
export function jobArguments(config: MonitoringConfig): string[] {
  return config.customMetrics.map((m) => `${m.type}:${[...m.groups, m.name].join(".")}`);
}

/** A run of `size` free loopback ports (a reporter port range: each process binds the next free one). */
export async function freeRange(size: number): Promise<number> {
  const isFree = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    let ok = true;
    for (let p = base; p < base + size && ok; p++) ok = await isFree(p);
    if (ok) return base;
  }
  throw new Error("no free port range on 127.0.0.1");
}

export interface Timings {
  install: number;
  installedNow: boolean;
  /** When the JobManager was started (ms since the epoch). */
  clusterStartedAt: number;
  clusterStart: number;
}

export interface VersionWorld {
  readonly version: string;
  readonly config: MonitoringConfig;
  readonly configFile: string;
  readonly artifacts: ReadonlyMap<string, string>;
  readonly home: string;
  readonly cluster: FlinkCluster;
  readonly jobId: string;
  readonly prometheus: RunningServer;
  readonly pushgateway: RunningServer;
  readonly influx: RunningServer;
  readonly users: InfluxUsers;
  readonly binaries: ServerBinaries;
  readonly timings: Timings;
  stop(): Promise<void>;
}

/** The pinned servers, built if the cache lacks them. */
export async function pinnedBinaries(): Promise<ServerBinaries> {
  for (const build of SERVER_BUILDS) await installServer(build);
  const binary = (name: string) =>
    serverBinary(
      SERVER_BUILDS.find((b) => b.binaries.includes(name))!,
      name,
    );
  return { prometheus: binary("prometheus"), pushgateway: binary("pushgateway"), influxd: binary("influxd") };
}

/** Output of `flinkmon generate`, read back from the folder it wrote. */
function generate(configFile: string): Map<string, string> {
  const out = tempDir("generated");
  execFileSync(process.execPath, [CLI, "generate", "--config", configFile, "--out", join(out, "generated")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const files = execFileSync("find", [join(out, "generated"), "-type", "f"], { encoding: "utf8" })
    .trim()
    .split("\n");
  return new Map(
    files
      .filter((f) => !f.endsWith(".flinkmon-output"))
      .map((f) => [f.slice(join(out, "generated").length + 1), readFileSync(f, "utf8")]),
  );
}

export async function startWorld(
  version: string,
  binaries: ServerBinaries,
  extra: Record<string, unknown> = {},
): Promise<VersionWorld> {
  const t0 = Date.now();
  const { home, installed } = await installFlink(version);
  const install = (Date.now() - t0) / 1000;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const pushgateway = await startPushgateway(undefined, binaries);
    stops.push(() => pushgateway.stop());
    const dir = tempDir("acceptance");
    const promBase = await freeRange(11);
    const jmxBase = await freeRange(11);
    const [major, minor] = version.split(".");
    const raw: Record<string, unknown> & {
      flink: { reporter: Record<string, Record<string, unknown>> } & Record<string, unknown>;
    } = {
      flink: {
        version: `${major}.${minor}`,
        cluster: "acceptance",
        reporters: ["prometheus", "pushgateway", "influxdb", "jmx"],
        interval: "5s",
        sharedHost: true,
        latencyTrackingInterval: "2s",
        rocksdbNativeMetrics: true,
        // Recording what real Flink has (FLINKMON_UPDATE_VERIFIED=1) needs every metric; the checks run filtered.
        metricFilter: { enabled: process.env.FLINKMON_UPDATE_VERIFIED !== "1" },
        reporter: {
          prometheus: { port: `${promBase}-${promBase + 10}` },
          jmx: { port: `${jmxBase}-${jmxBase + 10}` },
          pushgateway: {
            url: `http://127.0.0.1:${pushgateway.port}`,
            jobName: "flinkmon-acceptance",
          },
          influxdb: { host: "127.0.0.1", port: 8086 },
        },
      },
      customMetrics: exampleCustomMetrics(),
      ...extra,
    };
    // InfluxDB first, so its port is known when the config is written.
    const influxFiles = generate(writeConfig(dir, raw));
    writeTree(join(dir, "influx"), new Map([["influxdb.conf", influxFiles.get("influxdb/influxdb.conf")!]]));
    const influx = await startInfluxd(join(dir, "influx", "influxdb.conf"), binaries);
    stops.push(() => influx.stop());
    raw.flink.reporter.influxdb!.port = influx.port;
    const flinkArtifacts = generate(writeConfig(dir, raw));
    const flinkFile = [...flinkArtifacts.keys()].find((p) => p.startsWith("flink/"))!;
    followInstallNotes(home, version, flinkArtifacts.get(flinkFile)!);
    const jar = await compileJob(version, home);
    // InfluxDB's users before Flink starts reporting, as the image's init script creates them on a new volume.
    const influxConfig = configFromObject(raw, "acceptance");
    const users: InfluxUsers = {
      db: influxConfig.influxdb.database,
      admin: { user: influxConfig.influxdb.adminUser, password: PASSWORDS.admin },
      writer: { user: influxConfig.influxdb.writeUser, password: PASSWORDS.writer },
      reader: { user: influxConfig.influxdb.readUser, password: PASSWORDS.reader },
    };
    await initInflux(influx.url, users, [flinkArtifacts.get("influxdb/init/01-flinkmon.iql")!]);

    // Each process binds the first free port of the reporter's range (a TaskManager's random ports may take one):
    // the ports found are what Prometheus is told to scrape, as an operator lists the addresses of their cluster.
    const reporterPorts: number[] = [];
    const t1 = Date.now();
    const cluster = await startCluster({
      home,
      generated: { file: flinkFile.slice("flink/".length), content: flinkArtifacts.get(flinkFile)! },
      settings: {
        "state.backend.type": "rocksdb",
        "execution.checkpointing.interval": "5s",
        "state.checkpoints.dir": `file://${join(dir, "checkpoints")}`,
      },
      secrets: { FLINKMON_INFLUXDB_WRITE_PASSWORD: PASSWORDS.writer },
      afterEachProcess: async () => void reporterPorts.push(await newReporterPort(promBase, reporterPorts)),
    });
    stops.push(() => cluster.stop());
    const clusterStart = (Date.now() - t1) / 1000;

    const [jmPort, ...tmPorts] = reporterPorts;
    raw.prometheus = {
      scrape: { jobmanagers: [`127.0.0.1:${jmPort}`], taskmanagers: tmPorts.map((p) => `127.0.0.1:${p}`) },
    };
    const configFile = writeConfig(dir, raw);
    const config = configFromObject(raw, configFile);
    const artifacts = generate(configFile);
    if (artifacts.get(flinkFile) !== flinkArtifacts.get(flinkFile))
      throw new Error("the scrape addresses changed the Flink file");

    const promDir = join(dir, "prometheus");
    writeTree(
      promDir,
      new Map(
        [...artifacts].filter(([p]) => p.startsWith("prometheus/")).map(([p, c]) => [p.slice("prometheus/".length), c]),
      ),
    );
    // Only the Pushgateway's address is rewritten (it runs on loopback, not on the stack's network).
    const yml = artifacts
      .get("prometheus/prometheus.yml")!
      .replace(/"pushgateway:\d+"/, `"127.0.0.1:${pushgateway.port}"`);
    writeFileSync(join(promDir, "prometheus.yml"), yml);
    const prometheus = await startPrometheus(join(promDir, "prometheus.yml"), [], binaries);
    stops.push(() => prometheus.stop());
    const jobId = submitJob(home, cluster, jar, jobArguments(config));
    return {
      version,
      config,
      configFile,
      artifacts,
      home,
      cluster,
      jobId,
      prometheus,
      pushgateway,
      influx,
      users,
      binaries,
      timings: { install, installedNow: installed, clusterStartedAt: t1, clusterStart },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** A shell-style glob of one path segment ("flink-metrics-jmx-*.jar") as a RegExp. */
const globRegExp = (glob: string) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);

/**
 * Does what the generated file's "install:" comments tell a user to do, on this distribution, and fails when a
 * comment is wrong for it. Every plugin the comments name ships in the distribution from 1.18 on, so following
 * them means checking that the named jar is in the named folder.
 */
export function followInstallNotes(home: string, version: string, generated: string): string[] {
  const notes = [...generated.matchAll(/#\s*install: (.+)$/gm)].map((m) => m[1]!);
  if (notes.length === 0) throw new Error("the generated Flink file gives no install step");
  for (const note of notes) {
    const plugin = /^plugins\/([^/]+)\/ must hold (\S+)/.exec(note);
    if (plugin) {
      const dir = join(home, "plugins", plugin[1]!);
      const files = existsSync(dir) ? readdirSync(dir) : [];
      if (!files.some((f) => globRegExp(plugin[2]!).test(f))) {
        throw new Error(
          `the generated comment says "${note}", but Flink ${version}'s distribution has no ${plugin[2]} in plugins/${plugin[1]}/ (it has: ${readdirSync(join(home, "plugins")).join(", ")}): fix the comment`,
        );
      }
      continue;
    }
    if (/^nothing to copy/.test(note)) {
      const jmx = readdirSync(join(home, "lib")).some((f) => f.startsWith("flink-metrics-jmx"));
      if (!jmx)
        throw new Error(
          `the generated comment says "${note}", but Flink ${version} has no flink-metrics-jmx jar in lib/: fix the comment`,
        );
      continue;
    }
    throw new Error(`the generated comment "${note}" is no step the suite knows how to follow`);
  }
  return notes;
}

function writeConfig(dir: string, raw: unknown): string {
  const file = join(dir, "flinkmon.config.yaml");
  writeFileSync(file, stringify(raw));
  return file;
}

/** The port of the range where the process just started serves its Prometheus reporter (not one of `known`). */
async function newReporterPort(base: number, known: readonly number[]): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    for (let port = base; port <= base + 10; port++) {
      if (known.includes(port)) continue;
      const serves = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (serves) return port;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no new Prometheus reporter in 127.0.0.1:${base}-${base + 10}`);
}
