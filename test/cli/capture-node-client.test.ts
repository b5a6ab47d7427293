/** Where the CLI sends capture and act requests: under the API URL it is given, path and all. */
import { describe, expect, it } from "vitest";
import { NodeClient } from "../../sdk/cli/node-client.js";

describe("NodeClient.url", () => {
  it("keeps the API's own path, for a node served behind a proxy at a path", () => {
    const behindProxy = new NodeClient({ apiUrl: "https://gateway.example/tracegate", token: "t" });
    expect(behindProxy.url("/epcis/capture")).toBe("https://gateway.example/tracegate/epcis/capture");
    // The node's Location names its own path; it is resolved under the API URL too.
    expect(behindProxy.url("/epcis/capture/0b6c%2F1")).toBe("https://gateway.example/tracegate/epcis/capture/0b6c%2F1");
    expect(new NodeClient({ apiUrl: "http://127.0.0.1:4000", token: "t" }).url("/epcis/events")).toBe("http://127.0.0.1:4000/epcis/events");
    expect(behindProxy.url("http://127.0.0.1:4000/epcis/capture/1")).toBe("http://127.0.0.1:4000/epcis/capture/1");
  });
});
