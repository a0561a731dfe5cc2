"""The "contact details changed" event, after the NL GOV profile for CloudEvents. Pure.

- ``specversion`` 1.0; ``id`` a name-based UUID of the change (partij and the version it
  produced), so a redelivery or a replay after a restore carries the same id and subscribers can
  drop the duplicate, and no two changes share one (``source`` + ``id`` is unique);
- ``source`` a URN of the service, ``type`` reverse-DNS;
- ``subject`` the partij's pseudonym: no BSN, KVK-nummer or contact detail in any context
  attribute, and none in ``data`` either - ``data`` names the changed fields and the new version,
  ``dataref`` says where the owner (or, for a granted purpose, an organisation) reads the data.
"""

from __future__ import annotations

import uuid
from typing import Any

from shared.models.audit import AuditRecord

SPECVERSION = "1.0"
SOURCE = "urn:nl:profielservice:profielen"
TYPE_CONTACTGEGEVENS_GEWIJZIGD = "nl.profielservice.contactgegevens.gewijzigd"
# A URI-reference (as ``dataref`` allows): relative to the service's public base URL.
DATAREF = "/api/profiel/v1/profiel"
MAXIMUM_EVENT_BYTES = 64 * 1024
# The namespace of the events' name-based ids (RFC 9562 UUIDv5 of the source URN).
_EVENT_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, SOURCE)


def event_id(record: AuditRecord) -> str:
    return str(uuid.uuid5(_EVENT_ID_NAMESPACE, f"{record.partij}/{record.volgnummer}"))


def contactgegevens_gewijzigd(record: AuditRecord, public_base_url: str = "") -> dict[str, Any]:
    return {
        "specversion": SPECVERSION,
        "id": event_id(record),
        "source": SOURCE,
        "type": TYPE_CONTACTGEGEVENS_GEWIJZIGD,
        "time": record.tijdstip,
        "subject": record.partij,
        "datacontenttype": "application/json",
        "dataref": public_base_url.rstrip("/") + DATAREF,
        "data": {
            "actie": record.actie.value,
            "velden": list(record.velden),
            "versie": record.versie_na,
        },
    }
