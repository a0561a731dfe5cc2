"""Keyed pseudonyms: how an identifier is stored and referred to everywhere but in the token.

HMAC-SHA256 with a secret key: the same BSN always gives the same key in the store, but without
the key nobody can go from the stored value back to the BSN (a plain hash of nine digits can be
reversed by trying all of them).
"""

from __future__ import annotations

import hmac


def pseudonym(id_type: str, identifier: str, key: bytes) -> str:
    return keyed_pseudonym(pseudonym_input(id_type, identifier), key)


def pseudonym_input(id_type: str, identifier: str) -> str:
    """What the pseudonym is the HMAC of; also what a sealed identifier holds."""
    # The type is part of the input so that a BSN and a KVK-nummer never share a pseudonym.
    return f"{id_type}:{identifier}"


def keyed_pseudonym(message: str, key: bytes) -> str:
    # hmac.digest: OpenSSL's one-shot HMAC, without an HMAC object per call (a bulk lookup makes
    # a thousand).
    return hmac.digest(key, message.encode(), "sha256").hex()
