// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ITraceGateRegistryView} from "../interfaces/ITraceGateRegistryView.sol";
import {Arguments} from "../libraries/Arguments.sol";
import {DocumentGuards} from "../libraries/DocumentGuards.sol";
import {DocumentKind, OrgKind, Role} from "../types/Enums.sol";
import {DocumentRecord, Member, Norm} from "../types/Records.sol";
import {Documents} from "./Documents.sol";

/// @title Consumption norms (bills of materials), stored as hashes.
/// @dev The norm's full terms are in `NormRegistered`; a transform sends them back in calldata and the
/// custody contract checks them against `normHash`.
abstract contract Norms is Documents {
    /// @notice Largest waste allowance: 100% (domain MAX_WASTE_BPS).
    uint256 internal constant MAX_WASTE_BPS = 10_000;

    mapping(bytes32 key => bytes32) private _normHashes;

    /// @notice Organisation number `owner` registered (or replaced) its norm for `product`.
    event NormRegistered(uint32 indexed owner, bytes32 indexed product, Norm norm);

    /// @notice Registers the caller's organisation's norm for `norm.product`, replacing any earlier one.
    /// The caller is a SIGNER of an ENTERPRISE; `norm.document` is a VALID NORM document it issued.
    function registerNorm(Norm calldata norm) external {
        _requireNormArguments(norm);
        Member memory signer = _member();
        require(
            signer.org != 0 && signer.orgKind == OrgKind.ENTERPRISE && signer.role == Role.SIGNER,
            NotAuthorized(msg.sender)
        );
        DocumentRecord memory normDocument = document(norm.document);
        DocumentGuards.requireDocument(normDocument, norm.document, DocumentKind.NORM);
        require(normDocument.issuer == signer.org, DocumentIssuerMismatch(norm.document, normDocument.issuer));
        DocumentGuards.requireValid(normDocument, norm.document);
        _normHashes[_normKey(signer.org, norm.product)] = keccak256(abi.encode(signer.org, norm));
        emit NormRegistered(signer.org, norm.product, norm);
    }

    /// @inheritdoc ITraceGateRegistryView
    function normHash(uint32 owner, bytes32 product) external view returns (bytes32) {
        return _normHashes[_normKey(owner, product)];
    }

    function _normKey(uint32 owner, bytes32 product) private pure returns (bytes32) {
        return keccak256(abi.encode(owner, product));
    }

    function _requireNormArguments(Norm calldata norm) private pure {
        Arguments.requireId(norm.product);
        Arguments.requireId(norm.hsCode);
        Arguments.requireId(norm.unit);
        Arguments.requireQuantity(norm.outputQuantity);
        uint256 count = norm.inputs.length;
        require(count != 0 && count <= Arguments.MAX_PARTS, InvalidArgument());
        for (uint256 i; i < count; ++i) {
            Arguments.requireId(norm.inputs[i].material);
            Arguments.requireQuantity(norm.inputs[i].quantity);
            require(norm.inputs[i].wasteBps <= MAX_WASTE_BPS, InvalidArgument());
        }
        for (uint256 i; i < count; ++i) {
            for (uint256 j = i + 1; j < count; ++j) {
                require(norm.inputs[i].material != norm.inputs[j].material, InvalidArgument());
            }
        }
        Arguments.requireHash(norm.document);
    }
}
