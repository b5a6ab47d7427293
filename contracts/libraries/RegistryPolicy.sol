// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {DocumentKind, OrgKind, Role} from "../types/Enums.sol";

/// @notice The registry's two policy tables, as bit sets.
library RegistryPolicy {
    // ROLES_BY_ORG_KIND (domain/types.ts): byte k = the roles (bit r = Role r) OrgKind k may hold.
    //   CUSTOMS    ADMIN OFFICER AUDITOR SIGNER  0b10111
    //   ENTERPRISE OPERATOR SIGNER               0b11000
    //   WAREHOUSE  OPERATOR SIGNER               0b11000
    //   ISSUER     SIGNER                        0b10000
    uint256 private constant ROLES_BY_ORG_KIND = 0x10_18_18_17;

    // ISSUERS_BY_DOCUMENT_KIND (domain/documents.ts): byte d = the org kinds (bit k = OrgKind k)
    // that may issue DocumentKind d.
    //   DECLARATION ENTERPRISE 0b0010   MANIFEST ENTERPRISE WAREHOUSE 0b0110   CO ISSUER 0b1000
    //   PERMIT ISSUER 0b1000   INSPECTION CUSTOMS ISSUER 0b1001   CLEARANCE CUSTOMS 0b0001
    //   NORM ENTERPRISE 0b0010   BALANCE_REPORT ENTERPRISE 0b0010   TRANSIT CUSTOMS ENTERPRISE 0b0011
    //   SEAL_TRACK CUSTOMS 0b0001
    uint256 private constant ISSUERS_BY_DOCUMENT_KIND = 0x01_03_02_02_01_09_08_08_06_02;

    function mayHold(OrgKind orgKind, Role role) internal pure returns (bool) {
        return (ROLES_BY_ORG_KIND >> (8 * uint256(orgKind) + uint256(role))) & 1 == 1;
    }

    function mayIssue(OrgKind orgKind, DocumentKind documentKind) internal pure returns (bool) {
        return (ISSUERS_BY_DOCUMENT_KIND >> (8 * uint256(documentKind) + uint256(orgKind))) & 1 == 1;
    }
}
