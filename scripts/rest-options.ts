/** REST connection flags shared by doctor and collect. Secrets come from environment variables, never flags. */
import type { Command } from "commander";
import { FlinkRestClient } from "../flink/rest/client.js";
import { ConfigError } from "../config/errors.js";
import { redactUrl } from "../flink/rest/url-credentials.js";

export interface RestFlags {
  restUrl: string;
  user?: string;
  passwordEnv: string;
  tokenEnv?: string;
  caFile?: string;
  timeout: string;
}

/** `optionalUrl`: the command also works without a cluster (budget estimates from config then). */
export function addRestOptions(command: Command, optionalUrl = false): Command {
  const url = "Flink REST endpoint, e.g. http://jobmanager:8081";
  return (optionalUrl ? command.option("--rest-url <url>", url) : command.requiredOption("--rest-url <url>", url))
    .option("--user <name>", "basic-auth user for a proxy in front of the REST API")
    .option("--password-env <var>", "environment variable holding the basic-auth password", "FLINK_REST_PASSWORD")
    .option("--token-env <var>", "environment variable holding a bearer token")
    .option("--ca-file <pem>", "CA certificate for https REST URLs signed by a private CA")
    .option("--timeout <ms>", "per-request timeout in milliseconds", "5000");
}

export function restClient(flags: RestFlags): FlinkRestClient {
  const timeoutMs = Number(flags.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw new ConfigError(
      [{ path: "--timeout", message: `"${flags.timeout}" is not allowed; expected a positive number of milliseconds` }],
      "command line",
    );
  if (!/^https?:\/\//.test(flags.restUrl))
    throw new ConfigError(
      [
        {
          path: "--rest-url",
          message: `"${redactUrl(flags.restUrl)}" is not allowed; expected an http:// or https:// URL`,
        },
      ],
      "command line",
    );
  const token = flags.tokenEnv ? process.env[flags.tokenEnv] : undefined;
  if (flags.tokenEnv && !token)
    throw new ConfigError(
      [{ path: "--token-env", message: `environment variable ${flags.tokenEnv} is empty` }],
      "command line",
    );
  return new FlinkRestClient({
    baseUrl: flags.restUrl,
    timeoutMs,
    caFile: flags.caFile,
    bearerToken: token,
    basicAuth: flags.user ? { user: flags.user, password: process.env[flags.passwordEnv] ?? "" } : undefined,
  });
}

/** A store URL given on the command line: http(s) or a clear error naming the flag. */
export function requireHttpUrl(flag: string, value: string | undefined): void {
  if (value === undefined) return;
  let ok = false;
  try {
    ok = /^https?:$/.test(new URL(value).protocol);
  } catch {
    ok = false;
  }
  if (!ok)
    throw new ConfigError(
      [{ path: flag, message: `"${redactUrl(value)}" is not allowed; expected an http:// or https:// URL` }],
      "command line",
    );
}
