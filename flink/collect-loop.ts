/**
 * The collect loop: one cycle per interval, a status line per cycle, exponential backoff while the REST API or
 * the store is down, a clean stop on SIGTERM/SIGINT (the current cycle ends, no new one starts).
 */
import { collectOnce, type CollectOptions } from "./collector.js";
import type { FlinkRestClient } from "./rest/client.js";
import type { Sink } from "./collect-sinks.js";

/** Longest wait between cycles while failing. */
export const MAX_BACKOFF_MS = 300_000;

/**
 * Milliseconds until the next cycle: the rest of the interval after a good cycle, and after one that overran the
 * interval the rest of the interval it ended in (the cycles it overran are skipped, never stacked); after failures
 * the interval doubled per failure in a row (at most 2⁵ times), never more than MAX_BACKOFF_MS.
 */
export function nextWaitMs(intervalSeconds: number, failures: number, elapsedMs: number): number {
  const interval = intervalSeconds * 1000;
  if (failures > 0) return Math.min(interval * 2 ** Math.min(failures, 5), MAX_BACKOFF_MS);
  return interval - (elapsedMs % interval);
}

/** Cycles an overrunning cycle made the loop skip. */
export const skippedCycles = (intervalSeconds: number, elapsedMs: number): number =>
  Math.floor(elapsedMs / (intervalSeconds * 1000));

export interface LoopOptions {
  readonly client: FlinkRestClient;
  readonly sink: Sink;
  readonly intervalSeconds: number;
  /** How each cycle reads (concurrency, the reporter filter it stands in for). */
  readonly collect?: CollectOptions;
  /** One cycle, then return whether it succeeded. */
  readonly once?: boolean;
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
}

/** Runs until stopped (or one cycle with `once`); returns false when the last cycle failed. */
export async function runCollectLoop(options: LoopOptions): Promise<boolean> {
  const out = options.out ?? ((l) => process.stdout.write(l));
  const err = options.err ?? ((l) => process.stderr.write(l));
  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopping = true;
    wake?.();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  let failures = 0;
  try {
    while (!stopping) {
      const started = Date.now();
      try {
        const { samples, stats } = await collectOnce(options.client, options.collect);
        const written = await options.sink.write(samples);
        failures = 0;
        const elapsed = Date.now() - started;
        const skipped = stats.skipped > 0 ? `, ${stats.skipped} unreadable skipped` : "";
        const overran = skippedCycles(options.intervalSeconds, elapsed);
        out(
          `collect ${new Date().toISOString()}: ${stats.series} series (${stats.taskManagers} TaskManagers, ${stats.jobs} jobs, ${stats.subtasks} subtasks${skipped}) → ${options.sink.name} in ${elapsed} ms, ${stats.requests} REST requests, ${written.requests} to the store${written.note ? `; ${written.note}` : ""}\n`,
        );
        if (overran > 0 && !options.once)
          err(
            `collect: the cycle took ${elapsed} ms, over the ${options.intervalSeconds} s interval: ${overran} cycle(s) skipped\n`,
          );
      } catch (error) {
        failures++;
        err(`collect ${new Date().toISOString()}: cycle failed (${failures} in a row): ${(error as Error).message}\n`);
      }
      if (options.once) return failures === 0;
      const waitMs = nextWaitMs(options.intervalSeconds, failures, Date.now() - started);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return failures === 0;
  } finally {
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
  }
}
