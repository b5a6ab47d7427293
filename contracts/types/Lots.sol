// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Direction, LotState} from "./Enums.sol";

/// @notice A lot of goods, field by field the domain `Lot`. Ids are bytes32 short strings, `owner` and
/// `custodian` are organisation indexes, `location == 0` is "" (not arrived yet) and `declaration == 0`
/// is null. `seal == 0` and `destination == 0` are "" and `deadline == 0` is none: a lot not under
/// seal in transit. The ledger stores only `keccak256(abi.encode(lot))` per lot id.
struct Lot {
    bytes32 id;
    bytes32 material;
    bytes32 hsCode;
    bytes32 unit;
    uint256 quantity;
    uint32 owner;
    uint32 custodian;
    bytes32 location;
    LotState state;
    LotState priorState;
    Direction direction;
    bool preferenceClaimed;
    bool permitRequired;
    bytes32 declaration;
    bytes32 seal;
    bytes32 destination;
    uint64 deadline;
}

/// @notice One lot written by a custody action: its state before (NONE when created) and its full state after.
struct LotTransition {
    LotState from;
    Lot lot;
}

/// @notice A quantity of one lot (split parts, transform inputs and outputs).
struct Part {
    bytes32 lot;
    uint256 quantity;
}

/// @notice The goods a declaration covers.
struct Goods {
    bytes32 material;
    bytes32 hsCode;
    bytes32 unit;
    uint256 quantity;
}

/// @notice Per material: what the norm allows for a transform's output versus what its inputs consumed.
struct Deviation {
    bytes32 material;
    uint256 expected;
    uint256 consumed;
}
