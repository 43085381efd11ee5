/** collectOnce against the fake Flink REST server: labels from vertex details, and no metric dropped without them. */
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { FlinkRestClient } from "../../flink/rest/client.js";
import { collectOnce } from "../../flink/collector.js";
import type { Sample } from "../../flink/rest/samples.js";
import { startFakeFlink, FAKE_TASKMANAGERS, type FakeFlink } from "../helpers/fake-flink.js";

const JOB = "c0ffee00c0ffee00c0ffee00c0ffee00";
const SOURCE_VERTEX = "cbc357ccb763df2852fee8c4fc7d55f2";
const fakes: FakeFlink[] = [];
after(async () => {
  for (const f of fakes) await f.close();
});

const taskSamples = (samples: readonly Sample[]) => samples.filter((s) => s.scope === "taskmanager.job.task");

describe("collectOnce", () => {
  it("takes each subtask's host and TaskManager from the vertex details, one call per vertex", async () => {
    const flink = await startFakeFlink();
    fakes.push(flink);
    const { samples } = await collectOnce(new FlinkRestClient({ baseUrl: flink.url, retries: 0 }));
    const labels = taskSamples(samples).map(
      (s) => `${s.labels.task_name}/${s.labels.subtask_index}: ${s.labels.host} ${s.labels.tm_id}`,
    );
    assert.ok(labels.includes(`Source: Kafka -> Map/1: 10.0.0.6 ${FAKE_TASKMANAGERS[1]}`), labels.join("\n"));
    assert.equal(flink.requests.filter((p) => p === `/jobs/${JOB}/vertices/${SOURCE_VERTEX}`).length, 1);
    assert.equal(flink.requests.filter((p) => /\/subtasks\/\d+$/.test(p)).length, 0, "no per-subtask detail calls");
  });

  it("reads a job with many long metric ids (Flink 1.18's latency markers) in requests Flink accepts", async () => {
    const flink = await startFakeFlink({ latencyIds: 60 });
    fakes.push(flink);
    const { samples, stats } = await collectOnce(new FlinkRestClient({ baseUrl: flink.url, retries: 0 }));
    assert.equal(stats.skipped, 0, "no request over Flink's 4096-byte request line");
    assert.equal(samples.filter((s) => s.scope === "jobmanager.job" && s.path.startsWith("latency.")).length, 60);
    assert.ok(samples.some((s) => s.scope === "jobmanager.job" && s.path === "uptime"));
  });

  it("keeps every task metric when the vertex details fail, with the labels it could not learn left empty", async () => {
    const flink = await startFakeFlink({ status: { [`/jobs/${JOB}/vertices/${SOURCE_VERTEX}`]: 500 } });
    fakes.push(flink);
    const { samples, stats } = await collectOnce(new FlinkRestClient({ baseUrl: flink.url, retries: 0 }));
    const source = taskSamples(samples).filter((s) => s.labels.task_name === "Source: Kafka -> Map");
    assert.ok(source.length > 0, "task metrics of the vertex are still written");
    assert.deepEqual(
      [...new Set(source.map((s) => `${s.labels.subtask_index}:${s.labels.host}:${s.labels.tm_id}`))].sort(),
      ["0::", "1::"],
    );
    assert.equal(stats.skipped, 1, "the failed call is counted");
  });
});
