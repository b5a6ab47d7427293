/** A lot's trips under customs seal (Lot.trips): sealed, alerted on the way, checked at arrival, and the e-seal's track. */
import type { SealMessage } from "../../domain/seal-track.js";
import type { TRIP_OUTCOMES, TripAlert } from "../../indexer/findings/trips.js";
import type { TripRecord } from "../read/trips.js";
import { lotTrack } from "../transit/track-reads.js";
import { builder } from "./builder.js";
import { DocumentRef, EventRef } from "./refs.js";
import { SealAlertEnum } from "./scalars.js";

const TripOutcomeEnum = builder.enumType("TripOutcome", {
  values: {
    ARRIVED: { description: "Unsealed at its destination by the deadline, the seal intact." },
    HELD_BROKEN_SEAL: { description: "The seal check found the seal broken: held where it arrived." },
    HELD_OVERDUE: { description: "Arrived after the deadline, the seal intact: held where it arrived." },
    IN_TRANSIT: { description: "Still under seal, within its deadline at ledger time (perhaps held on the way)." },
    OVERDUE: { description: "Still under seal past its deadline at ledger time." },
    DESTROYED: { description: "Held on the way and destroyed: it never arrived." },
  } satisfies Record<(typeof TRIP_OUTCOMES)[number], { description: string }>,
});

const TripAlertRef = builder.objectRef<TripAlert>("TripAlert").implement({
  description: "What the e-seal reported on the way, as customs recorded it on the ledger (an alert event).",
  fields: (t) => ({
    time: t.field({ type: "DateTime", resolve: (alert) => alert.time }),
    alert: t.field({ type: SealAlertEnum, resolve: (alert) => alert.alert }),
    detail: t.string({ nullable: true, resolve: (alert) => alert.detail || null }),
    event: t.field({ type: EventRef, nullable: true, resolve: async (alert, _args, { loaders }) => (await loaders.event.load(alert.event)) ?? null }),
  }),
});

const TrackPositionRef = builder.objectRef<SealMessage>("TrackPosition").implement({
  description: "One reading of the e-seal's device. Positions are WGS 84 in integer microdegrees, as the device's message is hashed.",
  fields: (t) => ({
    time: t.field({ type: "DateTime", resolve: (message) => message.time }),
    latitude: t.int({ description: "Microdegrees, -90,000,000 to 90,000,000.", resolve: (message) => Number(message.latitude) }),
    longitude: t.int({ description: "Microdegrees, -180,000,000 to 180,000,000.", resolve: (message) => Number(message.longitude) }),
    sealClosed: t.exposeBoolean("sealClosed", { description: "Whether the seal's wire and lock were closed at the reading." }),
    alerts: t.field({ type: [SealAlertEnum], resolve: (message) => message.alerts }),
  }),
});

export const TripRef = builder.objectRef<TripRecord>("Trip").implement({
  description: "One trip of a lot under customs seal, from the sealing to the seal check at arrival (or to now).",
  fields: (t) => ({
    seal: t.exposeString("seal"),
    origin: t.exposeString("origin", { description: "Where the lot was sealed." }),
    destination: t.exposeString("destination", { description: "The facility it must arrive at." }),
    deadline: t.field({ type: "DateTime", resolve: (trip) => trip.deadline }),
    sealedAt: t.field({ type: "DateTime", resolve: (trip) => trip.sealedAt }),
    arrivedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When it was unsealed at its destination; null on the way or destroyed.",
      resolve: (trip) => (trip.end?.action === "unseal" ? trip.end.time : null),
    }),
    outcome: t.field({
      type: TripOutcomeEnum,
      description: "Judged at ledger time (the latest event's) for an unfinished trip.",
      resolve: (trip) => trip.outcome,
    }),
    sealIntact: t.boolean({
      nullable: true,
      description: "The seal check at arrival; null before it.",
      resolve: (trip) => (trip.end?.action === "unseal" ? trip.end.intact : null),
    }),
    remark: t.string({ nullable: true, description: "The unseal's remark, or why the lot was destroyed.", resolve: (trip) => trip.end?.remark || null }),
    secondsInTransit: t.int({
      description: "From the sealing to the trip's end, or to ledger time while unfinished.",
      resolve: (trip) => Number((trip.end?.time ?? trip.now) - trip.sealedAt),
    }),
    secondsAllowed: t.int({ description: "From the sealing to the deadline.", resolve: (trip) => Number(trip.deadline - trip.sealedAt) }),
    secondsLate: t.int({
      nullable: true,
      description: "How far past the deadline it ended (or ledger time is, unfinished); null when within it.",
      resolve: (trip) => {
        const late = (trip.end?.time ?? trip.now) - trip.deadline;
        return late > 0n ? Number(late) : null;
      },
    }),
    alerts: t.field({ type: [TripAlertRef], resolve: (trip) => trip.alerts }),
    transitDeclaration: t.field({
      type: DocumentRef,
      nullable: true,
      resolve: async (trip, _args, { loaders }) => (trip.transit === null ? null : ((await loaders.document.load(trip.transit)) ?? null)),
    }),
    sealEvent: t.field({ type: EventRef, nullable: true, resolve: async (trip, _args, { loaders }) => (await loaders.event.load(trip.sealEvent)) ?? null }),
    endEvent: t.field({
      type: EventRef,
      nullable: true,
      description: "The unseal, or the destruction on the way; null while unfinished.",
      resolve: async (trip, _args, { loaders }) => (trip.end === null ? null : ((await loaders.event.load(trip.end.event)) ?? null)),
    }),
    track: t.field({
      type: [TrackPositionRef],
      nullable: true,
      description:
        "The e-seal's readings on this trip, in time order: those of its anchored segments whose stored file verifies, and reports kept but not anchored yet. Null when the caller is not entitled to the evidence (customs, the lot's owner) or this node holds none.",
      resolve: async (trip, _args, { track, viewer }) => {
        const read = await lotTrack(track, viewer!, trip.lot);
        if (read === undefined || !read.entitled) return null;
        const anchored = read.segments.flatMap(({ evidence }) =>
          evidence !== undefined && "verdict" in evidence && evidence.verdict.verdict === "VALID" ? evidence.messages : [],
        );
        const end = trip.end?.time ?? trip.now;
        const positions = [...anchored, ...read.pending]
          .filter((message) => message.seal === trip.seal && message.time >= trip.sealedAt && message.time <= end)
          .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
        return positions.length === 0 ? null : positions;
      },
    }),
  }),
});
