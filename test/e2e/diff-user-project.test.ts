/**
 * `flinkmon diff` in a user's project: a git repository holding only the config (flinkmon is a dependency, its
 * source is not in the history). The base side is built by this flinkmon from the config of the base commit.
 */
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/servers.js";

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@flinkmon.invalid",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@flinkmon.invalid",
};
const CONFIG = { flink: { version: "1.20", reporters: ["prometheus"] } };

describe("flinkmon diff in a user's project", () => {
  const dir = tempDir("diff-user");
  after(() => rmSync(dir, { recursive: true, force: true }));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env: GIT_ENV, stdio: "ignore" });
  writeFileSync(join(dir, "flinkmon.config.yaml"), stringify(CONFIG));
  git("init", "-q");
  git("add", ".");
  git("commit", "-qm", "monitoring");

  it("builds the base from the committed config and names what a threshold change does", () => {
    writeFileSync(
      join(dir, "flinkmon.config.yaml"),
      stringify({ ...CONFIG, alerts: { rules: { gcTimeHigh: { threshold: 300 } } } }),
    );
    const r = runCli(["diff", "--base", "HEAD", "--format", "json"], dir);
    assert.equal(r.code, 1, r.stderr);
    const changes = JSON.parse(r.stdout).changes as { area: string; subject: string; details: string[] }[];
    const rule = changes.find((c) => c.subject === "FlinkGcTimeHigh (Prometheus rule)");
    assert.deepEqual(rule?.details, ["threshold `> 100` → `> 300`"]);
    const replaced = changes.filter((c) => c.area === "stack").map((c) => c.subject);
    assert.deepEqual(replaced.sort(), ["container flinkmon-grafana", "container flinkmon-prometheus"]);
  });

  it("says what a change does to the series budget: per store, and the families that move", () => {
    const graph = { taskManagers: 10, jobs: [{ name: "etl", vertices: [{ parallelism: 8, operators: 2 }] }] };
    writeFileSync(join(dir, "flinkmon.config.yaml"), stringify({ ...CONFIG, budget: { maxSeries: 5000, graph } }));
    git("commit", "-qam", "a budget");
    const more = {
      ...CONFIG,
      budget: { maxSeries: 5000, graph },
      customMetrics: [{ name: "events", type: "counter" }],
    };
    writeFileSync(join(dir, "flinkmon.config.yaml"), stringify(more));
    const r = runCli(["diff", "--base", "HEAD", "--format", "text"], dir);
    assert.equal(r.code, 1, r.stderr);
    // A custom metric of one operator per vertex: one series per subtask, 8.
    assert.match(
      r.stdout,
      /Series budget:\n\s+changed prometheus series \(with the generated filters\)\n\s+[\d,]+ → [\d,]+ \(\+8\); budget\.maxSeries 5,000\n\s+\+8 series: taskmanager\.job\.task\.operator events\n/,
    );
    git("checkout", "-q", "flinkmon.config.yaml");
  });

  it("a --config that does not exist is an error naming it", () => {
    const r = runCli(["diff", "--base", "HEAD", "--config", "other.yaml"], dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--config: .*other\.yaml does not exist/);
  });
});
