/** The EPCIS 2.0 query bindings on the scenario, over the SQLite store. */
import { describeEpcisQuery } from "./query-cases.js";

describeEpcisQuery("sqlite");
