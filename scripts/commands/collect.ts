import type { Command } from "commander";
import { loadConfig } from "../../config/load.js";
import { metricsReadByFiles } from "../../artifacts/build.js";
import { metricMatcher } from "../../flink/budget/filter-match.js";
import { includesFor } from "../../flink/metric-filter.js";
import { parseDurationSeconds, DURATION_HINT } from "../../config/duration.js";
import { ConfigError } from "../../config/errors.js";
import { pushgatewaySink, influxdbSink, type Sink } from "../../flink/collect-sinks.js";
import { runCollectLoop } from "../../flink/collect-loop.js";
import { addConfigOptions, configSource, type ConfigFlags } from "../config-option.js";
import { addRestOptions, restClient, requireHttpUrl, type RestFlags } from "../rest-options.js";
import { CliExit, EXIT } from "../cli-support.js";
import { FLINK_ENV } from "../../contract/grafana.js";

interface CollectFlags extends RestFlags, ConfigFlags {
  pushgatewayUrl?: string;
  jobName: string;
  influxdbUrl?: string;
  influxdbDb?: string;
  influxdbUser?: string;
  interval?: string;
  once?: boolean;
}

function sinkFor(opts: CollectFlags, defaults: { db: string; user: string; rp: string; cluster: string }): Sink {
  if (opts.pushgatewayUrl && opts.influxdbUrl)
    throw new ConfigError(
      [{ path: "--pushgateway-url", message: "give either --pushgateway-url or --influxdb-url, not both" }],
      "command line",
    );
  if (opts.pushgatewayUrl) return pushgatewaySink(opts.pushgatewayUrl, opts.jobName, defaults.cluster);
  if (opts.influxdbUrl)
    return influxdbSink({
      url: opts.influxdbUrl,
      db: opts.influxdbDb ?? defaults.db,
      retentionPolicy: defaults.rp,
      user: opts.influxdbUser ?? defaults.user,
      password: process.env[FLINK_ENV.influxdbWritePassword] ?? "",
      cluster: defaults.cluster,
    });
  throw new ConfigError(
    [
      {
        path: "--pushgateway-url",
        message: "name a store: --pushgateway-url URL, or --influxdb-url URL [--influxdb-db DB]",
      },
    ],
    "command line",
  );
}

export function registerCollect(program: Command): void {
  const command = program
    .command("collect")
    .description("poll the REST API and write metrics as Flink's reporters would (for clusters without reporters)");
  addConfigOptions(addRestOptions(command))
    .option("--pushgateway-url <url>", "write to this Pushgateway")
    .option("--job-name <name>", "Pushgateway job of the pushed group", "flinkmon-collect")
    .option("--influxdb-url <url>", "write to this InfluxDB 1.x")
    .option("--influxdb-db <db>", "InfluxDB database (default: influxdb.database of the config)")
    .option(
      "--influxdb-user <user>",
      `InfluxDB user (default: influxdb.writeUser; password from ${FLINK_ENV.influxdbWritePassword})`,
    )
    .option("--interval <duration>", "time between cycles (default: flink.interval of the config)")
    .option("--once", "collect one cycle and exit (exit 1 when it failed)")
    .action(async (opts: CollectFlags) => {
      const { config } = loadConfig(configSource(opts));
      const intervalSeconds =
        opts.interval === undefined ? config.flink.intervalSeconds : parseDurationSeconds(opts.interval);
      if (intervalSeconds === undefined)
        throw new ConfigError(
          [{ path: "--interval", message: `"${opts.interval}" is not allowed; expected ${DURATION_HINT}` }],
          "command line",
        );
      requireHttpUrl("--pushgateway-url", opts.pushgatewayUrl);
      requireHttpUrl("--influxdb-url", opts.influxdbUrl);
      const client = restClient(opts);
      const sink = sinkFor(opts, {
        db: config.influxdb.database,
        user: config.influxdb.writeUser,
        rp: config.influxdb.retentionPolicy.name,
        cluster: config.flink.cluster,
      });

      // collect stands in for a reporter: it reads what flinkmon's generated filters would let that reporter send.
      const { enabled, keep } = config.flink.metricFilter;
      const sends = enabled ? metricMatcher(includesFor(metricsReadByFiles(config), keep)) : undefined;
      const ok = await runCollectLoop({ client, sink, intervalSeconds, once: opts.once, collect: { sends } });
      if (opts.once && !ok) throw new CliExit(EXIT.finding);
    });
}
