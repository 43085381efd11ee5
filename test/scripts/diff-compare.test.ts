/** compareSnapshots without git: two in-memory snapshots, the changes named in words, area by area. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { configFromObject } from "../../config/load.js";
import { build } from "../../artifacts/build.js";
import { compareSnapshots } from "../../scripts/diff/compare.js";
import type { Snapshot } from "../../scripts/snapshot.js";

const files = (raw: unknown) => Object.fromEntries(build(configFromObject(raw)).artifacts);
const snapshot = (raw: unknown, stack: Snapshot["stack"] = null): Snapshot => ({ files: files(raw), stack });

const container = (image: string, memory: number) => ({
  resource: {
    docker_image: { grafana: { name: image } },
    docker_container: {
      grafana: {
        image: "${docker_image.grafana.image_id}",
        memory,
        env: ["A=1"],
        ports: [{ internal: 3000, external: 3000, ip: "127.0.0.1" }],
      },
    },
    docker_volume: { grafana_data: { name: "flinkmon-grafana-data" } },
  },
});

describe("compareSnapshots", () => {
  it("finds nothing between equal snapshots", () => {
    assert.deepEqual(compareSnapshots(snapshot({}), snapshot({})), []);
  });

  it("names a changed alert threshold in the alerts area", () => {
    const changes = compareSnapshots(
      snapshot({}),
      snapshot({ alerts: { rules: { checkpointDurationHigh: { threshold: 30000 } } } }),
    );
    const alerts = changes.filter((c) => c.area === "alerts");
    assert.ok(alerts.length > 0);
    assert.ok(
      alerts.some((c) => c.details.some((d) => d.includes("60000") && d.includes("30000"))),
      JSON.stringify(alerts),
    );
  });

  it("names reporter keys that change with the Flink version in the flink area", () => {
    const changes = compareSnapshots(
      snapshot({ flink: { version: "1.18" } }),
      snapshot({ flink: { version: "1.20" } }),
    ).filter((c) => c.area === "flink");
    assert.ok(changes.length > 0);
  });

  it("calls a changed image a replaced container, and an in-place change a warning-free one", () => {
    const image = compareSnapshots(
      snapshot({}, container("grafana/grafana:13.3.0", 512)),
      snapshot({}, container("grafana/grafana:13.4.0", 512)),
    ).filter((c) => c.area === "stack");
    assert.ok(
      image.some((c) => c.level === "warning"),
      JSON.stringify(image),
    );
    const memory = compareSnapshots(
      snapshot({}, container("grafana/grafana:13.3.0", 512)),
      snapshot({}, container("grafana/grafana:13.3.0", 1024)),
    ).filter((c) => c.area === "stack");
    assert.ok(memory.length > 0 && memory.every((c) => c.level === "info"), JSON.stringify(memory));
  });
});
