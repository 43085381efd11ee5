#!/usr/bin/env node
/**
 * `npm run bench:dashboards`: backfills a real Prometheus with a large Flink-shaped cluster (default 200
 * TaskManagers, 50 jobs × 10 operators × 16 subtasks, 6 hours at 15 s) through `promtool tsdb create-blocks-from
 * openmetrics`, then times every Prometheus dashboard: all its panel queries over 6 hours, as Grafana runs them
 * (variables = All, 6 in flight). Prints figures; asserts nothing. Needs prometheus and promtool on PATH.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  cpSync,
  existsSync,
  readFileSync,
  mkdtempSync,
  openSync,
  writeSync,
  closeSync,
  rmSync,
  writeFileSync,
  mkdirSync,
  readdirSync,
  renameSync,
} from "node:fs";
import { stringify } from "yaml";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { createHash } from "node:crypto";
import { Command } from "commander";
import { configFromObject } from "../config/load.js";
import { build } from "../artifacts/build.js";
import { dashboardRecordingRules } from "../dashboards/index.js";
import { CATALOG, allMetrics, available, storeNames, type MetricDef } from "../flink/catalog.js";

const opts = new Command("bench:dashboards")
  .option("--taskmanagers <n>", "TaskManagers", "200")
  .option("--jobs <n>", "jobs", "50")
  .option("--operators <n>", "operators (= tasks) per job", "10")
  .option("--subtasks <n>", "subtasks per operator", "16")
  .option("--hours <n>", "hours of history", "6")
  .option(
    "--keep <dir>",
    "keep the TSDBs in this folder (the raw one per cluster shape, recorded rules per rules file)",
  )
  .option("--prometheus <binary>", "the Prometheus server that answers the queries", "prometheus")
  .parse(process.argv)
  .opts<{
    taskmanagers: string;
    jobs: string;
    operators: string;
    subtasks: string;
    hours: string;
    keep?: string;
    prometheus: string;
  }>();

/** A whole number ≥ 1 from an option, or exit 2 naming the option and the value. */
function count(option: keyof typeof opts, value: string): number {
  const n = Number(value);
  if (Number.isInteger(n) && n >= 1) return n;
  console.error(`bench:dashboards: --${option} ${JSON.stringify(value)} is not allowed; expected a whole number ≥ 1`);
  process.exit(2);
}

const N = {
  tms: count("taskmanagers", opts.taskmanagers),
  jobs: count("jobs", opts.jobs),
  ops: count("operators", opts.operators),
  subtasks: count("subtasks", opts.subtasks),
  hours: count("hours", opts.hours),
};
const STEP_S = 15;
const config = configFromObject({ flink: { version: "1.20", reporters: ["prometheus"], interval: `${STEP_S}s` } });
const artifacts = build(config).artifacts;
const hex = (i: number, salt: number) =>
  ((i * 2654435761 + salt * 40503) >>> 0).toString(16).padStart(8, "0").repeat(4);

/** Label sets of every series of a scope in the simulated cluster. */
function labelSets(scope: MetricDef["scope"]): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const tm = (i: number) => ({
    host: `10_0_${Math.floor(i / 250)}_${i % 250}`,
    tm_id: `10_0_${Math.floor(i / 250)}_${i % 250}:6122_${hex(i, 7).slice(0, 6)}`,
  });
  if (scope === "jobmanager") return [{ host: "10_0_0_1" }];
  if (scope === "taskmanager") return Array.from({ length: N.tms }, (_, i) => tm(i));
  if (scope === "jobmanager.job")
    return Array.from({ length: N.jobs }, (_, j) => ({ host: "10_0_0_1", job_id: hex(j, 1), job_name: `job_${j}` }));
  for (let j = 0; j < N.jobs; j++) {
    for (let o = 0; o < N.ops; o++) {
      for (let s = 0; s < N.subtasks; s++) {
        const t = tm((j * N.ops * N.subtasks + o * N.subtasks + s) % N.tms);
        const task = {
          ...t,
          job_id: hex(j, 1),
          job_name: `job_${j}`,
          task_id: hex(j * 100 + o, 2),
          task_name: `task_${o}`,
          task_attempt_id: hex(j * 10000 + o * 100 + s, 3),
          task_attempt_num: "0",
          subtask_index: String(s),
        };
        out.push(
          scope === "taskmanager.job.task.operator"
            ? { ...task, operator_id: hex(j * 100 + o, 4), operator_name: `operator_${o}` }
            : task,
        );
      }
    }
  }
  return out;
}

/**
 * Prometheus names to emit: every catalog metric the version has (GC for two collectors and the All sum);
 * histograms and RocksDB metrics skipped (the bench config does not enable their panels).
 */
function families(): { name: string; scope: MetricDef["scope"]; growing: boolean }[] {
  const out: { name: string; scope: MetricDef["scope"]; growing: boolean }[] = [];
  const rocksdb = new Set<MetricDef>(Object.values(CATALOG.rocksdb));
  for (const m of allMetrics().filter(
    (m) => available(m, config.flink.version) && m.type !== "histogram" && !rocksdb.has(m),
  )) {
    const name = storeNames(m).prometheus;
    const growing =
      m.path.includes("GarbageCollector") || /^numberOf|numRestarts|uptime|runningTime/.test(m.path.split(".").pop()!);
    if (name.includes("<collector>"))
      for (const c of ["G1_Young_Generation", "G1_Old_Generation", "All"])
        out.push({ name: name.replace("<collector>", c), scope: m.scope, growing });
    else out.push({ name, scope: m.scope, growing });
  }
  return out;
}

function writeChunk(file: string, fromMs: number, toMs: number): number {
  const fd = openSync(file, "w");
  let buffer = "";
  let lines = 0;
  const flush = () => {
    writeSync(fd, buffer);
    buffer = "";
  };
  for (const f of families()) {
    buffer += `# TYPE ${f.name} gauge\n`;
    labelSets(f.scope).forEach((labels, i) => {
      const prefix = `${f.name}{${Object.entries(labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(",")}} `;
      for (let t = fromMs; t < toMs; t += STEP_S * 1000) {
        const v = f.growing ? (Math.floor(t / 1000) % 100000) + i : (i % 97) + 1;
        buffer += `${prefix}${v} ${t / 1000}\n`;
        lines++;
      }
      if (buffer.length > 8_000_000) flush();
    });
  }
  buffer += "# EOF\n";
  flush();
  closeSync(fd);
  return lines;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });

/** A range query over the dashboard's time range, or an instant query at its end (bar gauges, tables). */
async function query(
  url: string,
  expr: string,
  start: number,
  end: number,
  instant = false,
): Promise<{ ms: number; series: number; error?: string }> {
  const t0 = performance.now();
  const params: Record<string, string> = instant
    ? { query: expr, time: String(end) }
    : { query: expr, start: String(start), end: String(end), step: "30" };
  const res = await fetch(`${url}/api/v1/${instant ? "query" : "query_range"}?${new URLSearchParams(params)}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
  return { ms: performance.now() - t0, series: body.data?.result.length ?? 0, error: body.error };
}

async function startPrometheus(conf: string, data: string): Promise<{ prom: ChildProcess; url: string }> {
  const port = await freePort();
  const prom = spawn(
    opts.prometheus,
    [
      `--config.file=${conf}`,
      `--storage.tsdb.path=${data}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--storage.tsdb.retention.time=30d",
      "--query.max-samples=200000000",
    ],
    { stdio: "ignore" },
  );
  let failed: Error | undefined;
  prom.once("error", (e) => (failed = e));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (failed) throw new Error(`--prometheus ${opts.prometheus} does not start: ${failed.message}`);
    if (prom.exitCode !== null) throw new Error(`--prometheus ${opts.prometheus} exited (${prom.exitCode})`);
    if ((await fetch(`${url}/-/ready`).catch(() => undefined))?.ok) break;
    if (i === 600) throw new Error(`--prometheus ${opts.prometheus} was not ready within 5 minutes`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return { prom, url };
}

/** Backfills the raw cluster once per shape and metric set: `DIR/raw-<shape>-<families>/data` and its time range. */
function rawTsdb(root: string): { data: string; start: number; end: number } {
  // Keyed by the cluster's shape and the metric families emitted: a catalog metric added since gets a new backfill.
  const emitted = createHash("sha256")
    .update(
      families()
        .map((f) => `${f.scope} ${f.name}`)
        .join("\n"),
    )
    .digest("hex")
    .slice(0, 8);
  const dir = join(root, `raw-${N.tms}-${N.jobs}-${N.ops}-${N.subtasks}-${N.hours}h-${emitted}`);
  const metaFile = join(dir, "range.json");
  if (existsSync(metaFile)) return { data: join(dir, "data"), ...JSON.parse(readFileSync(metaFile, "utf8")) };
  rmSync(dir, { recursive: true, force: true });
  const data = join(dir, "data");
  mkdirSync(data, { recursive: true });
  const end = Math.floor(Date.now() / (STEP_S * 1000)) * STEP_S * 1000;
  const start = end - N.hours * 3600_000;
  const t0 = performance.now();
  let samples = 0;
  // promtool holds a whole input file in memory: 30-minute files keep it to a few GiB at full scale.
  const chunkMs = 30 * 60_000;
  for (let from = start; from < end; from += chunkMs) {
    const file = join(dir, "chunk.om");
    samples += writeChunk(file, from, Math.min(end, from + chunkMs));
    const r = spawnSync("promtool", ["tsdb", "create-blocks-from", "openmetrics", "--quiet", file, data], {
      encoding: "utf8",
    });
    rmSync(file, { force: true });
    if (r.status !== 0) throw new Error(`promtool: ${r.stderr}`);
  }
  console.log(`backfill: ${(samples / 1e6).toFixed(1)} M samples in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  writeFileSync(metaFile, JSON.stringify({ start, end }));
  return { data, start, end };
}

async function main(): Promise<void> {
  const root = opts.keep ?? mkdtempSync(join(tmpdir(), "flinkmon-bench-dash-"));
  const seriesCount = families().reduce((n, f) => n + labelSets(f.scope).length, 0);
  console.log(
    `flinkmon bench:dashboards: ${N.tms} TaskManagers, ${N.jobs} jobs × ${N.ops} operators × ${N.subtasks} subtasks = ${seriesCount} series, ${N.hours} h at ${STEP_S} s`,
  );
  const raw = rawTsdb(root);
  const { start, end } = raw;
  // Each run queries a copy: Prometheus compacts the blocks it is given, and the recorded rules differ per commit.
  const data = join(root, "work");
  rmSync(data, { recursive: true, force: true });
  cpSync(raw.data, data, { recursive: true });
  const conf = join(root, "prometheus.yml");
  writeFileSync(conf, "global:\n  scrape_interval: 15s\n");
  // The dashboards read recording rules; a cluster that ran flinkmon's rules for 6 hours has them recorded, so
  // backfill them the way Prometheus documents it (promtool evaluates the rules against this Prometheus), once per
  // rules file. promtool cannot backfill rules that read rules it is backfilling: those come in a second pass, over
  // the first one's blocks.
  const rules = dashboardRecordingRules(config);
  const stages = [rules.filter((r) => !r.readsRecordings), rules.filter((r) => r.readsRecordings)];
  const rulesHash = createHash("sha256").update(JSON.stringify(stages)).digest("hex").slice(0, 12);
  const recorded = join(root, `recorded-${rulesHash}`);
  if (!existsSync(recorded)) {
    rmSync(`${recorded}.tmp`, { recursive: true, force: true });
    const t0 = performance.now();
    for (const [i, stage] of stages.entries()) {
      if (stage.length === 0) continue;
      const { prom, url } = await startPrometheus(conf, data);
      const rulesFile = join(root, "recording.rules.yml");
      const rulesText = stringify({
        groups: [{ name: `flinkmon-recording-${i}`, rules: stage.map(({ record, expr }) => ({ record, expr })) }],
      });
      writeFileSync(rulesFile, rulesText);
      const out = join(`${recorded}.tmp`, String(i));
      const r = spawnSync(
        "promtool",
        [
          "tsdb",
          "create-blocks-from",
          "rules",
          `--start=${start / 1000}`,
          `--end=${end / 1000}`,
          `--url=${url}`,
          `--output-dir=${out}`,
          `--eval-interval=${STEP_S}s`,
          rulesFile,
        ],
        { encoding: "utf8" },
      );
      prom.kill("SIGTERM");
      await new Promise((r) => prom.once("exit", r));
      if (r.status !== 0) throw new Error(`promtool rules backfill: ${r.stderr}`);
      // The next pass reads what this one recorded.
      for (const block of readdirSync(out)) cpSync(join(out, block), join(data, block), { recursive: true });
    }
    renameSync(`${recorded}.tmp`, recorded);
    console.log(`recording rules backfilled in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } else {
    for (const pass of readdirSync(recorded))
      for (const block of readdirSync(join(recorded, pass)))
        cpSync(join(recorded, pass, block), join(data, block), { recursive: true });
  }
  const { prom, url } = await startPrometheus(conf, data);
  try {
    // A live Prometheus compacts freshly written blocks (on a 1-minute tick); wait until 100 s pass without a change.
    let before = -1;
    for (let stable = 0, i = 0; stable < 20 && i < 240; i++) {
      const blocks = readdirSync(data).filter((f) => /^[0-9A-Z]{26}$/.test(f)).length;
      stable = blocks === before ? stable + 1 : 0;
      before = blocks;
      await new Promise((r) => setTimeout(r, 5000));
    }
    console.log(`TSDB: ${before} blocks after compaction`);
    const builtins: Record<string, string> = { $__rate_interval: "60s", $__interval: "30s", $__range: `${N.hours}h` };
    console.log(
      `${"dashboard (variables)".padEnd(30)}queries  wall ms  sum ms  slowest ms  series  widest  (wall: 6 queries at once; sum: each query's time added up)`,
    );
    for (const key of ["flink-jobmanager", "flink-taskmanager", "flink-job"]) {
      const dashboard = JSON.parse(artifacts.get(`grafana/dashboards/prometheus/${key}.json`)!);
      /** The dashboard's targets with the variables set: "All", or one job / one TaskManager as a user drills in. */
      const targetsFor = (one: boolean) => {
        const targets: { panel: string; expr: string; instant: boolean }[] = [];
        for (const p of dashboard.panels)
          for (const t of p.targets ?? []) {
            let expr: string = t.expr;
            for (const [k, v] of Object.entries(builtins)) expr = expr.split(k).join(v);
            if (one)
              expr = expr.split("$job_name").join("job_0").split("$tm_id").join(labelSets("taskmanager")[0]!.tm_id!);
            expr = expr.replace(/\$[a-zA-Z_]\w*/g, ".*");
            targets.push({ panel: p.title, expr, instant: t.instant === true });
          }
        return targets;
      };
      // First load with every variable on All (cold caches), a reload, and one job / one TaskManager selected.
      for (const pass of ["all, cold", "all, warm", "one selected"]) {
        const targets = targetsFor(pass === "one selected");
        const results: { panel: string; ms: number; series: number; error?: string }[] = [];
        const t0 = performance.now();
        let next = 0;
        await Promise.all(
          Array.from({ length: 6 }, async () => {
            while (next < targets.length) {
              const t = targets[next++]!;
              results.push({ panel: t.panel, ...(await query(url, t.expr, start / 1000, end / 1000, t.instant)) });
            }
          }),
        );
        const wall = performance.now() - t0;
        const sum = results.reduce((n, r) => n + r.ms, 0);
        const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 3);
        const series = results.reduce((n, r) => n + r.series, 0);
        const widest = results.reduce((a, b) => (b.series > a.series ? b : a));
        const errors = results.filter((r) => r.error);
        const empty = results.filter((r) => !r.error && r.series === 0).map((r) => r.panel);
        console.log(
          [
            `${key} (${pass})`.padEnd(30),
            String(targets.length).padStart(7),
            wall.toFixed(0).padStart(8),
            sum.toFixed(0).padStart(7),
            slowest[0]!.ms.toFixed(0).padStart(11),
            String(series).padStart(7),
            String(widest.series).padStart(7),
            `  slowest: ${slowest.map((r) => `${r.panel} ${r.ms.toFixed(0)}`).join(", ")}; widest: ${widest.panel}`,
            empty.length ? `; no data: ${[...new Set(empty)].join(", ")}` : "",
            errors.length ? `; ERRORS: ${errors.map((e) => `${e.panel}: ${e.error}`).join("; ")}` : "",
          ].join(""),
        );
      }
    }
  } finally {
    prom.kill("SIGTERM");
    if (!opts.keep) rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench:dashboards failed: ${(error as Error).message}`);
  process.exitCode = 2;
});
