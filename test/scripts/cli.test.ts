/** The CLI as a user meets it: exit codes, messages, and what generate leaves on disk. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, readFileSync, existsSync, mkdirSync, readdirSync, renameSync } from "node:fs";
import { tempDir } from "../helpers/servers.js";
import { join } from "node:path";
import { runCli, ROOT, CLI } from "../helpers/cli.js";
import { readOutputDir } from "../../scripts/output-dir.js";
import { accessSync, constants } from "node:fs";

const tmp = () => tempDir("cli");

describe("flinkmon CLI", () => {
  it("the bin is executable, so npx flinkmon runs it", () => {
    assert.doesNotThrow(() => accessSync(CLI, constants.X_OK));
  });

  it("the committed example output (generated/) is what the example config generates today", () => {
    const r = runCli(["check"]);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
  });

  it("every command the CLI lists has --help", () => {
    const help = runCli(["--help"]).stdout;
    const commands = [...help.slice(help.indexOf("Commands:")).matchAll(/^ {2}([a-z]+)\b/gm)]
      .map((m) => m[1]!)
      .filter((c) => c !== "help");
    assert.deepEqual(commands, ["generate", "check", "diff", "conf", "doctor", "collect", "budget", "schema"]);
    for (const command of commands) {
      const r = runCli([command, "--help"]);
      assert.equal(r.code, 0, command);
      assert.match(r.stdout, new RegExp(`Usage: flinkmon ${command}`));
    }
  });

  it("an unknown command is an error, --help or not", () => {
    for (const args of [["nosuch"], ["nosuch", "--help"]]) {
      const r = runCli(args);
      assert.equal(r.code, 2, args.join(" "));
      assert.equal(
        r.stderr,
        "flinkmon: unknown command 'nosuch' (commands: generate, check, diff, conf, doctor, collect, budget, schema)\n",
      );
    }
  });

  it("--defaults with --config is a usage error, and --config naming a folder says so", () => {
    const both = runCli(["generate", "--defaults", "--config", "flinkmon.config.yaml", "--out", join(tmp(), "o")]);
    assert.equal(both.code, 2);
    assert.equal(
      both.stderr,
      "flinkmon: --defaults: cannot be combined with --config flinkmon.config.yaml: --defaults uses the built-in config, --config names a file; give one\n",
    );
    const folder = tmp();
    const r = runCli(["check", "--config", folder]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      `flinkmon: --config: ${folder} is a folder; name the YAML file, e.g. ${join(folder, "flinkmon.config.yaml")}\n`,
    );
  });

  it("from a subfolder, generate and check use the project root's config and output folder", () => {
    const project = tmp();
    mkdirSync(join(project, ".git"));
    writeFileSync(join(project, "flinkmon.config.yaml"), "flink: { version: '1.18', reporters: [influxdb] }\n");
    mkdirSync(join(project, "deep", "er"), { recursive: true });
    const r = runCli(["generate"], join(project, "deep", "er"));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      `flinkmon: wrote ${readdirSync(join(project, "generated"), { recursive: true }).filter((f) => String(f).includes(".")).length - 1} files to ../../generated/ from ../../flinkmon.config.yaml\n`,
    );
    assert.ok(
      existsSync(join(project, "generated", "flink", "flink-conf.yaml")),
      "the 1.18 file of the project's config",
    );
    assert.ok(!existsSync(join(project, "deep", "er", "generated")));
    assert.equal(runCli(["check"], join(project, "deep")).code, 0);
  });

  it("a generate interrupted between its two renames loses nothing: the next run puts the old output back first", () => {
    const dir = tmp();
    assert.equal(runCli(["generate", "--defaults", "--out", "o"], dir).code, 0);
    // As if the process died after moving the old output aside, with its staging folder half written.
    renameSync(join(dir, "o"), join(dir, ".flinkmon-tmp-o-old-1-2"));
    mkdirSync(join(dir, ".flinkmon-tmp-o-1-2"));
    assert.equal(
      runCli(["check", "--defaults", "--out", "o"], dir).code,
      1,
      "the output is missing until the next generate",
    );
    assert.equal(runCli(["generate", "--defaults", "--out", "o"], dir).code, 0);
    assert.deepEqual(readdirSync(dir).sort(), ["o"]);
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
    assert.match(
      r.stdout,
      /^metrics\.reporter\.prom\.factory\.class: org\.apache\.flink\.metrics\.prometheus\.PrometheusReporterFactory$/m,
    );
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

  it("generate twice gives the same tree, byte for byte", () => {
    const dir = tmp();
    runCli(["generate", "--config", join(ROOT, "flinkmon.config.yaml"), "--out", "o"], dir);
    const first = readOutputDir(join(dir, "o"));
    assert.ok(first.size > 10);
    runCli(["generate", "--config", join(ROOT, "flinkmon.config.yaml"), "--out", "o"], dir);
    assert.deepEqual(readOutputDir(join(dir, "o")), first);
  });

  it("never prints credentials given in a URL", () => {
    const r = runCli(["doctor", "--rest-url", "http://admin:s3cret-pw@127.0.0.1:9", "--timeout", "200"]);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stdout + r.stderr, /s3cret-pw/);
    assert.match(r.stderr, /127\.0\.0\.1:9/);
    const bad = runCli(["doctor", "--rest-url", "http://127.0.0.1:9", "--prometheus-url", "ftp://u:s3cret-pw@x"]);
    assert.doesNotMatch(bad.stdout + bad.stderr, /s3cret-pw/);
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
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith(".flinkmon-tmp")),
      [],
    );
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
    const r = runCli([
      "collect",
      "--rest-url",
      "http://127.0.0.1:1",
      "--pushgateway-url",
      "pgw:9091",
      "--once",
      "--defaults",
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--pushgateway-url: "pgw:9091" is not allowed; expected an http:\/\/ or https:\/\/ URL/);
    assert.match(
      runCli(["doctor", "--rest-url", "jobmanager:8081", "--defaults"]).stderr,
      /--rest-url: "jobmanager:8081" is not allowed/,
    );
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
