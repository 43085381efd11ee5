/** The pure query parts: windows from the reporter interval, and SeriesSpec → PromQL / InfluxQL. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { configFromObject } from "../../config/load.js";
import { rangeWindow, subqueryStep } from "../../dashboards/windows.js";
import { renderPromQL, promGcSelector } from "../../dashboards/dialects/promql.js";
import { renderInfluxQL } from "../../dashboards/dialects/influxql.js";
import { CATALOG } from "../../flink/catalog.js";
import { DASHBOARD_CONTEXT, type RenderContext } from "../../dashboards/dialects/spec.js";

const ALERT: RenderContext = { rateWindow: "5m", bucket: "1m" };
const JOB = [{ label: "job_name", variable: "job_name" }];

describe("windows", () => {
  it("a range holds four reporter intervals and a subquery steps once per interval", () => {
    assert.equal(rangeWindow(configFromObject({})), "1m");
    assert.equal(subqueryStep(configFromObject({})), "15s");
    assert.equal(rangeWindow(configFromObject({ flink: { interval: "5s" } })), "20s");
    assert.equal(subqueryStep(configFromObject({ flink: { interval: "1m" } })), "1m");
  });
});

describe("PromQL", () => {
  it("renders values, rates, aggregations, filters and quantiles", () => {
    assert.equal(
      renderPromQL({ metric: CATALOG.job.downtime, transform: "value" }, ALERT),
      "flink_jobmanager_job_downtime",
    );
    assert.equal(
      renderPromQL(
        {
          metric: CATALOG.job.numRestarts,
          transform: "perSecond",
          filters: JOB,
          aggregate: { op: "max", by: ["job_name"] },
        },
        ALERT,
      ),
      'max by (job_name) (rate(flink_jobmanager_job_numRestarts{job_name=~"$job_name"}[5m]))',
    );
    assert.equal(
      renderPromQL(
        {
          metric: CATALOG.latency.latencyOnTask,
          transform: "value",
          quantile: "0.99",
          aggregate: { op: "max", by: [] },
        },
        ALERT,
      ),
      'max (flink_taskmanager_job_task_latency_source_id_operator_id_operator_subtask_index_latency{quantile="0.99"})',
    );
  });

  it("reads task aggregates from the recording rules in dashboards", () => {
    const q = renderPromQL(
      {
        metric: CATALOG.task.busyTime,
        transform: "value",
        filters: JOB,
        aggregate: { op: "max", by: ["job_name", "task_name"] },
      },
      DASHBOARD_CONTEXT,
    );
    assert.equal(
      q,
      'max by (job_name, task_name) (job_task:flink_taskmanager_job_task_busyTimeMsPerSecond:max{job_name=~"$job_name"})',
    );
  });

  it("lifts the GC collector out of the metric name and leaves out the All sum", () => {
    assert.equal(
      promGcSelector({ metric: CATALOG.taskmanager.gcTime, transform: "value" }),
      'label_replace({__name__=~"flink_taskmanager_Status_JVM_GarbageCollector_.+_Time", __name__!~"flink_taskmanager_Status_JVM_GarbageCollector_All_Time"}, "collector", "$1", "__name__", "flink_taskmanager_Status_JVM_GarbageCollector_(.+)_Time")',
    );
  });
});

describe("InfluxQL", () => {
  it("reads the field of the metric type and aggregates per bucket over each series' last value", () => {
    assert.equal(
      renderInfluxQL(
        { metric: CATALOG.task.recordsInPerSecond, transform: "value", aggregate: { op: "sum", by: ["job_name"] } },
        ALERT,
      ),
      'SELECT sum("v") AS "value" FROM (SELECT last("rate") AS "v" FROM "taskmanager_job_task_numRecordsInPerSecond" WHERE $timeFilter GROUP BY time(1m), * fill(none)) WHERE $timeFilter GROUP BY time(1m), "job_name" fill(none)',
    );
  });

  it("takes a histogram's quantile from the p-fields Flink's InfluxDB reporter writes", () => {
    const q = renderInfluxQL({ metric: CATALOG.latency.latencyOnTask, transform: "value", quantile: "0.99" }, ALERT);
    assert.match(q, /last\("p99"\)/);
  });
});
