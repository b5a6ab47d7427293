// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {DocumentKind, DocumentStatus, FacilityKind, OrgKind, Role} from "./Enums.sol";

// Identifiers are bytes32 short strings (ethers `encodeBytes32String`): a domain id is 1 to 31
// printable ASCII characters, so it always fits with a zero last byte. Contracts refuse any other
// bytes32 where an id belongs (Arguments.requireId), so every id they emit decodes.
//
// Organisations are referred to by their registry INDEX (uint32, from 1 in registration order; 0 means
// none), which keeps member, facility and document records to one storage slot. The
// `OrganisationRegistered` event maps each index to its bytes32 id.

/// @notice A registered organisation: its index in the registry and its kind (immutable).
struct Organisation {
    uint32 index;
    OrgKind kind;
}

/// @notice A member account: one organisation (with its kind, copied at registration) and one role.
/// @dev `org == 0`: the account is no member. One slot, so every authorisation costs one SLOAD.
struct Member {
    uint32 org;
    OrgKind orgKind;
    Role role;
}

/// @notice A registered facility: its operator organisation and kind. `operator == 0`: not registered.
struct Facility {
    uint32 operator;
    FacilityKind kind;
}

/// @notice What the ledger stores of an anchored document, keyed by its SHA-256, in one slot.
/// @dev `version == 0`: not anchored. The document id, CID and subjects are in `DocumentAnchored` only;
/// the successor of a SUPERSEDED document is stored apart (written only on supersede).
struct DocumentRecord {
    uint32 issuer;
    DocumentKind kind;
    DocumentStatus status;
    uint32 version;
    uint64 anchoredAt;
}

/// @notice An anchored Merkle batch root. `issuer == 0`: not anchored.
struct BatchRecord {
    uint32 issuer;
    DocumentKind kind;
    uint32 count;
    uint64 anchoredAt;
}

/// @notice One input material of a consumption norm.
struct NormInput {
    bytes32 material;
    uint256 quantity;
    uint16 wasteBps;
}

/// @notice A consumption norm (domain `Norm`) without its owner: the owner is the organisation of the
/// member who registered it, and is part of the key under which the norm's hash is stored.
/// @dev Stored as `keccak256(abi.encode(uint32 owner, Norm norm))` under `keccak256(abi.encode(owner, product))`.
struct Norm {
    bytes32 product;
    bytes32 hsCode;
    bytes32 unit;
    uint256 outputQuantity;
    NormInput[] inputs;
    bytes32 document;
}
