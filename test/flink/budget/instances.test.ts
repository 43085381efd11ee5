/**
 * Metric instances from a REST inventory, in the shapes real clusters answer with (reference §5: ids relative to
 * the component, vertex ids prefixed with the subtask, histograms as eleven statistics).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { instancesFromInventory } from "../../../flink/budget/instances.js";
import { emptyParts } from "../../../flink/rest/inventory.js";

const HISTOGRAM = ["min", "max", "mean", "median", "stddev", "p75", "p90", "p95", "p98", "p99", "p999"];

describe("metric instances of a live cluster", () => {
  const instances = instancesFromInventory({
    jobmanager: ["numRegisteredTaskManagers", "Status.JVM.Memory.Heap.Used"],
    taskmanagers: [
      ["Status.JVM.GarbageCollector.G1_Young_Generation.Time"],
      ["Status.JVM.GarbageCollector.G1_Young_Generation.Time"],
    ],
    jobs: [
      {
        name: "etl",
        metrics: ["uptime"],
        vertices: [
          {
            name: "Source: Kafka -> Map",
            metrics: [
              ...[0, 1].flatMap((s) => [
                `${s}.numRecordsIn`,
                `${s}.Shuffle.Netty.Input.Buffers.inPoolUsage`,
                `${s}.Source__Kafka.numRecordsOut`, // "Source: Kafka" as the REST API spells it
                `${s}.Map.column_family.default.rocksdb.estimate-num-keys`,
                ...HISTOGRAM.map((stat) => `${s}.Map.fraud.scoreLatency_${stat}`),
                ...HISTOGRAM.map(
                  (stat) => `${s}.latency.source_id.abc.operator_id.def.operator_subtask_index.0.latency_${stat}`,
                ),
              ]),
            ],
          },
        ],
      },
    ],
  });
  const find = (scope: string, groups: string, name: string) =>
    instances.find((i) => i.scope === scope && i.groups === groups && i.name === name);

  it("counts each metric once per TaskManager and per subtask", () => {
    assert.equal(find("taskmanager", "Status.JVM.GarbageCollector.G1_Young_Generation", "Time")?.count, 2);
    assert.equal(find("taskmanager.job.task", "", "numRecordsIn")?.count, 2);
    assert.equal(find("jobmanager", "Status.JVM.Memory.Heap", "Used")?.count, 1);
    assert.equal(find("jobmanager.job", "", "uptime")?.count, 1);
  });

  it("tells operator metrics by the operator names the vertex chains", () => {
    assert.equal(find("taskmanager.job.task.operator", "", "numRecordsOut")?.count, 2);
    assert.equal(find("taskmanager.job.task", "Shuffle.Netty.Input.Buffers", "inPoolUsage")?.count, 2);
  });

  it("folds a histogram's eleven statistics into one histogram", () => {
    const h = find("taskmanager.job.task.operator", "fraud", "scoreLatency");
    assert.deepEqual([h?.histogram, h?.count], [true, 2]);
    assert.ok(!instances.some((i) => i.name.startsWith("scoreLatency_")));
  });

  it("leaves key/value groups' values out of the logical scope", () => {
    assert.equal(find("taskmanager.job.task.operator", "column_family", "rocksdb.estimate-num-keys")?.count, 2);
    const latency = find("taskmanager.job.task", "latency.source_id.operator_id.operator_subtask_index", "latency");
    assert.deepEqual([latency?.histogram, latency?.count], [true, 2]);
  });
});

describe("an inventory caught while the JobManager refreshes its metric cache", () => {
  it("counts the parts that listed nothing", () => {
    assert.equal(
      emptyParts({
        jobmanager: [],
        taskmanagers: [["Status.JVM.CPU.Load"], []],
        jobs: [{ name: "etl", metrics: ["uptime"], vertices: [{ name: "Map", metrics: [] }] }],
      }),
      3,
    );
  });
});
