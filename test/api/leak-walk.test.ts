/** The schema-walking leak test (leak-walk.ts) over the SQLite store. */
import { describeLeakWalk } from "./leak-walk.js";

describeLeakWalk("sqlite");
