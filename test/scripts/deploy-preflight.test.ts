/**
 * The deploy preflight's own decisions (versions, secrets, which Docker host), with stand-in `terraform`, `tofu`,
 * `cdktf` and `docker` commands on PATH that print what the real ones print (`terraform version -json`). The real
 * tools run in the deploy acceptance suite.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configFromObject } from "../../config/load.js";
import { preflight } from "../../scripts/deploy-preflight.js";
import { tempDir } from "../helpers/servers.js";

const CONFIG = configFromObject({
  flink: { reporters: ["prometheus", "influxdb"] },
  docker: { host: "unix:///run/flinkmon-test.sock" },
});
const SECRETS = {
  TF_VAR_grafana_admin_password: "grafana-secret-123",
  TF_VAR_influxdb_admin_password: "influx-admin-secret-1",
  TF_VAR_influxdb_flink_password: "influx-flink-secret-1",
  TF_VAR_influxdb_grafana_password: "influx-grafana-secret-1",
};

describe("deploy preflight", () => {
  const bin = tempDir("preflight-bin");
  const saved = { ...process.env };
  const tool = (name: string, script: string) =>
    writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`, { mode: 0o755 });

  before(() => {
    tool("cdktf", "echo 0.21.0");
    // Answers only for the configured host and without a context (as the real CLI would use the context).
    tool(
      "docker",
      '[ -z "$DOCKER_CONTEXT" ] && [ "$DOCKER_HOST" = "unix:///run/flinkmon-test.sock" ] && echo 20.10.24',
    );
    process.env.PATH = `${bin}:${saved.PATH}`;
    Object.assign(process.env, SECRETS);
    delete process.env.TERRAFORM_BINARY_NAME;
  });
  after(() => {
    process.env = saved;
    rmSync(bin, { recursive: true, force: true });
  });

  const withTerraform = (name: string, version: string) => {
    tool(name, `echo '{"terraform_version":"${version}","platform":"linux_amd64"}'`);
    if (name !== "terraform") process.env.TERRAFORM_BINARY_NAME = name;
    else delete process.env.TERRAFORM_BINARY_NAME;
  };

  it("passes with Terraform 1.11, the secrets set and the configured host answering despite DOCKER_CONTEXT", async () => {
    withTerraform("terraform", "1.11.4");
    process.env.DOCKER_CONTEXT = "elsewhere";
    assert.deepEqual(await preflight(CONFIG), []);
    delete process.env.DOCKER_CONTEXT;
  });

  it("refuses Terraform before 1.7 and OpenTofu before 1.10, saying why", async () => {
    withTerraform("terraform", "1.6.6");
    assert.match((await preflight(CONFIG)).join("\n"), /terraform 1\.6\.6 is too old: .* Terraform ≥ 1\.7/);
    withTerraform("tofu", "1.9.1");
    assert.match((await preflight(CONFIG)).join("\n"), /tofu 1\.9\.1 is too old: .* OpenTofu ≥ 1\.10/);
    withTerraform("tofu", "1.10.0");
    assert.deepEqual(await preflight(CONFIG), []);
  });

  it("names a missing secret and an InfluxDB password the image's init script cannot quote", async () => {
    withTerraform("terraform", "1.11.4");
    delete process.env.TF_VAR_grafana_admin_password;
    process.env.TF_VAR_influxdb_flink_password = "it's-a-secret-1";
    const problems = (await preflight(CONFIG)).join("\n");
    assert.match(problems, /TF_VAR_grafana_admin_password is not set/);
    assert.match(problems, /TF_VAR_influxdb_flink_password contains ' or \\: .* single quotes unescaped/);
    assert.doesNotMatch(problems, /it's-a-secret/, "never the value");
    assert.deepEqual(await preflight(CONFIG, true), [], "destroy needs no secrets");
    Object.assign(process.env, SECRETS);
  });
});
