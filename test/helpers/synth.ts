/** Synthesizes the Docker stack for a config into a temp folder and reads the JSON back. */
import { readFileSync } from "node:fs";
import { tempDir } from "./servers.js";
import { configFromObject } from "../../config/load.js";
import { synthesize } from "../../stacks/app.js";

export interface SynthesizedStack {
  readonly text: string;
  /** The Terraform JSON is untyped by nature; tests index into it. */
  readonly json: any;
}

export function synthStack(raw: unknown, options: { teardown?: boolean } = {}): SynthesizedStack {
  const outdir = tempDir("synth");
  const file = synthesize(configFromObject(raw, "test"), { outdir, teardown: options.teardown });
  const text = readFileSync(file, "utf8");
  return { text, json: JSON.parse(text) };
}

/** The files a container gets, decoded: container path → content. */
export function uploadsOf(container: { upload?: { file: string; content_base64: string }[] }): Map<string, string> {
  return new Map(
    (container.upload ?? []).map((u) => [u.file, Buffer.from(u.content_base64, "base64").toString("utf8")]),
  );
}
