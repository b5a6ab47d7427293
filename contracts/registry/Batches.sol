// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Arguments} from "../libraries/Arguments.sol";
import {RegistryPolicy} from "../libraries/RegistryPolicy.sol";
import {DocumentKind, DocumentStatus} from "../types/Enums.sol";
import {BatchRecord, Member} from "../types/Records.sol";
import {Organisations} from "./Organisations.sol";

/// @title Merkle batches: many documents anchored under one root, each verified with its proof.
/// @dev Leaves follow OpenZeppelin's standard tree over one bytes32 (the document's SHA-256):
/// `keccak256(bytes.concat(keccak256(abi.encode(sha256))))`, as domain/merkle.ts builds them.
abstract contract Batches is Organisations {
    mapping(bytes32 root => BatchRecord) private _batches;
    mapping(bytes32 root => mapping(bytes32 leaf => bool)) private _revokedMembers;

    /// @notice A batch of `count` documents of `kind`, issued by organisation number `issuer`, was
    /// anchored under Merkle `root`.
    event BatchAnchored(bytes32 indexed root, uint32 indexed issuer, DocumentKind kind, uint32 count);
    /// @notice Document `leaf` (its SHA-256) of batch `root` was revoked for `reason`.
    event BatchMemberRevoked(
        bytes32 indexed root,
        bytes32 indexed leaf,
        uint32 indexed issuer,
        DocumentKind kind,
        string reason
    );

    /// @notice Anchors the Merkle root of `count` (1 to 2^32-1) documents of `kind` issued by the caller's
    /// organisation (a SIGNER of an organisation whose kind may issue `kind`).
    function anchorBatch(bytes32 root, DocumentKind kind, uint256 count) external {
        Arguments.requireHash(root);
        require(count != 0 && count <= type(uint32).max, InvalidArgument());
        Member memory signer = _signer();
        require(RegistryPolicy.mayIssue(signer.orgKind, kind), IssuerNotEntitled(signer.org, kind));
        require(_batches[root].issuer == 0, DocumentExists(root));
        _batches[root] = BatchRecord(signer.org, kind, uint32(count), uint64(block.timestamp));
        emit BatchAnchored(root, signer.org, kind, uint32(count));
    }

    /// @notice Revokes document `leaf` (its SHA-256) of batch `root`, proven a member by `proof`, for a
    /// non-empty `reason` (a SIGNER of the batch's issuer only).
    function revokeBatchMember(bytes32 root, bytes32 leaf, bytes32[] calldata proof, string calldata reason) external {
        Arguments.requireHash(root);
        Arguments.requireHash(leaf);
        require(proof.length <= Arguments.MAX_PROOF_STEPS, InvalidArgument());
        for (uint256 i; i < proof.length; ++i) {
            Arguments.requireHash(proof[i]);
        }
        Arguments.requireReason(reason);
        BatchRecord memory batch_ = _batches[root];
        require(batch_.issuer != 0, UnknownBatch(root));
        _signerOf(batch_.issuer);
        require(MerkleProof.verifyCalldata(proof, root, batchLeaf(leaf)), InvalidProof(root, leaf));
        require(!_revokedMembers[root][leaf], DocumentInvalid(leaf, DocumentStatus.REVOKED));
        _revokedMembers[root][leaf] = true;
        emit BatchMemberRevoked(root, leaf, batch_.issuer, batch_.kind, reason);
    }

    /// @notice The batch anchored under `root` (`issuer == 0` when none).
    function batch(bytes32 root) external view returns (BatchRecord memory) {
        return _batches[root];
    }

    /// @notice Whether document `leaf` of batch `root` was revoked.
    function isBatchMemberRevoked(bytes32 root, bytes32 leaf) external view returns (bool) {
        return _revokedMembers[root][leaf];
    }

    /// @notice Whether `proof` places document `leaf` (its SHA-256) in the batch anchored under `root`.
    function verifyBatchMember(bytes32 root, bytes32 leaf, bytes32[] calldata proof) external view returns (bool) {
        return _batches[root].issuer != 0 && MerkleProof.verifyCalldata(proof, root, batchLeaf(leaf));
    }

    /// @notice The Merkle leaf of a document in a batch (OpenZeppelin standard tree of one bytes32).
    function batchLeaf(bytes32 documentHash) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(documentHash))));
    }
}
