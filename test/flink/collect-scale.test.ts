/**
 * collectOnce on a large fake cluster (metric ids recorded from real Flink 1.20.5): requests in flight stay within
 * the bound however the cycle nests them, failing endpoints are skipped and counted, the filter decides what is read.
 */
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { FlinkRestClient } from "../../flink/rest/client.js";
import { collectOnce } from "../../flink/collector.js";
import { metricMatcher } from "../../flink/budget/filter-match.js";
import { includesFor } from "../../flink/metric-filter.js";
import { metricsReadByFiles } from "../../artifacts/build.js";
import { configFromObject } from "../../config/load.js";
import { startFakeCluster, type FakeCluster } from "../helpers/fake-cluster.js";

const clusters: FakeCluster[] = [];
after(async () => {
  for (const c of clusters) await c.close();
});
const TOPOLOGY = { taskManagers: 20, jobs: 5, verticesPerJob: 4, parallelism: 8 };
const client = (c: FakeCluster) => new FlinkRestClient({ baseUrl: c.url, retries: 0 });

describe("collect on a large cluster", () => {
  const config = configFromObject({ flink: { version: "1.20" } });
  const sends = metricMatcher(includesFor(metricsReadByFiles(config), []));

  it("keeps requests in flight within the bound and reads every subtask, vertex by vertex", async () => {
    const cluster = await startFakeCluster({ ...TOPOLOGY, delayMs: 5 });
    clusters.push(cluster);
    const { stats } = await collectOnce(client(cluster), { concurrency: 6, sends });
    assert.ok(cluster.stats.maxInFlight <= 6, `${cluster.stats.maxInFlight} in flight`);
    assert.equal(stats.subtasks, 5 * 4 * 8);
    assert.equal(stats.requests, cluster.stats.requests);
    // Not two calls per subtask: per vertex its details, its id list and a few batches of values.
    assert.ok(stats.requests < 5 * 4 * 8, `${stats.requests} requests for ${stats.subtasks} subtasks`);
    assert.equal(stats.skipped, 0);
  });

  it("reads only what the reporter filter would send (the filtered cycle has fewer series)", async () => {
    const cluster = await startFakeCluster(TOPOLOGY);
    clusters.push(cluster);
    const all = await collectOnce(client(cluster));
    const filtered = await collectOnce(client(cluster), { sends });
    assert.ok(filtered.stats.series < all.stats.series / 2, `${filtered.stats.series} of ${all.stats.series}`);
    const names = new Set(filtered.samples.map((s) => `${s.scope} ${s.path}`));
    assert.ok(names.has("taskmanager.job.task busyTimeMsPerSecond"));
    assert.ok(!names.has("taskmanager.job.task accumulateBusyTimeMs"), "a metric no query reads");
  });

  it("degrades on failing endpoints: the rest is written, what failed is counted", async () => {
    const cluster = await startFakeCluster({ ...TOPOLOGY, failEvery: 7 });
    clusters.push(cluster);
    const { samples, stats } = await collectOnce(client(cluster), { sends });
    assert.ok(cluster.stats.failed > 0);
    assert.ok(stats.skipped > 0, "failures counted");
    assert.ok(samples.length > 0, "the rest written");
  });
});
