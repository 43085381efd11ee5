/**
 * A small client for Flink's REST API (the shapes test/acceptance sees on real clusters): typed JSON, timeouts, retries
 * with backoff for transient failures, clear errors, optional basic or bearer auth and a custom CA for TLS.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { readFileSync } from "node:fs";
import { redactUrl, splitCredentials } from "./url-credentials.js";

export type RestErrorKind = "unreachable" | "timeout" | "unauthorized" | "not-found" | "not-json" | "http";

export class FlinkRestError extends Error {
  constructor(
    readonly kind: RestErrorKind,
    readonly url: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "FlinkRestError";
  }
}

export interface RestClientOptions {
  /** e.g. http://jobmanager:8081 (a path prefix such as /flink behind a proxy is kept). */
  readonly baseUrl: string;
  /** Per-request timeout. @default 5000 */
  readonly timeoutMs?: number;
  /** Retries after a transient failure (connection refused, timeout, 429, 502-504). @default 2 */
  readonly retries?: number;
  /** First backoff; doubles per retry. @default 250 */
  readonly backoffMs?: number;
  readonly basicAuth?: { readonly user: string; readonly password: string };
  readonly bearerToken?: string;
  /** PEM file of the CA that signed the JobManager's (or proxy's) certificate. */
  readonly caFile?: string;
}

const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FlinkRestClient {
  private readonly base: URL;
  private readonly ca?: Buffer;

  private readonly urlAuthorization?: string;

  constructor(private readonly options: RestClientOptions) {
    // Credentials in the URL become a header: no message ever prints them.
    const { url, authorization } = splitCredentials(options.baseUrl);
    this.urlAuthorization = authorization;
    this.base = new URL(url.endsWith("/") ? url : `${url}/`);
    if (!/^https?:$/.test(this.base.protocol))
      throw new FlinkRestError(
        "http",
        redactUrl(options.baseUrl),
        `REST URL must start with http:// or https://, got ${redactUrl(options.baseUrl)}`,
      );
    if (options.caFile) this.ca = readFileSync(options.caFile);
  }

  get baseUrl(): string {
    return this.base.toString().replace(/\/$/, "");
  }

  /** GET a JSON resource, retrying transient failures. */
  async get<T>(path: string): Promise<T> {
    const url = new URL(path.replace(/^\//, ""), this.base).toString();
    const retries = this.options.retries ?? 2;
    let delay = this.options.backoffMs ?? 250;
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.once(url)) as T;
      } catch (error) {
        const transient =
          error instanceof FlinkRestError &&
          (error.kind === "unreachable" ||
            error.kind === "timeout" ||
            (error.status !== undefined && TRANSIENT_STATUS.has(error.status)));
        if (!transient || attempt >= retries) throw error;
        await sleep(delay);
        delay *= 2;
      }
    }
  }

  private once(url: string): Promise<unknown> {
    const headers: Record<string, string> = { Accept: "application/json" };
    const { basicAuth, bearerToken } = this.options;
    if (this.urlAuthorization) headers.Authorization = this.urlAuthorization;
    if (basicAuth)
      headers.Authorization = `Basic ${Buffer.from(`${basicAuth.user}:${basicAuth.password}`).toString("base64")}`;
    if (bearerToken) headers.Authorization = `Bearer ${bearerToken}`;
    const timeout = this.options.timeoutMs ?? 5000;
    const request = url.startsWith("https:") ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(url, { method: "GET", headers, timeout, ...(this.ca ? { ca: this.ca } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          if (status === 401 || status === 403)
            return reject(
              new FlinkRestError(
                "unauthorized",
                url,
                `${url} answered ${status}: the REST API needs credentials (--user/--password-env or --token-env)`,
                status,
              ),
            );
          if (status === 404)
            return reject(
              new FlinkRestError(
                "not-found",
                url,
                `${url} answered 404: this Flink version has no such endpoint`,
                status,
              ),
            );
          if (status < 200 || status >= 300)
            return reject(new FlinkRestError("http", url, `${url} answered ${status}: ${body.slice(0, 200)}`, status));
          try {
            resolve(JSON.parse(body));
          } catch {
            reject(
              new FlinkRestError(
                "not-json",
                url,
                `${url} did not answer JSON (is this Flink's REST port, not the web UI behind a login page?): ${body.slice(0, 80)}`,
                status,
              ),
            );
          }
        });
      });
      req.on("timeout", () =>
        req.destroy(new FlinkRestError("timeout", url, `${url} did not answer within ${timeout} ms`)),
      );
      req.on("error", (error: NodeJS.ErrnoException) => {
        if (error instanceof FlinkRestError) return reject(error);
        reject(
          new FlinkRestError(
            "unreachable",
            url,
            `cannot reach ${url}: ${error.code ?? error.message} (is the JobManager up and the REST port right?)`,
          ),
        );
      });
      req.end();
    });
  }
}
