"""Changes -> the table's stream -> the stream pump -> process-log -> one audit record each."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

import pytest

from functions.process_log.handler import lambda_handler as process_log
from shared.identity.access import partij_key
from shared.identity.subject import subject_for
from shared.models.audit import Actie, AuditRecord
from shared.store.audit import AuditTrail
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
