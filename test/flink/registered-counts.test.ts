/** The registered-metric counts the budget estimates from are the ones real clusters showed (docs/verified-metrics.json). */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REGISTERED } from "../../flink/budget/registered.js";
import { ROOT } from "../helpers/cli.js";

describe("registered metrics per scope", () => {
  it("equal the verified table's names, without the job's own, RocksDB's, latency's and histogram counts", () => {
    const verified = JSON.parse(readFileSync(join(ROOT, "docs/verified-metrics.json"), "utf8")) as Record<
      string,
      { prometheus: Record<string, string[]> }
    >;
    // The acceptance job registers the example config's custom metrics.
    const custom = (
      parse(readFileSync(join(ROOT, "flinkmon.config.yaml"), "utf8")) as { customMetrics: { name: string }[] }
    ).customMetrics.map((m) => m.name);
    const counts = Object.fromEntries(
      Object.entries(verified).map(([release, stores]) => [
        release,
        Object.fromEntries(
          Object.entries(stores.prometheus)
            .filter(([scope]) => !scope.includes("latency"))
            .map(([scope, names]) => {
              const all = new Set(names);
              const kept = names.filter(
                (n) =>
                  !custom.some((c) => n.endsWith(`_${c}`) || n.endsWith(`_${c}_count`)) &&
                  !n.includes("rocksdb") &&
                  !(n.endsWith("_count") && all.has(n.slice(0, -"_count".length))),
              );
              return [scope, kept.length];
            }),
        ),
      ]),
    );
    assert.deepEqual(counts, REGISTERED);
  });
});
