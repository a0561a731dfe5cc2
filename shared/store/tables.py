"""The DynamoDB tables: the one place they are defined.

The local stack and the tests create them from these models; ``serverless.yml`` declares them and
a test checks it against these models. Only single-item conditional writes are used (ScyllaDB
Alternator has no transactions); optimistic locking is the ``version`` attribute.

The endpoint comes from ``AWS_ENDPOINT_URL_DYNAMODB`` (botocore reads it), table names from
``PROFIEL_TABLE_PREFIX`` + the base name.
"""

from __future__ import annotations

import contextlib
import os
from typing import ClassVar

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    VersionAttribute,
)
from pynamodb.connection import Connection, TableConnection
from pynamodb.constants import PAY_PER_REQUEST_BILLING_MODE
from pynamodb.indexes import GlobalSecondaryIndex, IncludeProjection
from pynamodb.models import Model

TABLE_PREFIX = os.environ.get("PROFIEL_TABLE_PREFIX", "")
REGION = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "eu-west-1"

# The shape of the stored profile; readers upgrade older shapes when they meet them
# (``shared.store.profielen``). 2: preferences per channel, organisation, service and branch;
# 3: the day of verification rather than its moment.
PROFIEL_SCHEMA_VERSION = 3

# An API call has a few seconds; pynamodb's defaults (15 s connect, 30 s read, 3 retries) would
# keep a caller waiting long after a clear 503 could have been given.
CONNECT_TIMEOUT_SECONDS = 2
READ_TIMEOUT_SECONDS = 5
MAX_RETRY_ATTEMPTS = 2


class _Meta:
    """What every table shares: its region, on-demand billing, and short timeouts."""

    region = REGION
    billing_mode = PAY_PER_REQUEST_BILLING_MODE
    connect_timeout_seconds = CONNECT_TIMEOUT_SECONDS
    read_timeout_seconds = READ_TIMEOUT_SECONDS
    max_retry_attempts = MAX_RETRY_ATTEMPTS


class _Table(Model):
    """Base of every table: all share one connection (one botocore session and client) per
    process. pynamodb makes one per model, and each costs a first request ~190 ms of loading
    botocore's service model again; lookup-preferences alone uses three tables."""

    # The first table's connection; every table's Meta has the same region, endpoint, timeouts
    # and retries (_Meta), so it serves them all.
    _shared_connection: ClassVar[Connection | None] = None

    @classmethod
    def _get_connection(cls) -> TableConnection:
        table = super()._get_connection()
        shared = _Table._shared_connection
        if shared is None:
            _Table._shared_connection = table.connection
        elif table.connection is not shared:
            with contextlib.suppress(ValueError):  # known already, with the same schema
                shared.add_meta_table(table.get_meta_table())
            table.connection = shared
        return table


def forget_connections() -> None:
    """Drop every table's connection (after a SnapStart restore: ``shared.snapstart``); the next
    operation makes a new one, shared again."""
    _Table._shared_connection = None
    for model in TABLES:
        model._connection = None


def dispatcher(model: type[_Table]) -> Connection:
    """The connection that sends a table's low-level operations (``shared.store.batches``), its
    botocore client made in the calling thread: pynamodb makes it from a thread-local session."""
    connection = model._get_connection().connection
    _ = connection.client
    return connection


class ProfielItem(_Table):
    """One item per partij: the whole profile, so that a read is one GetItem of one read unit."""

    class Meta(_Meta):
        table_name = f"{TABLE_PREFIX}profielen"
        stream_view_type = "NEW_AND_OLD_IMAGES"

    partij = UnicodeAttribute(hash_key=True)  # keyed pseudonym of the BSN / KVK-nummer
    version = VersionAttribute()
    schema_version = NumberAttribute(default=PROFIEL_SCHEMA_VERSION)

    # The profile in its API form (camelCase names, as in the standards).
    contactgegevens = ListAttribute(default=list)
    postadres = MapAttribute(null=True)
    contactnaam = UnicodeAttribute(null=True)
    # Erased (AVG art. 17): no profile any more, only this marker of its last version, so that
    # the audit trail goes on without a gap and a new profile continues after it - until the
    # trail's last record passes its retention: then the store's TTL removes the marker too.
    gewist = BooleanAttribute(null=True)
    bewaren_tot = TTLAttribute(null=True)
    voorkeuren = MapAttribute(default=dict)
    delen = MapAttribute(default=dict)

    # Who made the last change and in which request: carried on the item so that the stream,
    # and so the audit trail, sees it.
    changed_by_role = UnicodeAttribute()
    changed_by = UnicodeAttribute(null=True)  # pseudonym of a representative
    changed_at = UnicodeAttribute()
    trace_id = UnicodeAttribute()
    span_id = UnicodeAttribute(null=True)
    # What the key is the pseudonym of (codeSoortObjectId: bsn, kvk_nummer): for the LDV record.
    partij_soort = UnicodeAttribute(null=True)
    # The identifier behind the key, sealed for a key rotation (shared.identity.sealing).
    sealed_identifier = UnicodeAttribute(null=True)
    # Set on an item a key rotation is moving (shared.store.rotation): process-log records no
    # change of it. The next write of the profile leaves it out.
    verhuisd = BooleanAttribute(null=True)


class _AuditLink:
    """What one link of a partij's audit chain holds besides its keys: an audit record and its
    place in the chain. A record and the head of its chain hold the same."""

    actie = UnicodeAttribute()
    velden = ListAttribute(of=UnicodeAttribute, default=list)
    versie_voor = NumberAttribute(null=True)
    versie_na = NumberAttribute(null=True)
    actor_rol = UnicodeAttribute()
    actor = UnicodeAttribute(null=True)
    tijdstip = UnicodeAttribute()
    trace_id = UnicodeAttribute(null=True)
    # The tamper-evident chain per partij (shared.models.audit).
    positie = NumberAttribute()
    vorige_hash = UnicodeAttribute()
    hash = UnicodeAttribute()
    vorige_tijdstip = UnicodeAttribute(null=True)


class AuditItem(_Table, _AuditLink):
    """One record per change of a profile, written by the process-log function from the stream."""

    class Meta(_Meta):
        table_name = f"{TABLE_PREFIX}audit"

    partij = UnicodeAttribute(hash_key=True)
    # The profile version the change produced, zero-padded so that it sorts: one change can only
    # ever produce this one audit item, whichever stream (or replay) carried it.
    volgnummer = UnicodeAttribute(range_key=True)
    # The end of its retention: the store's TTL removes it then, readers ignore it from then on.
    bewaren_tot = TTLAttribute(null=True)


class AuditKopItem(_Table, _AuditLink):
    """The head of one partij's audit chain: a copy of the record linked into it last.

    Appending reads this one item instead of the whole trail, and moves it with one write
    conditional on its ``positie``, so two appenders can never both extend the same head. The
    record itself is written after the head moved; the copy lets the next appender (or the
    redelivery) write it, should the appender that moved the head have stopped in between.
    A table of its own, so that the audit table holds exactly one item per change.
    """

    class Meta(_Meta):
        table_name = f"{TABLE_PREFIX}auditkoppen"

    partij = UnicodeAttribute(hash_key=True)
    volgnummer = UnicodeAttribute()  # of the record it is a copy of
    # Left behind by a key rotation that moved the chain to the partij's new key
    # (shared.store.rotation): appends here stop, and the TTL removes it once no stream can
    # still deliver a change of the old key.
    verhuisd = BooleanAttribute(null=True)
    bewaren_tot = TTLAttribute(null=True)


class VerificatieItem(_Table):
    """The verification state of one contact detail (see ``shared.models.verificatie``).

    Holds a keyed hash of the current code and when codes were sent - never the code, never the
    address. Short-lived: the TTL removes it once nothing in it matters, and readers ignore it
    from that moment on, as DynamoDB deletes late and the embedded store never does.
    """

    class Meta(_Meta):
        table_name = f"{TABLE_PREFIX}verificaties"

    partij = UnicodeAttribute(hash_key=True)
    contactgegeven = UnicodeAttribute(range_key=True)  # the contact detail's id
    version = VersionAttribute()
    verzonden = ListAttribute(of=UnicodeAttribute, default=list)
    code_hash = UnicodeAttribute(null=True)
    foute_pogingen = NumberAttribute(default=0)
    vervalt_op = TTLAttribute(null=True)


class OrganisatieItem(_Table):
    """One organisation of the register (``shared.models.register``), loaded by the platform team."""

    class Meta(_Meta):
        table_name = f"{TABLE_PREFIX}organisaties"

    oin = UnicodeAttribute(hash_key=True)
    naam = UnicodeAttribute()
    diensten = ListAttribute(default=list)  # [{"code": ..., "naam": ...}]
    doelen = ListAttribute(default=list)  # [{"code": ..., "velden": [...], ...}]
    sleutels = ListAttribute(default=list)  # [{"sha256": ..., "doel": ...}]


class VerwijzingIndex(GlobalSecondaryIndex):
    """The Logboek's records by the partij UUID an organisation was given with a lookup on the
    Klantinteracties surface (``shared.identity.verwijzing``): how ``GET /partijen/{uuid}`` finds
    the partij again. Sparse: only records that gave one are in it."""

    class Meta:
        index_name = "verwijzingen"
        projection = IncludeProjection(["oin", "verwezen", "bewaren_tot"])

    verwijzing = UnicodeAttribute(hash_key=True)


class VerwerkingItem(_Table):
    """One record of the Logboek Dataverwerkingen (``shared.models.ldv``), per data subject."""

    class Meta(_Meta):
        table_name = f"{TABLE_PREFIX}ldv"

    betrokkene = UnicodeAttribute(hash_key=True)  # the data subject's pseudonym
    moment = UnicodeAttribute(range_key=True)  # "<start_time, 13 digits>-<span_id>": sorts by time
    trace_id = UnicodeAttribute()
    span_id = UnicodeAttribute()
    parent_span_id = UnicodeAttribute(null=True)
    name = UnicodeAttribute()
    status = UnicodeAttribute()
    start_time = NumberAttribute()
    end_time = NumberAttribute()
    attributes = MapAttribute()
    oin = UnicodeAttribute(null=True)  # absent: the partij's own change
    doel = UnicodeAttribute()
    # The data subject's identifier, sealed for a key rotation (shared.identity.sealing).
    sealed_identifier = UnicodeAttribute(null=True)
    # The partij's UUID for the organisation that looked it up on the Klantinteracties surface, and
    # its identifier encrypted for that UUID (shared.identity.verwijzing).
    verwijzing = UnicodeAttribute(null=True)
    verwezen = UnicodeAttribute(null=True)
    verwijzingen = VerwijzingIndex()
    # The end of its retention: the store's TTL removes it then, and readers ignore it from that
    # moment on (DynamoDB deletes late, the embedded store never).
    bewaren_tot = TTLAttribute(null=True)


class ContactmomentItem(_Table):
    """A contact moment an organisation's existing client wrote back (a klantcontact, see
    ``shared.models.contactmoment``): what the partij sees in its history - never the message.

    Two kinds of item, told apart by their key. A klantcontact not linked to a partij yet is kept
    under ``klantcontact:<oin>:<uuid>`` (no partij key is ever of that form: those are hex), for
    the betrokkene that names the partij to find it; it holds no person and lives a day. Once a
    betrokkene links it, a copy goes under the partij's key, kept as long as the Logboek's
    records, and moved, exported and erased with the profile.
    """

    class Meta(_Meta):
        table_name = f"{TABLE_PREFIX}contactmomenten"

    partij = UnicodeAttribute(hash_key=True)  # the partij's store key, or the unlinked key above
    # "<plaatsgevondenOp in ms, 13 digits>-<klantcontact uuid>": newest first by a reverse query,
    # and one item per klantcontact however often it is linked. "klantcontact" while unlinked.
    moment = UnicodeAttribute(range_key=True)
    klantcontact = UnicodeAttribute()
    oin = UnicodeAttribute()
    kanaal = UnicodeAttribute()
    onderwerp = UnicodeAttribute()
    tijdstip = UnicodeAttribute()  # ISO 8601, with its offset
    gelukt = BooleanAttribute(null=True)
    # The store's TTL removes it then; readers ignore it from that moment on.
    bewaren_tot = TTLAttribute()


TABLES: tuple[type[Model], ...] = (
    ProfielItem,
    AuditItem,
    AuditKopItem,
    VerificatieItem,
    OrganisatieItem,
    VerwerkingItem,
    ContactmomentItem,
)
