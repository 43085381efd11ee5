/**
 * `flinkmon diff` on a temporary git repository holding this project: commits that change an alert threshold, add
 * a panel, change an image and rename the volumes; each diff names the change in words and flags the volumes.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { runCli, ROOT } from "../helpers/cli.js";
import { tempDir } from "../helpers/servers.js";

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

function edit(repo: string, file: string, from: string, to: string): void {
  const path = join(repo, file);
  const text = readFileSync(path, "utf8");
  assert.ok(text.includes(from), `${file} no longer contains the text this test edits: ${from}`);
  writeFileSync(path, text.replace(from, to));
}

function commit(repo: string, message: string): string {
  git(repo, "add", "-A");
  git(repo, "-c", "user.email=t@example.com", "-c", "user.name=test", "commit", "-qm", message);
  return git(repo, "rev-parse", "HEAD");
}

describe("flinkmon diff", () => {
  let repo: string;
  const refs: Record<string, string> = {};

  before(() => {
    repo = tempDir("diff-repo");
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
      .split("\n")
      // Tracked files deleted in the working tree are listed too: only what exists is copied.
      .filter((f) => f && !f.startsWith("generated/") && existsSync(join(ROOT, f)));
    for (const f of files) {
      mkdirSync(dirname(join(repo, f)), { recursive: true });
      copyFileSync(join(ROOT, f), join(repo, f));
    }
    symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"), "dir");
    git(repo, "init", "-q", "-b", "main");
    refs.base = commit(repo, "base");
    edit(
      repo,
      "flinkmon.config.yaml",
      "grafana:\n",
      "alerts:\n  rules:\n    checkpointDurationHigh: { threshold: 30000 }\ngrafana:\n",
    );
    refs.threshold = commit(repo, "lower the checkpoint duration threshold");
    edit(
      repo,
      "dashboards/jobmanager.ts",
      '          {\n            key: "running-jobs"',
      '          {\n            key: "slots-free", title: "Free slots", kind: "stat", unit: "short", width: 6,\n            description: "Task slots not in use right now.",\n            targets: [total(jm.slotsAvailable, "free")],\n          },\n          {\n            key: "running-jobs"',
    );
    refs.panel = commit(repo, "add a panel");
    edit(repo, "stacks/images.ts", 'grafana: "grafana/grafana:13.3.0"', 'grafana: "grafana/grafana:13.3.1"');
    refs.image = commit(repo, "bump grafana");
    edit(repo, "flinkmon.config.yaml", "grafana:\n", "docker:\n  namePrefix: monitoring\ngrafana:\n");
    refs.volume = commit(repo, "rename the stack");
  });

  // A cache of this test's own: every commit is built once here, and a warm cache elsewhere cannot hide a build.
  const cache = tempDir("diff-cache");
  const diff = (base: string, head: string, format = "text") =>
    runCli(["diff", "--base", base, "--head", head, "--format", format], repo, { FLINKMON_CACHE: cache });
  const cached = () => readdirSync(join(cache, "diff-snapshots")).sort();

  it("unchanged trees give exit 0 and an empty diff", () => {
    const r = diff(refs.base!, refs.base!);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
  });

  it("names a changed alert threshold in both rule forms", () => {
    const r = diff(refs.base!, refs.threshold!);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /changed FlinkCheckpointDurationHigh \(Prometheus rule\)\n\s+threshold > 60000 → > 30000/);
    assert.match(r.stdout, /changed "Flink checkpoints slow" \(Grafana rule\)\n\s+threshold .*60000.* → .*30000/);
    assert.match(
      r.stdout,
      /panel "Checkpoint duration"\n\s+thresholds \[60000\] → \[30000\]/,
      "the panel threshold follows the alert",
    );
  });

  it("names an added panel with its query", () => {
    const r = diff(refs.threshold!, refs.panel!);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stdout,
      /added flink-jobmanager \(prometheus\) › panel "Free slots"\n\s+query A: max \(flink_jobmanager_taskSlotsAvailable\{cluster=~"\$cluster"\}\)/,
    );
    assert.match(r.stdout, /changed flink-jobmanager \(prometheus\) › panel "Running jobs"\n\s+moved: position/);
    assert.match(
      r.stdout,
      /changed container flinkmon-grafana\n\s+files: \/etc\/flinkmon\/dashboards\/influxdb\/flink-jobmanager\.json changed, \/etc\/flinkmon\/dashboards\/prometheus\/flink-jobmanager\.json changed\n\s+Terraform replaces this container/,
      "a new dashboard file replaces the Grafana container",
    );
  });

  it("names a changed image and the container it replaces", () => {
    const r = diff(refs.panel!, refs.image!);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /changed container flinkmon-grafana\n\s+image grafana\/grafana:13\.3\.0 → grafana\/grafana:13\.3\.1\n\s+Terraform replaces this container/,
    );
    assert.match(
      r.stdout,
      /changed image grafana_image\n\s+image grafana\/grafana:13\.3\.0 → grafana\/grafana:13\.3\.1/,
    );
  });

  it("flags renamed data volumes loudly, in Markdown fit for a PR comment", () => {
    const r = diff(refs.image!, refs.volume!, "markdown");
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^<!-- flinkmon-diff -->\n/);
    assert.match(r.stdout, /\| Area \| Added \| Removed \| Changed \|/);
    assert.match(
      r.stdout,
      /> \[!CAUTION\]\n> \*\*volume flinkmon-prometheus-data\*\*: ⚠️ DATA VOLUME WOULD BE DESTROYED and recreated empty/,
    );
    assert.match(r.stdout, /<details><summary>Monitoring stack/);
    const asJson = diff(refs.image!, refs.volume!, "json");
    assert.equal(asJson.code, 1, asJson.stderr);
    const json = JSON.parse(asJson.stdout);
    assert.equal(json.changes.filter((c: { level: string }) => c.level === "danger").length, 4);
  });

  it("masks secrets in Flink reporter keys and errors on an unknown ref", () => {
    edit(
      repo,
      "flinkmon.config.yaml",
      "  reporters: [prometheus, pushgateway, influxdb, jmx]",
      "  reporters: [prometheus, pushgateway, influxdb, jmx, datadog]",
    );
    const r = runCli(["diff", "--base", refs.volume!, "--format", "text"], repo, { FLINKMON_CACHE: cache });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /added `?metrics\.reporter\.datadog\.apikey: ••••`?/);
    assert.equal(runCli(["diff", "--base", "no-such-ref"], repo).code, 2);
  });

  it("builds each commit once, and builds again over a cache entry cut short", () => {
    // Five commits were diffed above, several of them twice; the working tree is never cached.
    assert.equal(cached().length, 5);
    for (const file of cached()) writeFileSync(join(cache, "diff-snapshots", file), "{ cut short");
    const again = diff(refs.base!, refs.threshold!);
    assert.equal(again.code, 1, again.stderr);
    assert.match(again.stdout, /changed FlinkCheckpointDurationHigh \(Prometheus rule\)/);
    const readable = cached().filter((file) => {
      try {
        return JSON.parse(readFileSync(join(cache, "diff-snapshots", file), "utf8")) !== null;
      } catch {
        return false;
      }
    });
    assert.equal(readable.length, 2, "the two commits diffed again are built and cached again");
  });
});
