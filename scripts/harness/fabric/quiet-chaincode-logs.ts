/**
 * fabric-shim and fabric-contract-api log every decorator and transaction at INFO (and each refused
 * transaction at ERROR) through winston, formatting every message whatever the level: in tests that
 * is noise and a sixth of the run time. Their loggers are made silent as they are created. Imported
 * before the chaincode libraries, which create their loggers when they load.
 */
import { createRequire } from "node:module";

interface Winston {
  createLogger(this: unknown, options: unknown): { silent: boolean };
}

const require = createRequire(import.meta.url);
const libraries = ["fabric-shim", "fabric-contract-api"];
for (const winston of new Set(libraries.map((library) => createRequire(require.resolve(library))("winston") as Winston))) {
  const createLogger = winston.createLogger;
  // A function, not an arrow: the libraries call it with `new`.
  winston.createLogger = function (this: unknown, options: unknown) {
    const logger = createLogger.call(this, options);
    logger.silent = true;
    return logger;
  };
}
