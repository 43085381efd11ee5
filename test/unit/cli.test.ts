/** The CLI as a user meets it: exit codes, messages, and what generate leaves on disk. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, ROOT, CLI } from "../helpers/cli.js";
import { accessSync, constants } from "node:fs";

const tmp = () => mkdtempSync(join(tmpdir(), "flinkmon-cli-"));

describe("flinkmon CLI", () => {
  it("the bin is executable, so npx flinkmon runs it", () => {
    assert.doesNotThrow(() => accessSync(CLI, constants.X_OK));
  });

  it("every command has --help", () => {
    for (const command of ["generate", "check", "conf", "schema"]) {
      const r = runCli([command, "--help"]);
      assert.equal(r.code, 0, command);
      assert.match(r.stdout, new RegExp(`Usage: flinkmon ${command}`));
    }
  });

  it("unknown commands and options are usage errors (exit 2)", () => {
    assert.equal(runCli(["frobnicate"]).code, 2);
    assert.equal(runCli(["generate", "--no-such-flag"]).code, 2);
    assert.equal(runCli([]).code, 2);
  });

  it("conf prints the block for the asked version and reporters", () => {
    const r = runCli(["conf", "--flink-version", "1.17", "--reporter", "prometheus", "--reporter", "influxdb"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^metrics\.reporters: prom,influxdb$/m);
    assert.match(r.stdout, /^metrics\.reporter\.prom\.factory\.class: org\.apache\.flink\.metrics\.prometheus\.PrometheusReporterFactory$/m);
  });

  it("conf names the flag and suggests the near miss", () => {
    const r = runCli(["conf", "--flink-version", "1.18", "--reporter", "promethus"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--reporter: "promethus" is not allowed; .* Did you mean "prometheus"\?/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  });

  it("generate writes, check passes, an edit makes check fail with exit 1", () => {
    const dir = tmp();
    const out = join(dir, "out");
    assert.equal(runCli(["generate", "--out", out], dir).code, 0);
    assert.ok(existsSync(join(out, "flink/config.yaml")));
    assert.equal(runCli(["check", "--out", out], dir).code, 0);
    writeFileSync(join(out, "flink/config.yaml"), "edited\n");
    writeFileSync(join(out, "stray.txt"), "x\n");
    const r = runCli(["check", "--out", out], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /stale: +flink\/config\.yaml/);
    assert.match(r.stderr, /extra: +stray\.txt/);
  });

  it("generate twice changes nothing", () => {
    const dir = tmp();
    runCli(["generate", "--out", "o"], dir);
    const first = readFileSync(join(dir, "o/flink/config.yaml"), "utf8");
    runCli(["generate", "--out", "o"], dir);
    assert.equal(readFileSync(join(dir, "o/flink/config.yaml"), "utf8"), first);
  });

  it("a bad config exits 2 and leaves the previous output untouched", () => {
    const dir = tmp();
    assert.equal(runCli(["generate", "--out", "o"], dir).code, 0);
    const before = readFileSync(join(dir, "o/flink/config.yaml"), "utf8");
    writeFileSync(join(dir, "bad.yaml"), "flink:\n  reporters: [promethus]\n");
    const r = runCli(["generate", "--config", "bad.yaml", "--out", "o"], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.yaml is not valid:\n {2}- flink\.reporters\[0\]: "promethus" is not allowed/);
    assert.equal(readFileSync(join(dir, "o/flink/config.yaml"), "utf8"), before);
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith(".flinkmon-tmp")), []);
  });

  it("refuses to replace a folder of someone else's files", () => {
    const dir = tmp();
    mkdirSync(join(dir, "mine"));
    writeFileSync(join(dir, "mine/notes.txt"), "precious\n");
    const r = runCli(["generate", "--out", "mine"], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /holds files flinkmon did not write/);
    assert.equal(readFileSync(join(dir, "mine/notes.txt"), "utf8"), "precious\n");
  });

  it("doctor and collect name a bad URL flag instead of failing later", () => {
    const r = runCli(["collect", "--rest-url", "http://127.0.0.1:1", "--pushgateway-url", "pgw:9091", "--once", "--defaults"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--pushgateway-url: "pgw:9091" is not allowed; expected an http:\/\/ or https:\/\/ URL/);
    assert.match(runCli(["doctor", "--rest-url", "jobmanager:8081", "--defaults"]).stderr, /--rest-url: "jobmanager:8081" is not allowed/);
  });

  it("a missing config file is an input error", () => {
    const r = runCli(["generate", "--config", "nope.yaml", "--out", join(tmp(), "o")]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /config file nope\.yaml does not exist/);
  });

  it("schema prints JSON Schema", () => {
    const r = runCli(["schema"]);
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(r.stdout).type, "object");
  });
});

describe("the committed files", () => {
  it("generated/ is what flinkmon.config.yaml builds", () => {
    const r = runCli(["check"]);
    assert.equal(r.code, 0, r.stderr);
  });

  it("flinkmon.schema.json is what `flinkmon schema` prints", () => {
    assert.equal(readFileSync(join(ROOT, "flinkmon.schema.json"), "utf8"), runCli(["schema"]).stdout);
  });

  it("--defaults ignores ./flinkmon.config.yaml", () => {
    const out = join(tmp(), "o");
    assert.equal(runCli(["generate", "--defaults", "--out", out]).code, 0);
    assert.match(readFileSync(join(out, "flink/config.yaml"), "utf8"), /reporters: "prom"/);
  });
});
