import { startFabricDemoLedger } from "./fabric-demo-ledger.js";
import { describeLedger } from "./ledger-contract.js";

describeLedger("FabricLedger through the Fabric Gateway on 127.0.0.1", () => startFabricDemoLedger());
