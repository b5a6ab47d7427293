/**
 * The thresholds findings are judged by: defaults an auditor can start from, each overridable by a
 * TRACEGATE_FINDINGS_* variable (read with the indexer's other settings; a bad value names its variable).
 */
export interface FindingSettings {
  /** Consumption over its norm's allowance (waste included) by more than this many percent is a finding. */
  overNormPercent: number;
  /** A stay is long when above its facility-stage's p95 and more than this many times its median… */
  longStayFactor: number;
  /** …among at least this many finished stays there. */
  minStays: number;
  /** A facility is slow at a stage when its median is more than this many times the other facilities' median. */
  slowFacilityFactor: number;
  /** Seconds of ledger time within which goods released for import must be received. */
  receiveWithinSeconds: number;
  /** A declaration with at least this many versions (the first and its amendments) is a finding. */
  amendmentVersions: number;
  /** A sealed lot arriving more than this many seconds after its deadline is HIGH, not MEDIUM. */
  transitLateSeconds: number;
}

export const DEFAULT_FINDING_SETTINGS: FindingSettings = {
  overNormPercent: 0,
  longStayFactor: 3,
  minStays: 20,
  slowFacilityFactor: 4,
  receiveWithinSeconds: 7 * 86_400,
  amendmentVersions: 3,
  transitLateSeconds: 6 * 3_600,
};

/** Each setting's variable and the least value it accepts (all are whole numbers). */
export const FINDING_VARIABLES: Record<keyof FindingSettings, { variable: string; least: number }> = {
  overNormPercent: { variable: "TRACEGATE_FINDINGS_OVER_NORM_PERCENT", least: 0 },
  longStayFactor: { variable: "TRACEGATE_FINDINGS_LONG_STAY_FACTOR", least: 1 },
  minStays: { variable: "TRACEGATE_FINDINGS_MIN_STAYS", least: 2 },
  slowFacilityFactor: { variable: "TRACEGATE_FINDINGS_SLOW_FACILITY_FACTOR", least: 1 },
  receiveWithinSeconds: { variable: "TRACEGATE_FINDINGS_RECEIVE_WITHIN_SECONDS", least: 1 },
  amendmentVersions: { variable: "TRACEGATE_FINDINGS_AMENDMENT_VERSIONS", least: 2 },
  transitLateSeconds: { variable: "TRACEGATE_FINDINGS_TRANSIT_LATE_SECONDS", least: 1 },
};

export class FindingSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "FindingSettingsError";
  }
}

/** The settings from the environment; every bad value is reported at once. */
export function readFindingSettings(env: Readonly<Record<string, string | undefined>>): FindingSettings {
  const settings = { ...DEFAULT_FINDING_SETTINGS };
  const problems: string[] = [];
  for (const [name, { variable, least }] of Object.entries(FINDING_VARIABLES) as Array<[keyof FindingSettings, { variable: string; least: number }]>) {
    const text = env[variable];
    if (text === undefined || text === "") continue;
    const value = /^[0-9]{1,12}$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= least)) problems.push(`${variable} must be a whole number of at least ${least}, not "${text}"`);
    else settings[name] = value;
  }
  if (problems.length > 0) throw new FindingSettingsError(problems);
  return settings;
}
