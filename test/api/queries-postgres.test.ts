/** The audit API's queries on the scenario, over the postgres store. */
import { describeQueries } from "./queries.js";

describeQueries("postgres");
