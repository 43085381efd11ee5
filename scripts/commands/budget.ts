import type { Command } from "commander";
import { Option } from "commander";
import { loadConfig } from "../../config/load.js";
import { ConfigError } from "../../config/errors.js";
import { metricsReadByFiles } from "../../artifacts/build.js";
import { FlinkRestError } from "../../flink/rest/client.js";
import { emptyParts, metricInventory } from "../../flink/rest/inventory.js";
import { estimateSeries } from "../../flink/budget/estimate.js";
import { instancesFromInventory, type MetricInstances } from "../../flink/budget/instances.js";
import { formatBudgetText, overBudget, type BudgetReport } from "../../flink/budget/report.js";
import { graphBudget } from "../../artifacts/budget.js";
import { redactUrl } from "../../flink/rest/url-credentials.js";
import { addConfigOptions, configSource, type ConfigFlags } from "../config-option.js";
import { addRestOptions, restClient, type RestFlags } from "../rest-options.js";
import { CliExit, EXIT } from "../cli-support.js";

interface BudgetFlags extends Partial<RestFlags>, ConfigFlags {
  format: "text" | "json";
}

async function liveInstances(flags: BudgetFlags): Promise<{ instances: MetricInstances[]; source: string }> {
  const client = restClient(flags as RestFlags);
  try {
    // A refresh of the JobManager's metric cache can leave parts empty for a moment: ask again, then say so.
    let inventory = await metricInventory(client);
    for (let attempt = 1; attempt < 4 && emptyParts(inventory) > 0; attempt++) {
      await new Promise((r) => setTimeout(r, 2000));
      inventory = await metricInventory(client);
    }
    if (emptyParts(inventory) > 0)
      process.stderr.write(
        `flinkmon budget: ${emptyParts(inventory)} part(s) of the cluster listed no metrics (the JobManager's metric cache was refreshing): the estimate may be low\n`,
      );
    return {
      instances: instancesFromInventory(inventory),
      source: `${redactUrl(flags.restUrl!)}: ${inventory.taskmanagers.length} TaskManagers, ${inventory.jobs.length} running jobs`,
    };
  } catch (error) {
    if (error instanceof FlinkRestError) throw new CliExit(EXIT.error, `flinkmon budget: ${error.message}`);
    throw error;
  }
}

export function registerBudget(program: Command): void {
  const command = program
    .command("budget")
    .description("estimate the series each store gets, with and without the generated reporter filters");
  addConfigOptions(addRestOptions(command, true))
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (opts: BudgetFlags) => {
      const { config } = loadConfig(configSource(opts));
      let report: BudgetReport;
      if (opts.restUrl) {
        const { instances, source } = await liveInstances(opts);
        report = {
          source,
          estimate: estimateSeries(config, metricsReadByFiles(config), instances),
          maxSeries: config.budget.maxSeries,
        };
      } else {
        const fromGraph = graphBudget(config);
        if (!fromGraph)
          throw new ConfigError(
            [
              {
                path: "--rest-url",
                message: "no cluster to estimate: ask a live one (--rest-url), or describe one in budget.graph",
              },
            ],
            "command line",
          );
        report = fromGraph;
      }
      process.stdout.write(opts.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : formatBudgetText(report));
      if (overBudget(report)) throw new CliExit(EXIT.finding);
    });
}
