// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Arguments} from "../libraries/Arguments.sol";
import {CustodyAction} from "../types/Enums.sol";
import {Lot} from "../types/Lots.sol";
import {Facility, Member} from "../types/Records.sol";
import {CustodyBase} from "./CustodyBase.sol";
import {CustodyRules, TransitionRule} from "./CustodyRules.sol";

/// @title Goods moving: arrive, store, receive (into a facility), release and depart (out of customs control).
abstract contract Movements is CustodyBase {
    /// @notice DECLARED -> ARRIVED at border gate `facility` (customs, or an OPERATOR of the gate's
    /// operator); the gate's operator becomes custodian.
    /// @param lot The lot's current state.
    function arrive(Lot calldata lot, bytes32 facility) external {
        _moveInto(CustodyAction.ARRIVE, lot, facility);
    }

    /// @notice ARRIVED -> IN_WAREHOUSE at warehouse `facility` (an OPERATOR of its operator, who becomes custodian).
    /// @param lot The lot's current state.
    function store(Lot calldata lot, bytes32 facility) external {
        _moveInto(CustodyAction.STORE, lot, facility);
    }

    /// @notice RELEASED -> IN_PRODUCTION at factory `facility` (an OPERATOR of the owner enterprise,
    /// which operates the factory); the owner becomes custodian.
    /// @param lot The lot's current state.
    function receiveIntoProduction(Lot calldata lot, bytes32 facility) external {
        _moveInto(CustodyAction.RECEIVE, lot, facility);
    }

    /// @notice CLEARED (import) -> RELEASED (customs or an OPERATOR of the custodian); the owner becomes custodian.
    /// @param lot The lot's current state.
    function release(Lot calldata lot) external {
        _leaveControl(CustodyAction.RELEASE, lot);
    }

    /// @notice CLEARED (export) -> EXPORTED, terminal (customs or an OPERATOR of the custodian).
    /// @param lot The lot's current state.
    function depart(Lot calldata lot) external {
        _leaveControl(CustodyAction.DEPART, lot);
    }

    function _moveInto(CustodyAction action, Lot calldata lot, bytes32 facilityId) private {
        Arguments.requireId(lot.id);
        Arguments.requireId(facilityId);
        _requireLot(lot.id, lot);
        Facility memory facility = _requireFacility(facilityId);
        Member memory actor = _actor();
        TransitionRule r = CustodyRules.rule(action);
        _authorize(r, actor, lot.owner, lot.custodian, facility.operator);
        CustodyRules.checkState(r, lot.id, lot.state, lot.direction);
        CustodyRules.checkFacilityKind(r, facilityId, facility.kind);
        Lot memory next = _copyLot(lot);
        next.state = CustodyRules.to(r);
        next.location = facilityId;
        next.custodian = action == CustodyAction.RECEIVE ? lot.owner : facility.operator;
        _recordLot(action, actor.org, lot.state, next, new bytes32[](0), "");
    }

    function _leaveControl(CustodyAction action, Lot calldata lot) private {
        Arguments.requireId(lot.id);
        _requireLot(lot.id, lot);
        Member memory actor = _actor();
        TransitionRule r = CustodyRules.rule(action);
        _authorize(r, actor, lot.owner, lot.custodian, 0);
        CustodyRules.checkState(r, lot.id, lot.state, lot.direction);
        Lot memory next = _copyLot(lot);
        next.state = CustodyRules.to(r);
        if (action == CustodyAction.RELEASE) next.custodian = lot.owner;
        _recordLot(action, actor.org, lot.state, next, new bytes32[](0), "");
    }
}
