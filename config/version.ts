/**
 * Flink versions as flinkmon understands them: "1.9" … "1.20", "2.0", "2.1", "2.x", each with or without a
 * patch number. "2.x" means "the newest 2.x behaviour flinkmon knows".
 */
export interface FlinkVersion {
  readonly major: number;
  readonly minor: number;
  /** Undefined when the user gave no patch number. */
  readonly patch?: number;
  /** The text as the user wrote it, for messages. */
  readonly text: string;
}

/** Minor number that stands for "2.x": later than every real 2.minor. */
const ANY_MINOR = 999;
const OLDEST = { major: 1, minor: 9 };
const NEWEST_1X_MINOR = 20;

export const ALLOWED_VERSIONS_TEXT =
  '"1.9" … "1.20", "2.0", "2.1", … or "2.x", optionally with a patch number ("1.17.2")';

/** Parses a version, or returns undefined when the text is not one flinkmon supports. */
export function parseFlinkVersion(text: string): FlinkVersion | undefined {
  const m = /^(\d+)\.(\d+|x)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = m[2] === "x" ? ANY_MINOR : Number(m[2]);
  const patch = m[3] === undefined ? undefined : Number(m[3]);
  if (m[2] === "x" && (major !== 2 || patch !== undefined)) return undefined;
  if (major === 1 && (minor < OLDEST.minor || minor > NEWEST_1X_MINOR)) return undefined;
  if (major !== 1 && major !== 2) return undefined;
  return { major, minor, patch, text: text.trim() };
}

/** True when `v` is at least `major.minor` (patch ignored). */
export function atLeast(v: FlinkVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

/** "1.17" style label for messages; "2.x" for the open-ended 2 line. */
export function minorLabel(v: FlinkVersion): string {
  return v.minor === ANY_MINOR ? `${v.major}.x` : `${v.major}.${v.minor}`;
}
