// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ITraceGateErrors} from "../interfaces/ITraceGateErrors.sol";
import {IOrganisationEvents} from "../interfaces/ITraceGateEvents.sol";
import {ITraceGateRegistryView} from "../interfaces/ITraceGateRegistryView.sol";
import {Arguments} from "../libraries/Arguments.sol";
import {RegistryPolicy} from "../libraries/RegistryPolicy.sol";
import {FacilityKind, OrgKind, Role} from "../types/Enums.sol";
import {Facility, Member, Organisation} from "../types/Records.sol";

/// @title Organisations, their member accounts and their facilities, registered by customs.
/// @dev Organisations are numbered from 1 in registration order; records refer to them by that index.
abstract contract Organisations is
    AccessControlDefaultAdminRules,
    ITraceGateRegistryView,
    IOrganisationEvents,
    ITraceGateErrors
{
    /// @notice Role of the customs administration accounts that register organisations, members, facilities.
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");

    mapping(bytes32 id => Organisation) private _organisations;
    mapping(address account => Member) private _members;
    mapping(bytes32 id => Facility) private _facilities;
    uint32 private _organisationCount;

    /// @dev The admin role is OpenZeppelin's AccessControlDefaultAdminRules: one holder, handed over in
    /// two steps (offered, then accepted once `adminDelay` has passed), never granted beside it.
    /// @param admin Receives DEFAULT_ADMIN_ROLE and REGISTRAR_ROLE (the customs administration; non-zero).
    /// @param adminDelay Seconds between offering the admin role to another account and its accepting.
    constructor(address admin, uint48 adminDelay) AccessControlDefaultAdminRules(adminDelay, admin) {
        _grantRole(REGISTRAR_ROLE, admin);
    }

    /// @notice Registers organisation `id` of `kind` (registrars only; ids are never reused).
    /// @dev Checks and writes through one storage pointer: the record's slot is hashed once.
    /// @return index The organisation's number.
    function registerOrganisation(bytes32 id, OrgKind kind) external onlyRole(REGISTRAR_ROLE) returns (uint32 index) {
        Arguments.requireId(id);
        Organisation storage organisation_ = _organisations[id];
        require(organisation_.index == 0, AlreadyRegistered(id));
        index = ++_organisationCount;
        organisation_.index = index;
        organisation_.kind = kind;
        emit OrganisationRegistered(id, index, kind);
    }

    /// @notice Makes `account` a member of organisation `org` with `role`, a role its kind may hold
    /// (domain ROLES_BY_ORG_KIND). An account belongs to one organisation with one role until it is
    /// removed; a role change is a removal and a new registration.
    function registerMember(address account, bytes32 org, Role role) external onlyRole(REGISTRAR_ROLE) {
        require(account != address(0), InvalidArgument());
        Organisation memory organisation_ = _requireOrganisation(org);
        require(RegistryPolicy.mayHold(organisation_.kind, role), RoleNotAllowed(organisation_.kind, role));
        require(_members[account].org == 0, MemberExists(account));
        _members[account] = Member(organisation_.index, organisation_.kind, role);
        emit MemberRegistered(account, organisation_.index, role);
    }

    /// @notice Removes `account` from its organisation (registrars only): a departed officer or employee,
    /// or a compromised key. What it did stays on the ledger under its organisation; from now on every
    /// action it sends is refused as an outsider's (NOT_AUTHORIZED).
    function removeMember(address account) external onlyRole(REGISTRAR_ROLE) {
        Member memory removed = _members[account];
        require(removed.org != 0, NotAMember(account));
        delete _members[account];
        emit MemberRemoved(account, removed.org, removed.role);
    }

    /// @notice Registers facility `id` of `kind` operated by organisation `operator` (a registered one).
    /// @dev Checked in the domain's order (domain/memory-ledger.ts): the id's uniqueness, then the operator.
    /// One storage pointer for the check and the write, as in registerOrganisation.
    function registerFacility(bytes32 id, FacilityKind kind, bytes32 operator) external onlyRole(REGISTRAR_ROLE) {
        Arguments.requireId(id);
        Facility storage facility_ = _facilities[id];
        require(facility_.operator == 0, AlreadyRegistered(id));
        uint32 operatorIndex = _requireOrganisation(operator).index;
        facility_.operator = operatorIndex;
        facility_.kind = kind;
        emit FacilityRegistered(id, operatorIndex, kind);
    }

    /// @notice The organisation `id` (`index == 0` when it is not registered).
    function organisation(bytes32 id) external view returns (Organisation memory) {
        return _organisations[id];
    }

    /// @inheritdoc ITraceGateRegistryView
    function member(address account) external view returns (Member memory) {
        return _members[account];
    }

    /// @inheritdoc ITraceGateRegistryView
    function facility(bytes32 id) external view returns (Facility memory) {
        return _facilities[id];
    }

    /// @notice Whether members of an organisation of `orgKind` may hold `role` (domain ROLES_BY_ORG_KIND).
    function mayHold(OrgKind orgKind, Role role) external pure returns (bool) {
        return RegistryPolicy.mayHold(orgKind, role);
    }

    /// @dev The caller as a SIGNER of any organisation (domain `requireSigner(actor, org, actor.org)`).
    function _signer() internal view returns (Member memory signer) {
        signer = _members[msg.sender];
        require(signer.org != 0 && signer.role == Role.SIGNER, NotAuthorized(msg.sender));
    }

    /// @dev The caller as a SIGNER of organisation number `issuer` (domain `requireSigner`).
    function _signerOf(uint32 issuer) internal view returns (Member memory signer) {
        signer = _signer();
        require(signer.org == issuer, NotAuthorized(msg.sender));
    }

    /// @dev The caller's membership (`org == 0`: none).
    function _member() internal view returns (Member memory) {
        return _members[msg.sender];
    }

    function _requireOrganisation(bytes32 id) private view returns (Organisation memory organisation_) {
        organisation_ = _organisations[id];
        require(organisation_.index != 0, UnknownOrganisation(id));
    }
}
