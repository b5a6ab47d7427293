// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ITraceGateErrors} from "../interfaces/ITraceGateErrors.sol";
import {CustodyAction, Direction, FacilityKind, LotState, OrgKind, Role} from "../types/Enums.sol";
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

/// @notice The lots an action creates (domain `creates`): none, PRODUCED lots (transform), or lots in
/// the state of the lot they come from (split: SAME).
enum Creates {
    NOTHING,
    PRODUCED,
    SAME
}

/// @notice One row of the custody table, field for field, packed in one word (a row costs no memory
/// and the optimiser folds each row to a constant): the states an action starts from (`from`: bit s =
/// LotState s), the state the lot moves to (`to`; `toPrior`: back to the state it was held from, domain
/// PRIOR), who may perform it, the facility kind it needs (when `atFacility`), the direction it needs
/// (NONE: any) and the lots it creates. Read with the functions of CustodyRules.
type TransitionRule is uint256;

/// @title The custody state machine's table and its checks: domain/custody-table.ts and the
/// `authorize`, `checkState`, `checkFacilityKind` functions of domain/custody.ts. Every action and every
/// permission has its own case; anything else reverts (test/contracts/custody-rules.test.ts compares
/// each case with CUSTODY_TABLE and the domain's `isAuthorized`).
library CustodyRules {
    /// @dev Every state a lot can be split from: any it can leave again but IN_TRANSIT (a sealed load
    /// stays whole).
    uint256 private constant SPLITTABLE =
        (1 << uint256(LotState.DECLARED)) |
            (1 << uint256(LotState.ARRIVED)) |
            (1 << uint256(LotState.IN_WAREHOUSE)) |
            (1 << uint256(LotState.HELD)) |
            (1 << uint256(LotState.CLEARED)) |
            (1 << uint256(LotState.RELEASED)) |
            (1 << uint256(LotState.IN_PRODUCTION)) |
            (1 << uint256(LotState.PRODUCED));

    // Where each field sits in a TransitionRule: `from` in bits 0-31, the others a byte each.
    uint256 private constant FROM_MASK = 0xffffffff;
    uint256 private constant TO = 32;
    uint256 private constant TO_PRIOR = 40;
    uint256 private constant WHO = 48;
    uint256 private constant AT_FACILITY = 56;
    uint256 private constant FACILITY = 64;
    uint256 private constant DIRECTION = 72;
    uint256 private constant CREATES = 80;

    /// @notice CUSTODY_TABLE[action].
    function rule(CustodyAction action) internal pure returns (TransitionRule) {
        if (action == CustodyAction.DECLARE) {
            return _row(_states(LotState.NONE, LotState.PRODUCED), LotState.DECLARED, Permission.OWNER_ENTERPRISE);
        }
        if (action == CustodyAction.ARRIVE) {
            return
                _atFacility(
                    _row(_states(LotState.DECLARED), LotState.ARRIVED, Permission.CUSTOMS_OR_FACILITY_OPERATOR),
                    FacilityKind.BORDER_GATE
                );
        }
        if (action == CustodyAction.STORE) {
            return
                _atFacility(
                    _row(_states(LotState.ARRIVED), LotState.IN_WAREHOUSE, Permission.FACILITY_OPERATOR),
                    FacilityKind.WAREHOUSE
                );
        }
        if (action == CustodyAction.HOLD) {
            return
                _row(
                    _states(LotState.ARRIVED, LotState.IN_WAREHOUSE, LotState.CLEARED) | _states(LotState.IN_TRANSIT),
                    LotState.HELD,
                    Permission.CUSTOMS
                );
        }
        if (action == CustodyAction.UNHOLD) {
            return
                TransitionRule.wrap(
                    TransitionRule.unwrap(_row(_states(LotState.HELD), LotState.NONE, Permission.CUSTOMS)) |
                        (1 << TO_PRIOR)
                );
        }
        if (action == CustodyAction.CLEAR) {
            return _row(_states(LotState.ARRIVED, LotState.IN_WAREHOUSE), LotState.CLEARED, Permission.CUSTOMS);
        }
        if (action == CustodyAction.RELEASE) {
            return
                _inDirection(
                    _row(_states(LotState.CLEARED), LotState.RELEASED, Permission.CUSTOMS_OR_CUSTODIAN),
                    Direction.IMPORT
                );
        }
        if (action == CustodyAction.DEPART) {
            return
                _inDirection(
                    _row(_states(LotState.CLEARED), LotState.EXPORTED, Permission.CUSTOMS_OR_CUSTODIAN),
                    Direction.EXPORT
                );
        }
        if (action == CustodyAction.RECEIVE) {
            return
                _atFacility(
                    _row(_states(LotState.RELEASED), LotState.IN_PRODUCTION, Permission.OWNER_AT_OWN_FACILITY),
                    FacilityKind.FACTORY
                );
        }
        if (action == CustodyAction.TRANSFORM) {
            return
                _creating(
                    _row(_states(LotState.IN_PRODUCTION), LotState.IN_PRODUCTION, Permission.OWNER),
                    Creates.PRODUCED
                );
        }
        if (action == CustodyAction.SPLIT)
            return _creating(_row(SPLITTABLE, LotState.SPLIT, Permission.CUSTODIAN_OR_OWNER), Creates.SAME);
        if (action == CustodyAction.DESTROY) {
            return
                _row(
                    _states(LotState.IN_WAREHOUSE, LotState.IN_PRODUCTION, LotState.HELD),
                    LotState.DESTROYED,
                    Permission.CUSTOMS
                );
        }
        // The facility of seal is the destination; unseal lands ARRIVED there, or HELD (prior ARRIVED)
        // when the seal is broken or the deadline passed (Transit.sol).
        if (action == CustodyAction.SEAL) {
            return
                _atFacility(
                    _row(_states(LotState.ARRIVED), LotState.IN_TRANSIT, Permission.CUSTOMS),
                    FacilityKind.WAREHOUSE
                );
        }
        if (action == CustodyAction.UNSEAL) {
            return
                _atFacility(
                    _row(_states(LotState.IN_TRANSIT), LotState.ARRIVED, Permission.CUSTOMS_OR_FACILITY_OPERATOR),
                    FacilityKind.WAREHOUSE
                );
        }
        if (action == CustodyAction.ALERT) {
            return _row(_states(LotState.IN_TRANSIT), LotState.IN_TRANSIT, Permission.CUSTOMS);
        }
        revert ITraceGateErrors.InvalidArgument();
    }

    function from(TransitionRule r) internal pure returns (uint256) {
        return TransitionRule.unwrap(r) & FROM_MASK;
    }

    function to(TransitionRule r) internal pure returns (LotState) {
        return LotState(_byte(r, TO));
    }

    function toPrior(TransitionRule r) internal pure returns (bool) {
        return _byte(r, TO_PRIOR) == 1;
    }

    function who(TransitionRule r) internal pure returns (Permission) {
        return Permission(_byte(r, WHO));
    }

    function atFacility(TransitionRule r) internal pure returns (bool) {
        return _byte(r, AT_FACILITY) == 1;
    }

    function facility(TransitionRule r) internal pure returns (FacilityKind) {
        return FacilityKind(_byte(r, FACILITY));
    }

    function direction(TransitionRule r) internal pure returns (Direction) {
        return Direction(_byte(r, DIRECTION));
    }

    function creates(TransitionRule r) internal pure returns (Creates) {
        return Creates(_byte(r, CREATES));
    }

    /// @notice The state the lot moves to under `r`, from `priorState` (what a HELD lot was held in).
    function target(TransitionRule r, LotState priorState) internal pure returns (LotState) {
        return toPrior(r) ? priorState : to(r);
    }

    /// @notice domain `isAuthorized`. `owner`, `custodian`: the lot's (0 when the lot does not exist);
    /// `operator`: the facility's operator (0 when the action names no facility).
    function isAuthorized(
        Permission permission,
        Member memory actor,
        uint32 owner,
        uint32 custodian,
        uint32 operator
    ) internal pure returns (bool) {
        if (actor.org == 0) return false;
        bool officer = actor.orgKind == OrgKind.CUSTOMS && actor.role == Role.OFFICER;
        bool operatorRole = actor.role == Role.OPERATOR;
        bool enterpriseOperator = operatorRole && actor.orgKind == OrgKind.ENTERPRISE;
        bool owns = owner == actor.org;
        bool operatesFacility = operator == actor.org;
        bool custodianOf = custodian == actor.org;
        if (permission == Permission.OWNER_ENTERPRISE) return enterpriseOperator && (owner == 0 || owns);
        if (permission == Permission.CUSTOMS) return officer;
        if (permission == Permission.CUSTOMS_OR_FACILITY_OPERATOR) return officer || (operatorRole && operatesFacility);
        if (permission == Permission.FACILITY_OPERATOR) return operatorRole && operatesFacility;
        if (permission == Permission.CUSTOMS_OR_CUSTODIAN) return officer || (operatorRole && custodianOf);
        if (permission == Permission.OWNER_AT_OWN_FACILITY) return enterpriseOperator && owns && operatesFacility;
        if (permission == Permission.OWNER) return enterpriseOperator && owns;
        if (permission == Permission.CUSTODIAN_OR_OWNER)
            return (operatorRole && owns) || ((operatorRole || officer) && custodianOf);
        revert ITraceGateErrors.InvalidArgument();
    }

    /// @notice domain `checkState`: the lot's state is one the action starts from, and its declared
    /// direction is the one the action needs (ILLEGAL_TRANSITION).
    function checkState(TransitionRule r, bytes32 lot, LotState state, Direction lotDirection) internal pure {
        require((from(r) >> uint256(state)) & 1 == 1, ITraceGateErrors.IllegalTransition(lot, state));
        // Compared as bytes: the fields are enums already.
        uint8 needed = _byte(r, DIRECTION);
        require(
            needed == uint8(Direction.NONE) || uint8(lotDirection) == needed,
            ITraceGateErrors.IllegalTransition(lot, state)
        );
    }

    /// @notice domain `checkFacilityKind` (WRONG_FACILITY_KIND).
    function checkFacilityKind(TransitionRule r, bytes32 facilityId, FacilityKind kind) internal pure {
        require(
            _byte(r, AT_FACILITY) == 0 || uint8(kind) == _byte(r, FACILITY),
            ITraceGateErrors.WrongFacilityKind(facilityId, kind)
        );
    }

    function _byte(TransitionRule r, uint256 offset) private pure returns (uint8) {
        return uint8(TransitionRule.unwrap(r) >> offset);
    }

    function _row(uint256 states, LotState next, Permission permission) private pure returns (TransitionRule) {
        return TransitionRule.wrap(states | (uint256(next) << TO) | (uint256(permission) << WHO));
    }

    function _atFacility(TransitionRule r, FacilityKind kind) private pure returns (TransitionRule) {
        return TransitionRule.wrap(TransitionRule.unwrap(r) | (1 << AT_FACILITY) | (uint256(kind) << FACILITY));
    }

    function _inDirection(TransitionRule r, Direction needed) private pure returns (TransitionRule) {
        return TransitionRule.wrap(TransitionRule.unwrap(r) | (uint256(needed) << DIRECTION));
    }

    function _creating(TransitionRule r, Creates lots) private pure returns (TransitionRule) {
        return TransitionRule.wrap(TransitionRule.unwrap(r) | (uint256(lots) << CREATES));
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
