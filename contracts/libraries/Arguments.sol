// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ITraceGateErrors} from "../interfaces/ITraceGateErrors.sol";
import {Part} from "../types/Lots.sol";

/// @notice Argument checks of domain/validate.ts, as far as a contract can make them.
/// @dev Ids, CIDs and reasons are checked in the domain's format, so that everything the contracts
/// emit decodes: an id is a bytes32 short string of 1 to 31 printable ASCII characters (domain
/// `assertId`), a CID 1 to 128 printable ASCII characters, a reason non-empty, at most 500 bytes, valid
/// UTF-8. Hashes are only checked to be non-zero (and, for a document to anchor, not the hash of zero
/// bytes): any other 32 bytes are a hash. The limits are domain/validate.ts's.
library Arguments {
    /// @notice Quantities are whole units below 2^96 (domain MAX_QUANTITY).
    uint256 internal constant MAX_QUANTITY = (1 << 96) - 1;
    /// @notice Most parts of a split, inputs or outputs of a transform, inputs of a norm, subjects.
    uint256 internal constant MAX_PARTS = 32;
    /// @notice Longest accepted CID, in bytes (domain MAX_CID_LENGTH).
    uint256 internal constant MAX_CID_LENGTH = 128;
    /// @notice Longest accepted reason, in bytes of UTF-8 (domain MAX_REASON_BYTES).
    uint256 internal constant MAX_REASON_BYTES = 500;
    /// @notice Most steps of a batch proof (domain MAX_PROOF_STEPS): a tree of 2^32-1 leaves is 32 deep.
    uint256 internal constant MAX_PROOF_STEPS = 32;
    /// @notice SHA-256 of zero bytes (domain EMPTY_DOCUMENT_HASH).
    bytes32 internal constant EMPTY_DOCUMENT = 0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855;

    /// @dev Each byte's high bit, and the constants that add to a byte below 0x80 without carrying.
    uint256 private constant HIGH_BITS = 0x8080808080808080808080808080808080808080808080808080808080808080;
    /// @dev A byte below 0x80 plus 0x5f reaches 0x80 exactly from 0x21 ("!") up.
    uint256 private constant FROM_BANG = 0x5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f;
    /// @dev A byte below 0x80 plus 0x01 reaches 0x80 exactly at 0x7f (DEL).
    uint256 private constant TO_DEL = 0x0101010101010101010101010101010101010101010101010101010101010101;

    /// @notice A domain id as a bytes32 short string: 1 to 31 bytes 0x21-0x7e, then zero bytes
    /// (INVALID_ARGUMENT otherwise).
    /// @dev Bytewise, in one expression (ids are checked in every action). `rest` has 0xff in each
    /// byte that is not printable, and in the last byte: it must be 2^k - 1 (the printable bytes are a
    /// prefix), `id` must be zero there, and `rest + 1` non-zero (the prefix is not empty). Only a
    /// byte of 0x80 or more can carry into the byte above it; the lowest such byte receives no carry,
    /// reads as not printable and is not zero, so the id is refused whatever the bytes above it read as.
    function requireId(bytes32 id) internal pure {
        bool valid;
        assembly ("memory-safe") {
            let flags := and(and(add(id, FROM_BANG), not(add(id, TO_DEL))), HIGH_BITS)
            let rest := or(not(mul(shr(7, flags), 0xff)), 0xff)
            let next := add(rest, 1)
            valid := iszero(or(or(and(rest, next), and(id, rest)), iszero(next)))
        }
        require(valid, ITraceGateErrors.InvalidArgument());
    }

    function requireHash(bytes32 hash) internal pure {
        require(hash != 0, ITraceGateErrors.InvalidArgument());
    }

    /// @notice The hash of a document to anchor: non-zero, and not the hash of an empty document
    /// (DOCUMENT_EMPTY), which a failed download would otherwise anchor as VALID.
    function requireDocumentHash(bytes32 hash) internal pure {
        requireHash(hash);
        require(hash != EMPTY_DOCUMENT, ITraceGateErrors.DocumentEmpty());
    }

    function requireQuantity(uint256 quantity) internal pure {
        require(quantity != 0 && quantity <= MAX_QUANTITY, ITraceGateErrors.InvalidQuantity(quantity));
    }

    /// @notice A non-empty reason (REASON_REQUIRED) of at most MAX_REASON_BYTES (TEXT_TOO_LONG, checked
    /// before the bytes are read) of well-formed UTF-8 (INVALID_ARGUMENT), so that it may be Vietnamese
    /// and still decodes wherever it is read.
    function requireReason(string calldata reason) internal pure {
        require(bytes(reason).length != 0, ITraceGateErrors.ReasonRequired());
        requireText(reason);
    }

    /// @notice Free text that may be empty (an unseal's remark, an alert's detail; domain `assertText`):
    /// a reason's limit (TEXT_TOO_LONG) and UTF-8 check (INVALID_ARGUMENT), in that order.
    function requireText(string calldata text) internal pure {
        uint256 length = bytes(text).length;
        require(length <= MAX_REASON_BYTES, ITraceGateErrors.TextTooLong(length, MAX_REASON_BYTES));
        require(_isUtf8(bytes(text)), ITraceGateErrors.InvalidArgument());
    }

    /// @notice 1 to MAX_CID_LENGTH printable ASCII characters without spaces (domain CID_PATTERN).
    function requireCid(string calldata cid) internal pure {
        uint256 length = bytes(cid).length;
        require(
            length != 0 && length <= MAX_CID_LENGTH && _isPrintable(bytes(cid)),
            ITraceGateErrors.InvalidArgument()
        );
    }

    /// @notice `minimum` to MAX_PARTS parts, each with a valid lot id and a valid quantity, in order.
    function requireParts(Part[] calldata parts, uint256 minimum) internal pure {
        require(parts.length >= minimum && parts.length <= MAX_PARTS, ITraceGateErrors.InvalidArgument());
        for (uint256 i; i < parts.length; ++i) {
            requireId(parts[i].lot);
            requireQuantity(parts[i].quantity);
        }
    }

    /// @notice No lot id appears twice among `first` and the parts.
    function requireDistinct(bytes32 first, Part[] calldata parts) internal pure {
        for (uint256 i; i < parts.length; ++i) {
            require(parts[i].lot != first, ITraceGateErrors.InvalidArgument());
        }
        requireDistinct(parts, parts[:0]);
    }

    /// @notice No lot id appears twice among the parts of both lists.
    function requireDistinct(Part[] calldata a, Part[] calldata b) internal pure {
        uint256 total = a.length + b.length;
        for (uint256 i; i < total; ++i) {
            bytes32 id = i < a.length ? a[i].lot : b[i - a.length].lot;
            for (uint256 j = i + 1; j < total; ++j) {
                require(id != (j < a.length ? a[j].lot : b[j - a.length].lot), ITraceGateErrors.InvalidArgument());
            }
        }
    }

    /// @dev Every byte of `text` is printable ASCII without space (0x21-0x7e), read a word at a time:
    /// in each word, the bytes of `text` must all be flagged printable (see requireId for the flags and
    /// the carries). Calldata after `text` is zeroed first: it must not carry into the last bytes.
    function _isPrintable(bytes calldata text) private pure returns (bool valid) {
        assembly ("memory-safe") {
            let end := add(text.offset, text.length)
            valid := 1
            for {
                let at := text.offset
            } lt(at, end) {
                at := add(at, 32)
            } {
                let word := calldataload(at)
                let needed := HIGH_BITS
                let left := sub(end, at)
                if lt(left, 32) {
                    let kept := not(shr(mul(8, left), not(0)))
                    word := and(word, kept)
                    needed := and(HIGH_BITS, kept)
                }
                let flags := and(add(word, FROM_BANG), not(add(word, TO_DEL)))
                if iszero(eq(and(flags, needed), needed)) {
                    valid := 0
                    break
                }
            }
        }
    }

    /// @dev Whether `text` is well-formed UTF-8 (Unicode table 3-7: no overlong forms, no surrogates,
    /// nothing above U+10FFFF), as a strict decoder (TextDecoder with `fatal`) reads it. ASCII is
    /// skipped a word, or a run, at a time; each other sequence is checked as one 4-byte number `s`:
    /// its continuation bytes by mask, its overlong, surrogate and too-large forms by range. Calldata
    /// after `text` is zeroed, so a sequence cut short fails its mask.
    function _isUtf8(bytes calldata text) private pure returns (bool valid) {
        assembly ("memory-safe") {
            let at := text.offset
            let end := add(at, text.length)
            valid := 1
            for {} lt(at, end) {} {
                let word := calldataload(at)
                let left := sub(end, at)
                if lt(left, 32) {
                    word := and(word, not(shr(shl(3, left), not(0))))
                }
                // A run of ASCII first: the rest of the word, or the bytes before the first of 0x80 or
                // more (found by binary search).
                if iszero(shr(255, word)) {
                    let high := and(word, HIGH_BITS)
                    if iszero(high) {
                        at := add(at, 32)
                        continue
                    }
                    let ascii := 0
                    if iszero(shr(128, high)) {
                        ascii := 16
                        high := shl(128, high)
                    }
                    if iszero(shr(192, high)) {
                        ascii := add(ascii, 8)
                        high := shl(64, high)
                    }
                    if iszero(shr(224, high)) {
                        ascii := add(ascii, 4)
                        high := shl(32, high)
                    }
                    if iszero(shr(240, high)) {
                        ascii := add(ascii, 2)
                        high := shl(16, high)
                    }
                    if iszero(shr(248, high)) {
                        ascii := add(ascii, 1)
                    }
                    at := add(at, ascii)
                    continue
                }
                let s := shr(224, word)
                let size := 2
                // C2-DF 80-BF
                let ok := and(eq(and(s, 0xe0c00000), 0xc0800000), gt(s, 0xc1ffffff))
                if gt(s, 0xdfffffff) {
                    // E0 A0-BF, E1-EC 80-BF, ED 80-9F, EE-EF 80-BF; then 80-BF
                    size := 3
                    ok := and(
                        and(eq(and(s, 0xf0c0c000), 0xe0808000), gt(s, 0xe09fffff)),
                        or(lt(s, 0xeda00000), gt(s, 0xedffffff))
                    )
                    if gt(s, 0xefffffff) {
                        // F0 90-BF, F1-F3 80-BF, F4 80-8F; then 80-BF 80-BF
                        size := 4
                        ok := and(eq(and(s, 0xf8c0c0c0), 0xf0808080), and(gt(s, 0xf08fffff), lt(s, 0xf4900000)))
                    }
                }
                if iszero(ok) {
                    valid := 0
                    break
                }
                at := add(at, size)
            }
        }
    }
}
