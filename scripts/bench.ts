#!/usr/bin/env node
/**
 * `npm run bench`: cold-process wall times (median of N runs) of generate, check, diff and synth on the example
 * config, and of budget on the bench cluster (200 TaskManagers, 50 jobs × 10 vertices × parallelism 16), as a
 * user runs them. Prints figures; asserts nothing (goals below, on 2 cores).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";

const program = new Command("bench").option("-n, --runs <n>", "runs per command", "5").parse(process.argv);
const runs = Number(program.opts<{ runs: string }>().runs);
const out = mkdtempSync(join(tmpdir(), "flinkmon-bench-"));
const graph = {
  taskManagers: 200,
  jobs: Array.from({ length: 50 }, (_, j) => ({
    name: `job${j}`,
    vertices: Array.from({ length: 10 }, () => ({ parallelism: 16 })),
  })),
};
const budgetConfig = join(out, "budget.config.json");
writeFileSync(budgetConfig, JSON.stringify({ flink: { reporters: ["prometheus", "influxdb"] }, budget: { graph } }));

const COMMANDS: { name: string; args: string[]; goalMs: number }[] = [
  { name: "generate", args: ["dist/bundle/flinkmon.js", "generate", "--out", join(out, "generated")], goalMs: 300 },
  { name: "check", args: ["dist/bundle/flinkmon.js", "check"], goalMs: 300 },
  { name: "diff", args: ["dist/bundle/flinkmon.js", "diff", "--base", "HEAD", "--format", "text"], goalMs: 3000 },
  { name: "synth", args: ["dist/scripts/synth.js", "--outdir", join(out, "cdktf.out")], goalMs: 2000 },
  { name: "budget", args: ["dist/bundle/flinkmon.js", "budget", "--config", budgetConfig], goalMs: 1000 },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

console.log(`flinkmon bench: ${runs} cold runs each, node ${process.version}`);
console.log("command    median ms   min ms   max ms   goal ms");
for (const c of COMMANDS) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, c.args, { encoding: "utf8" });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (r.status !== 0 && !(c.name === "diff" && r.status === 1)) {
      console.error(`${c.name} failed (exit ${r.status}):\n${r.stderr}`);
      process.exitCode = 2;
    }
  }
  const fmt = (n: number) => n.toFixed(0).padStart(8);
  console.log(
    `${c.name.padEnd(10)} ${fmt(median(times))}   ${fmt(Math.min(...times))} ${fmt(Math.max(...times))}  ${fmt(c.goalMs)}`,
  );
}
rmSync(out, { recursive: true, force: true });
