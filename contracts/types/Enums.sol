// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

// The domain vocabulary (domain/types.ts). Each enum mirrors its domain array BY INDEX: a value's
// number here is its index there, so both sides append only.

/// @notice ORG_KINDS
enum OrgKind {
    CUSTOMS,
    ENTERPRISE,
    WAREHOUSE,
    ISSUER
}

/// @notice ROLES
enum Role {
    ADMIN,
    OFFICER,
    AUDITOR,
    OPERATOR,
    SIGNER
}

/// @notice FACILITY_KINDS
enum FacilityKind {
    BORDER_GATE,
    WAREHOUSE,
    FACTORY
}

/// @notice DOCUMENT_KINDS
enum DocumentKind {
    DECLARATION,
    MANIFEST,
    CO,
    PERMIT,
    INSPECTION,
    CLEARANCE,
    NORM,
    BALANCE_REPORT,
    TRANSIT,
    SEAL_TRACK
}

/// @notice DOCUMENT_STATUSES
enum DocumentStatus {
    VALID,
    SUPERSEDED,
    REVOKED
}

/// @notice LOT_STATES (NONE: the lot does not exist yet, or a lot that is not HELD has no prior state)
enum LotState {
    NONE,
    DECLARED,
    ARRIVED,
    IN_WAREHOUSE,
    HELD,
    CLEARED,
    RELEASED,
    EXPORTED,
    IN_PRODUCTION,
    PRODUCED,
    SPLIT,
    DESTROYED,
    IN_TRANSIT
}

/// @notice DIRECTIONS
enum Direction {
    NONE,
    IMPORT,
    EXPORT
}

/// @notice CUSTODY_ACTIONS
enum CustodyAction {
    DECLARE,
    ARRIVE,
    STORE,
    HOLD,
    UNHOLD,
    CLEAR,
    RELEASE,
    DEPART,
    RECEIVE,
    TRANSFORM,
    SPLIT,
    DESTROY,
    SEAL,
    UNSEAL,
    ALERT
}

/// @notice SEAL_ALERTS: what an electronic seal reports during a transit.
enum SealAlert {
    OPENED,
    ROUTE_DEVIATION,
    LONG_STOP,
    LOW_BATTERY
}
