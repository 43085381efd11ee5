/**
 * A spread panel as Grafana runs it: range queries on real Prometheus, over history backfilled with promtool, the
 * dashboards' recordings backfilled from it the way Prometheus documents (`promtool tsdb create-blocks-from rules`).
 * The promtool unit tests evaluate instants; what a range query shows at every step is only seen here.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { cpSync, readdirSync, writeFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { configFromObject } from "../../config/load.js";
import { build, ARTIFACT } from "../../artifacts/build.js";
import { tempDir, promtool, startPrometheus, type RunningServer } from "../helpers/servers.js";
import { dashboardTargets, substitute } from "../helpers/grafana-targets.js";

const HEAP = "flink_taskmanager_Status_JVM_Memory_Heap_Used";

describe("a spread panel over a range", () => {
  const config = configFromObject({ flink: { version: "1.20", reporters: ["prometheus"], interval: "15s" } });
  const { artifacts } = build(config);
  const dashboard = JSON.parse(artifacts.get("grafana/dashboards/prometheus/flink-taskmanager.json")!);
  const heap = dashboardTargets("tm", dashboard).find((t) => t.panel === "Heap memory" && t.refId === "A")!.text;
  // 25 TaskManagers report for the last 5 minutes of a 10-minute range: before it, there is nothing to count.
  const end = Math.floor(Date.now() / 300_000) * 300 - 300;
  const tms = Array.from({ length: 25 }, (_, i) => `tm-${String(i).padStart(2, "0")}`);
  const dir = tempDir("prom-range");
  const conf = join(dir, "prometheus.yml");
  let prometheus: RunningServer | undefined;

  before(async () => {
    const lines = [`# TYPE ${HEAP} gauge`];
    tms.forEach((tm, i) => {
      for (let t = end - 300; t <= end; t += 15) lines.push(`${HEAP}{cluster="default",tm_id="${tm}"} ${i * 10} ${t}`);
    });
    writeFileSync(join(dir, "heap.om"), `${lines.join("\n")}\n# EOF\n`);
    const data = join(dir, "data");
    const raw = promtool(["tsdb", "create-blocks-from", "openmetrics", join(dir, "heap.om"), data]);
    assert.equal(raw.code, 0, raw.output);
    writeFileSync(conf, "global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\n");
    // The heap panel's distribution recording, from the generated rules file.
    const groups = (
      parse(artifacts.get(ARTIFACT.prometheusRules)!) as { groups: { rules: { record?: string }[] }[] }
    ).groups
      .map((g) => ({ ...g, rules: g.rules.filter((r) => r.record?.includes(`:${HEAP}:`)) }))
      .filter((g) => g.rules.length > 0);
    assert.equal(groups.length, 1, "the distribution");
    writeFileSync(join(dir, "rules.yml"), stringify({ groups }));
    // Prometheus compacts what it serves, and its stop() removes its data: each one gets a copy.
    const served = join(dir, "served");
    cpSync(data, served, { recursive: true });
    const source = await startPrometheus(conf, [], {}, data);
    const recorded = join(dir, "recorded");
    const rules = promtool([
      "tsdb",
      "create-blocks-from",
      "rules",
      `--start=${end - 600}`,
      `--end=${end}`,
      `--url=${source.url}`,
      `--output-dir=${recorded}`,
      join(dir, "rules.yml"),
    ]);
    await source.stop();
    assert.equal(rules.code, 0, rules.output);
    for (const block of readdirSync(recorded)) cpSync(join(recorded, block), join(served, block), { recursive: true });
    prometheus = await startPrometheus(conf, [], {}, served);
  });
  after(async () => prometheus?.stop());

  /** The TaskManagers (and statistics) the heap panel draws over the range, `tm_id` set to `selection`. */
  async function drawn(selection: string): Promise<string[]> {
    const expr = substitute(heap, { cluster: "default" }, { $__range: "10m" }).split("$tm_id").join(selection);
    const params = new URLSearchParams({ query: expr, start: String(end - 600), end: String(end), step: "15" });
    const body = (await (await fetch(`${prometheus!.url}/api/v1/query_range?${params}`)).json()) as {
      error?: string;
      data?: { result: { metric: { tm_id: string } }[] };
    };
    assert.equal(body.error, undefined, body.error);
    return body.data!.result.map((s) => s.metric.tm_id).sort();
  }

  const topFive = ["max", "median", "min", "tm-20", "tm-21", "tm-22", "tm-23", "tm-24"];

  it("All: the same five TaskManagers and the recorded distribution at every step, TaskManagers that appeared late too", async () => {
    assert.deepEqual(await drawn(".*"), topFive);
  });

  it("several TaskManagers selected (more than a drill-down): the same, counted from their own series", async () => {
    assert.deepEqual(await drawn(`(${tms.join("|")})`), topFive);
  });

  it("a drill-down draws each selected TaskManager", async () => {
    assert.deepEqual(await drawn("(tm-03|tm-04)"), ["tm-03", "tm-04"]);
  });
});
