/** What `doctor` finds: checks with their fixes, and what the cluster reported. */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  /** What is wrong (when not ok) or a note. */
  readonly detail?: string;
  /** One line: what to do. */
  readonly fix?: string;
}

export interface DoctorReport {
  readonly restUrl: string;
  readonly flinkVersion?: string;
  readonly taskManagers: { id: string; slotsFree: number; slotsTotal: number; heartbeatAgeMs?: number }[];
  readonly jobs: { id: string; name: string; state: string }[];
  readonly checks: Check[];
  /** Endpoints the cluster's version does not have. */
  readonly missingEndpoints: string[];
  readonly healthy: boolean;
}

export interface StoreTargets {
  readonly prometheusUrl?: string;
  readonly influxdb?: { readonly url: string; readonly db: string; readonly user?: string; readonly password?: string };
}
