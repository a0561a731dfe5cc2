"""The one place where a JWT is verified. All JOSE use goes through :func:`verify_token`.

- the key comes from the issuer's JWKS, chosen by ``kid``; the issuer must be on the allow-list;
- the algorithm is pinned: RS256 or ES256 only, and it must match the key's type (and the key's
  own ``alg`` where the JWKS states one) - python-jose would otherwise accept what the token says;
- ``aud``, ``exp``, ``nbf`` and ``iss`` are checked, ``exp`` and ``sub`` are required.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jose import jwk, jwt
from jose.backends.base import Key
from jose.exceptions import ExpiredSignatureError, JOSEError, JWTClaimsError

from shared.config import Settings, TrustedIssuer

ALLOWED_ALGORITHMS = {"RS256": "RSA", "ES256": "EC"}

JWKS_MAX_AGE_SECONDS = 3600
# An unknown kid triggers a refetch (the issuer may have rotated keys), but not more often than
# this: a stream of tokens with made-up kids must not turn into a stream of requests to the IdP.
JWKS_REFETCH_INTERVAL_SECONDS = 60
JWKS_FETCH_TIMEOUT_SECONDS = 3


class InvalidToken(Exception):
    """The token is not acceptable. The message is safe to return: it names no claim values."""


class KeySetUnavailable(Exception):
    """The issuer's key set could not be fetched."""


@dataclass
class _KeySet:
    keys: dict[str, dict[str, Any]] = field(default_factory=dict)
    fetched_at: float = float("-inf")


class KeySetCache:
    """JWKS per issuer, fetched lazily, kept for an hour, shared by all requests of a process."""

    def __init__(self) -> None:
        self._sets: dict[str, _KeySet] = {}
        self._lock = threading.Lock()

    def key(self, issuer: TrustedIssuer, kid: str) -> dict[str, Any] | None:
        with self._lock:
            cached = self._sets.get(issuer.jwks_uri, _KeySet())
            age = time.monotonic() - cached.fetched_at
            stale = age > JWKS_MAX_AGE_SECONDS
            unknown_and_may_refetch = kid not in cached.keys and age > JWKS_REFETCH_INTERVAL_SECONDS
            if stale or unknown_and_may_refetch:
                cached = _KeySet(_fetch_keys(issuer.jwks_uri), time.monotonic())
                self._sets[issuer.jwks_uri] = cached
            return cached.keys.get(kid)

    def clear(self) -> None:
        with self._lock:
            self._sets.clear()


def _fetch_keys(jwks_uri: str) -> dict[str, dict[str, Any]]:
    try:
        with urllib.request.urlopen(jwks_uri, timeout=JWKS_FETCH_TIMEOUT_SECONDS) as response:
            document = json.load(response)
    except (OSError, ValueError) as error:
        raise KeySetUnavailable(f"JWKS could not be read ({type(error).__name__})") from None
    keys = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(keys, list):
        raise KeySetUnavailable("JWKS is not a key set")
    return {
        key["kid"]: key for key in keys if isinstance(key, dict) and isinstance(key.get("kid"), str)
    }


KEY_SETS = KeySetCache()


def verify_token(token: str, settings: Settings, key_sets: KeySetCache = KEY_SETS) -> dict:
    """Return the claims of a valid token, or raise :class:`InvalidToken`."""
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.get_unverified_claims(token)
    except JOSEError:
        raise InvalidToken("het token is geen geldige JWT") from None

    algorithm = header.get("alg")
    if algorithm not in ALLOWED_ALGORITHMS:
        raise InvalidToken("het algoritme van het token is niet toegestaan")
    issuer = next((i for i in settings.trusted_issuers if i.issuer == unverified.get("iss")), None)
    if issuer is None:
        raise InvalidToken("de uitgever van het token wordt niet vertrouwd")
    kid = header.get("kid")
    key = key_sets.key(issuer, kid) if isinstance(kid, str) else None
    if key is None:
        raise InvalidToken("de sleutel van het token is onbekend")
    if key.get("kty") != ALLOWED_ALGORITHMS[algorithm] or key.get("alg", algorithm) != algorithm:
        raise InvalidToken("het algoritme past niet bij de sleutel")

    try:
        return jwt.decode(
            token,
            _public_key(json.dumps(key, sort_keys=True), algorithm),
            algorithms=[algorithm],
            audience=settings.audience,
            issuer=issuer.issuer,
            options={
                "require_exp": True,
                "require_sub": True,
                "require_iss": True,
                "require_aud": True,
                "leeway": settings.clock_skew_seconds,
            },
        )
    except ExpiredSignatureError:
        raise InvalidToken("het token is verlopen") from None
    except JWTClaimsError:
        raise InvalidToken("het token is niet voor deze dienst, of nog niet geldig") from None
    except JOSEError:
        raise InvalidToken("de handtekening van het token klopt niet") from None


@lru_cache(maxsize=64)
def _public_key(jwk_json: str, algorithm: str) -> Key:
    """The issuer's key, ready to verify with: building it from the JWK costs more than the
    signature check itself. Keyed by the whole JWK, so a rotated key is a new entry."""
    return jwk.construct(json.loads(jwk_json), algorithm)
