// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Arguments} from "../libraries/Arguments.sol";
import {DocumentGuards} from "../libraries/DocumentGuards.sol";
import {CustodyAction, Direction, DocumentKind, LotState} from "../types/Enums.sol";
import {Goods, Lot} from "../types/Lots.sol";
import {DocumentRecord, Member} from "../types/Records.sol";
import {CustodyBase} from "./CustodyBase.sol";
import {CustodyRules, TransitionRule} from "./CustodyRules.sol";

/// @notice The declare action's arguments (domain CustodyAction "declare").
struct LotDeclaration {
    bytes32 lot;
    Goods goods;
    Direction direction;
    bool preferenceClaimed;
    bool permitRequired;
    bytes32 declaration;
}

/// @title declare: a new lot, or a PRODUCED one, becomes DECLARED under an anchored declaration.
abstract contract Declarations is CustodyBase {
    /// @notice Declares lot `d.lot` (an OPERATOR of the owner enterprise), under declaration document
    /// `d.declaration`, a VALID DECLARATION issued by the caller's organisation.
    /// @param current Empty for a new lot; the lot's current state when it exists (a PRODUCED lot,
    /// declared with exactly its goods).
    function declare(LotDeclaration calldata d, Lot[] calldata current) external {
        _requireDeclarationArguments(d, current);
        bool exists = _existingLot(d.lot, current);
        Member memory actor = _actor();
        TransitionRule r = CustodyRules.rule(CustodyAction.DECLARE);
        Lot memory lot;
        if (exists) {
            lot = _copyLot(current[0]);
            _authorize(r, actor, lot.owner, lot.custodian, 0);
            CustodyRules.checkState(r, d.lot, lot.state, lot.direction);
            _checkSameGoods(lot, d.goods);
        } else {
            _authorize(r, actor, 0, 0, 0);
            CustodyRules.checkState(r, d.lot, LotState.NONE, Direction.NONE);
            lot.id = d.lot;
            lot.material = d.goods.material;
            lot.hsCode = d.goods.hsCode;
            lot.unit = d.goods.unit;
            lot.quantity = d.goods.quantity;
            lot.owner = actor.org;
            lot.custodian = actor.org;
        }
        _requireDeclaration(d.declaration, actor.org);
        LotState from = lot.state;
        lot.state = CustodyRules.to(r);
        lot.direction = d.direction;
        lot.preferenceClaimed = d.preferenceClaimed;
        lot.permitRequired = d.permitRequired;
        lot.declaration = d.declaration;
        bytes32[] memory documents = new bytes32[](1);
        documents[0] = d.declaration;
        _recordLot(CustodyAction.DECLARE, actor.org, from, lot, documents, "");
    }

    function _requireDeclarationArguments(LotDeclaration calldata d, Lot[] calldata current) private pure {
        Arguments.requireId(d.lot);
        Arguments.requireId(d.goods.material);
        Arguments.requireId(d.goods.hsCode);
        Arguments.requireId(d.goods.unit);
        Arguments.requireQuantity(d.goods.quantity);
        require(d.direction != Direction.NONE, InvalidArgument());
        Arguments.requireHash(d.declaration);
        require(current.length <= 1, InvalidArgument());
    }

    /// @dev domain `checkSameGoods` (GOODS_MISMATCH).
    function _checkSameGoods(Lot memory lot, Goods calldata goods) private pure {
        require(
            lot.material == goods.material &&
                lot.hsCode == goods.hsCode &&
                lot.unit == goods.unit &&
                lot.quantity == goods.quantity,
            GoodsMismatch(lot.id)
        );
    }

    /// @dev The declaration is an anchored DECLARATION, issued by the declarant, VALID.
    function _requireDeclaration(bytes32 hash, uint32 declarant) private view {
        DocumentRecord memory declaration = registry.document(hash);
        DocumentGuards.requireDocument(declaration, hash, DocumentKind.DECLARATION);
        require(declaration.issuer == declarant, DocumentIssuerMismatch(hash, declaration.issuer));
        DocumentGuards.requireValid(declaration, hash);
    }
}
