"""The repository of profiles: read one, save one if nobody changed it in between."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.attributes import DESERIALIZE_CLASS_MAP, MapAttribute
from pynamodb.exceptions import PutError, PynamoDBException

from shared.config import get_settings
from shared.identity.subject import ActorRole
from shared.models.partij import SoortIdentificator
from shared.models.profiel import Profiel, kalenderdatum
from shared.store import batches
from shared.store.errors import VersionConflict, store_unavailable
from shared.store.tables import PROFIEL_SCHEMA_VERSION, ProfielItem, dispatcher
from shared.tracing import TraceContext

__all__ = [
    "Change",
    "ProfielRepository",
    "StoredProfiel",
    "VersionConflict",
    "change_by",
    "profiel_from_image",
    "profiel_from_item",
    "profiel_item",
    "profiel_item_from_image",
]

_PROFIEL_FIELDS = ("contactgegevens", "postadres", "contactnaam", "voorkeuren", "delen")


@dataclass(frozen=True)
class StoredProfiel:
    profiel: Profiel
    # 0 for a profile that has never been stored.
    version: int
    # What the item says its key stands for, and that identifier sealed: for a change made by
    # someone who knows the partij only by its key (a delivery receipt), to store them again.
    # Not part of what the profile is: two reads of the same version compare equal.
    soort: SoortIdentificator | None = field(default=None, compare=False)
    sealed_identifier: str | None = field(default=None, compare=False)


class _Caller(Protocol):  # shared.identity.access.PartijCaller, without importing token checks
    @property
    def rol(self) -> ActorRole: ...
    @property
    def actor(self) -> str | None: ...
    @property
    def soort(self) -> SoortIdentificator: ...
    @property
    def sealed_identifier(self) -> str | None: ...


@dataclass(frozen=True)
class Change:
    """What the item carries about the write that made it, for the audit trail."""

    actor_role: ActorRole
    actor: str | None
    at: datetime
    trace_id: str
    span_id: str | None = None  # the request's span: the parent of the change's LDV record
    soort: SoortIdentificator | None = None  # whose profile: what its pseudonym stands for
    sealed_identifier: str | None = None  # the identifier behind it, for a key rotation


def change_by(caller: _Caller, trace: TraceContext, now: datetime) -> Change:
    """What the stored item carries about the request that changed it: who (in role terms), when,
    and in which trace - for the audit trail and the LDV record made from the stream."""
    return Change(
        actor_role=caller.rol,
        actor=caller.actor,
        at=now,
        trace_id=trace.trace_id,
        span_id=trace.span_id,
        soort=caller.soort,
        sealed_identifier=caller.sealed_identifier,
    )


class ProfielRepository:
    def get(self, partij: str) -> StoredProfiel:
        # Read in DynamoDB's own form and converted in one pass (profiel_from_image): the most
        # frequent request of all, and the pynamodb model cost a fifth of what it adds.
        request = {
            "TableName": ProfielItem.Meta.table_name,
            "Key": {ProfielItem.partij.attr_name: {"S": partij}},
            "ConsistentRead": True,
        }
        try:
            image = dispatcher(ProfielItem).dispatch("GetItem", request).get("Item")
        except (PynamoDBException, BotoCoreError, ClientError):
            raise store_unavailable() from None
        if image is None:
            return StoredProfiel(Profiel(), 0)
        version = int(image[ProfielItem.version.attr_name]["N"])
        soort = soort_identificator(image.get(ProfielItem.partij_soort.attr_name, {}).get("S"))
        sealed = image.get(ProfielItem.sealed_identifier.attr_name, {}).get("S")
        profiel = profiel_from_image(image)
        return StoredProfiel(profiel if profiel is not None else Profiel(), version, soort, sealed)

    def get_many(self, partijen: Iterable[str]) -> dict[str, Profiel]:
        """The stored profiles of these partijen (``shared.store.batches``: 100 keys a request,
        several in flight); a partij without a profile, or erased, is absent from the answer."""
        key = ProfielItem.partij.attr_name
        keys = [{key: {"S": partij}} for partij in dict.fromkeys(partijen)]
        try:
            images = batches.get_items(dispatcher(ProfielItem), ProfielItem.Meta.table_name, keys)
        except (PynamoDBException, BotoCoreError, ClientError, batches.UnprocessedItems):
            raise store_unavailable() from None
        found = {image[key]["S"]: profiel_from_image(image) for image in images}
        return {partij: profiel for partij, profiel in found.items() if profiel is not None}

    def save(self, partij: str, profiel: Profiel, expected_version: int, change: Change) -> int:
        """Store ``profiel`` if the stored version is still ``expected_version``; the new version."""
        return self._put(profiel_item(partij, profiel, change), expected_version)

    def wis(self, partij: str, expected_version: int, change: Change) -> int:
        """Erase the profile if the stored version is still ``expected_version``: what is left is
        the partij's pseudonym and the new version, marked erased; the new version."""
        item = profiel_item(partij, Profiel(), change)
        item.gewist = True
        # Kept as long as the audit record of the erasure, the last of the trail it continues.
        item.bewaren_tot = change.at + timedelta(days=get_settings().audit_retention_days)
        return self._put(item, expected_version)

    def _put(self, item: ProfielItem, expected_version: int) -> int:
        if expected_version:
            # Without a version pynamodb requires that the item does not exist yet.
            item.version = expected_version
        try:
            item.save()  # conditional on the version: pynamodb's VersionAttribute
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                raise VersionConflict from None
            raise store_unavailable() from None
        return item.version


def profiel_item(partij: str, profiel: Profiel, change: Change) -> ProfielItem:
    """The stored form of a profile, in the newest schema, without a version."""
    # What equals its default is left out (and comes back as the default when read): a profile
    # with preferences for many organisations must still fit one read unit.
    stored = profiel.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return ProfielItem(
        partij,
        schema_version=PROFIEL_SCHEMA_VERSION,
        contactgegevens=stored.get("contactgegevens", []),
        postadres=stored.get("postadres"),
        contactnaam=stored.get("contactnaam"),
        voorkeuren=stored.get("voorkeuren", {}),
        delen=stored.get("delen", {}),
        changed_by_role=change.actor_role.value,
        changed_by=change.actor,
        changed_at=change.at.isoformat(),
        trace_id=change.trace_id,
        span_id=change.span_id,
        partij_soort=change.soort.value if change.soort else None,
        sealed_identifier=change.sealed_identifier,
    )


def profiel_item_from_image(image: Mapping[str, Any]) -> ProfielItem:
    """A stored item from DynamoDB's own form of it - a stream image is that form, as is a
    ``GetItem``'s answer - read by the same model, for :func:`profiel_from_item` to upgrade."""
    return ProfielItem.from_raw_data(dict(image))


def profiel_from_item(item: ProfielItem) -> Profiel:
    """The reader of the stored form: a profile item of any schema version as the domain
    ``Profiel`` (the repository's reads, process-log's stream images)."""
    values = {}
    for name in _PROFIEL_FIELDS:
        value = getattr(item, name)
        if isinstance(value, MapAttribute):  # untyped maps come back as MapAttribute
            value = value.as_dict()
        if value is not None:
            values[name] = value
    return _profiel(values, item.schema_version)


def _stored_value(value: Mapping[str, Any]) -> Any:
    """An attribute in DynamoDB's own form as pynamodb reads an untyped one (numbers the int or
    float they were stored from): by its own per-type readers, without a model around them."""
    ((kind, raw),) = value.items()
    return DESERIALIZE_CLASS_MAP[kind].deserialize(raw)


def profiel_from_image(image: Mapping[str, Any]) -> Profiel | None:
    """:func:`profiel_from_item` of an item in DynamoDB's own form, without building the pynamodb
    model (a bulk lookup reads 1000 at once: the model cost three times the rest); None for an
    erased profile. ``tests/unit/test_store_batches.py`` holds the two readers to one result."""
    if _stored_value(image.get(ProfielItem.gewist.attr_name, {"NULL": True})):
        return None
    values = {
        name: value
        for name in _PROFIEL_FIELDS
        if name in image and (value := _stored_value(image[name])) is not None
    }
    schema = image.get(ProfielItem.schema_version.attr_name)
    return _profiel(values, _stored_value(schema) if schema else None)


def _profiel(values: dict[str, Any], schema_version: int | None) -> Profiel:
    for version in range(int(schema_version or 1), PROFIEL_SCHEMA_VERSION):
        values = _UPGRADES[version](values)
    return Profiel.model_validate(values)


# From the stored shape of schema version n to that of n + 1. An item is upgraded when read and
# stored in the newest shape at its next change: no migration of the table.
_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    # Phase 1 stored ``voorkeuren: {"correspondentie": ...}``: that is the default level of the
    # phase-2 preferences as it is.
    1: lambda values: values,
    # Schema 2 stored the moment of verification; 3 stores its day, as Open Klant does.
    2: lambda values: (
        values
        | {
            "contactgegevens": [
                _verificatie_dag(contactgegeven)
                for contactgegeven in values.get("contactgegevens", [])
            ]
        }
    ),
}


def _verificatie_dag(contactgegeven: dict[str, Any]) -> dict[str, Any]:
    moment = contactgegeven.get("verificatieDatum")
    if moment is None:
        return contactgegeven
    day = kalenderdatum(datetime.fromisoformat(moment)).isoformat()
    return contactgegeven | {"verificatieDatum": day}


def soort_identificator(stored: object) -> SoortIdentificator | None:
    """The kind of identifier a stored item's key is the pseudonym of (``partij_soort``).

    None for an item that does not say - or says it in the words items used before the kind was
    stored as ``codeSoortObjectId`` (``burger``, ``ondernemer``): the next change of the profile
    stores it anew, and until then its LDV records name the general pseudonym type.
    """
    try:
        return SoortIdentificator(stored)
    except ValueError:
        return None
