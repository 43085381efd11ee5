/** Reporter filters from catalog metrics: Flink's pattern syntax (DefaultMetricFilter), one entry per logical scope. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { CATALOG } from "../../flink/catalog.js";
import { filterTarget, includesFor } from "../../flink/metric-filter.js";

describe("reporter filters", () => {
  it("puts a metric's groups into its logical scope, and any collector for GC metrics", () => {
    assert.deepEqual(filterTarget(CATALOG.taskmanager.heapUsed), {
      scope: "taskmanager.Status.JVM.Memory.Heap",
      name: "Used",
    });
    assert.deepEqual(filterTarget(CATALOG.taskmanager.gcTime), {
      scope: "taskmanager.Status.JVM.GarbageCollector.*",
      name: "Time",
    });
    assert.deepEqual(filterTarget(CATALOG.job.downtime), { scope: "jobmanager.job", name: "downtime" });
  });

  it("keeps a name that holds dots whole (RocksDB properties) and a key group's key (latency)", () => {
    const rocks = Object.values(CATALOG.rocksdb)[0]!;
    assert.deepEqual(filterTarget(rocks), { scope: "taskmanager.job.task.operator.column_family", name: rocks.name });
    assert.deepEqual(filterTarget(CATALOG.latency.latency), {
      scope: "taskmanager.job.latency.source_id.operator_id.operator_subtask_index",
      name: "latency",
    });
  });

  it("lists one entry per scope, names sorted, scopes sorted, then what config keeps", () => {
    const read = [
      CATALOG.task.busyTime,
      CATALOG.taskmanager.heapMax,
      CATALOG.task.backPressuredTime,
      CATALOG.taskmanager.heapUsed,
    ];
    assert.deepEqual(includesFor(read, ["numRecordsIn", "taskmanager.job.task:isBackPressured:gauge"]), [
      "taskmanager.Status.JVM.Memory.Heap:Max,Used",
      "taskmanager.job.task:backPressuredTimeMsPerSecond,busyTimeMsPerSecond",
      "*:numRecordsIn",
      "taskmanager.job.task:isBackPressured:gauge",
    ]);
  });
});
