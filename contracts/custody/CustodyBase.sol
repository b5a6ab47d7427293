// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ICustodyEvents} from "../interfaces/ITraceGateEvents.sol";
import {ITraceGateRegistryView} from "../interfaces/ITraceGateRegistryView.sol";
import {CustodyAction, LotState} from "../types/Enums.sol";
import {Deviation, Lot, LotTransition, Part} from "../types/Lots.sol";
import {Facility, Member} from "../types/Records.sol";
import {CustodyRules, TransitionRule} from "./CustodyRules.sol";
import {LotStore} from "./LotStore.sol";

/// @title What every custody action shares: the registry it reads, the caller's membership,
/// authorisation, and the one event each accepted action emits.
/// @dev Every action checks in the order of domain/custody.ts: 1 arguments 2 lots (UNKNOWN_LOT,
/// LOT_EXISTS, and the EVM-only StaleLotState) 3 facility 4 authorisation 5 transition 6 facility kind
/// (and a transit's destination) 7 goods (a transit's deadline, an alert's seal) 8 documents 9 norm
/// 10 quantities.
abstract contract CustodyBase is LotStore, ICustodyEvents {
    /// @notice The TraceGate registry: members, facilities, documents, norms.
    ITraceGateRegistryView public immutable registry;

    /// @param registry_ The registry to read (non-zero).
    constructor(ITraceGateRegistryView registry_) {
        require(address(registry_) != address(0), InvalidArgument());
        registry = registry_;
    }

    /// @dev The caller's membership (`org == 0`: none, and every permission refuses it).
    function _actor() internal view returns (Member memory) {
        return registry.member(msg.sender);
    }

    /// @dev NOT_AUTHORIZED unless the rule's permission admits the caller (see CustodyRules.isAuthorized).
    function _authorize(
        TransitionRule r,
        Member memory actor,
        uint32 owner,
        uint32 custodian,
        uint32 operator
    ) internal view {
        require(
            CustodyRules.isAuthorized(CustodyRules.who(r), actor, owner, custodian, operator),
            NotAuthorized(msg.sender)
        );
    }

    /// @dev The registered facility `id` (UNKNOWN_FACILITY).
    function _requireFacility(bytes32 id) internal view returns (Facility memory facility) {
        facility = registry.facility(id);
        require(facility.operator != 0, UnknownFacility(id));
    }

    /// @dev Stores the lot and emits the action's one event.
    function _recordLot(
        CustodyAction action,
        uint32 actor,
        LotState from,
        Lot memory next,
        bytes32[] memory documents,
        string memory reason
    ) internal {
        _storeLot(next);
        emit CustodyRecorded(next.id, actor, action, from, next, documents, reason);
    }

    /// @dev Stores every written lot and emits the action's one event.
    function _recordLineage(
        CustodyAction action,
        uint32 actor,
        LotTransition[] memory transitions,
        bytes32[] memory documents,
        Deviation[] memory deviations,
        bool flagged,
        Part[] memory consumed
    ) internal {
        for (uint256 i; i < transitions.length; ++i) {
            _storeLot(transitions[i].lot);
        }
        emit LineageRecorded(
            transitions[0].lot.id,
            actor,
            action,
            documents,
            deviations,
            flagged,
            consumed,
            transitions
        );
    }
}
