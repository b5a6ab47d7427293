// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {DocumentRecord, Facility, Member} from "../types/Records.sol";

/// @title What the custody state machine reads of the TraceGate registry.
interface ITraceGateRegistryView {
    /// @notice The membership of `account` (`org == 0` when it is no member).
    function member(address account) external view returns (Member memory);

    /// @notice The facility `id` (`operator == 0` when it is not registered).
    function facility(bytes32 id) external view returns (Facility memory);

    /// @notice The stored record of the document with SHA-256 `hash` (`version == 0` when not anchored).
    function document(bytes32 hash) external view returns (DocumentRecord memory);

    /// @notice Follows amendments from `hash` to the document's current version, like domain
    /// `currentVersion`: while a document is SUPERSEDED, move to its successor.
    /// @return current The hash reached.
    /// @return record Its record (`version == 0`: not anchored).
    function currentVersion(bytes32 hash) external view returns (bytes32 current, DocumentRecord memory record);

    /// @notice The hash of the norm `owner` registered for `product` (zero when none).
    function normHash(uint32 owner, bytes32 product) external view returns (bytes32);
}
