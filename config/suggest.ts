/** Levenshtein distance, small inputs only (config keys and enum values). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The closest allowed word to a near miss ("promethus" → "prometheus"), or undefined when none is close. */
export function didYouMean(value: string, allowed: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  let best: { word: string; d: number } | undefined;
  for (const word of allowed) {
    const d = distance(lower, word.toLowerCase());
    if (!best || d < best.d) best = { word, d };
  }
  if (!best) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(value.length, best.word.length) / 3));
  return best.d <= limit ? best.word : undefined;
}
