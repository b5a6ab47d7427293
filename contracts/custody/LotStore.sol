// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ITraceGateErrors} from "../interfaces/ITraceGateErrors.sol";
import {Lot, Part} from "../types/Lots.sol";

/// @title Hashed lot state: one storage slot per lot holding `keccak256(abi.encode(lot))`.
/// @dev Callers send a lot's current state in calldata; the contract checks it against the stored hash,
/// so a custody action reads and writes about one slot per lot. The full state of every written lot is
/// in the custody events (`CustodyRecorded`, `LineageRecorded`).
abstract contract LotStore is ITraceGateErrors {
    /// @dev Size of an ABI-encoded Lot: 17 static fields of one word each.
    uint256 private constant LOT_SIZE = 17 * 32;

    mapping(bytes32 lot => bytes32) private _lotHashes;

    /// @notice `keccak256(abi.encode(lot))` of lot `id`'s current state (zero when the lot does not exist).
    function lotHash(bytes32 id) external view returns (bytes32) {
        return _lotHashes[id];
    }

    /// @notice `lotHash` of each of `ids`, in one call: a client checking the lots of a whole job reads
    /// them at once rather than one call per lot.
    function lotHashes(bytes32[] calldata ids) external view returns (bytes32[] memory hashes) {
        hashes = new bytes32[](ids.length);
        for (uint256 i; i < ids.length; ++i) {
            hashes[i] = _lotHashes[ids[i]];
        }
    }

    /// @dev Lot `id` exists (UNKNOWN_LOT) and `current` is its current state (StaleLotState).
    function _requireLot(bytes32 id, Lot calldata current) internal view {
        bytes32 stored = _lotHashes[id];
        require(stored != 0, UnknownLot(id));
        require(stored == _calldataLotHash(current), StaleLotState(id));
    }

    /// @dev Whether lot `id` exists; `current` must be empty when it does not, and hold its current
    /// state when it does (StaleLotState).
    function _existingLot(bytes32 id, Lot[] calldata current) internal view returns (bool) {
        bytes32 stored = _lotHashes[id];
        bool matches =
            stored == 0 ? current.length == 0 : current.length == 1 && stored == _calldataLotHash(current[0]);
        require(matches, StaleLotState(id));
        return stored != 0;
    }

    /// @dev None of the lots the parts name exists yet (LOT_EXISTS), checked in order.
    function _requireNewLots(Part[] calldata parts) internal view {
        for (uint256 i; i < parts.length; ++i) {
            require(_lotHashes[parts[i].lot] == 0, LotExists(parts[i].lot));
        }
    }

    /// @dev A memory copy of a lot sent in calldata that passed `_requireLot` (or `_existingLot`): its
    /// bytes hash to a stored canonical encoding, so they are copied as they are, without re-checking
    /// each field as a field-by-field copy would.
    function _copyLot(Lot calldata lot) internal pure returns (Lot memory copy) {
        assembly ("memory-safe") {
            copy := mload(0x40)
            mstore(0x40, add(copy, LOT_SIZE))
            calldatacopy(copy, lot, LOT_SIZE)
        }
    }

    function _storeLot(Lot memory lot) internal {
        _lotHashes[lot.id] = _memoryLotHash(lot);
    }

    /// @dev `keccak256(abi.encode(lot))` without re-encoding: a memory struct of static fields is laid
    /// out as its ABI encoding, one word per field, each value cleaned (Solidity cleans what it writes
    /// to memory).
    function _memoryLotHash(Lot memory lot) internal pure returns (bytes32 hash) {
        assembly ("memory-safe") {
            hash := keccak256(lot, LOT_SIZE)
        }
    }

    /// @dev `keccak256(abi.encode(lot))` of a lot in calldata, hashed as sent. A lot sent with
    /// non-canonical padding hashes differently and is refused as stale: stored hashes are canonical.
    function _calldataLotHash(Lot calldata lot) internal pure returns (bytes32 hash) {
        assembly ("memory-safe") {
            let copy := mload(0x40)
            calldatacopy(copy, lot, LOT_SIZE)
            hash := keccak256(copy, LOT_SIZE)
        }
    }
}
