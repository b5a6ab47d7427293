// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Deviation, Part} from "../types/Lots.sol";
import {Norm} from "../types/Records.sol";

/// @title domain/norms.ts: material a norm allows, and a transform's deviations from it.
/// @dev Quantities are below 2^96 and there are at most 32 parts, so no product here overflows.
library NormMath {
    uint256 private constant BPS = 10_000;

    /// @notice domain `normDeviations` and `isFlagged`: one row per norm material (in norm order), then
    /// one per consumed material the norm does not name (in order of first appearance).
    /// @param produced Total output quantity.
    /// @param materials Material of each input lot.
    /// @param inputs Quantity consumed of each input lot.
    function deviations(
        Norm calldata norm,
        uint256 produced,
        bytes32[] memory materials,
        Part[] calldata inputs
    ) internal pure returns (Deviation[] memory rows, bool flagged) {
        rows = new Deviation[](norm.inputs.length + inputs.length);
        uint256 count;
        for (; count < norm.inputs.length; ++count) {
            rows[count] = Deviation(norm.inputs[count].material, _allowed(norm, count, produced), 0);
        }
        for (uint256 i; i < inputs.length; ++i) {
            uint256 row;
            while (row < count && rows[row].material != materials[i]) ++row;
            if (row == count) rows[count++] = Deviation(materials[i], 0, 0);
            rows[row].consumed += inputs[i].quantity;
        }
        assembly ("memory-safe") {
            mstore(rows, count)
        }
        for (uint256 row; row < count; ++row) {
            if (rows[row].consumed > rows[row].expected) flagged = true;
        }
    }

    /// @notice domain `allowedConsumption` for norm input `index`: rounded up to a whole unit.
    function _allowed(Norm calldata norm, uint256 index, uint256 produced) private pure returns (uint256) {
        uint256 numerator = produced * norm.inputs[index].quantity * (BPS + norm.inputs[index].wasteBps);
        uint256 denominator = norm.outputQuantity * BPS;
        return (numerator + denominator - 1) / denominator;
    }
}
