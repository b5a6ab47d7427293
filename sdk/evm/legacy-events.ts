/**
 * Custody events as contracts deployed before transit under seal (issue #15) emitted them. Their Lot
 * had no seal, destination and deadline, and a struct is part of an event's signature, so their
 * CustodyRecorded and LineageRecorded have other topics than today's. A chain recorded then still
 * decodes whole: a product's journal replays the deployment it recorded, and an indexer may follow a
 * node where such a deployment lives. Derived from the shipped ABI rather than kept as a second copy.
 */
import { EventFragment, type JsonFragment, type JsonFragmentType } from "ethers";

/** The fields transit under seal appended to the Lot, in order. */
const TRANSIT_FIELDS = ["seal", "destination", "deadline"];

/** A tuple ending with the transit fields, without them; other types as they are. */
function withoutTransit(param: JsonFragmentType): JsonFragmentType {
  if (param.components === undefined) return param;
  let components = param.components.map(withoutTransit);
  const tail = components.slice(-TRANSIT_FIELDS.length).map((component) => component.name);
  if (tail.join() === TRANSIT_FIELDS.join()) components = components.slice(0, -TRANSIT_FIELDS.length);
  return { ...param, components };
}

/** `event` as the contracts before transit under seal declared it, or undefined when it did not change. */
export function preTransitEvent(event: EventFragment): EventFragment | undefined {
  const json = JSON.parse(event.format("json")) as JsonFragment;
  const legacy = EventFragment.from({ ...json, inputs: json.inputs?.map(withoutTransit) });
  return legacy.topicHash === event.topicHash ? undefined : legacy;
}
