import type { Command } from "commander";
import { Option } from "commander";
import { loadConfig } from "../../config/load.js";
import { FlinkRestError } from "../../flink/rest/client.js";
import { runDoctor, formatDoctorText } from "../../flink/doctor.js";
import { addConfigOptions, configSource, type ConfigFlags } from "../config-option.js";
import { addRestOptions, restClient, requireHttpUrl, type RestFlags } from "../rest-options.js";
import { CliExit, EXIT } from "../cli-support.js";
import { GRAFANA_ENV } from "../../contract/grafana.js";

interface DoctorFlags extends RestFlags, ConfigFlags {
  prometheusUrl?: string;
  influxdbUrl?: string;
  influxdbDb?: string;
  influxdbUser?: string;
  format: "text" | "json";
}

export function registerDoctor(program: Command): void {
  const command = program
    .command("doctor")
    .description("ask a live Flink cluster whether its monitoring works (exit 1 problems, 2 unreachable)");
  addConfigOptions(addRestOptions(command))
    .option("--prometheus-url <url>", "Prometheus to check for arriving flink_ series")
    .option("--influxdb-url <url>", "InfluxDB to check for arriving measurements")
    .option("--influxdb-db <db>", "InfluxDB database (default: influxdb.database of the config)")
    .option("--influxdb-user <user>", `InfluxDB user (password from ${GRAFANA_ENV.influxdbReadPassword})`)
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (opts: DoctorFlags) => {
      const { config } = loadConfig(configSource(opts));
      requireHttpUrl("--prometheus-url", opts.prometheusUrl);
      requireHttpUrl("--influxdb-url", opts.influxdbUrl);
      const client = restClient(opts);
      const influxdb = opts.influxdbUrl
        ? {
            url: opts.influxdbUrl,
            db: opts.influxdbDb ?? config.influxdb.database,
            user: opts.influxdbUser,
            password: process.env[GRAFANA_ENV.influxdbReadPassword],
          }
        : undefined;
      let report;
      try {
        report = await runDoctor(client, config, { prometheusUrl: opts.prometheusUrl, influxdb });
      } catch (error) {
        if (error instanceof FlinkRestError) throw new CliExit(EXIT.error, `flinkmon doctor: ${error.message}`);
        throw error;
      }
      process.stdout.write(opts.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorText(report));
      if (!report.healthy) throw new CliExit(EXIT.finding);
    });
}
