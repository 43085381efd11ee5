// Bundles the CLI into dist/bundle/ (one file per lazily loaded part): a user's `npx flinkmon` loads a few files,
// not hundreds of modules. cdktf stays external and is loaded only by the commands that synthesize a stack.
import { build } from "esbuild";
import { chmodSync, rmSync } from "node:fs";
import process from "node:process";

rmSync("dist/bundle", { recursive: true, force: true });
await build({
  entryPoints: { flinkmon: "scripts/cli.ts" },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["cdktf", "constructs", "@cdktf/*"],
  // CommonJS dependencies (handlebars) call require(): give the ESM bundle one.
  banner: {
    js: "import { createRequire as __flinkmonRequire } from 'node:module'; const require = __flinkmonRequire(import.meta.url);",
  },
  minify: process.env.FLINKMON_BUNDLE_MINIFY !== "0",
  sourcemap: false,
  logLevel: "warning",
});
chmodSync("dist/bundle/flinkmon.js", 0o755);
