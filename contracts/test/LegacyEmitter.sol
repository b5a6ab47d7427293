// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {CustodyAction, DocumentKind, LotState, OrgKind} from "../types/Enums.sol";
import {Lot} from "../types/Lots.sol";
import {ICustodyEvents, IDocumentEvents, IOrganisationEvents} from "../interfaces/ITraceGateEvents.sol";

/// @title Test harness: TraceGate's events with any bytes in them, as contracts deployed before the
/// contracts checked ids, CIDs and reasons could emit them (ids without a terminating zero or outside
/// printable ASCII, strings that are not UTF-8). Same signatures, so the codec decodes its logs as
/// TraceGate's; an indexer following it as both registry and custody meets what such a chain holds.
contract LegacyEmitter is IOrganisationEvents, IDocumentEvents, ICustodyEvents {
    function registerOrganisation(bytes32 id, uint32 index, OrgKind kind) external {
        emit OrganisationRegistered(id, index, kind);
    }

    /// @param reason Any bytes, emitted as the event's string.
    function recordLot(
        CustodyAction action,
        uint32 actor,
        LotState from,
        Lot calldata next,
        bytes calldata reason
    ) external {
        emit CustodyRecorded(next.id, actor, action, from, next, new bytes32[](0), string(reason));
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
