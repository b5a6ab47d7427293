// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Arguments} from "../libraries/Arguments.sol";
import {DocumentGuards} from "../libraries/DocumentGuards.sol";
import {NormMath} from "../libraries/NormMath.sol";
import {CustodyAction, Direction, LotState} from "../types/Enums.sol";
import {Deviation, Lot, LotTransition, Part} from "../types/Lots.sol";
import {Member, Norm} from "../types/Records.sol";
import {CustodyBase} from "./CustodyBase.sol";
import {CustodyRules, TransitionRule} from "./CustodyRules.sol";

/// @notice The transform action's arguments (domain CustodyAction "transform").
struct Transformation {
    bytes32 product;
    Part[] inputs;
    Part[] outputs;
}

/// @title Lots dividing and turning into products: split and transform.
abstract contract Production is CustodyBase {
    /// @notice Splits a non-terminal lot that is not under seal (IN_TRANSIT, or HELD on its way) into 2
    /// to 32 new lots in its state (an OPERATOR of its custodian or owner); the parts add up exactly to
    /// its quantity and the lot becomes SPLIT.
    /// @param lot The lot's current state.
    /// @param parts The new lots' ids and quantities.
    function split(Lot calldata lot, Part[] calldata parts) external {
        Arguments.requireId(lot.id);
        Arguments.requireParts(parts, 2);
        Arguments.requireDistinct(lot.id, parts);
        _requireLot(lot.id, lot);
        _requireNewLots(parts);
        Member memory actor = _actor();
        TransitionRule r = CustodyRules.rule(CustodyAction.SPLIT);
        _authorize(r, actor, lot.owner, lot.custodian, 0);
        CustodyRules.checkState(r, lot.id, lot.state, lot.direction);
        // A sealed load stays whole, HELD on its way too (domain `isUnderSeal`).
        require(lot.seal == 0, IllegalTransition(lot.id, lot.state));
        uint256 total = _sum(parts);
        require(total == lot.quantity, QuantityNotConserved(lot.id, total));

        LotTransition[] memory transitions = new LotTransition[](parts.length + 1);
        Lot memory parent = _copyLot(lot);
        parent.state = CustodyRules.to(r);
        parent.priorState = LotState.NONE;
        transitions[0] = LotTransition(lot.state, parent);
        for (uint256 i; i < parts.length; ++i) {
            Lot memory child = _copyLot(lot);
            child.id = parts[i].lot;
            child.quantity = parts[i].quantity;
            transitions[i + 1] = LotTransition(LotState.NONE, child);
        }
        _recordLineage(
            CustodyAction.SPLIT,
            actor.org,
            transitions,
            new bytes32[](0),
            new Deviation[](0),
            false,
            new Part[](0)
        );
    }

    /// @notice Consumes quantities of IN_PRODUCTION lots to produce new PRODUCED lots of `t.product` (an
    /// OPERATOR of the enterprise owning every input, which has a norm for the product). Consumption
    /// beyond the norm is recorded and flagged, not refused.
    /// @param current The current state of each input lot, in the order of `t.inputs`.
    /// @param norm The caller's organisation's current norm for the product, as registered.
    function transform(Transformation calldata t, Lot[] calldata current, Norm calldata norm) external {
        Arguments.requireId(t.product);
        Arguments.requireParts(t.inputs, 1);
        Arguments.requireParts(t.outputs, 1);
        Arguments.requireDistinct(t.inputs, t.outputs);
        require(current.length == t.inputs.length, InvalidArgument());
        for (uint256 i; i < current.length; ++i) {
            _requireLot(t.inputs[i].lot, current[i]);
        }
        _requireNewLots(t.outputs);
        Member memory actor = _checkInputs(current);
        _requireNorm(actor.org, t.product, norm);
        for (uint256 i; i < current.length; ++i) {
            require(
                t.inputs[i].quantity <= current[i].quantity,
                QuantityUnavailable(current[i].id, current[i].quantity)
            );
        }
        (Deviation[] memory deviations, bool flagged) = _deviations(t, current, norm);
        bytes32[] memory documents = new bytes32[](1);
        documents[0] = norm.document;
        _recordLineage(
            CustodyAction.TRANSFORM,
            actor.org,
            _transformTransitions(actor.org, t, current, norm),
            documents,
            deviations,
            flagged,
            t.inputs
        );
    }

    /// @dev Steps 4 and 5 of transform: the caller owns every input, then every input is IN_PRODUCTION.
    function _checkInputs(Lot[] calldata current) private view returns (Member memory actor) {
        actor = _actor();
        TransitionRule r = CustodyRules.rule(CustodyAction.TRANSFORM);
        for (uint256 i; i < current.length; ++i) {
            _authorize(r, actor, current[i].owner, current[i].custodian, 0);
        }
        for (uint256 i; i < current.length; ++i) {
            CustodyRules.checkState(r, current[i].id, current[i].state, current[i].direction);
        }
    }

    /// @dev `norm` is the one `owner` registered for `product` (UNKNOWN_NORM, StaleNormState), and its
    /// document is still VALID: a revoked or amended norm document takes the norm out of force.
    function _requireNorm(uint32 owner, bytes32 product, Norm calldata norm) private view {
        bytes32 stored = registry.normHash(owner, product);
        require(stored != 0, UnknownNorm(owner, product));
        require(stored == keccak256(abi.encode(owner, norm)), StaleNormState(owner, product));
        DocumentGuards.requireValid(registry.document(norm.document), norm.document);
    }

    function _deviations(
        Transformation calldata t,
        Lot[] calldata current,
        Norm calldata norm
    ) private pure returns (Deviation[] memory, bool) {
        bytes32[] memory materials = new bytes32[](current.length);
        for (uint256 i; i < current.length; ++i) {
            materials[i] = current[i].material;
        }
        return NormMath.deviations(norm, _sum(t.outputs), materials, t.inputs);
    }

    /// @dev The products first, then every input with the quantity it has left.
    function _transformTransitions(
        uint32 owner,
        Transformation calldata t,
        Lot[] calldata current,
        Norm calldata norm
    ) private pure returns (LotTransition[] memory transitions) {
        uint256 outputs = t.outputs.length;
        transitions = new LotTransition[](outputs + current.length);
        for (uint256 i; i < outputs; ++i) {
            transitions[i] = LotTransition(LotState.NONE, _product(t.outputs[i], norm, owner, current[0].location));
        }
        for (uint256 i; i < current.length; ++i) {
            Lot memory input = _copyLot(current[i]);
            input.quantity -= t.inputs[i].quantity;
            transitions[outputs + i] = LotTransition(input.state, input);
        }
    }

    /// @dev A new PRODUCED lot of the norm's product, owned and held by `owner` where the inputs were.
    function _product(
        Part calldata output,
        Norm calldata norm,
        uint32 owner,
        bytes32 location
    ) private pure returns (Lot memory) {
        return
            Lot({
                id: output.lot,
                material: norm.product,
                hsCode: norm.hsCode,
                unit: norm.unit,
                quantity: output.quantity,
                owner: owner,
                custodian: owner,
                location: location,
                state: LotState.PRODUCED,
                priorState: LotState.NONE,
                direction: Direction.NONE,
                preferenceClaimed: false,
                permitRequired: false,
                declaration: 0,
                seal: 0,
                destination: 0,
                deadline: 0
            });
    }

    function _sum(Part[] calldata parts) private pure returns (uint256 total) {
        for (uint256 i; i < parts.length; ++i) {
            total += parts[i].quantity;
        }
    }
}
