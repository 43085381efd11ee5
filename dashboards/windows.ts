/**
 * Query windows derived from the scrape interval, never restated (kube-prometheus style): a range holds four
 * scrapes, subqueries step once per scrape.
 */
import type { MonitoringConfig } from "../config/resolve.js";
import { formatDuration } from "../config/duration.js";

/** Seconds covering four scrapes: enough samples for a rate of a cumulative value. */
export function rangeSeconds(config: MonitoringConfig): number {
  return 4 * config.prometheus.scrapeIntervalSeconds;
}

export function rangeWindow(config: MonitoringConfig): string {
  return formatDuration(rangeSeconds(config));
}

/** Subquery resolution: one step per scrape. */
export function subqueryStep(config: MonitoringConfig): string {
  return formatDuration(config.prometheus.scrapeIntervalSeconds);
}
