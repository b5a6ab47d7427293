// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ITraceGateErrors} from "../interfaces/ITraceGateErrors.sol";
import {DocumentKind, DocumentStatus} from "../types/Enums.sol";
import {DocumentRecord} from "../types/Records.sol";

/// @notice domain/document-guards.ts over a document record, for the registry and the custody contract.
library DocumentGuards {
    /// @notice The document is anchored (UNKNOWN_DOCUMENT) and of `kind` (DOCUMENT_KIND_MISMATCH).
    function requireDocument(DocumentRecord memory document, bytes32 hash, DocumentKind kind) internal pure {
        require(document.version != 0, ITraceGateErrors.UnknownDocument(hash));
        require(document.kind == kind, ITraceGateErrors.DocumentKindMismatch(hash, document.kind));
    }

    /// @notice The document is VALID (DOCUMENT_INVALID).
    function requireValid(DocumentRecord memory document, bytes32 hash) internal pure {
        require(document.status == DocumentStatus.VALID, ITraceGateErrors.DocumentInvalid(hash, document.status));
    }
}
