// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {CustodyAction, DocumentKind, FacilityKind, LotState, OrgKind, Role} from "../types/Enums.sol";
import {Deviation, Lot, LotTransition, Part} from "../types/Lots.sol";

// TraceGate's events, declared once: the contracts that emit them inherit these, and the indexer's
// decoder reads them from the contracts' ABIs.

/// @title The registry's organisation, member and facility events.
interface IOrganisationEvents {
    /// @notice Organisation `id` of `kind` was registered as number `index` (its reference in records and events).
    event OrganisationRegistered(bytes32 indexed id, uint32 indexed index, OrgKind kind);
    /// @notice `account` became a member of organisation number `org` with `role`.
    event MemberRegistered(address indexed account, uint32 indexed org, Role role);
    /// @notice `account`, member of organisation number `org` with `role`, was removed: it acts as an outsider from now on.
    event MemberRemoved(address indexed account, uint32 indexed org, Role role);
    /// @notice Facility `id` of `kind`, operated by organisation number `operator`, was registered.
    event FacilityRegistered(bytes32 indexed id, uint32 indexed operator, FacilityKind kind);
}

/// @title The registry's document events.
interface IDocumentEvents {
    /// @notice Document `hash` (SHA-256 of its exact bytes) was anchored as version `version` of document
    /// `id`, issued by organisation number `issuer`, stored at IPFS `cid`, concerning lots `subjects`.
    /// `supersedes` is the version it amends (zero for a first version), now SUPERSEDED.
    event DocumentAnchored(
        bytes32 indexed hash,
        uint32 indexed issuer,
        bytes32 indexed id,
        DocumentKind kind,
        uint32 version,
        bytes32 supersedes,
        string cid,
        bytes32[] subjects
    );
    /// @notice Document `hash` of organisation number `issuer` was revoked for `reason`.
    event DocumentRevoked(bytes32 indexed hash, uint32 indexed issuer, string reason);
}

/// @title The custody registry's events: one per accepted action.
interface ICustodyEvents {
    /// @notice An accepted custody action that wrote one lot (every action but split and transform).
    /// The event's facility (domain `CustodyEvent.facility`) is `next.location`.
    /// @param lot The lot's id.
    /// @param actor The caller's organisation number.
    /// @param from The lot's state before.
    /// @param next The lot's full new state.
    /// @param documents Documents the action relied on (declare, clear, seal).
    /// @param reason Reason given (hold, destroy), or the outcome (unseal: the seal check's; alert: the
    /// alert's name, then ": " and its detail). An unseal that holds the lot (`next.state` HELD) and an
    /// OPENED alert are the domain's flagged events.
    event CustodyRecorded(
        bytes32 indexed lot,
        uint32 indexed actor,
        CustodyAction indexed action,
        LotState from,
        Lot next,
        bytes32[] documents,
        string reason
    );

    /// @notice An accepted split or transform: lots made from lots. The event's facility is
    /// `transitions[0].lot.location`.
    /// @param lot The first written lot's id (the split lot; the first product of a transform).
    /// @param actor The caller's organisation number.
    /// @param documents The norm document (transform).
    /// @param deviations Transform: norm versus consumption per material.
    /// @param flagged Transform: some material was consumed beyond its norm.
    /// @param consumed Transform: quantity consumed of each input lot.
    /// @param transitions Every lot written: its state before (NONE when created) and its full new state.
    event LineageRecorded(
        bytes32 indexed lot,
        uint32 indexed actor,
        CustodyAction indexed action,
        bytes32[] documents,
        Deviation[] deviations,
        bool flagged,
        Part[] consumed,
        LotTransition[] transitions
    );
}
