// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {CustodyAction, Direction, FacilityKind, LotState, OrgKind, Role} from "../types/Enums.sol";
import {IllegalTransition, WrongFacilityKind} from "../types/Errors.sol";
import {Member} from "../types/Records.sol";

/// @notice Who may perform an action (domain/custody-table.ts `Permission`).
enum Permission {
    OWNER_ENTERPRISE,
    CUSTOMS,
    CUSTOMS_OR_FACILITY_OPERATOR,
    FACILITY_OPERATOR,
    CUSTOMS_OR_CUSTODIAN,
    OWNER_AT_OWN_FACILITY,
    OWNER,
    CUSTODIAN_OR_OWNER
}

/// @notice One row of the custody table: the states an action starts from (bit s = LotState s), who may
/// perform it, the facility kind it needs (when `atFacility`) and the direction it needs (NONE: any).
struct TransitionRule {
    uint256 from;
    Permission who;
    bool atFacility;
    FacilityKind facility;
    Direction direction;
}

/// @title The custody state machine's table and its checks: domain/custody-table.ts and the
/// `authorize`, `checkState`, `checkFacilityKind` functions of domain/custody.ts.
library CustodyRules {
    uint256 private constant NON_TERMINAL = (1 << uint256(LotState.DECLARED)) | (1 << uint256(LotState.ARRIVED))
        | (1 << uint256(LotState.IN_WAREHOUSE)) | (1 << uint256(LotState.HELD)) | (1 << uint256(LotState.CLEARED))
        | (1 << uint256(LotState.RELEASED)) | (1 << uint256(LotState.IN_PRODUCTION)) | (1 << uint256(LotState.PRODUCED));

    /// @notice CUSTODY_TABLE[action], without the target state (each action function writes it).
    function rule(CustodyAction action) internal pure returns (TransitionRule memory) {
        if (action == CustodyAction.DECLARE) {
            return _rule(_states(LotState.NONE, LotState.PRODUCED), Permission.OWNER_ENTERPRISE);
        }
        if (action == CustodyAction.ARRIVE) {
            return _atFacility(_states(LotState.DECLARED), Permission.CUSTOMS_OR_FACILITY_OPERATOR, FacilityKind.BORDER_GATE);
        }
        if (action == CustodyAction.STORE) {
            return _atFacility(_states(LotState.ARRIVED), Permission.FACILITY_OPERATOR, FacilityKind.WAREHOUSE);
        }
        if (action == CustodyAction.HOLD) {
            return _rule(_states(LotState.ARRIVED, LotState.IN_WAREHOUSE, LotState.CLEARED), Permission.CUSTOMS);
        }
        if (action == CustodyAction.UNHOLD) return _rule(_states(LotState.HELD), Permission.CUSTOMS);
        if (action == CustodyAction.CLEAR) {
            return _rule(_states(LotState.ARRIVED, LotState.IN_WAREHOUSE), Permission.CUSTOMS);
        }
        if (action == CustodyAction.RELEASE) {
            return _inDirection(_states(LotState.CLEARED), Permission.CUSTOMS_OR_CUSTODIAN, Direction.IMPORT);
        }
        if (action == CustodyAction.DEPART) {
            return _inDirection(_states(LotState.CLEARED), Permission.CUSTOMS_OR_CUSTODIAN, Direction.EXPORT);
        }
        if (action == CustodyAction.RECEIVE) {
            return _atFacility(_states(LotState.RELEASED), Permission.OWNER_AT_OWN_FACILITY, FacilityKind.FACTORY);
        }
        if (action == CustodyAction.TRANSFORM) return _rule(_states(LotState.IN_PRODUCTION), Permission.OWNER);
        if (action == CustodyAction.SPLIT) return _rule(NON_TERMINAL, Permission.CUSTODIAN_OR_OWNER);
        return _rule(_states(LotState.IN_WAREHOUSE, LotState.IN_PRODUCTION, LotState.HELD), Permission.CUSTOMS);
    }

    /// @notice domain `isAuthorized`. `owner`, `custodian`: the lot's (0 when the lot does not exist);
    /// `operator`: the facility's operator (0 when the action names no facility).
    function isAuthorized(Permission who, Member memory actor, uint32 owner, uint32 custodian, uint32 operator)
        internal
        pure
        returns (bool)
    {
        if (actor.org == 0) return false;
        bool officer = actor.orgKind == OrgKind.CUSTOMS && actor.role == Role.OFFICER;
        bool operatorRole = actor.role == Role.OPERATOR;
        bool enterpriseOperator = operatorRole && actor.orgKind == OrgKind.ENTERPRISE;
        bool owns = owner == actor.org;
        bool operatesFacility = operator == actor.org;
        bool custodianOf = custodian == actor.org;
        if (who == Permission.OWNER_ENTERPRISE) return enterpriseOperator && (owner == 0 || owns);
        if (who == Permission.CUSTOMS) return officer;
        if (who == Permission.CUSTOMS_OR_FACILITY_OPERATOR) return officer || (operatorRole && operatesFacility);
        if (who == Permission.FACILITY_OPERATOR) return operatorRole && operatesFacility;
        if (who == Permission.CUSTOMS_OR_CUSTODIAN) return officer || (operatorRole && custodianOf);
        if (who == Permission.OWNER_AT_OWN_FACILITY) return enterpriseOperator && owns && operatesFacility;
        if (who == Permission.OWNER) return enterpriseOperator && owns;
        return (operatorRole && owns) || ((operatorRole || officer) && custodianOf);
    }

    /// @notice domain `checkState`: the lot's state is one the action starts from, and its declared
    /// direction is the one the action needs (ILLEGAL_TRANSITION).
    function checkState(TransitionRule memory r, bytes32 lot, LotState state, Direction direction) internal pure {
        require((r.from >> uint256(state)) & 1 == 1, IllegalTransition(lot, state));
        require(r.direction == Direction.NONE || direction == r.direction, IllegalTransition(lot, state));
    }

    /// @notice domain `checkFacilityKind` (WRONG_FACILITY_KIND).
    function checkFacilityKind(TransitionRule memory r, bytes32 facility, FacilityKind kind) internal pure {
        require(!r.atFacility || kind == r.facility, WrongFacilityKind(facility, kind));
    }

    function _rule(uint256 from, Permission who) private pure returns (TransitionRule memory) {
        return TransitionRule(from, who, false, FacilityKind.BORDER_GATE, Direction.NONE);
    }

    function _atFacility(uint256 from, Permission who, FacilityKind facility) private pure returns (TransitionRule memory) {
        return TransitionRule(from, who, true, facility, Direction.NONE);
    }

    function _inDirection(uint256 from, Permission who, Direction direction) private pure returns (TransitionRule memory) {
        return TransitionRule(from, who, false, FacilityKind.BORDER_GATE, direction);
    }

    function _states(LotState a) private pure returns (uint256) {
        return 1 << uint256(a);
    }

    function _states(LotState a, LotState b) private pure returns (uint256) {
        return _states(a) | _states(b);
    }

    function _states(LotState a, LotState b, LotState c) private pure returns (uint256) {
        return _states(a, b) | _states(c);
    }
}
