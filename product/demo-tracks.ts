/**
 * The demo's e-seal tracks registered on the running node (POST /transit/segments, as customs): the loader
 * anchors each track and stores its file, but only a registered segment shows on its lots' trips. The
 * node verifies each before it keeps it; one it refuses is reported with its reason.
 */
import type { StoredTrack } from "../seeds/loader/load.js";

export interface TrackRegistration {
  /** Newly recorded by the node. */
  registered: number;
  /** The node had them already (a demo run again after its registration). */
  known: number;
  /** "<cid>: <code>: <reason>" per refused track. */
  refused: string[];
}

export async function registerDemoTracks(apiUrl: string, customsToken: string, tracks: readonly StoredTrack[]): Promise<TrackRegistration> {
  const result: TrackRegistration = { registered: 0, known: 0, refused: [] };
  for (const { cid } of tracks) {
    const response = await fetch(`${apiUrl}/transit/segments`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${customsToken}` },
      body: JSON.stringify({ cid }),
    });
    const body = (await response.json()) as { error?: { code: string; message: string } };
    if (response.status === 201) result.registered += 1;
    else if (response.status === 200) result.known += 1;
    else result.refused.push(`${cid}: ${body.error?.code ?? response.status}: ${body.error?.message ?? ""}`);
  }
  return result;
}
