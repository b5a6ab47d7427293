// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {InvalidArgument, InvalidQuantity, ReasonRequired} from "../types/Errors.sol";
import {Part} from "../types/Lots.sol";

/// @notice Argument checks of domain/validate.ts, as far as a contract can make them.
/// @dev Ids and hashes are only checked to be non-zero: clients validate their format (domain
/// `assertId`, `assertHash`) before encoding them as bytes32.
library Arguments {
    /// @notice Quantities are whole units below 2^96 (domain MAX_QUANTITY).
    uint256 internal constant MAX_QUANTITY = (1 << 96) - 1;
    /// @notice Most parts of a split, inputs or outputs of a transform, inputs of a norm, subjects.
    uint256 internal constant MAX_PARTS = 32;

    function requireId(bytes32 id) internal pure {
        require(id != 0, InvalidArgument());
    }

    function requireHash(bytes32 hash) internal pure {
        require(hash != 0, InvalidArgument());
    }

    function requireQuantity(uint256 quantity) internal pure {
        require(quantity != 0 && quantity <= MAX_QUANTITY, InvalidQuantity(quantity));
    }

    function requireReason(string calldata reason) internal pure {
        require(bytes(reason).length != 0, ReasonRequired());
    }

    /// @notice `minimum` to MAX_PARTS parts, each with a non-zero lot id and a valid quantity, in order.
    function requireParts(Part[] calldata parts, uint256 minimum) internal pure {
        require(parts.length >= minimum && parts.length <= MAX_PARTS, InvalidArgument());
        for (uint256 i; i < parts.length; ++i) {
            requireId(parts[i].lot);
            requireQuantity(parts[i].quantity);
        }
    }

    /// @notice No lot id appears twice among `first` and the parts.
    function requireDistinct(bytes32 first, Part[] calldata parts) internal pure {
        for (uint256 i; i < parts.length; ++i) {
            require(parts[i].lot != first, InvalidArgument());
        }
        requireDistinct(parts, parts[:0]);
    }

    /// @notice No lot id appears twice among the parts of both lists.
    function requireDistinct(Part[] calldata a, Part[] calldata b) internal pure {
        uint256 total = a.length + b.length;
        for (uint256 i; i < total; ++i) {
            bytes32 id = i < a.length ? a[i].lot : b[i - a.length].lot;
            for (uint256 j = i + 1; j < total; ++j) {
                require(id != (j < a.length ? a[j].lot : b[j - a.length].lot), InvalidArgument());
            }
        }
    }
}
