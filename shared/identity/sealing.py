"""Sealed identifiers: what lets a key rotation find every item again, and nothing else can read.

Every item the store keys by a pseudonym also carries the identifier behind it (the pseudonym's
input, ``bsn:<BSN>`` and so on) sealed to the rotation key pair. The functions hold only its
public key: they can seal, never open. Only ``profiel keys rotate`` holds the private key, for
the hours of a rotation: it opens each sealed identifier, computes the pseudonym under the new
key and moves the items there (``shared.store.rotation``). Without this a new key would find none
of the old items of people who never come back.

Envelope encryption: each process seals with an AES-256-GCM data key of its own, which it sealed
once to the public key with HPKE (RFC 9180, X25519 + HKDF-SHA256 + AES-128-GCM, as
``cryptography`` implements it). An HPKE seal per item would cost ~90 µs, a bulk lookup of 1,000
a tenth of a second; this costs ~2 µs an item. The sealed data key travels with every item
(80 bytes), so each item opens on its own.

Form: ``v1.<sealed data key>.<nonce + ciphertext>``, base64url; the sealed data key is the
ciphertext's associated data, so neither half can be swapped for another item's.
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache
from typing import Any

VERSION = "v1"
_INFO = b"profielservice sealed identifier v1"
_NONCE_BYTES = 12


class SealingError(ValueError):
    """A sealed identifier that does not open with this private key (or is no sealed value)."""


def new_key_pair() -> tuple[str, str]:
    """A new rotation key pair: (private key, public key), each base64url of its 32 raw bytes."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    private = X25519PrivateKey.generate()
    return _b64(private.private_bytes_raw()), _b64(private.public_key().public_bytes_raw())


def public_key_of(private_key: str) -> str:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    private = X25519PrivateKey.from_private_bytes(_unb64(private_key))
    return _b64(private.public_key().public_bytes_raw())


def seal(message: str, public_key: str) -> str:
    """``message`` sealed to the holder of the private key of ``public_key``."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    data_key, sealed_data_key = _data_key(public_key)
    nonce = os.urandom(_NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(nonce, message.encode(), sealed_data_key)
    return f"{VERSION}.{_b64(sealed_data_key)}.{_b64(nonce + ciphertext)}"


class Opener:
    """Opens sealed identifiers with the private key; each data key is opened once."""

    def __init__(self, private_key: str) -> None:
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

        try:
            self._private = X25519PrivateKey.from_private_bytes(_unb64(private_key))
        except ValueError:
            raise SealingError("not an X25519 private key") from None
        self._data_keys: dict[bytes, Any] = {}

    def open(self, sealed: str) -> str:
        from cryptography.exceptions import InvalidTag

        try:
            version, sealed_data_key_text, body_text = sealed.split(".")
            if version != VERSION:
                raise SealingError(f"unknown form {version!r}")
            sealed_data_key, body = _unb64(sealed_data_key_text), _unb64(body_text)
            aead = self._data_key(sealed_data_key)
            nonce, ciphertext = body[:_NONCE_BYTES], body[_NONCE_BYTES:]
            return aead.decrypt(nonce, ciphertext, sealed_data_key).decode()
        except (ValueError, InvalidTag):
            raise SealingError("a sealed identifier that does not open with this key") from None

    def _data_key(self, sealed_data_key: bytes) -> Any:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        aead = self._data_keys.get(sealed_data_key)
        if aead is None:
            aead = AESGCM(_suite().decrypt(sealed_data_key, self._private, info=_INFO))
            self._data_keys[sealed_data_key] = aead
        return aead


@lru_cache(maxsize=4)
def _data_key(public_key: str) -> tuple[bytes, bytes]:
    """This process's data key for ``public_key``, and the same key sealed to it."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    data_key = AESGCM.generate_key(bit_length=256)
    recipient = X25519PublicKey.from_public_bytes(_unb64(public_key))
    return data_key, _suite().encrypt(data_key, recipient, info=_INFO)


def _suite() -> Any:
    from cryptography.hazmat.primitives import hpke

    return hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_128_GCM)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
