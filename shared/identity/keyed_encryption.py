"""Short authenticated ciphertexts under keys derived from the pseudonym key, one key per use.

For what the service hands out and must recognise when it comes back - a NotifyNL reference, what
a Klantinteracties partij UUID refers to - without a table to look it up in: AES-256-GCM with a
random nonce, under a key derived with HKDF-SHA256 from the pseudonym key and the use's own
``info``, so that a ciphertext made for one use never opens as another's. The result is
URL-safe base64 of nonce and ciphertext. Whoever holds the pseudonym key can already recover an
identifier from its pseudonym by trying them all, so these expose nothing that key does not.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from shared.config import get_settings

_NONCE_BYTES = 12


def encrypt(info: bytes, message: bytes, associated: bytes = b"") -> str:
    """``message`` encrypted under the current pseudonym key's key for ``info``, bound to
    ``associated`` (which must be given again to decrypt)."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_key(_current(), info)).encrypt(nonce, message, associated)
    return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def decrypt(
    info: bytes, token: str, associated: bytes = b"", during_rotation: bool = False
) -> bytes | None:
    """What :func:`encrypt` encrypted for ``info`` and ``associated``; None for anything else -
    damaged, forged, made for another use, or under a key no longer in use. With
    ``during_rotation``, also under the previous pseudonym key while a rotation runs."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, binascii.Error):
        return None
    nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    if len(nonce) != _NONCE_BYTES or not sealed:
        return None
    secrets = [_current()]
    previous = get_settings().pseudonym_key_previous
    if during_rotation and previous is not None:
        secrets.append(previous.get_secret_value().encode())
    for secret in secrets:
        try:
            return AESGCM(_key(secret, info)).decrypt(nonce, sealed, associated)
        except InvalidTag:
            continue
    return None


def _current() -> bytes:
    return get_settings().pseudonym_key.get_secret_value().encode()


@functools.lru_cache(maxsize=8)
def _key(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)
