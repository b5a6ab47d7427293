/** The EPCIS 2.0 query bindings on the scenario, over the PostgreSQL store. */
import { describeEpcisQuery } from "./query-cases.js";

describeEpcisQuery("postgres");
