// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IDocumentEvents} from "../interfaces/ITraceGateEvents.sol";
import {ITraceGateRegistryView} from "../interfaces/ITraceGateRegistryView.sol";
import {Arguments} from "../libraries/Arguments.sol";
import {DocumentGuards} from "../libraries/DocumentGuards.sol";
import {RegistryPolicy} from "../libraries/RegistryPolicy.sol";
import {DocumentKind, DocumentStatus, OrgKind} from "../types/Enums.sol";
import {DocumentRecord, Member} from "../types/Records.sol";
import {Organisations} from "./Organisations.sol";

/// @title Documents anchored by their SHA-256: anchor, amend (supersede), revoke.
/// @dev Checks run in the order of domain/documents.ts: arguments, referenced record, authorisation,
/// entitlement, status, uniqueness.
abstract contract Documents is Organisations, IDocumentEvents {
    mapping(bytes32 hash => DocumentRecord) private _documents;
    mapping(bytes32 hash => bytes32) private _successors;

    /// @notice Anchors the first version of a document of `kind`, issued by the caller's organisation
    /// (a SIGNER of an organisation whose kind may issue `kind`).
    /// @param hash SHA-256 of the document's exact bytes (not of zero bytes: DOCUMENT_EMPTY).
    /// @param id The document's id (bytes32 short string).
    /// @param cid Its IPFS CID (1 to 128 printable ASCII characters).
    /// @param subjects Ids of the lots it concerns (at most 32).
    function anchor(
        bytes32 hash,
        bytes32 id,
        DocumentKind kind,
        string calldata cid,
        bytes32[] calldata subjects
    ) external {
        _requireAnchorArguments(hash, id, cid, subjects);
        Member memory signer = _signer();
        require(RegistryPolicy.mayIssue(signer.orgKind, kind), IssuerNotEntitled(signer.org, kind));
        require(_documents[hash].version == 0, DocumentExists(hash));
        _writeRecord(hash, DocumentRecord(signer.org, kind, DocumentStatus.VALID, 1, uint64(block.timestamp)));
        emit DocumentAnchored(hash, signer.org, id, kind, 1, 0, cid, subjects);
    }

    /// @notice Anchors document `hash` as the next version of `previous` (same kind and issuer; a SIGNER
    /// of the issuer only). `previous` must be VALID and becomes SUPERSEDED.
    function supersede(
        bytes32 previous,
        bytes32 hash,
        bytes32 id,
        string calldata cid,
        bytes32[] calldata subjects
    ) external {
        Arguments.requireHash(previous);
        _requireAnchorArguments(hash, id, cid, subjects);
        DocumentRecord memory prior = _documents[previous];
        require(prior.version != 0, UnknownDocument(previous));
        _signerOf(prior.issuer);
        DocumentGuards.requireValid(prior, previous);
        require(_documents[hash].version == 0, DocumentExists(hash));
        _documents[previous].status = DocumentStatus.SUPERSEDED;
        _successors[previous] = hash;
        uint32 version = prior.version + 1;
        _writeRecord(
            hash,
            DocumentRecord(prior.issuer, prior.kind, DocumentStatus.VALID, version, uint64(block.timestamp))
        );
        emit DocumentAnchored(hash, prior.issuer, id, prior.kind, version, previous, cid, subjects);
    }

    /// @notice Revokes VALID document `hash` for a non-empty `reason` (a SIGNER of its issuer only).
    function revoke(bytes32 hash, string calldata reason) external {
        Arguments.requireHash(hash);
        Arguments.requireReason(reason);
        DocumentRecord memory record = _documents[hash];
        require(record.version != 0, UnknownDocument(hash));
        _signerOf(record.issuer);
        DocumentGuards.requireValid(record, hash);
        _documents[hash].status = DocumentStatus.REVOKED;
        emit DocumentRevoked(hash, record.issuer, reason);
    }

    /// @inheritdoc ITraceGateRegistryView
    function document(bytes32 hash) public view returns (DocumentRecord memory) {
        return _documents[hash];
    }

    /// @notice The version that amended document `hash` (zero unless it is SUPERSEDED).
    function supersededBy(bytes32 hash) external view returns (bytes32) {
        return _successors[hash];
    }

    /// @inheritdoc ITraceGateRegistryView
    function currentVersion(bytes32 hash) external view returns (bytes32 current, DocumentRecord memory record) {
        current = hash;
        record = _documents[current];
        while (record.status == DocumentStatus.SUPERSEDED) {
            current = _successors[current];
            record = _documents[current];
        }
    }

    /// @notice Whether an organisation of `orgKind` may issue documents of `documentKind`
    /// (domain ISSUERS_BY_DOCUMENT_KIND).
    function mayIssue(OrgKind orgKind, DocumentKind documentKind) external pure returns (bool) {
        return RegistryPolicy.mayIssue(orgKind, documentKind);
    }

    /// @dev Writes a new record with one SSTORE (assigning the struct stores member by member). The word
    /// follows Solidity's packing of DocumentRecord: members from the low-order bytes up, in order.
    function _writeRecord(bytes32 hash, DocumentRecord memory record) private {
        uint256 word =
            uint256(record.issuer) |
                (uint256(record.kind) << 32) |
                (uint256(record.status) << 40) |
                (uint256(record.version) << 48) |
                (uint256(record.anchoredAt) << 80);
        DocumentRecord storage slot = _documents[hash];
        assembly ("memory-safe") {
            sstore(slot.slot, word)
        }
    }

    function _requireAnchorArguments(
        bytes32 hash,
        bytes32 id,
        string calldata cid,
        bytes32[] calldata subjects
    ) private pure {
        Arguments.requireDocumentHash(hash);
        Arguments.requireId(id);
        Arguments.requireCid(cid);
        require(subjects.length <= Arguments.MAX_PARTS, InvalidArgument());
        for (uint256 i; i < subjects.length; ++i) {
            Arguments.requireId(subjects[i]);
        }
    }
}
