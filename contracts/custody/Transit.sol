// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Arguments} from "../libraries/Arguments.sol";
import {DocumentGuards} from "../libraries/DocumentGuards.sol";
import {CustodyAction, DocumentKind, LotState, SealAlert} from "../types/Enums.sol";
import {Lot} from "../types/Lots.sol";
import {DocumentRecord, Facility, Member} from "../types/Records.sol";
import {CustodyBase} from "./CustodyBase.sol";
import {CustodyRules, TransitionRule} from "./CustodyRules.sol";

/// @title Transit under customs seal: seal (customs sends an arrived lot on to a warehouse), alert (an
/// electronic seal's report on the way), unseal (the seal check at the destination).
abstract contract Transit is CustodyBase {
    /// @notice Longest transit under seal, in seconds (domain MAX_TRANSIT_SECONDS: 30 days).
    uint256 internal constant MAX_TRANSIT_SECONDS = 30 days;

    /// @notice ARRIVED -> IN_TRANSIT under seal `sealId` for warehouse `facility` (customs OFFICERs), to
    /// arrive by `deadline` (after now, at most 30 days later), under `transit`, a VALID TRANSIT
    /// declaration. The lot stays where it is, in the same custody, until it is unsealed.
    /// @param lot The lot's current state.
    /// @param facility The destination: a warehouse other than the lot's location.
    /// @param sealId The seal's id.
    /// @param deadline Ledger time (seconds) by which the lot must arrive: 1 to 2^64-1.
    /// @param transit SHA-256 of the transit declaration.
    function seal(Lot calldata lot, bytes32 facility, bytes32 sealId, uint256 deadline, bytes32 transit) external {
        Arguments.requireId(lot.id);
        Arguments.requireId(facility);
        Arguments.requireId(sealId);
        require(deadline != 0 && deadline <= type(uint64).max, InvalidArgument());
        Arguments.requireHash(transit);
        (Member memory actor, TransitionRule r, ) = _checkDestination(CustodyAction.SEAL, lot, facility);
        require(facility != lot.location, WrongDestination(lot.id, facility));
        require(deadline > block.timestamp && deadline - block.timestamp <= MAX_TRANSIT_SECONDS, InvalidArgument());
        DocumentRecord memory declaration = registry.document(transit);
        DocumentGuards.requireDocument(declaration, transit, DocumentKind.TRANSIT);
        DocumentGuards.requireValid(declaration, transit);
        Lot memory next = _copyLot(lot);
        next.state = CustodyRules.to(r);
        next.seal = sealId;
        next.destination = facility;
        next.deadline = uint64(deadline);
        bytes32[] memory documents = new bytes32[](1);
        documents[0] = transit;
        _recordLot(CustodyAction.SEAL, actor.org, lot.state, next, documents, "");
    }

    /// @notice IN_TRANSIT -> ARRIVED at the destination `facility` (customs, or an OPERATOR of the
    /// warehouse's operator, who becomes custodian); the seal, destination and deadline are cleared. A
    /// broken seal holds the lot (HELD, prior ARRIVED) for "SEAL_BROKEN: <reason>"; an intact seal after
    /// the deadline for "OVERDUE" (": <reason>" when one is given); else the reason is the remark given.
    /// @param lot The lot's current state.
    /// @param facility The warehouse the lot was sealed for.
    /// @param sealIntact Whether the seal was found intact.
    /// @param reason What was found: required when the seal is broken, may be empty when it is intact.
    function unseal(Lot calldata lot, bytes32 facility, bool sealIntact, string calldata reason) external {
        Arguments.requireId(lot.id);
        Arguments.requireId(facility);
        if (sealIntact) Arguments.requireText(reason);
        else Arguments.requireReason(reason);
        (Member memory actor, TransitionRule r, uint32 operator) = _checkDestination(
            CustodyAction.UNSEAL,
            lot,
            facility
        );
        require(facility == lot.destination, WrongDestination(lot.id, facility));
        (bool held, string memory outcome) = _sealCheck(sealIntact, block.timestamp > lot.deadline, reason);
        Lot memory next = _copyLot(lot);
        next.state = held ? LotState.HELD : CustodyRules.to(r);
        if (held) next.priorState = CustodyRules.to(r);
        next.location = facility;
        next.custodian = operator;
        next.seal = 0;
        next.destination = 0;
        next.deadline = 0;
        _recordLot(CustodyAction.UNSEAL, actor.org, lot.state, next, new bytes32[](0), outcome);
    }

    /// @notice Records seal `sealId`'s `kind` of alert about IN_TRANSIT lot `lot` (customs OFFICERs): the lot
    /// is unchanged; the reason is the alert's name, then ": `detail`" when a detail is given.
    /// @param lot The lot's current state.
    /// @param sealId The seal that reported: the lot's own.
    /// @param kind What the seal reported.
    /// @param detail At most 500 bytes of UTF-8 (may be empty).
    function alert(Lot calldata lot, bytes32 sealId, SealAlert kind, string calldata detail) external {
        Arguments.requireId(lot.id);
        Arguments.requireId(sealId);
        Arguments.requireText(detail);
        _requireLot(lot.id, lot);
        Member memory actor = _actor();
        TransitionRule r = CustodyRules.rule(CustodyAction.ALERT);
        _authorize(r, actor, lot.owner, lot.custodian, 0);
        CustodyRules.checkState(r, lot.id, lot.state, lot.direction);
        require(lot.seal == sealId, SealMismatch(lot.id, sealId));
        string memory name = _alertName(kind);
        string memory reason = bytes(detail).length == 0 ? name : string.concat(name, ": ", detail);
        _recordLot(CustodyAction.ALERT, actor.org, lot.state, _copyLot(lot), new bytes32[](0), reason);
    }

    /// @dev Steps 2 to 6 of seal and unseal: the lot is current, the facility registered (`operator`:
    /// its operator), the caller admitted, the state allows it, the facility is a warehouse.
    function _checkDestination(
        CustodyAction action,
        Lot calldata lot,
        bytes32 facilityId
    ) private view returns (Member memory actor, TransitionRule r, uint32 operator) {
        _requireLot(lot.id, lot);
        Facility memory facility = _requireFacility(facilityId);
        actor = _actor();
        r = CustodyRules.rule(action);
        _authorize(r, actor, lot.owner, lot.custodian, facility.operator);
        CustodyRules.checkState(r, lot.id, lot.state, lot.direction);
        CustodyRules.checkFacilityKind(r, facilityId, facility.kind);
        operator = facility.operator;
    }

    /// @dev domain `sealCheck`: a broken seal, or an arrival after the deadline, holds the lot, with the
    /// reason every ledger words alike.
    function _sealCheck(
        bool intact,
        bool overdue,
        string calldata remark
    ) private pure returns (bool held, string memory reason) {
        if (!intact) return (true, string.concat("SEAL_BROKEN: ", remark));
        if (overdue) return (true, bytes(remark).length == 0 ? "OVERDUE" : string.concat("OVERDUE: ", remark));
        return (false, remark);
    }

    /// @dev SEAL_ALERTS[kind].
    function _alertName(SealAlert kind) private pure returns (string memory) {
        if (kind == SealAlert.OPENED) return "OPENED";
        if (kind == SealAlert.ROUTE_DEVIATION) return "ROUTE_DEVIATION";
        if (kind == SealAlert.LONG_STOP) return "LONG_STOP";
        if (kind == SealAlert.LOW_BATTERY) return "LOW_BATTERY";
        revert InvalidArgument();
    }
}
