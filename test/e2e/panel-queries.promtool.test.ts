/**
 * Panel queries whose value matters at the edges, evaluated by promtool's PromQL engine (`promql_expr_test`) on
 * series that cross the edge: the Prometheus binary the tests install, not a re-implementation.
 */
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { rmSync, writeFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { configFromObject } from "../../config/load.js";
import { build, ARTIFACT } from "../../artifacts/build.js";
import { tempDir, promtool } from "../helpers/servers.js";
import { dashboardTargets, substitute } from "../helpers/grafana-targets.js";

const BUILTINS = { $__rate_interval: "2m", $__range: "1h", $__interval: "1m" };

/**
 * promtool's promql_expr_test: `cases` evaluated on `inputs` sampled every `interval`, with `rules` evaluated as
 * Prometheus would (a rules file's text); fails showing `shown`.
 */
function exprTest(
  dir: string,
  name: string,
  interval: string,
  inputs: object[],
  cases: object[],
  shown: string,
  rules = "groups: []\n",
): void {
  writeFileSync(join(dir, "rules.yml"), rules);
  const tests = {
    rule_files: ["rules.yml"],
    evaluation_interval: interval,
    tests: [{ interval, input_series: inputs, promql_expr_test: cases }],
  };
  writeFileSync(join(dir, `${name}.yml`), stringify(tests));
  const r = promtool(["test", "rules", join(dir, `${name}.yml`)]);
  assert.equal(r.code, 0, `${shown}\n${r.output}`);
}

describe("panel queries under promtool", () => {
  const dir = tempDir("promql");
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("time since a checkpoint completed (before Flink 2.0) shows the look-back window, not nothing, when none completed in it", () => {
    const config = configFromObject({ flink: { version: "1.20", reporters: ["prometheus"], interval: "1m" } });
    const dashboard = JSON.parse(build(config).artifacts.get("grafana/dashboards/prometheus/flink-job.json")!);
    const target = dashboardTargets("job", dashboard).find((t) => t.panel === "Time since a checkpoint completed")!;
    const expr = substitute(target.text, { cluster: "default", job_name: "etl" }, BUILTINS);
    const window = config.alerts.rules.noCompletedCheckpoint.threshold * 4 * 60;
    exprTest(
      dir,
      "checkpoint",
      "1m",
      // Checkpoints complete every minute for 10 minutes, then never again. Within one range window (4m) of a
      // completion the value is only known to that window's precision, so the samples are beyond it.
      [
        {
          series: 'flink_jobmanager_job_numberOfCompletedCheckpoints{cluster="default",job_name="etl"}',
          values: "0+1x10 10x120",
        },
      ],
      [
        { expr, eval_time: "20m", exp_samples: [{ labels: '{job_name="etl"}', value: 600 }] },
        { expr, eval_time: "100m", exp_samples: [{ labels: '{job_name="etl"}', value: window }] },
      ],
      expr,
    );
  });

  it("the job dashboard marks a restart once, where the restart counter changed", () => {
    const config = configFromObject({ flink: { version: "1.20", reporters: ["prometheus"], interval: "15s" } });
    const dashboard = JSON.parse(build(config).artifacts.get("grafana/dashboards/prometheus/flink-job.json")!);
    const [restarts] = dashboard.annotations.list;
    assert.equal(restarts.name, "Restarts");
    const expr = substitute(restarts.expr, { cluster: "default", job_name: "etl" }, BUILTINS);
    const series = 'flink_jobmanager_job_numRestarts{cluster="default",job_name="etl"}';
    const at = (time: string, value?: number) => ({
      expr,
      eval_time: time,
      exp_samples: value === undefined ? [] : [{ labels: '{cluster="default", job_name="etl"}', value }],
    });
    // One restart after 10 minutes (the counter goes from 0 to 1); the window is a minute (four scrapes): marked
    // while the change is in it, never before or well after.
    exprTest(dir, "restarts", "15s", [{ series, values: "0x40 1x40" }], [at("9m"), at("10m30s", 1), at("13m")], expr);
    assert.equal(restarts.step, restarts.expr.match(/\[(\w+)\]/)[1], "evaluated once per window: one mark per restart");
  });

  it("watermark lag on All draws the five operators furthest behind, and the lag's distribution", () => {
    const config = configFromObject({ flink: { version: "1.20", reporters: ["prometheus"], interval: "1m" } });
    const { artifacts } = build(config);
    const dashboard = JSON.parse(artifacts.get("grafana/dashboards/prometheus/flink-job.json")!);
    const recordings = stringify({
      groups: (parse(artifacts.get(ARTIFACT.prometheusRules)!) as { groups: { rules: object[] }[] }).groups.filter(
        (g) => g.rules.every((r) => "record" in r),
      ),
    });
    const lag = dashboardTargets("job", dashboard).find((t) => t.panel === "Watermark lag")!.text;
    const expr = substitute(lag, { cluster: "default" }, BUILTINS).replace(
      /\$(job_name|task_name|operator_name)\b/g,
      ".*",
    );
    // 25 operators of one job; operator i's watermark is i seconds ahead of operator 0's, which lags most.
    const ops = Array.from({ length: 25 }, (_, i) => `op-${String(i).padStart(2, "0")}`);
    const inputs = ops.map((op, i) => ({
      series: `flink_taskmanager_job_task_operator_currentOutputWatermark{cluster="default",job_name="etl",task_name="t",operator_name="${op}",subtask_index="0"}`,
      values: `${1_000_000 + i * 1000}x40`,
    }));
    // At 30 minutes, now is 1 800 000 ms: operator i lags 800 000 - 1000 i ms.
    const lagOf = (i: number) => 800_000 - i * 1000;
    exprTest(
      dir,
      "watermark",
      "1m",
      inputs,
      [
        {
          expr,
          eval_time: "30m",
          exp_samples: [
            ...[0, 1, 2, 3, 4].map((i) => ({
              labels: `{job_name="etl", operator_name="${ops[i]}"}`,
              value: lagOf(i),
            })),
            { labels: '{operator_name="max"}', value: lagOf(0) },
            { labels: '{operator_name="median"}', value: lagOf(12) },
            { labels: '{operator_name="min"}', value: lagOf(24) },
          ],
        },
      ],
      expr,
      recordings,
    );
  });

  describe("an All view over many TaskManagers stays a few series; a drill-down shows every one", () => {
    const config = configFromObject({ flink: { version: "1.20", reporters: ["prometheus"], interval: "1m" } });
    const { artifacts } = build(config);
    const dashboard = JSON.parse(artifacts.get("grafana/dashboards/prometheus/flink-taskmanager.json")!);
    // The dashboards' recordings, evaluated every minute as the test's samples arrive.
    const recordings = stringify({
      groups: (parse(artifacts.get(ARTIFACT.prometheusRules)!) as { groups: { rules: object[] }[] }).groups.filter(
        (g) => g.rules.every((r) => "record" in r),
      ),
    });
    const targetOf = (panel: string, refId: string) =>
      dashboardTargets("tm", dashboard).find((t) => t.panel === panel && t.refId === refId)!;
    const tms = Array.from({ length: 30 }, (_, i) => `tm-${String(i).padStart(2, "0")}`);
    /** Evaluates `expr` with tm_id set to `selection` (a regex, as Grafana sends All or several values) at 30m. */
    const run = (name: string, expr: string, inputs: object[], selection: string, expected: object[]) => {
      const q = substitute(expr, { cluster: "default" }, BUILTINS).split("$tm_id").join(selection);
      exprTest(dir, name, "1m", inputs, [{ expr: q, eval_time: "30m", exp_samples: expected }], q, recordings);
    };
    const metric = "flink_taskmanager_Status_JVM_Memory_Heap_Used";
    // TaskManager i uses i × 10 bytes; tm-00 used 1000 for the first 10 minutes, then nothing.
    const heap = tms.map((tm, i) => ({
      series: `${metric}{cluster="default",tm_id="${tm}"}`,
      values: i === 0 ? "1000x10 0x30" : `${i * 10}x40`,
    }));
    const heapUsed = targetOf("Heap memory", "A").text;

    it("All: the five TaskManagers with the highest use in the range (one peaked and fell), and max, median, min", () => {
      run("all", heapUsed, heap, ".*", [
        { labels: '{tm_id="tm-00"}', value: 0 },
        ...[26, 27, 28, 29].map((i) => ({ labels: `{tm_id="${tms[i]}"}`, value: i * 10 })),
        { labels: '{tm_id="max"}', value: 290 },
        { labels: '{tm_id="median"}', value: 145 },
        { labels: '{tm_id="min"}', value: 0 },
      ]);
    });

    it("the panel's other targets draw the first one's TaskManagers, without a distribution", () => {
      // Committed heap falls with i: its own top five would be tm-00 … tm-04; it follows used heap's instead.
      const committed = tms.map((tm, i) => ({
        series: `flink_taskmanager_Status_JVM_Memory_Heap_Committed{cluster="default",tm_id="${tm}"}`,
        values: `${5000 - i}x40`,
      }));
      run("follow", targetOf("Heap memory", "B").text, [...heap, ...committed], ".*", [
        { labels: '{tm_id="tm-00"}', value: 5000 },
        ...[26, 27, 28, 29].map((i) => ({ labels: `{tm_id="${tms[i]}"}`, value: 5000 - i })),
      ]);
    });

    it("a drill-down (up to 20 TaskManagers) draws each of them and no distribution", () => {
      const some = tms.slice(3, 10);
      run(
        "some",
        heapUsed,
        heap,
        some.join("|"),
        some.map((tm) => ({ labels: `{tm_id="${tm}"}`, value: Number(tm.slice(3)) * 10 })),
      );
    });

    it("a selection beyond the drill-down (25 of 30) gets the distribution of its own TaskManagers", () => {
      const selected = tms.slice(5);
      run("selection", heapUsed, heap, `(${selected.join("|")})`, [
        ...[25, 26, 27, 28, 29].map((i) => ({ labels: `{tm_id="${tms[i]}"}`, value: i * 10 })),
        { labels: '{tm_id="max"}', value: 290 },
        { labels: '{tm_id="median"}', value: 170 },
        { labels: '{tm_id="min"}', value: 50 },
      ]);
    });

    it("All reads the distribution and the count from their recording: without it (a fresh install), up to 20 TaskManagers and no distribution", () => {
      const q = substitute(heapUsed, { cluster: "default" }, BUILTINS).split("$tm_id").join(".*");
      // tm-00 peaked in the range: ranked first.
      const top20 = [0, ...Array.from({ length: 19 }, (_, i) => i + 11)].map((i) => ({
        labels: `{tm_id="${tms[i]}"}`,
        value: i * 10,
      }));
      exprTest(dir, "unrecorded", "1m", heap, [{ expr: q, eval_time: "30m", exp_samples: top20 }], q);
    });

    it("where low values are the trouble (free network segments), the lowest five", () => {
      const segments = tms.map((tm, i) => ({
        series: `flink_taskmanager_Status_Shuffle_Netty_AvailableMemorySegments{cluster="default",tm_id="${tm}"}`,
        values: `${1000 - i * 10}x40`,
      }));
      const available = dashboardTargets("tm", dashboard).find(
        (t) => t.panel === "Network memory segments" && t.text.includes("AvailableMemorySegments"),
      )!.text;
      run("low", available, segments, ".*", [
        ...[25, 26, 27, 28, 29].map((i) => ({ labels: `{tm_id="${tms[i]}"}`, value: 1000 - i * 10 })),
        { labels: '{tm_id="max"}', value: 1000 },
        { labels: '{tm_id="median"}', value: 855 },
        { labels: '{tm_id="min"}', value: 710 },
      ]);
    });
  });
});
