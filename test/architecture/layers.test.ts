/**
 * The folders are layers (README "Layout and layers"): a module imports only from its own folder and the folders
 * before it. Parses every source file's relative imports; a back edge fails with the file and the import.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
const LAYERS = [
  "contract",
  "config",
  "flink",
  "dashboards",
  "templates",
  "artifacts",
  "conformance",
  "stacks",
  "scripts",
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? sources(path) : f.endsWith(".ts") ? [path] : [];
  });
}

/** Top-level folder of a path inside the repository. */
const folderOf = (path: string) => relative(ROOT, path).split("/")[0]!;

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => resolve(dirname(file), m[1]!));
}

describe("layers", () => {
  it("every import goes to the same folder or an earlier layer", () => {
    const backEdges: string[] = [];
    for (const layer of LAYERS) {
      for (const file of sources(join(ROOT, layer))) {
        for (const target of imports(file)) {
          const to = folderOf(target);
          if (to === layer || !LAYERS.includes(to)) continue;
          if (LAYERS.indexOf(to) > LAYERS.indexOf(layer))
            backEdges.push(`${relative(ROOT, file)} imports ${relative(ROOT, target)} (${layer} → ${to})`);
        }
      }
    }
    assert.deepEqual(backEdges, []);
  });

  it("content layers never import cdktf or the constructs library", () => {
    const offenders = ["contract", "config", "flink", "dashboards", "templates", "artifacts", "conformance"]
      .flatMap((layer) => sources(join(ROOT, layer)))
      .filter((file) => /from\s+"(cdktf|constructs|@cdktf\/[^"]+)"/.test(readFileSync(file, "utf8")))
      .map((file) => relative(ROOT, file));
    assert.deepEqual(offenders, []);
  });
});
