// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ITraceGateRegistryView} from "./interfaces/ITraceGateRegistryView.sol";
import {AtomicBatch} from "./custody/AtomicBatch.sol";
import {Controls} from "./custody/Controls.sol";
import {CustodyBase} from "./custody/CustodyBase.sol";
import {Declarations} from "./custody/Declarations.sol";
import {Movements} from "./custody/Movements.sol";
import {Production} from "./custody/Production.sol";
import {Transit} from "./custody/Transit.sol";

/// @title TraceGate custody: the lot state machine of domain/custody.ts over hashed lot state.
/// @notice Each action takes the current state of the lots it reads (as emitted in `CustodyRecorded`),
/// checks it against the stored hash, applies the rule and emits the lots' new states.
/// Several actions may go in one transaction with `batch` (AtomicBatch), all or none.
contract CustodyRegistry is Declarations, Movements, Controls, Production, Transit, AtomicBatch {
    /// @param registry_ The TraceGate registry this state machine reads members, facilities, documents
    /// and norms from.
    constructor(ITraceGateRegistryView registry_) CustodyBase(registry_) {}

    function _isCustodyAction(bytes4 selector) internal pure override returns (bool) {
        return
            selector == this.declare.selector ||
            selector == this.arrive.selector ||
            selector == this.store.selector ||
            selector == this.hold.selector ||
            selector == this.unhold.selector ||
            selector == this.clear.selector ||
            selector == this.release.selector ||
            selector == this.depart.selector ||
            selector == this.receiveIntoProduction.selector ||
            selector == this.transform.selector ||
            selector == this.split.selector ||
            selector == this.destroy.selector ||
            selector == this.seal.selector ||
            selector == this.unseal.selector ||
            selector == this.alert.selector;
    }
}
