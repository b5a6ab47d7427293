// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Batches} from "./registry/Batches.sol";
import {Norms} from "./registry/Norms.sol";
import {Organisations} from "./registry/Organisations.sol";

/// @title TraceGate registry: organisations, members and facilities (registered by customs), anchored
/// documents and Merkle batches, and consumption norms. The custody state machine reads it through
/// ITraceGateRegistryView.
contract TraceGateRegistry is Norms, Batches {
    /// @param admin The customs administration account: DEFAULT_ADMIN_ROLE and REGISTRAR_ROLE.
    /// @param adminDelay Seconds an offered transfer of the admin role waits before it may be accepted.
    constructor(address admin, uint48 adminDelay) Organisations(admin, adminDelay) {}
}
