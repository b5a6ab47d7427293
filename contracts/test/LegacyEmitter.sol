// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {CustodyAction, Direction, DocumentKind, LotState, OrgKind} from "../types/Enums.sol";
import {Deviation, Part} from "../types/Lots.sol";
import {IDocumentEvents, IOrganisationEvents} from "../interfaces/ITraceGateEvents.sol";

/// @notice The Lot as contracts deployed before transit under seal declared it: without seal,
/// destination and deadline.
struct PreTransitLot {
    bytes32 id;
    bytes32 material;
    bytes32 hsCode;
    bytes32 unit;
    uint256 quantity;
    uint32 owner;
    uint32 custodian;
    bytes32 location;
    LotState state;
    LotState priorState;
    Direction direction;
    bool preferenceClaimed;
    bool permitRequired;
    bytes32 declaration;
}

/// @notice LotTransition of those contracts.
struct PreTransitLotTransition {
    LotState from;
    PreTransitLot lot;
}

/// @title Test harness: TraceGate's events as older deployments emitted them. With any bytes in them, as
/// contracts deployed before the contracts checked ids, CIDs and reasons could emit them (ids without a
/// terminating zero or outside printable ASCII, strings that are not UTF-8); and the custody events with
/// the Lot as it was before transit under seal (their signatures, so their topics, differ from today's).
/// The codec decodes its logs as TraceGate's; an indexer following it as both registry and custody meets
/// what such a chain holds.
contract LegacyEmitter is IOrganisationEvents, IDocumentEvents {
    /// @notice ICustodyEvents.CustodyRecorded with the Lot before transit under seal.
    event CustodyRecorded(
        bytes32 indexed lot,
        uint32 indexed actor,
        CustodyAction indexed action,
        LotState from,
        PreTransitLot next,
        bytes32[] documents,
        string reason
    );

    /// @notice ICustodyEvents.LineageRecorded with the Lot before transit under seal.
    event LineageRecorded(
        bytes32 indexed lot,
        uint32 indexed actor,
        CustodyAction indexed action,
        bytes32[] documents,
        Deviation[] deviations,
        bool flagged,
        Part[] consumed,
        PreTransitLotTransition[] transitions
    );

    function registerOrganisation(bytes32 id, uint32 index, OrgKind kind) external {
        emit OrganisationRegistered(id, index, kind);
    }

    /// @param reason Any bytes, emitted as the event's string.
    function recordLot(
        CustodyAction action,
        uint32 actor,
        LotState from,
        PreTransitLot calldata next,
        bytes calldata reason
    ) external {
        emit CustodyRecorded(next.id, actor, action, from, next, new bytes32[](0), string(reason));
    }

    /// @notice A split as those contracts emitted it.
    /// @param actor The splitting organisation's number.
    /// @param transitions The split lot first, then its parts.
    function recordSplit(uint32 actor, PreTransitLotTransition[] calldata transitions) external {
        emit LineageRecorded(
            transitions[0].lot.id,
            actor,
            CustodyAction.SPLIT,
            new bytes32[](0),
            new Deviation[](0),
            false,
            new Part[](0),
            transitions
        );
    }

    /// @param cid Any bytes, emitted as the event's string.
    function anchor(bytes32 hash, uint32 issuer, bytes32 id, bytes calldata cid, bytes32[] calldata subjects) external {
        emit DocumentAnchored(hash, issuer, id, DocumentKind.DECLARATION, 1, 0, string(cid), subjects);
    }

    /// @param reason Any bytes, emitted as the event's string.
    function revoke(bytes32 hash, uint32 issuer, bytes calldata reason) external {
        emit DocumentRevoked(hash, issuer, string(reason));
    }
}
