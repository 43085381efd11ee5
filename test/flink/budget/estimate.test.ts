/** Series per store from instances and the generated filters; the estimate of a graph described in config. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { configFromObject } from "../../../config/load.js";
import { estimateSeries } from "../../../flink/budget/estimate.js";
import { instancesFromGraph, graphSize } from "../../../flink/budget/graph.js";
import { metricsReadByFiles } from "../../../artifacts/build.js";
import type { MetricInstances } from "../../../flink/budget/instances.js";

const INSTANCES: MetricInstances[] = [
  { scope: "taskmanager.job.task", groups: "", name: "busyTimeMsPerSecond", histogram: false, count: 10 },
  { scope: "taskmanager.job.task", groups: "", name: "numBuffersInLocal", histogram: false, count: 10 },
  { scope: "taskmanager.job.task.operator", groups: "fraud", name: "scoreLatency", histogram: true, count: 4 },
];

describe("series estimate", () => {
  const config = configFromObject({
    flink: { version: "1.20", reporters: ["prometheus", "pushgateway", "influxdb"] },
    prometheus: { source: "scrape" },
    customMetrics: [{ name: "scoreLatency", type: "histogram", groups: ["fraud"] }],
  });
  const read = metricsReadByFiles(config);

  it("counts per store what the generated filters send, and what Flink would send without", () => {
    const { stores } = estimateSeries(config, read, INSTANCES);
    assert.deepEqual(
      stores.map((s) => [s.store, s.reporter, s.sent, s.all]),
      [
        // A histogram is six quantiles and a count in Prometheus and the Pushgateway, one series in InfluxDB.
        ["prometheus", "prometheus", 10 + 28, 20 + 28],
        ["pushgateway", "pushgateway", 10 + 28, 20 + 28],
        ["influxdb", "influxdb", 10 + 4, 20 + 4],
      ],
    );
  });

  it("sends everything where the version has no filters (before 1.16)", () => {
    const old = configFromObject({ flink: { version: "1.15", reporters: ["prometheus"] } });
    const [prometheus] = estimateSeries(old, metricsReadByFiles(old), INSTANCES).stores;
    assert.equal(prometheus!.sent, prometheus!.all);
  });

  it("estimates a described graph: every TaskManager, job and subtask, largest families first", () => {
    const graph = { taskManagers: 4, jobs: [{ name: "etl", vertices: [{ parallelism: 8, operators: 2 }] }] };
    assert.deepEqual(graphSize(graph), {
      taskManagers: 4,
      jobs: 1,
      subtasks: 8,
      operatorSubtasks: 16,
      sourceSubtasks: 8,
      sinkSubtasks: 8,
    });
    const estimate = estimateSeries(config, read, instancesFromGraph(config, graph));
    const [prometheus] = estimate.stores;
    assert.ok(prometheus!.sent < prometheus!.all);
    assert.deepEqual(estimate.largest[0], {
      scope: "taskmanager.job.task.operator",
      metric: "fraud.scoreLatency",
      series: 8 * 7,
    });
    const heap = estimate.byScope.find((s) => s.scope === "taskmanager")!;
    assert.ok(heap.sent > 0 && heap.sent % 4 === 0, "TaskManager metrics once per TaskManager");
  });

  it("counts source metrics on a job's first vertex and sink metrics on its last, other operator metrics everywhere", () => {
    const unfiltered = configFromObject({ flink: { version: "1.20", metricFilter: { enabled: false } } });
    const graph = {
      taskManagers: 2,
      jobs: [{ name: "etl", vertices: [2, 4, 6].map((parallelism) => ({ parallelism, operators: 1 })) }],
    };
    const count = (name: string) => instancesFromGraph(unfiltered, graph).find((i) => i.name === name)?.count;
    assert.deepEqual([count("pendingRecords"), count("numRecordsSend"), count("numRecordsInPerSecond")], [2, 6, 12]);
  });
});
