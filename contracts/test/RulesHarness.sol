// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Creates, CustodyRules, Permission, TransitionRule} from "../custody/CustodyRules.sol";
import {CustodyAction, Direction, FacilityKind, LotState} from "../types/Enums.sol";
import {Member} from "../types/Records.sol";

/// @title Test harness: the custody table and the permission check as the contracts hold them, for
/// the test that compares them with domain/custody-table.ts case by case.
contract RulesHarness {
    /// @notice A row, field by field.
    struct Row {
        uint256 from;
        LotState to;
        bool toPrior;
        Permission who;
        bool atFacility;
        FacilityKind facility;
        Direction direction;
        Creates creates;
    }

    function rule(CustodyAction action) external pure returns (Row memory) {
        TransitionRule r = CustodyRules.rule(action);
        return
            Row(
                CustodyRules.from(r),
                CustodyRules.to(r),
                CustodyRules.toPrior(r),
                CustodyRules.who(r),
                CustodyRules.atFacility(r),
                CustodyRules.facility(r),
                CustodyRules.direction(r),
                CustodyRules.creates(r)
            );
    }

    function isAuthorized(
        Permission who,
        Member calldata actor,
        uint32 owner,
        uint32 custodian,
        uint32 operator
    ) external pure returns (bool) {
        return CustodyRules.isAuthorized(who, actor, owner, custodian, operator);
    }
}
