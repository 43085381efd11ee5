/** The CI workflow calls only commands the README documents, and keeps one PR comment by its marker. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { ROOT } from "../helpers/cli.js";
import { COMMENT_MARKER } from "../../scripts/diff/format.js";

const workflow = parse(readFileSync(`${ROOT}/.github/workflows/flinkmon.yml`, "utf8"));
const readme = readFileSync(`${ROOT}/README.md`, "utf8");
const steps: { run?: string; uses?: string; with?: { script?: string } }[] = workflow.jobs.flinkmon.steps;

/** Commands a run step calls: npm/npx invocations with their first word(s). */
function commands(run: string): string[] {
  return [...run.matchAll(/\b(npm ci|npm test|npm run [\w:-]+|npx flinkmon \w+)/g)].map((m) => m[1]!);
}

describe("GitHub workflow", () => {
  it("runs on pull requests and on main", () => {
    assert.ok("pull_request" in workflow.on);
    assert.deepEqual(workflow.on.push.branches, ["main"]);
  });

  it("installs, tests, checks, diffs", () => {
    const all = steps.flatMap((s) => (s.run ? commands(s.run) : []));
    assert.deepEqual(all, ["npm ci", "npm run test:deps", "npm test", "npx flinkmon check", "npx flinkmon diff"]);
  });

  it("calls only commands the README documents", () => {
    for (const step of steps.filter((s) => s.run)) {
      for (const command of commands(step.run!))
        assert.ok(readme.includes(command), `README does not document "${command}"`);
      const unknown = step
        .run!.split("\n")
        .map((l) => l.trim())
        .filter((l) => l && !/^(set [+-]e|code=\$\?|if \[|fi$)/.test(l) && commands(l).length === 0);
      assert.deepEqual(unknown, [], "every command line is a documented npm/npx call");
    }
  });

  it("updates one PR comment found by the diff's hidden marker", () => {
    const script = steps.find((s) => s.uses?.startsWith("actions/github-script"))!.with!.script!;
    assert.ok(script.includes(COMMENT_MARKER));
    assert.match(script, /updateComment/);
    assert.match(script, /createComment/);
  });
});
