import type { Command } from "commander";
import { configJsonSchema } from "../../config/json-schema.js";

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("print the JSON Schema of flinkmon.config.yaml (for editor completion and checks)")
    .action(() => {
      process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    });
}
