/** Runs each planted anomaly's query against the API as the first organisation allowed to see it, with a development token. */
import { existsSync } from "node:fs";
import { devTokenIssuer, type DevTokenIssuer } from "../api/auth/dev-tokens.js";
import { readDevKey } from "../api/auth/key-files.js";
import { CSRF_HEADER } from "../api/yoga.js";
import type { Anomaly } from "../seeds/anomalies.js";

export interface AnomalyAnswer {
  anomaly: Anomaly;
  caller: Anomaly["runAs"][number];
  found: boolean;
  /** The API's error, when the query failed. */
  error?: string;
}

/** The product's development token issuer, from the key `npm start` keeps. */
export async function developmentIssuer(devKeyFile: string): Promise<DevTokenIssuer> {
  if (!existsSync(devKeyFile)) {
    throw new Error(`no development token key at ${devKeyFile}: the demo's queries need the product started with development tokens (TRACEGATE_JWKS unset)`);
  }
  return devTokenIssuer(await readDevKey(devKeyFile));
}

export async function runAnomalyQueries(apiUrl: string, devKeyFile: string, anomalies: readonly Anomaly[]): Promise<AnomalyAnswer[]> {
  const issuer = await developmentIssuer(devKeyFile);
  const answers: AnomalyAnswer[] = [];
  for (const anomaly of anomalies) {
    const caller = anomaly.runAs[0]!;
    const response = await fetch(`${apiUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", [CSRF_HEADER]: "1", authorization: `Bearer ${await issuer.mint(caller.org, caller.role)}` },
      body: JSON.stringify({ query: anomaly.query, variables: anomaly.variables }),
    });
    const { data, errors } = (await response.json()) as { data?: unknown; errors?: Array<{ message: string }> };
    const error = errors?.map((each) => each.message).join("; ");
    answers.push({ anomaly, caller, found: error === undefined && data != null && anomaly.found(data), ...(error === undefined ? {} : { error }) });
  }
  return answers;
}
