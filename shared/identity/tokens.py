"""The one place where a JWT is verified. All JOSE use goes through :func:`verify_token`.

- the key comes from the issuer's JWKS, chosen by ``kid``; the issuer must be on the allow-list;
- the algorithm is pinned: RS256 or ES256 only, and it must match the key's type (and the key's
  own ``alg`` where the JWKS states one) - python-jose would otherwise accept what the token says;
- ``aud``, ``exp``, ``nbf`` and ``iss`` are checked, ``exp`` and ``sub`` are required.

A portal sends the same token with every request for as long as it is valid, so a token's
signature is verified once and its claims are kept (:class:`VerifiedTokenCache`) until it
expires. What is kept can only be found again with the very same token (byte for byte, the
signature included), and every use checks anew what can change between requests: ``exp`` and
``nbf`` against the clock, the issuer's key set (a key the issuer withdrew no longer vouches for
its tokens, as fast as without the cache) and the settings it was verified against.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from jose import jwk, jwt
from jose.backends.base import Key
from jose.exceptions import ExpiredSignatureError, JOSEError, JWTClaimsError

from shared.config import Settings, TrustedIssuer

if TYPE_CHECKING:
    from cachetools import TLRUCache

ALLOWED_ALGORITHMS = {"RS256": "RSA", "ES256": "EC"}
V = TypeVar("V")

JWKS_MAX_AGE_SECONDS = 3600
# An unknown kid triggers a refetch (the issuer may have rotated keys), but not more often than
# this: a stream of tokens with made-up kids must not turn into a stream of requests to the IdP.
JWKS_REFETCH_INTERVAL_SECONDS = 60
JWKS_FETCH_TIMEOUT_SECONDS = 3
# Verified tokens kept per process: a warm function serves a few users' sessions at a time; a
# flood of distinct valid tokens only pushes the oldest out (each is verified in full again).
VERIFIED_TOKENS_KEPT = 1024


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


@dataclass(frozen=True)
class _VerifiedToken:
    """A token whose signature and claims were verified, and what that verification relied on."""

    claims: dict[str, Any]
    issuer: TrustedIssuer
    kid: str
    key: dict[str, Any]  # the JWK that verified the signature
    last_second: int  # exp + leeway: the last second (of the epoch) the token is accepted in
    first_second: int | None  # nbf - leeway, if the token has an nbf


class TokenBoundCache(Generic[V]):
    """What was worked out from verified tokens, per token: by the SHA-256 of the token
    (:func:`token_digest`), each kept until the token expires; thread-safe.

    Keyed by a hash rather than by the token: no bearer token that could be replayed is kept in
    memory, and a token differing in any byte (another signature) is a miss. Only what came from
    a token that passed every check is kept. An entry holds for the settings it was worked out
    under (the very object: new settings, nothing found); it leaves when its token expires (it
    may hold an identifier) or, the least recently used first, when ``maxsize`` are kept.
    """

    def __init__(self, maxsize: int = VERIFIED_TOKENS_KEPT) -> None:
        self._maxsize = maxsize
        # Built when first needed: importing cachetools would cost every cold start.
        self._entries: TLRUCache[bytes, _Kept[V]] | None = None
        self._lock = threading.Lock()

    def get(self, digest: bytes, settings: Settings) -> V | None:
        with self._lock:
            kept = self._entries.get(digest) if self._entries is not None else None
        return kept.value if kept is not None and kept.settings is settings else None

    def put(self, digest: bytes, settings: Settings, value: V, last_second: int) -> None:
        """Keep ``value`` until ``last_second`` (of the epoch, as ``exp``) has passed."""
        with self._lock:
            if self._entries is None:
                from cachetools import TLRUCache

                self._entries = TLRUCache(
                    self._maxsize, lambda _, kept, __: kept.last_second + 1, timer=time.time
                )
            self._entries[digest] = _Kept(value, settings, last_second)

    def discard(self, digest: bytes) -> None:
        with self._lock:
            if self._entries is not None:
                self._entries.pop(digest, None)

    def clear(self) -> None:
        with self._lock:
            if self._entries is not None:
                self._entries.clear()


@dataclass(frozen=True)
class _Kept(Generic[V]):
    value: V
    settings: Settings
    last_second: int


VerifiedTokenCache = TokenBoundCache[_VerifiedToken]
VERIFIED_TOKENS: VerifiedTokenCache = TokenBoundCache()


def token_digest(token: str) -> bytes:
    """What a :class:`TokenBoundCache` knows a token by."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def verify_token(
    token: str,
    settings: Settings,
    key_sets: KeySetCache = KEY_SETS,
    verified: VerifiedTokenCache = VERIFIED_TOKENS,
) -> dict:
    """Return the claims of a valid token, or raise :class:`InvalidToken`.

    A token verified before is not verified again while it is valid: its claims come from
    ``verified`` when its key is still in the issuer's key set, the settings are the same
    object, and ``exp`` and ``nbf`` (checked on every use, with the leeway) still allow it.
    """
    digest = token_digest(token)
    known = verified.get(digest, settings)
    if known is not None:
        if key_sets.key(known.issuer, known.kid) == known.key:
            _check_validity_period(known, int(time.time()))
            # A copy: the caller may add to it, the cached claims stay as verified.
            return dict(known.claims)
        verified.discard(digest)  # the issuer withdrew or replaced the key: verify in full
    claims, issuer, kid, key = _verify_signature_and_claims(token, settings, key_sets)
    last_second = accepted_until(claims, settings)
    nbf = int(claims["nbf"]) - settings.clock_skew_seconds if "nbf" in claims else None
    entry = _VerifiedToken(dict(claims), issuer, kid, key, last_second, nbf)
    verified.put(digest, settings, entry, last_second)
    return claims


def accepted_until(claims: dict, settings: Settings) -> int:
    """The last second (of the epoch) a verified token is accepted in: ``exp`` and the leeway,
    in whole seconds as python-jose counts them."""
    return int(claims["exp"]) + settings.clock_skew_seconds


def _check_validity_period(token: _VerifiedToken, now: int) -> None:
    """As python-jose checks ``exp`` and ``nbf`` (whole seconds, the leeway on both sides)."""
    if now > token.last_second:
        raise InvalidToken("het token is verlopen")
    if token.first_second is not None and now < token.first_second:
        raise InvalidToken("het token is niet voor deze dienst, of nog niet geldig")


def _verify_signature_and_claims(
    token: str, settings: Settings, key_sets: KeySetCache
) -> tuple[dict, TrustedIssuer, str, dict[str, Any]]:
    """The claims of a valid token, with the issuer, kid and key that vouched for it."""
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
        claims = jwt.decode(
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
    return claims, issuer, kid, key


@lru_cache(maxsize=64)
def _public_key(jwk_json: str, algorithm: str) -> Key:
    """The issuer's key, ready to verify with: building it from the JWK costs more than the
    signature check itself. Keyed by the whole JWK, so a rotated key is a new entry."""
    return jwk.construct(json.loads(jwk_json), algorithm)
