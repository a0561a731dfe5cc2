"""The ``reference`` the service gives NotifyNL with each message it sends itself: opaque to
NotifyNL, meaningful to the service when NotifyNL's delivery receipt brings it back.

A message sent to a contact detail (a verification code, a notice) carries which partij and which
contact detail it was for - the partij's store key (its keyed pseudonym) and the detail's id -
encrypted with AES-256-GCM under a key derived (HKDF-SHA256) from the pseudonym key. NotifyNL
keeps references and shows them in its dashboards: it learns nothing from one, not even that two
messages were for the same person (a fresh random nonce each time), and nobody without the key can
make one that opens, so a receipt can only name a contact detail the service itself wrote to.

After a key rotation began, a reference made under the old key no longer opens: the partij's key
in it is no item's key any more, and a function cannot find the new one (that needs the sealed
identifier's private key). Such a late receipt is ignored: the next bounce of a message sent
since marks the address.
"""

from __future__ import annotations

from uuid import UUID

from shared.identity.keyed_encryption import decrypt, encrypt

_PARTIJ_BYTES = 32  # a pseudonym: the hex of an HMAC-SHA256
# The key's own use: a ciphertext made for another use does not open as a reference.
_USE = b"notifynl-referentie-v1"


def referentie(partij: str, contactgegeven_id: UUID) -> str:
    """The reference of a message to this contact detail of this partij (its store key)."""
    return encrypt(_USE, bytes.fromhex(partij) + contactgegeven_id.bytes, _USE)


def uit_referentie(waarde: str) -> tuple[str, UUID] | None:
    """The partij's store key and the contact detail's id a reference of ours holds; None for
    anything else - another sender's reference, a forged or damaged one, one from before a key
    rotation."""
    message = decrypt(_USE, waarde, _USE)
    if message is None or len(message) != _PARTIJ_BYTES + 16:
        return None
    return message[:_PARTIJ_BYTES].hex(), UUID(bytes=message[_PARTIJ_BYTES:])
