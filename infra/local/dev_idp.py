"""A development identity provider: a signing key, its JWKS, and tokens for test identities.

Tokens look like those of a DigiD / eHerkenning / eIDAS broker following OIDC NL GOV: ``sub``
with ``sub_id_type`` for a burger (BSN) or a person logged in through eIDAS, ``represents`` for an
ondernemer's representative or for someone acting for another person (with ``represents.rol``),
``acr`` with an eIDAS level (shared/identity/subject.py says what each means). Only for local
use: the key lives in the workspace folder.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwk, jwt

from infra.local.workspace import Workspace, write_private
from shared.models.partij import SoortIdentificator, oidc_id_type

ISSUER = "https://dev-idp.profielservice.localhost"
AUDIENCE = "profielservice"
ALGORITHM = "RS256"
ACR_SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"
PSEUDONYM_ID_TYPE = "urn:nl-eid-gdi:1.0:id:pseudonym"
JWKS_PATH = "/dev-idp/jwks.json"


class DevIdentityProvider:
    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._private_pem = self._load_or_create_key(workspace.signing_key)
        public = jwk.construct(self._private_pem, ALGORITHM).public_key().to_dict()
        self.key_id = uuid.uuid5(uuid.NAMESPACE_URL, public["n"]).hex[:16]
        self.jwks = {"keys": [{**public, "kid": self.key_id, "use": "sig"}]}
        write_private(workspace.jwks, json.dumps(self.jwks))

    @property
    def jwks_file_uri(self) -> str:
        return self._workspace.jwks.resolve().as_uri()

    def token(self, claims: dict, lifetime_seconds: int = 3600) -> str:
        return jwt.encode(
            self.claims(claims, lifetime_seconds),
            self._private_pem,
            algorithm=ALGORITHM,
            headers={"kid": self.key_id},
        )

    def claims(self, claims: dict, lifetime_seconds: int = 3600) -> dict:
        """The whole claim set of a token of this IdP with ``claims`` in it (unsigned)."""
        now = int(time.time())
        payload = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "nbf": now,
            "exp": now + lifetime_seconds,
            "jti": uuid.uuid4().hex,
            "acr": ACR_SUBSTANTIAL,
            **claims,
        }
        # A claim given as None is left out (an organisation's token has no acr).
        return {name: value for name, value in payload.items() if value is not None}

    def burger_token(self, bsn: str, lifetime_seconds: int = 3600, **extra: object) -> str:
        return self.token(
            {"sub": bsn, "sub_id_type": oidc_id_type(SoortIdentificator.BSN), **extra},
            lifetime_seconds,
        )

    def eidas_token(self, identificator: str, lifetime_seconds: int = 3600, **extra: object) -> str:
        """A person logged in through eIDAS, without a BSN: ``DE/NL/...``."""
        return self.token(
            {"sub": identificator, "sub_id_type": oidc_id_type(SoortIdentificator.EIDAS), **extra},
            lifetime_seconds,
        )

    def representative_token(
        self,
        bsn: str,
        rol: str,
        actor_bsn: str | None = None,
        lifetime_seconds: int = 3600,
        **extra: object,
    ) -> str:
        """Someone acting for the person with this BSN, as ``rol`` (gemachtigde, curator,
        bewindvoerder): by DigiD with their own BSN (``actor_bsn``, as DigiD Machtigen), else
        with a broker pseudonym (a professional logging in with eHerkenning)."""
        represents = {
            "sub": bsn,
            "sub_id_type": oidc_id_type(SoortIdentificator.BSN),
            "iss": ISSUER,  # OIDC NL GOV: who vouches for the represented party
            "rol": rol,
        }
        if actor_bsn is not None:
            actor = {"sub": actor_bsn, "sub_id_type": oidc_id_type(SoortIdentificator.BSN)}
        else:
            stable = uuid.uuid5(uuid.NAMESPACE_URL, f"{ISSUER}/{rol}/{bsn}").hex[:16]
            actor = {"sub": f"dev-{rol}-{stable}", "sub_id_type": PSEUDONYM_ID_TYPE}
        return self.token({**actor, "represents": represents, **extra}, lifetime_seconds)

    def ondernemer_token(
        self,
        kvk_nummer: str,
        lifetime_seconds: int = 3600,
        vestigingsnummer: str | None = None,
        **extra: object,
    ) -> str:
        # The representative's own identity is a broker pseudonym, stable per company here.
        represents = {"sub": kvk_nummer, "sub_id_type": oidc_id_type(SoortIdentificator.KVK_NUMMER)}
        if vestigingsnummer is not None:
            represents["vestigingsnummer"] = vestigingsnummer
        claims = {
            "sub": f"dev-vertegenwoordiger-{kvk_nummer}",
            "sub_id_type": PSEUDONYM_ID_TYPE,
            "represents": represents,
            **extra,
        }
        return self.token(claims, lifetime_seconds)

    def id_token(
        self,
        client_id: str,
        nonce: str | None,
        identity_claims: dict,
        lifetime_seconds: int = 3600,
    ) -> str:
        """An OIDC ID token for the relying party ``client_id`` (its ``aud``), as the
        authorization-code flow of ``infra.local.dev_idp_web`` hands out beside the access
        token. ``nonce`` is left out when the relying party sent none."""
        claims = {**identity_claims, "aud": client_id, "nonce": nonce}
        return self.token(claims, lifetime_seconds)

    def organisation_token(
        self, oin: str, scope: str = "profielservice.opvragen", lifetime_seconds: int = 3600
    ) -> str:
        """An OAuth2 client-credentials access token of an organisation (no person, no acr)."""
        claims = {"sub": oin, "client_id": oin, "scope": scope, "acr": None}
        return self.token(claims, lifetime_seconds)

    @staticmethod
    def _load_or_create_key(path: Path) -> str:
        if not path.exists():
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ).decode()
            write_private(path, pem)
        return path.read_text()
