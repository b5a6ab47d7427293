/**
 * A ledger source from validated settings (settings.ts), for the indexer command and for any other
 * program that runs the indexer (the product's start script): the EVM source over HTTP JSON-RPC, or
 * the Fabric source through a peer's Fabric Gateway.
 */
import { EvmSource } from "./evm/evm-source.js";
import { openEndpoints } from "../../sdk/evm/rpc.js";
import { gatewayClient, readerIdentity } from "./fabric/connection.js";
import { FabricSource } from "./fabric/fabric-source.js";
import { LedgerConfigurationError } from "../../sdk/ledger.js";
import { settingName, SourceSettingsError, type SourceSettings } from "./settings.js";
import type { LedgerSource } from "./source.js";

export interface OpenedSource {
  source: LedgerSource;
  /** Blocks this far below the head never change: 12 on an EVM chain by default, 0 on Fabric (committed blocks are final). */
  defaultFinality: number;
  /** Closes the connections the source opened. */
  close(): void;
}

/** Connects the source the settings describe; throws SourceSettingsError for an unreadable or unusable file. */
export async function openSource(settings: SourceSettings): Promise<OpenedSource> {
  if (settings.ledger === "evm") {
    const addresses = { registry: settings.registry, custody: settings.custody };
    // Reads spread over the endpoints; one of several going down or coming back is said on stderr, with the progress.
    const rpc = openEndpoints(
      settings.rpc,
      settings.rpc.length > 1 ? { onChange: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`) } : {},
    );
    const source = await EvmSource.connect(rpc, addresses, settings.fromBlock === undefined ? {} : { fromBlock: settings.fromBlock }).catch(
      (error: unknown) => {
        throw error instanceof LedgerConfigurationError
          ? new SourceSettingsError(`${settingName("registry")}, ${settingName("custody")}: ${error.message}`)
          : error;
      },
    );
    return { source, defaultFinality: 12, close() {} };
  }
  const reader = readerIdentity(settings);
  const client = gatewayClient(settings);
  const source = FabricSource.connect({ client, channel: settings.channel, chaincode: settings.chaincode, reader });
  return {
    source,
    defaultFinality: 0,
    close() {
      source.close();
      client.close();
    },
  };
}
