/** Durations as users write them in flinkmon.config.yaml: "15s", "1m", "30d", "1h30m". */
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const DURATION_RE = /^(\d+[smhdw])+$/;

export const DURATION_HINT = 'a duration such as "15s", "1m", "6h" or "30d" (units s, m, h, d, w)';

/** Seconds in a duration string, or undefined when it is not one. */
export function parseDurationSeconds(text: string): number | undefined {
  if (!DURATION_RE.test(text)) return undefined;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([smhdw])/g)) total += Number(n) * UNIT_SECONDS[unit!]!;
  return total > 0 ? total : undefined;
}

/** The shortest Prometheus-style text for a number of seconds: 90 → "90s", 120 → "2m", 86400 → "1d". */
export function formatDuration(seconds: number): string {
  for (const unit of ["w", "d", "h", "m"] as const) {
    const size = UNIT_SECONDS[unit]!;
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
