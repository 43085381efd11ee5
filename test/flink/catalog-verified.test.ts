/**
 * The metric catalog agrees with what real Flink clusters reported (docs/verified-metrics.json, written by the
 * acceptance suite): every metric the catalog claims for a version was seen under its stored names, and no metric
 * the catalog says a version lacks was seen there.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { allMetrics, available } from "../../flink/catalog.js";
import { configFromObject } from "../../config/load.js";
import { expectations } from "../acceptance/expectations.js";
import { notExercisedOn, metricKey } from "../acceptance/not-exercised.js";
import { readVerified, scopeOf } from "../acceptance/observed.js";
import { FLINK_VERSIONS } from "../acceptance/versions.js";
import { storeNames } from "../../flink/catalog.js";

const verified = readVerified();
const seen = (version: string, store: "prometheus" | "influxdb", name: string) =>
  (verified[version]?.[store]?.[scopeOf(name, store)] ?? []).includes(name);

describe("the metric catalog and the verified table", () => {
  it("has a verified table for every version the acceptance suite runs", () => {
    assert.deepEqual(Object.keys(verified).sort(), [...FLINK_VERSIONS].sort());
  });

  for (const version of Object.keys(verified)) {
    const [major, minor] = version.split(".");
    // The table records an unfiltered run (FLINKMON_UPDATE_VERIFIED=1 turns the reporter filters off).
    const config = configFromObject(
      { flink: { version: `${major}.${minor}`, metricFilter: { enabled: false } } },
      "test",
    );

    it(`Flink ${version}: every catalog metric of the version was seen in both stores`, () => {
      const missing = expectations(config, new Map()).present.flatMap((e) => [
        ...(seen(version, "prometheus", e.prometheus) ? [] : [`${e.key}: ${e.prometheus}`]),
        ...(seen(version, "influxdb", e.influxdb) ? [] : [`${e.key}: ${e.influxdb}`]),
      ]);
      assert.deepEqual(missing, []);
    });

    it(`Flink ${version}: no metric the catalog says the version lacks was seen`, () => {
      const unexpected = allMetrics()
        .filter((m) => !available(m, config.flink.version))
        .flatMap((m) => {
          const names = storeNames(m);
          const p = names.prometheus.replace("<collector>", "G1_Young_Generation");
          return seen(version, "prometheus", p) ? [`${metricKey(m)}: ${p}`] : [];
        });
      assert.deepEqual(unexpected, []);
    });

    it(`Flink ${version}: the metrics listed as not exercised were indeed not seen`, () => {
      const exercised = allMetrics()
        .filter((m) => notExercisedOn(metricKey(m), config.flink.version) && available(m, config.flink.version))
        .filter((m) => seen(version, "prometheus", storeNames(m).prometheus))
        .map(metricKey);
      assert.deepEqual(exercised, [], "seen after all: take them off NOT_EXERCISED");
    });
  }
});
