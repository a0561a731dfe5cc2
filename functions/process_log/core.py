"""From one DynamoDB stream record of the profile table to what process-log records of it. Pure.

One change, one step: :func:`record_change` builds the audit record, the LDV record and the
change event from the stream record's data alone; the handler only stores and sends them.

The images are read as the repository reads any stored item - the same ``ProfielItem`` from
DynamoDB's form, upgraded from its schema version to the domain ``Profiel`` by the same
``profiel_from_item`` - and the changed fields are named by comparing the two profiles, not their
stored forms. An item stored under an older schema is rewritten in the newest one by the next
change; comparing stored forms would name every field whose shape the upgrade changed (a
verification moment that became its day) as if the owner had changed it.

Only the names of changed fields go into the record, at the granularity a person understands:
``contactgegevens.email``, ``postadres``, ``contactnaam``, ``voorkeuren.correspondentie``,
``delen``.

A record is known by the change itself - the partij and the version of its profile that the change
produced - never by the stream record that carried it: a store restored from a snapshot or a
journal starts a new stream whose sequence numbers begin again, and a replay or a restore must
neither drop nor double a record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from shared.identity.subject import ActorRole
from shared.models.audit import Actie, AuditRecord, produced_version, volgnummer
from shared.models.events import contactgegevens_gewijzigd
from shared.models.ldv import EIGEN_PROFIELBEHEER, Verwerking
from shared.models.partij import ldv_id_type
from shared.models.profiel import Contactgegeven, Profiel, SoortDigitaalAdres
from shared.models.voorkeuren import Voorkeuren
from shared.store.profielen import (
    profiel_from_item,
    profiel_item_from_image,
    soort_identificator,
)
from shared.store.tables import ProfielItem

_ACTIONS = {"INSERT": Actie.AANGEMAAKT, "MODIFY": Actie.GEWIJZIGD, "REMOVE": Actie.VERWIJDERD}
CHANGE_NAME = "wijzigen eigen profiel"
# A change nobody made for the partij: an organisation's (a bounce it reported, an address it
# saved for the partij to confirm) or the service's own (NotifyNL's delivery receipt). The
# organisation's own processing has its own record, under its purpose.
CHANGE_NAMES = {
    ActorRole.ORGANISATIE.value: "wijzigen profiel na melding organisatie",
    ActorRole.SYSTEEM.value: "wijzigen profiel door de dienst",
}


@dataclass(frozen=True)
class Vastlegging:
    """What process-log stores and sends of one change: all three from the same change."""

    audit: AuditRecord  # not yet linked: the chain is the trail's, at appending
    verwerking: Verwerking
    event: dict[str, Any]


def record_change(
    stream_record: Mapping[str, Any], processing_activity: str, public_base_url: str = ""
) -> Vastlegging | None:
    """The audit record, the LDV record and the change event of one stream record (its
    ``eventName`` and ``dynamodb`` in DynamoDB's own form, as the stream delivers them); None for
    what changes nothing of the partij's: a key rotation's move of the item, the store's removal
    of an erased profile's marker at the end of its retention."""
    data = stream_record["dynamodb"]
    old, new = _stored(data.get("OldImage")), _stored(data.get("NewImage"))
    if is_move(stream_record["eventName"], old, new) or _is_marker_expiry(
        stream_record["eventName"], old
    ):
        return None
    # An erasure (AVG art. 17) leaves the erased marker: the profile's removal, by its owner.
    actie = (
        Actie.VERWIJDERD if new is not None and new.gewist else _ACTIONS[stream_record["eventName"]]
    )
    audit = _audit_record(
        actie,
        data.get("ApproximateCreationDateTime"),
        str(data["Keys"]["partij"]["S"]),
        old,
        new,
    )
    item = new or old
    return Vastlegging(
        audit=audit,
        verwerking=_change_verwerking(
            audit,
            item.partij_soort if item else None,
            item.span_id if item else None,
            processing_activity,
            item.sealed_identifier if item else None,
        ),
        event=contactgegevens_gewijzigd(audit, public_base_url),
    )


def is_move(event_name: str, old: ProfielItem | None, new: ProfielItem | None) -> bool:
    """Whether the write is a key rotation's (``shared.store.rotation``): the copy under the new
    key, the marking of the old item, its removal."""
    if event_name == "REMOVE":
        return bool(old is not None and old.verhuisd)
    return bool(new is not None and new.verhuisd)


def _is_marker_expiry(event_name: str, old: ProfielItem | None) -> bool:
    """Whether the store removed an erased profile's marker as its retention ended: the erasure
    was recorded when it happened, and the trail it continued has passed its retention too."""
    return event_name == "REMOVE" and old is not None and bool(old.gewist)


def changed_fields(old: Profiel, new: Profiel) -> tuple[str, ...]:
    """The names of what differs between two profiles, in the API's terms."""
    names: set[str] = set()
    for soort in SoortDigitaalAdres:
        if _of_soort(old, soort) != _of_soort(new, soort):
            names.add(f"contactgegevens.{soort.value}")
    if old.postadres != new.postadres:
        names.add("postadres")
    if old.contactnaam != new.contactnaam:
        names.add("contactnaam")
    for name, field in Voorkeuren.model_fields.items():
        if getattr(old.voorkeuren, name) != getattr(new.voorkeuren, name):
            names.add(f"voorkeuren.{field.alias or name}")
    if old.delen != new.delen:
        names.add("delen")
    return tuple(sorted(names))


def _audit_record(
    actie: Actie,
    approximate_creation_epoch: float | None,
    partij: str,
    old: ProfielItem | None,
    new: ProfielItem | None,
) -> AuditRecord:
    # The item tells who made the change, an erasure too (its marker is an item); a removal of
    # the item itself can only be the system's (an operator, a TTL).
    versie_voor = old.version if old else None
    versie_na = new.version if new else None
    return AuditRecord(
        partij=partij,
        volgnummer=volgnummer(produced_version(versie_voor, versie_na)),
        actie=actie,
        velden=changed_fields(_profiel(old), _profiel(new)),
        versie_voor=versie_voor,
        versie_na=versie_na,
        actor_rol=(new.changed_by_role if new else None) or ActorRole.SYSTEEM.value,
        actor=new.changed_by if new else None,
        tijdstip=(new.changed_at if new else None) or _iso(approximate_creation_epoch),
        trace_id=new.trace_id if new else None,
    )


def _change_verwerking(
    record: AuditRecord,
    partij_soort: str | None,
    parent_span_id: str | None,
    processing_activity: str,
    sealed_identifier: str | None,
) -> Verwerking:
    """The LDV record of one change of one's own profile: in the trace of the request that made
    it (its span the parent), with ids and times that follow from the change itself, so that a
    redelivery or a replay writes the very same record again."""
    derived = hashlib.sha256(f"{record.partij}/{record.volgnummer}".encode()).hexdigest()
    moment = int(datetime.fromisoformat(record.tijdstip).timestamp() * 1000)
    return Verwerking(
        trace_id=record.trace_id or derived[:32],
        span_id=derived[:16],
        parent_span_id=parent_span_id,
        name=CHANGE_NAMES.get(record.actor_rol, CHANGE_NAME),
        status="Ok",
        start_time=moment,
        end_time=moment,
        processing_activity_id=processing_activity,
        data_subject_id=record.partij,
        data_subject_id_type=ldv_id_type(soort_identificator(partij_soort)),
        oin=None,
        doel=EIGEN_PROFIELBEHEER,
        sealed_identifier=sealed_identifier,
    )


def _stored(image: Mapping[str, Any] | None) -> ProfielItem | None:
    return profiel_item_from_image(image) if image else None


def _profiel(item: ProfielItem | None) -> Profiel:
    # No item (before an insert, after a removal) or an erased one: the empty profile, as the
    # repository reads it.
    return profiel_from_item(item) if item is not None and not item.gewist else Profiel()


def _of_soort(profiel: Profiel, soort: SoortDigitaalAdres) -> tuple[Contactgegeven, ...]:
    return tuple(c for c in profiel.contactgegevens if c.soort_digitaal_adres == soort)


def _iso(epoch_seconds: float | None) -> str:
    if not epoch_seconds:
        return datetime.now(UTC).isoformat()
    return datetime.fromtimestamp(float(epoch_seconds), UTC).isoformat()
