// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Arguments} from "../libraries/Arguments.sol";

/// @title Test harness: the contracts' argument checks on their own, for property tests against the domain.
contract ArgumentsHarness {
    /// @notice Reverts as a custody or registry action would for id `id`.
    function requireId(bytes32 id) external pure {
        Arguments.requireId(id);
    }

    /// @notice Reverts as hold, destroy, revoke or revokeBatchMember would for `reason`.
    function requireReason(string calldata reason) external pure {
        Arguments.requireReason(reason);
    }

    /// @notice Reverts as unseal (of an intact seal) would for its remark, and alert for its detail.
    function requireText(string calldata text) external pure {
        Arguments.requireText(text);
    }

    /// @notice Reverts as anchor or supersede would for `cid`.
    function requireCid(string calldata cid) external pure {
        Arguments.requireCid(cid);
    }
}
