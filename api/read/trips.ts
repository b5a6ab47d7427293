/** A lot's trips under customs seal as the API shows them: the findings' account (trips.ts) at ledger time. */
import type { Kysely } from "kysely";
import { outcomeOf, tripsOf, type Trip, type TripOutcome } from "../../indexer/findings/trips.js";
import type { Database } from "../../indexer/store/index.js";

export interface TripRecord extends Trip {
  outcome: TripOutcome;
  /** Ledger time (the latest event's) the outcome of an unfinished trip is judged at. */
  now: bigint;
}

export async function lotTrips(db: Kysely<Database>, lot: string): Promise<TripRecord[]> {
  const trips = (await tripsOf(db, [lot])).get(lot) ?? [];
  if (trips.length === 0) return [];
  const row = await db
    .selectFrom("events")
    .select((eb) => eb.fn.max("time").as("now"))
    .executeTakeFirst();
  const now = BigInt(row?.now ?? 0n);
  return trips.map((trip) => ({ ...trip, outcome: outcomeOf(trip, now), now }));
}
