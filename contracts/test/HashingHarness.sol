// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {LotStore} from "../custody/LotStore.sol";
import {Lot} from "../types/Lots.sol";
import {Norm} from "../types/Records.sol";

/// @title Test harness: the state hashes the contracts compute, for the codec's property tests.
contract HashingHarness is LotStore {
    /// @notice The hash CustodyRegistry stores for `lot` (computed over the struct in memory).
    function memoryLotHash(Lot calldata lot) external pure returns (bytes32) {
        return _memoryLotHash(lot);
    }

    /// @notice The hash CustodyRegistry compares with the stored one for `lot` sent in calldata.
    function calldataLotHash(Lot calldata lot) external pure returns (bytes32) {
        return _calldataLotHash(lot);
    }

    /// @notice The hash the registry stores for `owner`'s `norm` (and transform compares with it).
    function normHash(uint32 owner, Norm calldata norm) external pure returns (bytes32) {
        return keccak256(abi.encode(owner, norm));
    }
}
