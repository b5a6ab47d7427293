import type { IndexerObserver } from "../../indexer/indexer.js";

/** Fails the test at the first failed step, which the indexer itself would retry forever. */
export const failFast: IndexerObserver = {
  committed() {},
  rolledBack() {},
  failed(error) {
    throw error;
  },
};
