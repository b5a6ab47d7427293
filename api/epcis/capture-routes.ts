/** The EPCIS 2.0 capture bindings (POST /epcis/capture, POST /epcis/events): not yet served here. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EpcisCaller, EpcisRoutes } from "./routes.js";

export async function serveEpcisCapture(_request: IncomingMessage, _response: ServerResponse, _url: URL, _caller: EpcisCaller, _routes: EpcisRoutes): Promise<boolean> {
  return false;
}
