/**
 * Every environment variable TraceGate reads, and which commands read it: the one list the settings
 * readers check names against (a TRACEGATE_* name not here is refused as a typo) and README.md's
 * configuration table is checked against (test/settings/catalogue.test.ts).
 */

/** The commands, as README.md names them: `npm start`, `npm run indexer`, `npm run api`, the `tracegate` CLI, … */
export const COMMANDS = ["start", "indexer", "api", "tracegate", "demo", "seed", "bench"] as const;
export type Command = (typeof COMMANDS)[number];

const SOURCE = ["start", "indexer"] as const;
const CHAIN = ["start", "indexer", "tracegate", "seed"] as const;

export const VARIABLES = {
  TRACEGATE_HOME: ["start", "indexer", "api", "tracegate", "demo"],
  TRACEGATE_HOST: ["start", "api"],
  TRACEGATE_PORT: ["start", "api"],
  TRACEGATE_METRICS_PORT: ["start", "indexer"],
  TRACEGATE_LEDGER: SOURCE,
  TRACEGATE_RPC_PORT: ["start"],
  TRACEGATE_RPC_HOST: ["start"],
  TRACEGATE_RPC_URL: CHAIN,
  TRACEGATE_REGISTRY: CHAIN,
  TRACEGATE_CUSTODY: CHAIN,
  TRACEGATE_FROM_BLOCK: ["start", "indexer", "tracegate"],
  TRACEGATE_FABRIC_GATEWAY: SOURCE,
  TRACEGATE_FABRIC_MSP_ID: SOURCE,
  TRACEGATE_FABRIC_CERT: SOURCE,
  TRACEGATE_FABRIC_KEY: SOURCE,
  TRACEGATE_FABRIC_CHANNEL: SOURCE,
  TRACEGATE_FABRIC_TLS_CA: SOURCE,
  TRACEGATE_FABRIC_TLS_SERVER_NAME: SOURCE,
  TRACEGATE_FABRIC_PLAINTEXT: SOURCE,
  TRACEGATE_FABRIC_CHAINCODE: SOURCE,
  TRACEGATE_FINALITY: SOURCE,
  TRACEGATE_MEMBER_KEYS: ["start"],
  TRACEGATE_INDEX_STORE: ["start", "indexer", "api"],
  TRACEGATE_LEDGER_CACHE: ["start", "indexer"],
  TRACEGATE_IPFS_API: ["start"],
  TRACEGATE_DECRYPT_FOR: ["start"],
  TRACEGATE_JWKS: ["start", "api"],
  TRACEGATE_JWT_ISSUER: ["start", "api"],
  TRACEGATE_JWT_AUDIENCE: ["start", "api"],
  TRACEGATE_PAGE_TOKEN_KEY: ["start", "api"],
  TRACEGATE_RESOLVER_PUBLIC: ["start", "api"],
  TRACEGATE_TRACK_SEGMENT_REPORTS: ["start", "api"],
  TRACEGATE_TRACK_SEGMENT_SECONDS: ["start", "api"],
  TRACEGATE_FINDINGS_OVER_NORM_PERCENT: SOURCE,
  TRACEGATE_FINDINGS_LONG_STAY_FACTOR: SOURCE,
  TRACEGATE_FINDINGS_MIN_STAYS: SOURCE,
  TRACEGATE_FINDINGS_SLOW_FACILITY_FACTOR: SOURCE,
  TRACEGATE_FINDINGS_RECEIVE_WITHIN_SECONDS: SOURCE,
  TRACEGATE_FINDINGS_AMENDMENT_VERSIONS: SOURCE,
  TRACEGATE_FINDINGS_TRANSIT_LATE_SECONDS: SOURCE,
  TRACEGATE_RPC_TOKEN: ["tracegate"],
  TRACEGATE_CONFIRMATIONS: ["tracegate"],
  TRACEGATE_ORG: ["tracegate"],
  TRACEGATE_ROLE: ["tracegate"],
  TRACEGATE_PRIVATE_KEY: ["tracegate"],
  TRACEGATE_DATA_DIR: ["tracegate"],
  TRACEGATE_KEYS_DIR: ["tracegate"],
  TRACEGATE_SHARE_WITH: ["tracegate"],
  TRACEGATE_API_URL: ["tracegate"],
  TRACEGATE_API_TOKEN: ["tracegate"],
  TRACEGATE_PUBLIC_URL: ["tracegate", "demo"],
  TRACEGATE_BENCH_API_EVENTS: ["bench"],
  TRACEGATE_BENCH_SCALE_EVENTS: ["bench"],
  TRACEGATE_BENCH_SCALE_SQLITE: ["bench"],
} as const satisfies Record<string, readonly Command[]>;

export type Variable = keyof typeof VARIABLES;

export function isVariable(name: string): name is Variable {
  return Object.hasOwn(VARIABLES, name);
}

/** The catalogued name closest to `name` (a typo's likely intent), if any is close. */
export function nearestVariable(name: string): Variable | undefined {
  let best: { variable: Variable; distance: number } | undefined;
  for (const variable of Object.keys(VARIABLES) as Variable[]) {
    const distance = editDistance(name, variable);
    if (distance <= 3 && (best === undefined || distance < best.distance)) best = { variable, distance };
  }
  return best?.variable;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}
