"""From one DynamoDB stream record of the profile table to one audit record. Pure.

The images are the stored items (plain Python values). Only the names of changed fields go into
the record, at the granularity a person understands: ``contactgegevens.email``,
``postadres``, ``voorkeuren.correspondentie``.

A record is known by the change itself - the partij and the version of its profile that the change
produced - never by the stream record that carried it: a store restored from a snapshot or a
journal starts a new stream whose sequence numbers begin again, and a replay or a restore must
neither drop nor double a record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from shared.identity.subject import ActorRole
from shared.models.audit import Actie, AuditRecord, produced_version, volgnummer
from shared.models.ldv import EIGEN_PROFIELBEHEER, SUBJECT_ID_TYPES, Verwerking

_ACTIONS = {"INSERT": Actie.AANGEMAAKT, "MODIFY": Actie.GEWIJZIGD, "REMOVE": Actie.VERWIJDERD}
CHANGE_NAME = "wijzigen eigen profiel"


def audit_record(
    event_name: str,
    approximate_creation_epoch: float | None,
    keys: Mapping[str, Any],
    old_image: Mapping[str, Any] | None,
    new_image: Mapping[str, Any] | None,
) -> AuditRecord:
    old, new = old_image or {}, new_image or {}
    # The item tells who made the change; a removal has no new item, so it was the system (TTL,
    # erasure) - the portal API cannot remove a whole profile.
    author = new if new else {}
    when = author.get("changed_at") or _iso(approximate_creation_epoch)
    versie_voor, versie_na = _version(old), _version(new)
    return AuditRecord(
        partij=str(keys["partij"]),
        volgnummer=volgnummer(produced_version(versie_voor, versie_na)),
        actie=_ACTIONS[event_name],
        velden=changed_fields(old, new),
        versie_voor=versie_voor,
        versie_na=versie_na,
        actor_rol=author.get("changed_by_role") or ActorRole.SYSTEEM.value,
        actor=author.get("changed_by"),
        tijdstip=str(when),
        trace_id=author.get("trace_id"),
    )


def change_verwerking(
    record: AuditRecord, image: Mapping[str, Any], processing_activity: str
) -> Verwerking:
    """The LDV record of one change of one's own profile: in the trace of the request that made
    it (its span the parent), with ids and times that follow from the change itself, so that a
    redelivery or a replay writes the very same record again."""
    derived = hashlib.sha256(f"{record.partij}/{record.volgnummer}".encode()).hexdigest()
    moment = int(datetime.fromisoformat(record.tijdstip).timestamp() * 1000)
    soort = {"burger": "BSN", "ondernemer": "KVK"}.get(str(image.get("partij_soort")))
    return Verwerking(
        trace_id=record.trace_id or derived[:32],
        span_id=derived[:16],
        parent_span_id=image.get("span_id"),
        name=CHANGE_NAME,
        status="Ok",
        start_time=moment,
        end_time=moment,
        processing_activity_id=processing_activity,
        data_subject_id=record.partij,
        data_subject_id_type=SUBJECT_ID_TYPES.get(soort, SUBJECT_ID_TYPES["onbekend"]),
        oin=None,
        doel=EIGEN_PROFIELBEHEER,
    )


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[str, ...]:
    names: set[str] = set()
    old_by_soort = _by_soort(old.get("contactgegevens"))
    new_by_soort = _by_soort(new.get("contactgegevens"))
    for soort in old_by_soort.keys() | new_by_soort.keys():
        if old_by_soort.get(soort) != new_by_soort.get(soort):
            names.add(f"contactgegevens.{soort}")
    if (old.get("postadres") or None) != (new.get("postadres") or None):
        names.add("postadres")
    old_voorkeuren, new_voorkeuren = old.get("voorkeuren") or {}, new.get("voorkeuren") or {}
    for name in old_voorkeuren.keys() | new_voorkeuren.keys():
        if old_voorkeuren.get(name) != new_voorkeuren.get(name):
            names.add(f"voorkeuren.{name}")
    return tuple(sorted(names))


def _by_soort(contactgegevens: Any) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for contactgegeven in contactgegevens or ():
        grouped.setdefault(str(contactgegeven.get("soortDigitaalAdres")), []).append(contactgegeven)
    return grouped


def _iso(epoch_seconds: float | None) -> str:
    moment = datetime.fromtimestamp(epoch_seconds, UTC) if epoch_seconds else datetime.now(UTC)
    return moment.isoformat()


def _version(image: Mapping[str, Any]) -> int | None:
    version = image.get("version")
    return None if version is None else int(version)
