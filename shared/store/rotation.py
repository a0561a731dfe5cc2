"""A key rotation: moving a partij's items from its key under the pseudonym key being replaced to
its key under the current one, without downtime (docs/deploy.md, "Rotating the pseudonym key").

During a rotation every function has both keys (``PROFIEL_PSEUDONYM_KEY`` the new one,
``PROFIEL_PSEUDONYM_KEY_PREVIOUS`` the old one) and writes only under the new one. Whoever meets
a partij still under the old key moves it, with :func:`move_partij`: a function before it serves
the partij's own request, ``profiel keys rotate`` (:func:`rotate`) for everyone else - it finds
them through the identifiers sealed in their items (``shared.identity.sealing``). An
organisation's lookup reads both keys and moves nothing.

A move writes the new item before it removes the old, and its every step is safe to repeat,
also by two movers at once (only single-item conditional writes: ScyllaDB Alternator has no
transactions). In this order:

1. the audit trail, once it holds every change of the profile: its head under the old key is
   marked moved (conditional on its place, so no append slips in after), the records are linked
   anew under the new key's chain key and written, then the head; the old records are removed,
   the old head stays behind as a marker until its TTL, so that a stream record of the old key
   delivered again is recognised as already recorded (``shared.store.audit.ChainMoved``);
2. the Logboek records, their data subject the new key;
3. the verification states (a code sent before the move is bound to the old key and no longer
   confirms: the person asks a new one; the sends still count for the limits), and the contact
   moments organisations recorded;
4. the profile: a copy under the new key marked ``verhuisd``, then the old item is marked and
   removed. process-log records none of these writes: the partij changed nothing.

A representative's pseudonym, kept in the trail and on the profile, is no key of anything and
has no sealed identifier: a move replaces it with a keyed hash of itself under the new key, so
that who acted stays told apart within what was moved, and the old key can still be retired.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import (
    DeleteError,
    DoesNotExist,
    PutError,
    PynamoDBException,
    UpdateError,
)

from shared.config import get_settings
from shared.errors import niet_beschikbaar
from shared.identity.pseudonym import keyed_pseudonym
from shared.identity.sealing import Opener, SealingError
from shared.logs import logger
from shared.models.audit import (
    AuditRecord,
    first_broken_link,
    first_missing_version,
    relinked,
    volgnummer,
)
from shared.store import audit as audit_store
from shared.store.contactmomenten import ONGEKOPPELD_PREFIX
from shared.store.errors import store_unavailable
from shared.store.tables import (
    AuditItem,
    AuditKopItem,
    ContactmomentItem,
    ProfielItem,
    VerificatieItem,
    VerwerkingItem,
)

# How long the marker of a moved chain stays: longer than a stream keeps a record (24 hours on
# DynamoDB), so that every delivery of a change of the old key meets it.
MARKER_RETENTION = timedelta(days=2)
# How often a partij's own request tries to move it while process-log is a change behind.
_ATTEMPTS_ON_ACCESS = 3
# Logboek records a rotation moves at once, as it scans them.
_LOGBOEK_PAGE = 500


class NotYetAudited(Exception):
    """The profile has a change whose audit record is not in its trail yet: moving the trail now
    would leave that record behind. Move again in a moment."""


class BrokenTrail(Exception):
    """The trail does not verify under the old key: linking it anew would hide the break. It stays
    under the old key for an operator (``profiel audit verify``)."""


@dataclass(frozen=True)
class RotationKeys:
    previous: bytes
    current: bytes

    def actor(self, pseudonym: str) -> str:
        """A representative's pseudonym, moved: a keyed hash of it under the new key."""
        return keyed_pseudonym(f"previous-actor:{pseudonym}", self.current)

    def previous_key_of(self, message: str) -> str:
        return keyed_pseudonym(message, self.previous)

    def current_key_of(self, message: str) -> str:
        return keyed_pseudonym(message, self.current)


def rotation_keys() -> RotationKeys | None:
    """The keys of the rotation going on, or None when none is."""
    settings = get_settings()
    if settings.pseudonym_key_previous is None:
        return None
    return RotationKeys(
        settings.pseudonym_key_previous.get_secret_value().encode(),
        settings.pseudonym_key.get_secret_value().encode(),
    )


def needs_move(previous: str) -> bool:
    """Whether anything of the partij is still under its old key: a profile, a chain not moved,
    a Logboek record (of a partij without a profile). Three reads, during a rotation only."""
    if _profiel(previous) is not None:
        return True
    head = _head(previous)
    if head is not None:
        # Moved, if marked: a move removes the profile last, and moves the Logboek before it.
        return not head.verhuisd
    return bool(VerwerkingItem.count(previous, consistent_read=True, limit=1))


def move_on_access(previous: str, current: str) -> None:
    """Before a partij's own request is served during a rotation: whatever of it is still under
    its old key is moved, so that the request finds everything under the new one."""
    keys = rotation_keys()
    if keys is None:
        return
    try:
        for attempt in range(_ATTEMPTS_ON_ACCESS):
            if not needs_move(previous):
                return
            try:
                move_partij(previous, current, keys)
                return
            except NotYetAudited:
                time.sleep(0.2 * (attempt + 1))  # process-log is a change behind
    except BrokenTrail:
        logger.error("audit trail does not verify under the previous key: not moved")
    except PynamoDBException:
        raise store_unavailable() from None
    raise niet_beschikbaar(
        "Uw gegevens worden naar een nieuwe sleutel verplaatst; probeer het zo opnieuw."
    )


def move_partij(previous: str, current: str, keys: RotationKeys, with_logboek: bool = True) -> None:
    """Move everything of one partij from ``previous`` to ``current`` (see the module's steps);
    its Logboek records too, unless the caller moved them already (``with_logboek``)."""
    profiel = _profiel(previous)
    if profiel is not None and profiel.verhuisd:
        _remove_profiel(profiel)  # its copy is written, and so everything before it
        return
    _move_trail(previous, current, keys, profiel.version if profiel is not None else None)
    if with_logboek:
        _move_logboek(
            list(VerwerkingItem.query(previous, consistent_read=True)), {previous: current}
        )
    _move_verificaties(previous, current)
    _move_contactmomenten(previous, current)
    if profiel is not None:
        _copy_profiel(profiel, current, keys)
        _remove_profiel(profiel)


# --- the audit trail ---------------------------------------------------------------------------


def _move_trail(previous: str, current: str, keys: RotationKeys, version: int | None) -> None:
    trail = _fence(previous, version)
    if trail is None:
        return
    records, stored = trail
    if records:
        since = audit_store.kept_since(datetime.now(UTC))
        if first_broken_link(records, audit_store.chain_key(keys.previous), since) is not None:
            if _head(current) is None:  # not another mover's removal under us
                raise BrokenTrail
        else:
            moved = relinked(records, current, audit_store.chain_key(keys.current), keys.actor)
            # Written whole: linked the same by every mover, so a second writing changes nothing.
            with AuditItem.batch_write() as batch:
                for record in moved:
                    batch.save(audit_store.audit_item(record))
            # The head last: a head under the new key says the whole trail is there.
            audit_store._move_head(moved[-1], None)
    with AuditItem.batch_write() as batch:
        for item in stored:
            batch.delete(item)


def _fence(previous: str, version: int | None) -> tuple[list[AuditRecord], list[AuditItem]] | None:
    """Mark the chain's head under the old key moved, so that nothing is appended to it any
    more; then its records within their retention, and every item of it. None if the partij has
    no chain. Refused (``NotYetAudited``) while the profile has a change not in the trail."""
    while True:
        try:
            head = audit_store.AuditTrail()._head(previous)  # a chain from before heads gets one
        except audit_store.ChainMoved:
            return _trail(previous, version)
        if head is None:
            if version is not None:
                raise NotYetAudited
            return None
        records, stored = _trail(previous, version)
        if head.volgnummer not in {r.volgnummer for r in records} and not audit_store._past(head):
            audit_store._write(head)  # its appender stopped after moving the head
            records, stored = _trail(previous, version)
        since = audit_store.kept_since(datetime.now(UTC))
        if version is not None and first_missing_version(records, version, since) is not None:
            raise NotYetAudited
        marker = AuditKopItem(previous)
        try:
            # Conditional on the head read: no append comes between the records read and this.
            marker.update(
                actions=[
                    AuditKopItem.verhuisd.set(True),
                    AuditKopItem.bewaren_tot.set(datetime.now(UTC) + MARKER_RETENTION),
                ],
                condition=(AuditKopItem.positie == head.positie)
                & AuditKopItem.verhuisd.does_not_exist(),
            )
            return records, stored
        except UpdateError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
            # An append moved the head, or another mover marked it: look again.


def _trail(partij: str, version: int | None) -> tuple[list[AuditRecord], list[AuditItem]]:
    """The partij's records within their retention, and all its stored items. Of a profile at
    ``version`` they are those of its versions 1 to ``version``: read by key, in batches (a
    query costs the embedded store a sort of the whole table); otherwise a query."""
    if version is None:
        stored = list(AuditItem.query(partij, consistent_read=True))
    else:
        keys = [(partij, volgnummer(v)) for v in range(1, version + 1)]
        stored = list(AuditItem.batch_get(keys, consistent_read=True))
    now = datetime.now(UTC)
    kept = [i for i in stored if i.bewaren_tot is None or i.bewaren_tot > now]
    return [audit_store._record(i) for i in kept], stored


# --- the Logboek, the verification states, the profile -----------------------------------------


def _move_logboek(items: list[VerwerkingItem], new_keys: dict[str, str]) -> None:
    """Move Logboek records to their data subject's new key (``new_keys``: by its old key)."""
    with VerwerkingItem.batch_write() as batch:
        for item in items:
            new = new_keys[item.betrokkene]
            values = _values(item, "betrokkene", "moment")
            attributes = item.attributes.as_dict()
            attributes["dpl.core.data_subject_id"] = new
            values["attributes"] = attributes
            batch.save(VerwerkingItem(new, item.moment, **values))
    with VerwerkingItem.batch_write() as batch:  # only once all are written under the new key
        for item in items:
            batch.delete(item)


def _move_verificaties(previous: str, current: str) -> None:
    items = list(VerificatieItem.query(previous, consistent_read=True))
    for item in items:
        values = _values(item, "partij", "contactgegeven", "version")
        values["code_hash"] = None  # bound to the old key: it can confirm nothing any more
        try:
            VerificatieItem(current, item.contactgegeven, **values).save()  # only if absent
        except PutError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
            # Moved already, or the partij has started anew under the new key: that one counts.
    with VerificatieItem.batch_write() as batch:
        for item in items:
            batch.delete(item)


def _move_contactmomenten(previous: str, current: str) -> None:
    # Each one as it was: the same key under the new partij, so writing it again is harmless.
    items = list(ContactmomentItem.query(previous, consistent_read=True))
    with ContactmomentItem.batch_write() as batch:
        for item in items:
            batch.save(ContactmomentItem(current, item.moment, **_values(item, "partij", "moment")))
    with ContactmomentItem.batch_write() as batch:  # only once all are written under the new key
        for item in items:
            batch.delete(item)


def _copy_profiel(profiel: ProfielItem, current: str, keys: RotationKeys) -> None:
    copy = ProfielItem(current, **_values(profiel, "partij", "version"))
    if copy.changed_by:
        copy.changed_by = keys.actor(copy.changed_by)
    copy.verhuisd = True
    # The same version: pynamodb adds one to the version as it saves (to 1 from none).
    if profiel.version > 1:
        copy.version = profiel.version - 1
    try:
        copy.save(condition=ProfielItem.partij.does_not_exist(), add_version_condition=False)
    except PutError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise  # else another mover copied it first


def _remove_profiel(profiel: ProfielItem) -> None:
    try:
        if not profiel.verhuisd:
            # Marked first, so that process-log sees the removal is a move, not an erasure.
            profiel.update(actions=[ProfielItem.verhuisd.set(True)])
        profiel.delete(condition=ProfielItem.verhuisd == True)
    except (UpdateError, DeleteError) as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise  # else another mover removed it first


def _profiel(partij: str) -> ProfielItem | None:
    try:
        return ProfielItem.get(partij, consistent_read=True)
    except DoesNotExist:
        return None


def _head(partij: str) -> AuditKopItem | None:
    try:
        return AuditKopItem.get(partij, consistent_read=True)
    except DoesNotExist:
        return None


def _values(item: object, *without: str) -> dict[str, object]:
    return {
        name: value
        for name, value in item.attribute_values.items()  # type: ignore[attr-defined]
        if name not in without
    }


# --- the whole store: profiel keys rotate ------------------------------------------------------


@dataclass
class RotationReport:
    moved: int = 0  # partijen moved by this run (with a profile, or only Logboek records)
    already: int = 0  # profiles that were under the new key already (moved by their owner)
    # What stays under the old key, by reason: the old key may be retired only when this is empty.
    left: Counter[str] = field(default_factory=Counter)

    @property
    def complete(self) -> bool:
        return not self.left


def rotate(
    opener: Opener,
    keys: RotationKeys,
    workers: int = 8,
    on_partij: Callable[[], None] = lambda: None,
) -> RotationReport:
    """Move every partij still under the old key, then check that nothing is left there.

    The profiles are scanned for their sealed identifiers; the Logboek - the largest table by
    far - is scanned once, its records moved page by page as they come (each carries its own
    sealed identifier); then every partij with a profile is moved, trail and all.
    """
    report = RotationReport()
    to_move: dict[str, str] = {}  # old key -> new key of the partijen with a profile
    known: set[str] = set()  # the new key of every identifier sealed in the store
    moved_records: set[str] = set()  # old keys whose Logboek records this run moved

    def new_key(stored: str, sealed: str | None) -> str | None:
        """The new key of an item under ``stored``; None for one under the new key already."""
        if sealed is None:
            return to_move.get(stored)  # a record of a partij with a profile, sealed there
        try:
            message = opener.open(sealed)
        except SealingError:
            report.left["sealed identifier that does not open with this private key"] += 1
            return None
        new = keys.current_key_of(message)
        known.add(new)
        if stored == keys.previous_key_of(message):
            return new
        if stored != new:
            report.left["sealed identifier under a third key"] += 1
        return None

    for item in ProfielItem.scan(attributes_to_get=["partij", "sealed_identifier"]):
        new = new_key(item.partij, item.sealed_identifier)
        if new is not None:
            to_move[item.partij] = new
        elif item.partij in known:
            report.already += 1
    page: list[VerwerkingItem] = []
    targets: dict[str, str] = {}
    for item in VerwerkingItem.scan():
        new = new_key(item.betrokkene, item.sealed_identifier)
        if new is None:
            continue
        page.append(item)
        targets[item.betrokkene] = new
        if len(page) == _LOGBOEK_PAGE:
            _move_logboek(page, targets)
            moved_records.update(targets)
            page, targets = [], {}
    _move_logboek(page, targets)
    moved_records.update(targets)

    def move(pair: tuple[str, str]) -> str | None:
        try:
            move_partij(*pair, keys, with_logboek=False)
        except NotYetAudited:
            return "partij with a change not yet in its audit trail (run again)"
        except BrokenTrail:
            return "partij whose audit trail does not verify (profiel audit verify)"
        finally:
            on_partij()
        return None

    with ThreadPoolExecutor(workers) as pool:
        for problem in pool.map(move, to_move.items()):
            if problem is None:
                report.moved += 1
            else:
                report.left[problem] += 1
    report.moved += len(moved_records - to_move.keys())  # partijen with Logboek records only
    for table, partij in _stored_keys():
        if partij not in known:
            report.left[f"{table} item not under the new key of a sealed identifier"] += 1
    return report


def _stored_keys() -> Iterable[tuple[str, str]]:
    """The partij key of every item of every table keyed by one, but a moved chain's marker."""
    yield from (("profielen", i.partij) for i in ProfielItem.scan(attributes_to_get=["partij"]))
    yield from (
        ("ldv", i.betrokkene) for i in VerwerkingItem.scan(attributes_to_get=["betrokkene"])
    )
    yield from (("audit", i.partij) for i in AuditItem.scan(attributes_to_get=["partij"]))
    yield from (
        ("auditkoppen", i.partij)
        for i in AuditKopItem.scan(attributes_to_get=["partij", "verhuisd"])
        if not i.verhuisd
    )
    yield from (
        ("verificaties", i.partij) for i in VerificatieItem.scan(attributes_to_get=["partij"])
    )
    yield from (
        ("contactmomenten", i.partij)
        for i in ContactmomentItem.scan(attributes_to_get=["partij"])
        # A klantcontact not linked yet belongs to no partij: nothing to move.
        if not i.partij.startswith(ONGEKOPPELD_PREFIX)
    )
