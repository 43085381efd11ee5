import type { Command } from "commander";
import { loadConfig } from "../../config/load.js";
import { parseDurationSeconds, DURATION_HINT } from "../../config/duration.js";
import { ConfigError } from "../../config/errors.js";
import { collectOnce } from "../../flink/collector.js";
import { toPrometheusText, toInfluxLines } from "../../flink/rest/writers.js";
import type { Sample } from "../../flink/rest/samples.js";
import { addConfigOptions, configSource, type ConfigFlags } from "../config-option.js";
import { addRestOptions, restClient, requireHttpUrl, type RestFlags } from "../rest-options.js";
import { CliExit, EXIT } from "../cli-support.js";
import { splitCredentials } from "../../flink/rest/url-credentials.js";
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

/** Where the samples go: the Pushgateway (one group, replaced every cycle) or InfluxDB. */
interface Sink {
  readonly name: string;
  write(samples: readonly Sample[]): Promise<void>;
}

async function send(withCredentials: string, init: RequestInit, what: string): Promise<void> {
  // fetch refuses URLs with credentials; they become the Authorization header, unless one is set already.
  const { url, authorization } = splitCredentials(withCredentials);
  const headers = {
    ...(authorization ? { Authorization: authorization } : {}),
    ...(init.headers as Record<string, string> | undefined),
  };
  const res = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${what} answered ${res.status}: ${text.slice(0, 200)}`);
}

function sinkFor(opts: CollectFlags, defaults: { db: string; user: string; rp: string }): Sink {
  if (opts.pushgatewayUrl && opts.influxdbUrl)
    throw new ConfigError(
      [{ path: "--pushgateway-url", message: "give either --pushgateway-url or --influxdb-url, not both" }],
      "command line",
    );
  if (opts.pushgatewayUrl) {
    const url = `${opts.pushgatewayUrl.replace(/\/$/, "")}/metrics/job/${encodeURIComponent(opts.jobName)}`;
    return {
      name: "Pushgateway",
      write: (samples) =>
        send(
          url,
          { method: "PUT", body: toPrometheusText(samples), headers: { "Content-Type": "text/plain; version=0.0.4" } },
          "the Pushgateway",
        ),
    };
  }
  if (opts.influxdbUrl) {
    const params = new URLSearchParams({ db: opts.influxdbDb ?? defaults.db, precision: "ms", rp: defaults.rp });
    const user = opts.influxdbUser ?? defaults.user;
    const auth = `Basic ${Buffer.from(`${user}:${process.env[FLINK_ENV.influxdbWritePassword] ?? ""}`).toString("base64")}`;
    const url = `${opts.influxdbUrl.replace(/\/$/, "")}/write?${params}`;
    return {
      name: "InfluxDB",
      write: (samples) =>
        send(
          url,
          { method: "POST", body: toInfluxLines(samples, Date.now()), headers: { Authorization: auth } },
          "InfluxDB",
        ),
    };
  }
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
      });

      let stopping = false;
      let wake: (() => void) | undefined;
      const stop = () => {
        stopping = true;
        wake?.();
      };
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
      let failures = 0;
      while (!stopping) {
        const started = Date.now();
        try {
          const { samples, stats } = await collectOnce(client);
          await sink.write(samples);
          failures = 0;
          const skipped = stats.skipped > 0 ? `, ${stats.skipped} unreadable skipped` : "";
          process.stdout.write(
            `collect ${new Date().toISOString()}: ${stats.series} series (${stats.taskManagers} TaskManagers, ${stats.jobs} jobs, ${stats.subtasks} subtasks${skipped}) → ${sink.name} in ${Date.now() - started} ms\n`,
          );
        } catch (error) {
          failures++;
          process.stderr.write(
            `collect ${new Date().toISOString()}: cycle failed (${failures} in a row): ${(error as Error).message}\n`,
          );
          if (opts.once) throw new CliExit(EXIT.finding);
        }
        if (opts.once) break;
        // Back off while the REST API or the store is down: double the wait per failure, at most 5 minutes.
        const waitMs =
          Math.min(intervalSeconds * 1000 * 2 ** Math.min(failures, 5), 300_000) -
          (failures === 0 ? Date.now() - started : 0);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, waitMs));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
    });
}
