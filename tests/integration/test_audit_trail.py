"""Changes -> the table's stream -> the stream pump -> process-log -> one audit record each; the
chain's head under redelivery, races and an appender that stopped halfway."""

from __future__ import annotations

import copy
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from functions.process_log.handler import lambda_handler as process_log
from shared.identity.access import partij_key
from shared.identity.subject import subject_for
from shared.models.audit import Actie, AuditRecord, first_broken_link, volgnummer
from shared.store import audit as audit_store
from shared.store.audit import AuditTrail, chain_key
from shared.store.tables import AuditItem, AuditKopItem
from tests.builders import put_old_profiel_item
from tests.support import ApiClient, random_test_bsn

EVENTS = Path(__file__).resolve().parents[2] / "events"
TRACE_ID = "0af7651916cd43dd8448eb211c80319c"


def audit_of(bsn: str, expected: int, pump) -> list[AuditRecord]:
    """The audit trail once ``expected`` records are there and the stream is drained."""
    deadline = time.monotonic() + 10
    key = partij_key(subject_for(bsn))
    while len(AuditTrail().of(key)) < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pump.wait_until_idle(10)
    return AuditTrail().of(key)


@pytest.fixture
def owner(api_url: str, idp) -> tuple[str, ApiClient]:
    bsn = random_test_bsn()
    return bsn, ApiClient(api_url, idp.burger_token(bsn))


def test_each_change_gives_exactly_one_audit_record(owner, pump) -> None:
    bsn, client = owner
    client.change(
        "POST", "/profiel/contactgegevens", {"soortDigitaalAdres": "email", "adres": "a@example.nl"}
    )
    client.change(
        "POST",
        "/profiel/contactgegevens",
        {"soortDigitaalAdres": "telefoonnummer", "adres": "0612345678"},
    )
    client.change(
        "PUT",
        "/profiel/postadres",
        {"soort": "buitenlands", "adresregel1": "Main St 1", "land": "US"},
    )
    client.change("PATCH", "/profiel/voorkeuren", {"correspondentie": "post"})
    # A change that changes nothing is not stored, so it is not audited either.
    client.change("PATCH", "/profiel/voorkeuren", {"correspondentie": "post"})

    records = audit_of(bsn, 4, pump)
    assert [(r.actie, r.velden, r.versie_voor, r.versie_na) for r in records] == [
        (Actie.AANGEMAAKT, ("contactgegevens.email",), None, 1),
        (Actie.GEWIJZIGD, ("contactgegevens.telefoonnummer",), 1, 2),
        (Actie.GEWIJZIGD, ("postadres",), 2, 3),
        (Actie.GEWIJZIGD, ("voorkeuren.correspondentie",), 3, 4),
    ]
    assert {r.actor_rol for r in records} == {"burger"}
    assert all(r.actor is None for r in records)
    text = json.dumps([r.__dict__ for r in records], default=str)
    for value in ("a@example.nl", "+31612345678", "Main St", bsn):
        assert value not in text


def test_a_change_of_a_profile_of_an_older_schema_names_only_what_the_owner_changed(
    store, api_url, idp, pump
) -> None:
    # Schema 2 stored the moment of verification, and the change stores the newest schema, with
    # its day: the stored e-mail address changes shape, the e-mail address itself does not.
    bsn = random_test_bsn()
    verified = {"id": str(uuid.uuid4()), "verificatieDatum": "2026-06-30T22:30:00+00:00"}
    put_old_profiel_item(store, partij_key(subject_for(bsn)), 2, verified)
    client = ApiClient(api_url, idp.burger_token(bsn))
    changed = client.change("PATCH", "/profiel/voorkeuren", {"taal": "en"})
    assert changed.status_code == 200, changed.text

    # The raw write of the old item is a change of its own (version 3), then the owner's (4).
    records = audit_of(bsn, 2, pump)
    assert [(r.versie_na, r.velden) for r in records] == [
        (3, ("contactgegevens.email",)),
        (4, ("voorkeuren.taal",)),
    ]


def test_the_audit_record_carries_the_requests_trace_and_the_representative(
    api_url, idp, pump
) -> None:
    from tests.support import random_kvk_nummer

    kvk = random_kvk_nummer()
    client = ApiClient(api_url, idp.ondernemer_token(kvk))
    client.read()
    client.request(
        "PATCH",
        "/profiel/voorkeuren",
        {"correspondentie": "digitaal"},
        If_Match=client.etag,
        traceparent=f"00-{TRACE_ID}-b7ad6b7169203331-01",
    )
    key = partij_key(subject_for(kvk_nummer=kvk))
    deadline = time.monotonic() + 10
    while not (records := AuditTrail().of(key)) and time.monotonic() < deadline:
        time.sleep(0.05)
    [record] = records
    assert record.trace_id == TRACE_ID
    assert record.actor_rol == "vertegenwoordiger"
    assert record.actor and len(record.actor) == 64  # a pseudonym, not the representative's id


def test_a_redelivered_batch_does_not_double_the_trail(store) -> None:
    batch = json.loads((EVENTS / "process-log" / "stream-batch.json").read_text())
    partij = batch["Records"][0]["dynamodb"]["Keys"]["partij"]["S"] + "-redelivery"
    for record in batch["Records"]:
        record["dynamodb"]["Keys"]["partij"]["S"] = partij
    assert process_log(batch, None) == {"batchItemFailures": []}
    assert process_log(copy.deepcopy(batch), None) == {"batchItemFailures": []}
    records = AuditTrail().of(partij)
    assert [r.actie for r in records] == [Actie.AANGEMAAKT, Actie.GEWIJZIGD, Actie.VERWIJDERD]
    assert records[1].velden == ("voorkeuren.correspondentie",)
    assert records[2].actor_rol == "systeem"


def test_a_bad_record_is_reported_for_retry_and_the_others_are_written(store) -> None:
    batch = json.loads((EVENTS / "process-log" / "stream-batch.json").read_text())
    partij = batch["Records"][0]["dynamodb"]["Keys"]["partij"]["S"] + "-partial"
    for record in batch["Records"]:
        record["dynamodb"]["Keys"]["partij"]["S"] = partij
    broken = batch["Records"][1]
    del broken["dynamodb"]["Keys"]
    result = process_log(batch, None)
    assert result == {
        "batchItemFailures": [{"itemIdentifier": broken["dynamodb"]["SequenceNumber"]}]
    }
    assert [r.actie for r in AuditTrail().of(partij)] == [Actie.AANGEMAAKT, Actie.VERWIJDERD]


# --- the head of the chain ------------------------------------------------------------------


def a_change(partij: str, versie: int) -> AuditRecord:
    """The (unlinked) audit record of the change that produced ``versie``."""
    return AuditRecord(
        partij=partij,
        volgnummer=volgnummer(versie),
        actie=Actie.AANGEMAAKT if versie == 1 else Actie.GEWIJZIGD,
        velden=("voorkeuren.taal",),
        versie_voor=versie - 1 or None,
        versie_na=versie,
        actor_rol="burger",
        actor=None,
        tijdstip=f"2026-11-22T10:00:{versie % 60:02d}+00:00",
        trace_id=None,
    )


def whole(partij: str, count: int) -> None:
    """The partij's chain holds ``count`` records, one per place, unbroken, with its head on the
    last."""
    records = AuditTrail().of(partij)
    assert sorted(r.positie for r in records) == list(range(1, count + 1))
    assert first_broken_link(records, chain_key()) is None
    head = AuditKopItem.get(partij, consistent_read=True)
    last = max(records, key=lambda r: r.positie)
    assert (head.volgnummer, int(head.positie), head.hash) == (last.volgnummer, count, last.hash)


def test_appending_reads_the_head_not_the_trail(store, monkeypatch) -> None:
    partij = f"head-{uuid.uuid4().hex}"
    trail = AuditTrail()
    assert trail.append(a_change(partij, 1))

    def no_query(*args, **kwargs):
        raise AssertionError("an append read the whole trail")

    monkeypatch.setattr(AuditItem, "query", no_query)
    for versie in range(2, 6):
        assert trail.append(a_change(partij, versie))
    assert not trail.append(a_change(partij, 3))  # a redelivery: recognised, not appended
    monkeypatch.undo()
    whole(partij, 5)
    assert [r.versie for r in trail.of(partij)] == [1, 2, 3, 4, 5]  # the records only
    assert partij in trail.partijen()


def test_concurrent_appenders_never_extend_the_same_head(store) -> None:
    # A Knative Trigger may deliver records of one partij in parallel; a redelivery may overlap
    # its original. Every appender starts together, each with its own changes, some twice.
    partij = f"race-{uuid.uuid4().hex}"
    appenders, per_appender = 4, 5
    start = threading.Barrier(appenders)

    def appender(n: int) -> list[bool]:
        start.wait()
        mine = [a_change(partij, n * per_appender + k + 1) for k in range(per_appender)]
        return [AuditTrail().append(record) for record in mine + mine[:2]]

    with ThreadPoolExecutor(appenders) as pool:
        appended = [ok for result in pool.map(appender, range(appenders)) for ok in result]
    assert appended.count(True) == appenders * per_appender
    whole(partij, appenders * per_appender)


@pytest.mark.parametrize("next_append", ["the redelivery", "another change"])
def test_an_append_stopped_between_its_two_writes_is_finished_by_the_next(
    store, monkeypatch, next_append: str
) -> None:
    partij = f"stopped-{uuid.uuid4().hex}"
    trail = AuditTrail()
    for versie in (1, 2):
        trail.append(a_change(partij, versie))

    def stop(record: AuditRecord) -> None:
        raise RuntimeError("the process died after moving the head")

    monkeypatch.setattr(audit_store, "_write", stop)
    with pytest.raises(RuntimeError):
        trail.append(a_change(partij, 3))
    monkeypatch.undo()
    assert [r.versie for r in trail.of(partij)] == [1, 2]  # the head names 3, the trail lacks it

    if next_append == "the redelivery":
        assert not trail.append(a_change(partij, 3))  # already linked: only written now
        whole(partij, 3)
    else:
        assert trail.append(a_change(partij, 4))
        whole(partij, 4)
        assert [r.versie for r in trail.of(partij)] == [1, 2, 3, 4]
        assert not trail.append(a_change(partij, 3))  # its redelivery, later still


def test_a_trail_appended_before_chains_had_heads_gets_its_head_from_the_trail(store) -> None:
    partij = f"headless-{uuid.uuid4().hex}"
    previous = None
    for versie in (1, 2, 3):  # as appends wrote them before: linked, without a head
        previous = a_change(partij, versie).linked(previous, chain_key())
        audit_store._write(previous)
    with pytest.raises(AuditKopItem.DoesNotExist):
        AuditKopItem.get(partij)

    assert not AuditTrail().append(a_change(partij, 2))
    assert AuditTrail().append(a_change(partij, 4))
    whole(partij, 4)
