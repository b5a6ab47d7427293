/**
 * The demo's two codes: a verification link and QR code for one valid C/O, and a label for the lot it
 * concerns, written as PNG and SVG next to the product's data, so a person can scan them with a phone.
 */
import { CSRF_HEADER } from "../api/yoga.js";
import type { Hash } from "../domain/index.js";
import { lotLink, verificationLink } from "../sdk/anchoring/verification-link.js";
import { writeCodes, type WrittenCodes } from "../sdk/cli/verification-codes.js";

export interface DemoCodes {
  co: WrittenCodes & { id: string };
  lot: WrittenCodes & { id: string };
}

const QUERY = `{ documents(filter: { kind: CO, status: VALID }, first: 20) { edges { node { hash id subjects } } } }`;

/** Asks the API (as `token`, an organisation that sees the C/Os: customs) for a valid C/O naming a lot. */
export async function writeDemoCodes(apiUrl: string, token: string, base: string, dir: string): Promise<DemoCodes> {
  const response = await fetch(`${apiUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", [CSRF_HEADER]: "1", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: QUERY }),
  });
  const { data, errors } = (await response.json()) as {
    data?: { documents: { edges: Array<{ node: { hash: string; id: string; subjects: string[] } }> } };
    errors?: Array<{ message: string }>;
  };
  if (data == null) throw new Error(`the API did not list the C/Os: ${errors?.map((error) => error.message).join("; ") ?? `HTTP ${response.status}`}`);
  const co = data.documents.edges.map((edge) => edge.node).find((node) => node.subjects.length > 0);
  if (co === undefined) throw new Error("no valid C/O naming a lot is anchored: nothing to make codes for");
  const lot = co.subjects[0]!;
  const [coCodes, lotCodes] = await Promise.all([
    writeCodes(dir, `co-${co.id}`, verificationLink(base, { hash: co.hash as Hash })),
    writeCodes(dir, `lot-${lot}`, lotLink(base, lot)),
  ]);
  return { co: { ...coCodes, id: co.id }, lot: { ...lotCodes, id: lot } };
}

export function describeDemoCodes({ co, lot }: DemoCodes): string {
  return `
Scan to verify the certificate of origin ${co.id} (no sign-in needed): ${co.link}
   QR code: ${co.png} (and .svg)
Scan the label of lot ${lot.id} (what a scanner sees is set by TRACEGATE_RESOLVER_PUBLIC): ${lot.link}
   QR code: ${lot.png} (and .svg)
`;
}
