// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ITraceGateErrors} from "../interfaces/ITraceGateErrors.sol";

/// @title Atomic batches (domain/batch.ts): several custody actions as one transaction, all or none.
/// @dev Each action is the calldata of its own function, run through the one dispatch path of single
/// actions by a delegatecall to this contract: the caller (msg.sender) and every rule are the same, and
/// each action sees the lots the ones before it stored.
abstract contract AtomicBatch is ITraceGateErrors {
    /// @notice Most actions in one batch (domain MAX_BATCH_ACTIONS).
    uint256 internal constant MAX_BATCH_ACTIONS = 100;

    /// @notice Applies `calls` (each the calldata of a custody action function) in order as the caller,
    /// each emitting its event; the first refusal reverts the whole batch with BatchRefused(index, its
    /// error). 1 to MAX_BATCH_ACTIONS calls (INVALID_ARGUMENT); a call that is no custody action is
    /// refused at its index with INVALID_ARGUMENT.
    /// @param calls The actions' calldata, as each action's own function takes it; a later action
    /// carries the lot states the earlier ones leave.
    function batch(bytes[] calldata calls) external {
        require(calls.length != 0 && calls.length <= MAX_BATCH_ACTIONS, InvalidArgument());
        for (uint256 i; i < calls.length; ++i) {
            bytes calldata call = calls[i];
            if (call.length < 4 || !_isCustodyAction(bytes4(call[:4]))) {
                bytes memory refusal = new bytes(4);
                bytes4 selector = InvalidArgument.selector;
                assembly ("memory-safe") {
                    mstore(add(refusal, 0x20), selector)
                }
                _refuse(i, refusal);
            }
            (bool accepted, bytes memory reason) = address(this).delegatecall(call);
            if (!accepted) _refuse(i, reason);
        }
    }

    /// @dev Reverts with BatchRefused(index, reason), encoded here rather than by the compiler: its ABI
    /// encoder for `bytes` is shared with the events' `string` and `bytes32[]` encoding, which the
    /// optimizer would then stop inlining, costing every single action ~44 gas.
    function _refuse(uint256 index, bytes memory reason) private pure {
        bytes4 selector = BatchRefused.selector;
        assembly ("memory-safe") {
            let length := mload(reason)
            let data := mload(0x40)
            mstore(data, selector)
            mstore(add(data, 0x04), index)
            mstore(add(data, 0x24), 0x40)
            mstore(add(data, 0x44), length)
            mcopy(add(data, 0x64), add(reason, 0x20), length)
            mstore(add(add(data, 0x64), length), 0)
            revert(data, add(0x64, and(add(length, 31), not(31))))
        }
    }

    /// @dev Whether `selector` is one of the custody action functions (and not `batch` or a read).
    function _isCustodyAction(bytes4 selector) internal pure virtual returns (bool);
}
