// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {DocumentKind, DocumentStatus, FacilityKind, LotState, OrgKind, Role} from "../types/Enums.sol";

/// @title TraceGate's errors, declared once beside its events (ITraceGateEvents.sol), as OpenZeppelin 5
/// declares its own on interfaces: both contracts inherit this, so each one's ABI decodes every error
/// either may return (a batch's BatchRefused carries another action's error inside).
/// @dev The domain's error codes (domain/errors.ts ERROR_CODES): each error's name is the PascalCase of
/// its code. Libraries raise them as `ITraceGateErrors.Name`.
interface ITraceGateErrors {
    /// @notice INVALID_ARGUMENT: an id is not 1 to 31 printable ASCII characters (as a bytes32 short string),
    /// a hash is zero, a CID is not 1 to 128 printable ASCII characters, a reason is not valid UTF-8, a list
    /// has too few or too many entries (a batch proof more than 32 steps), or repeats an id, a transit's
    /// deadline is not after the sealing and within 30 days of it.
    error InvalidArgument();
    /// @notice INVALID_QUANTITY: a quantity is outside 1..2^96-1.
    error InvalidQuantity(uint256 quantity);
    /// @notice REASON_REQUIRED: the action needs a non-empty reason (and a reason that is not valid UTF-8 is
    /// INVALID_ARGUMENT).
    error ReasonRequired();
    /// @notice UNKNOWN_ORGANISATION: the organisation is not registered.
    error UnknownOrganisation(bytes32 org);
    /// @notice ALREADY_REGISTERED: an organisation or facility with this id is registered already (ids are never reused).
    error AlreadyRegistered(bytes32 id);
    /// @notice UNKNOWN_LOT: no lot has this id.
    error UnknownLot(bytes32 lot);
    /// @notice LOT_EXISTS: a lot the action would create already exists.
    error LotExists(bytes32 lot);
    /// @notice UNKNOWN_FACILITY: the facility is not registered.
    error UnknownFacility(bytes32 facility);
    /// @notice WRONG_FACILITY_KIND: the action needs a facility of another kind.
    error WrongFacilityKind(bytes32 facility, FacilityKind facilityKind);
    /// @notice NOT_AUTHORIZED: the caller's organisation and role may not perform this action.
    error NotAuthorized(address account);
    /// @notice ILLEGAL_TRANSITION: the action is not allowed from the lot's state (or declared direction;
    /// split: a lot under seal, HELD on its way too).
    error IllegalTransition(bytes32 lot, LotState state);
    /// @notice GOODS_MISMATCH: a produced lot must be declared with exactly its goods.
    error GoodsMismatch(bytes32 lot);
    /// @notice UNKNOWN_DOCUMENT: no document with this hash is anchored.
    error UnknownDocument(bytes32 hash);
    /// @notice DOCUMENT_EXISTS: this document (or batch root) is already anchored.
    error DocumentExists(bytes32 hash);
    /// @notice DOCUMENT_KIND_MISMATCH: the document is not of the kind the action needs.
    error DocumentKindMismatch(bytes32 hash, DocumentKind documentKind);
    /// @notice DOCUMENT_ISSUER_MISMATCH: the document was issued by another organisation than the rule names.
    error DocumentIssuerMismatch(bytes32 hash, uint32 issuer);
    /// @notice DOCUMENT_INVALID: the document (or batch member) is superseded or revoked.
    error DocumentInvalid(bytes32 hash, DocumentStatus status);
    /// @notice DOCUMENT_REQUIRED: the lot needs a document of this kind to clear.
    error DocumentRequired(bytes32 lot, DocumentKind documentKind);
    /// @notice ISSUER_NOT_ENTITLED: the organisation's kind may not issue this document kind.
    error IssuerNotEntitled(uint32 org, DocumentKind documentKind);
    /// @notice UNKNOWN_BATCH: no batch with this Merkle root is anchored.
    error UnknownBatch(bytes32 root);
    /// @notice INVALID_PROOF: the Merkle proof does not place the document in the batch.
    error InvalidProof(bytes32 root, bytes32 leaf);
    /// @notice UNKNOWN_NORM: the organisation has no norm registered for the product.
    error UnknownNorm(uint32 owner, bytes32 product);
    /// @notice QUANTITY_UNAVAILABLE: the lot holds less than the action consumes.
    error QuantityUnavailable(bytes32 lot, uint256 available);
    /// @notice QUANTITY_NOT_CONSERVED: the parts do not add up to the lot's quantity.
    error QuantityNotConserved(bytes32 lot, uint256 total);
    /// @notice TEXT_TOO_LONG: a reason (or an unseal's remark, an alert's detail) is `length` bytes of UTF-8, more than the `maximum` allowed.
    error TextTooLong(uint256 length, uint256 maximum);
    /// @notice DOCUMENT_EMPTY: the hash to anchor is the SHA-256 of zero bytes (an empty file proves nothing).
    error DocumentEmpty();
    /// @notice WRONG_DESTINATION: a transit is sealed for the facility the lot is at already, or unsealed
    /// at another facility than the one it was sealed for.
    error WrongDestination(bytes32 lot, bytes32 facility);
    /// @notice SEAL_MISMATCH: the alert names another seal than the one the lot travels under.
    error SealMismatch(bytes32 lot, bytes32 seal);

    /// @notice An atomic batch was refused whole at its action `index` (from 0); `reason` is that
    /// action's own revert data (one of the errors above, whose code is the batch's code: domain
    /// BatchRefusedError).
    error BatchRefused(uint256 index, bytes reason);

    // EVM-only errors: hashed state, and member accounts (an EVM concept: on Fabric an organisation's
    // members are the identities its MSP certifies, with the role their certificate carries).

    /// @notice The lot state the caller sent is not the lot's current state (refresh it from events and retry).
    error StaleLotState(bytes32 lot);
    /// @notice The norm the caller sent is not the norm currently registered (refresh it from events and retry).
    error StaleNormState(uint32 owner, bytes32 product);
    /// @notice The account is already a member of an organisation.
    error MemberExists(address account);
    /// @notice The account is no member of any organisation (never registered, or removed).
    error NotAMember(address account);
    /// @notice Members of this organisation kind may not hold this role (domain ROLES_BY_ORG_KIND).
    error RoleNotAllowed(OrgKind orgKind, Role role);
}
