"""The UUIDs an organisation knows partijen and their addresses by on the Klantinteracties surface.

Open Klant's clients find a partij by identifier and then refer to it by its UUID
(``GET /partijen/{uuid}``, a ``betrokkene``'s ``wasPartij``). Those UUIDs are **per
organisation**: derived from the organisation's OIN and the partij's store key (itself a keyed
pseudonym), so two organisations get different UUIDs for the same person and cannot correlate
the people they look up; an address's UUID likewise from the OIN and the contact detail's id.

A UUID is given only with a lookup, and the lookup's LDV record keeps it (``verwijzing``) with
the partij's identifier encrypted under a key derived from the pseudonym key (``verwezen``): the
organisation can refer to the partij for as long as that record is kept, and a read by UUID is a
lookup like any other - the register is asked whether the partij is still kept, and the read is
recorded. Whoever holds the pseudonym key can already find any BSN by trying them all, so the
encrypted identifier exposes nothing that key does not. After a key rotation the UUIDs of old
records no longer open (the derived key changed): the client finds the partij by identifier
again, as the OMC and Open Forms do for every message.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

from shared.identity.keyed_encryption import decrypt, encrypt
from shared.models.partij import SoortIdentificator

# The key's own use (shared.identity.keyed_encryption).
_USE = b"partij-verwijzing"


def partij_uuid(oin: str, partij: str, vestigingsnummer: str | None = None) -> str:
    """The partij's UUID for this organisation (partij: its store key); a company's branch, a
    partij of its own in Klantinteracties, by the company's key and its vestigingsnummer."""
    return _derived_uuid(
        "partij", oin, f"{partij}/{vestigingsnummer}" if vestigingsnummer else partij
    )


def adres_uuid(oin: str, contactgegeven_id: uuid.UUID | str) -> str:
    """A contact detail's UUID for this organisation."""
    return _derived_uuid("digitaal-adres", oin, str(contactgegeven_id))


@dataclass(frozen=True)
class Verwezen:
    """Whom a partij UUID refers to: the partij's identifier, and for a branch its number."""

    soort: SoortIdentificator
    identificator: str
    vestigingsnummer: str | None = None


def versleuteld(verwijzing: str, verwezen: Verwezen) -> str:
    """Whom the UUID ``verwijzing`` refers to, encrypted for the record that keeps the UUID."""
    message = json.dumps([verwezen.soort.value, verwezen.identificator, verwezen.vestigingsnummer])
    return encrypt(_USE, message.encode(), verwijzing.encode())


def ontsleuteld(verwijzing: str, waarde: str) -> Verwezen | None:
    """Whom :func:`versleuteld` encrypted for this UUID; None if it does not open under the
    current key (or, during a rotation, the previous one)."""
    message = decrypt(_USE, waarde, verwijzing.encode(), during_rotation=True)
    if message is None:
        return None
    soort, identificator, vestigingsnummer = json.loads(message)
    return Verwezen(SoortIdentificator(soort), identificator, vestigingsnummer)


def _derived_uuid(kind: str, oin: str, value: str) -> str:
    digest = hashlib.sha256(f"klantinteracties:{kind}:{oin}:{value}".encode()).digest()
    # The layout of a random UUID (version 4): what every client's validator accepts.
    return str(uuid.UUID(bytes=digest[:16], version=4))
