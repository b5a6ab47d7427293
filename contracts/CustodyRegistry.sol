// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ITraceGateRegistryView} from "./interfaces/ITraceGateRegistryView.sol";
import {Controls} from "./custody/Controls.sol";
import {CustodyBase} from "./custody/CustodyBase.sol";
import {Declarations} from "./custody/Declarations.sol";
import {Movements} from "./custody/Movements.sol";
import {Production} from "./custody/Production.sol";

/// @title TraceGate custody: the lot state machine of domain/custody.ts over hashed lot state.
/// @notice Each action takes the current state of the lots it reads (as emitted in `CustodyRecorded`),
/// checks it against the stored hash, applies the rule and emits the lots' new states.
contract CustodyRegistry is Declarations, Movements, Controls, Production {
    /// @param registry_ The TraceGate registry this state machine reads members, facilities, documents
    /// and norms from.
    constructor(ITraceGateRegistryView registry_) CustodyBase(registry_) {}
}
