/**
 * collect into a real Pushgateway on a fake large cluster: one group per host, as Flink's reporter pushes one per
 * process; a TaskManager that leaves the cluster takes its group with it.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { runCliAsync } from "../helpers/cli.js";
import { startPushgateway, type RunningServer } from "../helpers/servers.js";
import { startFakeCluster } from "../helpers/fake-cluster.js";

async function groups(pushgateway: RunningServer): Promise<string[]> {
  const res = (await (await fetch(`${pushgateway.url}/api/v1/metrics`)).json()) as {
    data: { labels: Record<string, string> }[];
  };
  return res.data
    .map((g) => g.labels)
    .filter((l) => l.job === "flinkmon-collect")
    .map((l) => `${l.cluster} ${l.host}`)
    .sort();
}

describe("collect into a real Pushgateway", () => {
  let pushgateway: RunningServer;
  before(async () => {
    pushgateway = await startPushgateway();
  });
  after(async () => {
    await pushgateway?.stop();
  });

  const collect = async (taskManagers: number) => {
    const cluster = await startFakeCluster({ taskManagers, jobs: 1, verticesPerJob: 1, parallelism: 3 });
    try {
      const args = ["collect", "--defaults", "--rest-url", cluster.url, "--pushgateway-url", pushgateway.url, "--once"];
      return await runCliAsync(args);
    } finally {
      await cluster.close();
    }
  };

  it("pushes one group per host, and deletes the group of a host that is gone", async () => {
    const first = await collect(3);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(await groups(pushgateway), [
      "default 10.1.0.0",
      "default 10.1.0.1",
      "default 10.1.0.2",
      "default 127.0.0.1",
    ]);
    const second = await collect(2);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /; 1 group\(s\) of hosts gone deleted\n$/);
    assert.deepEqual(await groups(pushgateway), ["default 10.1.0.0", "default 10.1.0.1", "default 127.0.0.1"]);
  });
});
