/**
 * build()'s documents are what parsing its YAML gives back, so the Grafana check may read them instead of parsing
 * the text again (generate and a current check do): same data, same findings.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { configFromObject } from "../../config/load.js";
import { build } from "../../artifacts/build.js";
import { grafanaFindings } from "../../conformance/flinkmon.js";
import { ROOT } from "../helpers/cli.js";

const CONFIGS: Record<string, unknown> = {
  default: {},
  example: parse(readFileSync(join(ROOT, "flinkmon.config.yaml"), "utf8")),
  influxdb: { flink: { version: "1.14", reporters: ["influxdb"] }, alerts: { contactPoint: { type: "slack" } } },
  "alerts off": { alerts: { enabled: false } },
};

describe("build()'s parsed documents", () => {
  for (const [name, raw] of Object.entries(CONFIGS)) {
    it(`${name}: equal their YAML parsed, and give the Grafana check the same findings`, () => {
      const config = configFromObject(raw, name);
      const { artifacts, documents } = build(config);
      assert.ok(documents.size > 0);
      for (const [path, doc] of documents) assert.deepEqual(doc, parse(artifacts.get(path)!), path);
      assert.deepEqual(grafanaFindings(config, artifacts, documents), grafanaFindings(config, artifacts));
    });
  }

  it("carry what Grafana would refuse as the text does", () => {
    const config = configFromObject({});
    const { artifacts } = build(config);
    const path = "grafana/provisioning/alerting/flinkmon-alerts.yaml";
    const doc = parse(artifacts.get(path)!);
    doc.groups[0].rules[0].data[0].datasourceUid = "no-such-datasource";
    const broken = new Map([...artifacts, [path, stringify(doc)]]);
    const fromText = grafanaFindings(config, broken);
    assert.ok(fromText.length > 0);
    assert.deepEqual(grafanaFindings(config, broken, new Map([[path, doc]])), fromText);
  });
});
