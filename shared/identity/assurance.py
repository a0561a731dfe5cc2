"""Levels of assurance: the ``acr`` claim mapped onto the three eIDAS levels.

DigiD and eHerkenning publish their own URIs; OIDC NL GOV allows the eIDAS ones. Unknown values
count as no assurance at all.
"""

from __future__ import annotations

from shared.config import AssuranceLevel

LEVELS: dict[AssuranceLevel, int] = {"low": 1, "substantial": 2, "high": 3}

_ACR_LEVEL: dict[str, AssuranceLevel] = {
    # eIDAS
    "http://eidas.europa.eu/LoA/low": "low",
    "http://eidas.europa.eu/LoA/substantial": "substantial",
    "http://eidas.europa.eu/LoA/high": "high",
    # DigiD (basis, midden, substantieel, hoog)
    "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport": "low",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract": "substantial",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard": "substantial",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI": "high",
    # eHerkenning
    "urn:etoegang:core:assurance-class:loa2": "low",
    "urn:etoegang:core:assurance-class:loa2plus": "low",
    "urn:etoegang:core:assurance-class:loa3": "substantial",
    "urn:etoegang:core:assurance-class:loa4": "high",
}


def level_of(acr: object) -> int:
    level = _ACR_LEVEL.get(acr) if isinstance(acr, str) else None
    return LEVELS[level] if level else 0


def meets(acr: object, minimum: AssuranceLevel) -> bool:
    return level_of(acr) >= LEVELS[minimum]
