/** Synthesizes the stack of the configured target into an outdir (no cdktf CLI or Terraform needed). */
import { App } from "cdktf";
import type { MonitoringConfig } from "../config/resolve.js";
import { build } from "../scripts/build.js";
import { MonitoringStack, DOCKER_STACK_NAME } from "./monitoring-stack.js";

export interface SynthOptions {
  readonly outdir: string;
  readonly teardown?: boolean;
}

/** Returns the path of the synthesized cdk.tf.json. */
export function synthesize(config: MonitoringConfig, options: SynthOptions): string {
  const app = new App({ outdir: options.outdir, skipValidation: false });
  new MonitoringStack(app, DOCKER_STACK_NAME, { config, artifacts: build(config).artifacts, teardown: options.teardown });
  app.synth();
  return `${options.outdir}/stacks/${DOCKER_STACK_NAME}/cdk.tf.json`;
}
