// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Arguments} from "../libraries/Arguments.sol";
import {DocumentGuards} from "../libraries/DocumentGuards.sol";
import {CustodyAction, DocumentKind, LotState} from "../types/Enums.sol";
import {Lot} from "../types/Lots.sol";
import {DocumentRecord, Member} from "../types/Records.sol";
import {CustodyBase} from "./CustodyBase.sol";
import {CustodyRules, TransitionRule} from "./CustodyRules.sol";

/// @title Customs controls: hold, unhold, clear, destroy (customs OFFICERs only).
abstract contract Controls is CustodyBase {
    /// @notice ARRIVED, IN_WAREHOUSE, CLEARED or IN_TRANSIT -> HELD for a non-empty `reason`; the prior
    /// state is kept (and a transit's seal, destination and deadline).
    /// @param lot The lot's current state.
    function hold(Lot calldata lot, string calldata reason) external {
        Arguments.requireId(lot.id);
        Arguments.requireReason(reason);
        (Member memory actor, TransitionRule r) = _checkControl(CustodyAction.HOLD, lot);
        Lot memory next = _copyLot(lot);
        next.state = CustodyRules.to(r);
        next.priorState = lot.state;
        _recordLot(CustodyAction.HOLD, actor.org, lot.state, next, new bytes32[](0), reason);
    }

    /// @notice HELD -> the state it was held in.
    /// @param lot The lot's current state.
    function unhold(Lot calldata lot) external {
        Arguments.requireId(lot.id);
        (Member memory actor, TransitionRule r) = _checkControl(CustodyAction.UNHOLD, lot);
        Lot memory next = _copyLot(lot);
        next.state = CustodyRules.target(r, lot.priorState);
        next.priorState = LotState.NONE;
        _recordLot(CustodyAction.UNHOLD, actor.org, lot.state, next, new bytes32[](0), "");
    }

    /// @notice ARRIVED or IN_WAREHOUSE -> CLEARED. The lot's declaration (or its latest amendment) must
    /// be VALID, and so must `co` where the lot claims preference and `permit` where it needs one.
    /// @param lot The lot's current state.
    /// @param co Certificate of origin (zero: none).
    /// @param permit Permit (zero: none).
    function clear(Lot calldata lot, bytes32 co, bytes32 permit) external {
        Arguments.requireId(lot.id);
        (Member memory actor, TransitionRule r) = _checkControl(CustodyAction.CLEAR, lot);
        bytes32[] memory documents = _clearanceDocuments(lot, co, permit);
        Lot memory next = _copyLot(lot);
        next.state = CustodyRules.to(r);
        _recordLot(CustodyAction.CLEAR, actor.org, lot.state, next, documents, "");
    }

    /// @notice IN_WAREHOUSE, IN_PRODUCTION or HELD -> DESTROYED, terminal, for a non-empty `reason`; a lot
    /// held in transit leaves its seal.
    /// @param lot The lot's current state.
    function destroy(Lot calldata lot, string calldata reason) external {
        Arguments.requireId(lot.id);
        Arguments.requireReason(reason);
        (Member memory actor, TransitionRule r) = _checkControl(CustodyAction.DESTROY, lot);
        Lot memory next = _copyLot(lot);
        next.state = CustodyRules.to(r);
        next.priorState = LotState.NONE;
        // Destroyed on its way (held in transit), the lot is no longer under seal.
        next.seal = 0;
        next.destination = 0;
        next.deadline = 0;
        _recordLot(CustodyAction.DESTROY, actor.org, lot.state, next, new bytes32[](0), reason);
    }

    /// @dev Steps 2, 4, 5 of a control: the lot is current, the caller is customs, the state allows it.
    function _checkControl(
        CustodyAction action,
        Lot calldata lot
    ) private view returns (Member memory actor, TransitionRule r) {
        _requireLot(lot.id, lot);
        actor = _actor();
        r = CustodyRules.rule(action);
        _authorize(r, actor, lot.owner, lot.custodian, 0);
        CustodyRules.checkState(r, lot.id, lot.state, lot.direction);
    }

    /// @dev domain `clearanceDocuments`: the declaration's current version, then CO, then permit.
    function _clearanceDocuments(
        Lot calldata lot,
        bytes32 co,
        bytes32 permit
    ) private view returns (bytes32[] memory documents) {
        (bytes32 declaration, DocumentRecord memory record) = registry.currentVersion(lot.declaration);
        require(record.version != 0, UnknownDocument(lot.declaration));
        DocumentGuards.requireValid(record, declaration);
        documents = new bytes32[](3);
        documents[0] = declaration;
        uint256 count = 1;
        if (_requireIfGiven(lot.id, co, DocumentKind.CO, lot.preferenceClaimed)) documents[count++] = co;
        if (_requireIfGiven(lot.id, permit, DocumentKind.PERMIT, lot.permitRequired)) documents[count++] = permit;
        assembly ("memory-safe") {
            mstore(documents, count)
        }
    }

    /// @dev A given document must be an anchored, VALID document of `kind`; a missing one must not be
    /// `required` (DOCUMENT_REQUIRED). Returns whether it was given.
    function _requireIfGiven(bytes32 lot, bytes32 hash, DocumentKind kind, bool required) private view returns (bool) {
        if (hash == 0) {
            require(!required, DocumentRequired(lot, kind));
            return false;
        }
        DocumentRecord memory record = registry.document(hash);
        DocumentGuards.requireDocument(record, hash, kind);
        DocumentGuards.requireValid(record, hash);
        return true;
    }
}
