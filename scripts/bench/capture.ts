/**
 * EPCIS capture end to end on the embedded default (`npm start`'s product, in process): lots taken
 * from declaration to the factory through `POST /epcis/capture` by the organisations that act, and the
 * time until the events can be read back through `GET /epcis/events`. Throughput: jobs of 1,000 events
 * posted together, from the first POST until the last event is visible. Latency: single events
 * (`POST /epcis/events`) and jobs of 100, each from its POST until it is visible by its eventID.
 */
import type { CustodyAction, Hash, Role } from "../../domain/index.js";
import { actionEvent, epcisDirectory } from "../../sdk/epcis/index.js";
import { startCaptureProduct } from "../harness/capture-product.js";
import { percentile } from "./api-probe.js";

const LOTS = 1_000;
const SAMPLES = 200;
const directory = epcisDirectory();

interface Step {
  org: string;
  role: "OPERATOR" | "OFFICER";
  action(lot: string): CustodyAction;
}

/** A lot's way from declaration to the factory, each step by the organisation the rules say acts. */
function steps(declaration: Hash): Step[] {
  const enterprise = { org: "AN-PHAT", role: "OPERATOR" } as const;
  const customs = { org: "VNCUSTOMS", role: "OFFICER" } as const;
  return [
    {
      ...enterprise,
      action: (lot) => ({
        type: "declare",
        lot,
        goods: { material: "COTTON-YARN", hsCode: "520512", unit: "KGM", quantity: 1_000n },
        direction: "IMPORT",
        preferenceClaimed: false,
        permitRequired: false,
        declaration,
      }),
    },
    { ...customs, action: (lot) => ({ type: "arrive", lot, facility: "VNSGN-CATLAI" }) },
    { org: "SAIGON-TERMINAL", role: "OPERATOR", action: (lot) => ({ type: "store", lot, facility: "VNSGN-BONDED-1" }) },
    { ...customs, action: (lot) => ({ type: "clear", lot, co: null, permit: null }) },
    { ...customs, action: (lot) => ({ type: "release", lot }) },
    { ...enterprise, action: (lot) => ({ type: "receive", lot, facility: "VNBNH-ANPHAT-F1" }) },
  ];
}

export async function benchCapture(progress: (label: string) => void): Promise<Record<string, number>> {
  const node = await startCaptureProduct();
  try {
    const tokens = new Map<string, Promise<string>>();
    const token = (org: string, role: Role) => tokens.get(`${org}/${role}`) ?? tokens.set(`${org}/${role}`, node.token(org, role)).get(`${org}/${role}`)!;
    // One declaration covers every lot of the bench (the rules check its issuer, not its subjects).
    const declaration = await node.declaration("BENCH");
    const api = node.product.apiUrl;
    let sequence = 0;
    const event = (action: CustodyAction) =>
      actionEvent(action, { directory, time: BigInt(Math.floor(Date.now() / 1000)), eventID: `urn:uuid:bench-${(sequence += 1)}` });

    const post = async (path: string, step: Step, body: unknown) => {
      const response = await fetch(`${api}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await token(step.org, step.role)}` },
        body: JSON.stringify(body),
      });
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response;
    };
    const document = (events: unknown[]) => ({
      type: "EPCISDocument",
      schemaVersion: "2.0",
      creationDate: new Date().toISOString(),
      epcisBody: { eventList: events },
    });
    const auditor = await token("VNCUSTOMS", "AUDITOR");
    /** Resolves once the event can be read back by its id. */
    const visible = async (eventID: string) => {
      const deadline = performance.now() + 120_000;
      while (performance.now() < deadline) {
        const response = await fetch(`${api}/epcis/events/${encodeURIComponent(eventID)}`, { headers: { authorization: `Bearer ${auditor}` } });
        await response.arrayBuffer();
        if (response.status === 200) return;
        if (response.status !== 404) throw new Error(`GET /epcis/events/${eventID}: ${response.status}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`event ${eventID} was not visible within 120 s`);
    };

    // Throughput: every step of LOTS lots, one job of LOTS events per step, all posted at once.
    progress(`capturing ${(LOTS * 6).toLocaleString("en")} custody events in 6 jobs of ${LOTS.toLocaleString("en")}`);
    const plan = steps(declaration);
    const lots = Array.from({ length: LOTS }, (_, i) => `BENCH-${i}`);
    const jobs = plan.map((step) => ({ step, events: lots.map((lot) => event(step.action(lot))) }));
    const started = performance.now();
    const ids: string[] = [];
    for (const { step, events } of jobs) ids.push((await (await post("/epcis/capture", step, document(events))).json()).captureID);
    await visible(jobs.at(-1)!.events.at(-1)!.eventID as string);
    const seconds = (performance.now() - started) / 1000;
    for (const id of ids) {
      const status = await node.product.capture!.status(id);
      if (status?.job.state !== "success")
        throw new Error(`capture job ${id} ended ${status?.job.state}: ${JSON.stringify(status?.events.find((e) => e.status === "refused"))}`);
    }
    const eventsPerSecond = Math.round((LOTS * plan.length) / seconds);
    progress(`${eventsPerSecond} events/s from the first POST until the last event was visible`);

    // Latency: single events, then jobs of 100, one after another.
    const single: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const lot = `BENCH-ONE-${i}`;
      const body = event(plan[0]!.action(lot));
      const at = performance.now();
      await post("/epcis/events", plan[0]!, body);
      await visible(body.eventID as string);
      single.push(performance.now() - at);
    }
    single.sort((a, b) => a - b);
    const jobLatency: number[] = [];
    for (let i = 0; i < 20; i++) {
      const events = Array.from({ length: 100 }, (_, k) => event(plan[0]!.action(`BENCH-JOB-${i}-${k}`)));
      const at = performance.now();
      await post("/epcis/capture", plan[0]!, document(events));
      await visible(events.at(-1)!.eventID as string);
      jobLatency.push(performance.now() - at);
    }
    jobLatency.sort((a, b) => a - b);
    progress(`single event visible: p50 ${Math.round(percentile(single, 50))} ms, p99 ${Math.round(percentile(single, 99))} ms`);
    return {
      capture_events_per_s: eventsPerSecond,
      capture_6000_events_ms: Math.round(seconds * 1000),
      capture_single_visible_p50_ms: Math.round(percentile(single, 50)),
      capture_single_visible_p99_ms: Math.round(percentile(single, 99)),
      capture_job_of_100_visible_p50_ms: Math.round(percentile(jobLatency, 50)),
      capture_job_of_100_visible_p99_ms: Math.round(percentile(jobLatency, 99)),
    };
  } finally {
    await node.stop(true);
  }
}
