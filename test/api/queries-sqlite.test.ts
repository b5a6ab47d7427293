/** The audit API's queries on the scenario, over the sqlite store. */
import { describeQueries } from "./queries.js";

describeQueries("sqlite");
