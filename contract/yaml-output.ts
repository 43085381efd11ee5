/**
 * How flinkmon writes YAML, in every generated file: no folded long lines (PromQL stays on one line, as reviewers
 * diff it), and no anchors or aliases for objects that occur twice (each reader sees plain values; the yaml
 * library would otherwise track every object it writes, which doubled the time to write the alerting file).
 */
export const YAML_OUTPUT = { lineWidth: 0, aliasDuplicateObjects: false } as const;
