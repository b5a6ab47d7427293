/** The schema-walking leak test (leak-walk.ts) over the PostgreSQL store. */
import { describeLeakWalk } from "./leak-walk.js";

describeLeakWalk("postgres");
