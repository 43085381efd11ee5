/** The Flink versions the acceptance suite runs (all on Java 17): 1.18, 1.19, 1.20, 2.0 and the newest 2.x. */
export const FLINK_VERSIONS = ["1.18.1", "1.19.3", "1.20.5", "2.0.2", "2.3.0"] as const;
export type FlinkRelease = (typeof FLINK_VERSIONS)[number];
