"""The audit trail under faults: exactly once in effect, dead-lettered when hopeless, tamper
evident, with its LDV records and change events. Changes over HTTP, the real stream of the moto
server, the stream pump, process-log."""

from __future__ import annotations

import json
import random
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from stdnum.nl import bsn as stdnum_bsn

from functions.process_log import handler as process_log
from infra.local.workspace import Workspace
from pump.state import read_dead_letter
from pump.stream import StreamPump
from shared.identity.access import partij_key
from shared.identity.subject import subject_for
from shared.models.audit import first_broken_link
from shared.models.events import MAXIMUM_EVENT_BYTES
from shared.models.ldv import EIGEN_PROFIELBEHEER
from shared.store.audit import AuditTrail, chain_key
from shared.store.tables import AuditItem, ProfielItem, VerwerkingItem
from tests.support import SPECS, ApiClient, EventSubscriber, random_test_bsn, wait_for

LDV_SCHEMA = SPECS / "ldv-attributes.schema.json"
TRACE_ID = "5bf92f3577b34da6a3ce929d0e0e4736"
# The doel of the LDV record of a partij's own change (a register read is another).
EIGEN = EIGEN_PROFIELBEHEER


class FaultyProcessLog:
    """process-log with a share of its record attempts failing at random - some before any work,
    some after all of it - and one partij's records failing always (a poison record)."""

    def __init__(self, failure_rate: float, seed: int, poison: str | None = None) -> None:
        self.random = random.Random(seed)
        self.failure_rate = failure_rate
        self.poison = poison
        self.attempts = 0
        self.failures = 0
        self.processor = BatchProcessor(event_type=EventType.DynamoDBStreams)

    def record_handler(self, record: Any) -> None:
        self.attempts += 1
        if self.poison and record.dynamodb.keys["partij"] == self.poison:
            self.failures += 1
            raise RuntimeError("poison")
        fail = self.random.random() < self.failure_rate
        after_the_work = self.random.random() < 0.5
        if fail and not after_the_work:
            self.failures += 1
            raise RuntimeError("injected before")
        process_log.record_handler(record)
        if fail:
            self.failures += 1
            raise RuntimeError("injected after")

    def __call__(self, event: dict, context: Any) -> dict:
        return process_partial_response(
            event=event,
            record_handler=self.record_handler,
            processor=self.processor,
            context=context,
        )


@pytest.fixture
def faulty_pump(pump: StreamPump):
    """The session's pump, delivering to a faulty process-log for the length of a test."""
    original = pump.handler
    yield pump
    pump.handler = original


def owner(api_url: str, idp) -> tuple[str, ApiClient]:
    bsn = random_test_bsn()
    return partij_key(subject_for(bsn)), ApiClient(api_url, idp.burger_token(bsn))


def make_changes(client: ApiClient, count: int) -> int:
    """``count`` changes that each store a new version."""
    for n in range(count):
        body = {"taal": ["nl", "en", "de", "fr"][n % 4], "kanalen": {"sms": n % 2 == 0}}
        response = client.change("PATCH", "/profiel/voorkeuren", body)
        assert response.status_code == 200, response.text
    return count


def test_with_30_percent_of_attempts_failing_every_change_is_audited_exactly_once(
    api_url: str, idp, faulty_pump: StreamPump, subscriber: EventSubscriber, workspace: Workspace
) -> None:
    poison_partij, poison_client = owner(api_url, idp)
    faulty = FaultyProcessLog(failure_rate=0.3, seed=20261122, poison=poison_partij)
    faulty_pump.handler = faulty
    profiles = [owner(api_url, idp) for _ in range(3)]
    changes = {partij: make_changes(client, 8) for partij, client in profiles}
    make_changes(poison_client, 1)

    trail = AuditTrail()
    wait_for(lambda: all(len(trail.of(p)) == n for p, n in changes.items()), timeout=60)
    assert faulty_pump.wait_until_idle(30)
    print(f"\nfault injection: {faulty.attempts} record attempts, {faulty.failures} failed")
    assert faulty.failures > 0.2 * faulty.attempts  # the faults really happened
    for partij, count in changes.items():
        records = trail.of(partij)
        assert len(records) == count  # none missing, none doubled
        assert [r.versie_na for r in records] == list(range(1, count + 1))
        assert first_broken_link(records, chain_key()) is None
        # Events at least once, each change at least once, with a stable id.
        ids = {e["id"] for e in subscriber.events_about(partij)}
        assert len(ids) == count
        ldv = [r for r in VerwerkingItem.query(partij) if r.doel == EIGEN]
        assert len(ldv) == count  # one LDV record per change, however often it was written

    # The poison record was tried, then dead-lettered with what it takes to replay it.
    dead = workspace.root / "dead-letter"
    wait_for(lambda: any(dead.glob("*.json")), timeout=30)
    [letter] = [
        path
        for path in dead.glob("*.json")
        if json.loads(path.read_text())["event"]["Records"][0]["dynamodb"]["Keys"]["partij"]["S"]
        == poison_partij
    ]
    assert json.loads(letter.read_text())["attempts"] == 20
    assert trail.of(poison_partij) == []
    faulty_pump.handler = process_log.lambda_handler
    assert process_log.lambda_handler(read_dead_letter(letter), None) == {"batchItemFailures": []}
    assert len(trail.of(poison_partij)) == 1


def test_concurrent_conflicting_updates_are_applied_or_refused_and_audited_as_applied(
    api_url: str, idp, pump: StreamPump
) -> None:
    partij, client = owner(api_url, idp)
    client.read()
    etag = client.etag

    def update(n: int) -> int:
        body = {"taal": "en" if n % 2 else "nl", "weergave": {"thema": "donker"}}
        return client.request("PATCH", "/profiel/voorkeuren", body, If_Match=etag).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(update, range(50)))
    assert set(statuses) <= {200, 412}
    applied = statuses.count(200)
    assert applied == 1  # all named the same version: only the first write can succeed
    assert ProfielItem.get(partij).version == applied
    wait_for(lambda: len(AuditTrail().of(partij)) == applied)
    assert pump.wait_until_idle(10)
    assert len(AuditTrail().of(partij)) == applied

    # Without a shared version ("*"), each either wins its round or is told to retry.
    def any_version(n: int) -> int:
        body = {"kanalen": {"email": n % 2 == 0}, "taal": ["nl", "en", "de"][n % 3]}
        return client.request("PATCH", "/profiel/voorkeuren", body, If_Match="*").status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(any_version, range(50)))
    assert set(statuses) <= {200, 412}
    version = ProfielItem.get(partij).version
    wait_for(lambda: len(AuditTrail().of(partij)) == version)
    assert pump.wait_until_idle(10)
    records = AuditTrail().of(partij)
    assert [r.versie_na for r in records] == list(range(1, version + 1))
    # Each 200 stored a version, unless it changed nothing (the same values as before).
    assert version - 1 <= statuses.count(200)


def test_editing_a_stored_audit_record_breaks_the_chain_there(
    api_url: str, idp, pump: StreamPump
) -> None:
    partij, client = owner(api_url, idp)
    make_changes(client, 4)
    wait_for(lambda: len(AuditTrail().of(partij)) == 4)
    assert first_broken_link(AuditTrail().of(partij), chain_key()) is None

    third = AuditTrail().of(partij)[2]
    item = AuditItem.get(partij, third.volgnummer)
    item.velden = ["postadres"]  # someone rewrites history
    item.save()
    broken = first_broken_link(AuditTrail().of(partij), chain_key())
    assert broken is not None and broken.volgnummer == third.volgnummer

    # Recomputing the hash without the key does not help either.
    item.hash = "f" * 64
    item.save()
    assert first_broken_link(AuditTrail().of(partij), chain_key()).positie == 3


def test_change_events_follow_the_cloudevents_rules(
    api_url: str, idp, pump: StreamPump, subscriber: EventSubscriber
) -> None:
    bsn = random_test_bsn()
    partij = partij_key(subject_for(bsn))
    client = ApiClient(api_url, idp.burger_token(bsn))
    email = {"soortDigitaalAdres": "email", "adres": "event@example.nl"}
    assert client.change("POST", "/profiel/contactgegevens", email).status_code == 201
    make_changes(client, 1)
    wait_for(lambda: len(subscriber.events_about(partij)) >= 2)

    for event in subscriber.events_about(partij):
        encoded = json.dumps(event)
        assert {"specversion", "id", "source", "type"} <= event.keys()
        assert event["specversion"] == "1.0"
        assert all(re.fullmatch(r"[a-z0-9]{1,20}", name) for name in event)
        assert event["source"].startswith("urn:")
        assert re.fullmatch(r"[a-z0-9]+(\.[a-z0-9-]+){2,}", event["type"])
        assert event["subject"] == partij and event["dataref"].endswith("/api/profiel/v1/profiel")
        assert len(encoded.encode()) <= MAXIMUM_EVENT_BYTES
        assert bsn not in encoded and "event@example.nl" not in encoded
        nine_digits = re.findall(r"(?<![0-9a-zA-Z])\d{9}(?![0-9a-zA-Z])", encoded)
        assert not [n for n in nine_digits if stdnum_bsn.is_valid(n)]
    assert set(subscriber.content_types) == {"application/cloudevents+json"}
    first = subscriber.events_about(partij)[0]
    assert first["data"] == {
        "actie": "aangemaakt",
        "velden": ["contactgegevens.email"],
        "versie": 1,
    }


def test_a_change_is_an_ldv_record_in_the_requests_trace(
    api_url: str, idp, pump: StreamPump
) -> None:
    partij, client = owner(api_url, idp)
    client.read()
    client.request(
        "PATCH",
        "/profiel/voorkeuren",
        {"taal": "nl"},
        If_Match=client.etag,
        traceparent=f"00-{TRACE_ID}-b7ad6b7169203331-01",
    )
    wait_for(lambda: any(r.doel == EIGEN for r in VerwerkingItem.query(partij)))
    [record] = [r for r in VerwerkingItem.query(partij) if r.doel == EIGEN]
    assert record.trace_id == TRACE_ID
    assert re.fullmatch(r"[0-9a-f]{16}", record.parent_span_id)  # the request's span
    assert record.doel == "eigen-profielbeheer" and record.name == "wijzigen eigen profiel"
    attributes = record.attributes.as_dict()
    assert attributes["dpl.core.data_subject_id"] == partij
    assert attributes["dpl.core.data_subject_id_type"].endswith(":BSN")
    jsonschema.validate(attributes, json.loads(LDV_SCHEMA.read_text()))


def test_the_owner_reads_their_history_newest_first_without_values(
    api_url: str, idp, pump: StreamPump
) -> None:
    partij, client = owner(api_url, idp)
    email = {"soortDigitaalAdres": "email", "adres": "historie@example.nl"}
    assert client.change("POST", "/profiel/contactgegevens", email).status_code == 201
    make_changes(client, 1)
    wait_for(lambda: len(AuditTrail().of(partij)) == 2)
    response = client.request("GET", "/profiel/historie")
    assert response.status_code == 200
    changes = response.json()["wijzigingen"]
    assert [(c["actie"], c["velden"], c["door"], c["versie"]) for c in changes] == [
        ("gewijzigd", ["voorkeuren.kanalen", "voorkeuren.taal"], "burger", 2),
        ("aangemaakt", ["contactgegevens.email"], "burger", 1),
    ]
    assert "historie@example.nl" not in response.text


def test_the_pump_resumes_after_its_checkpoint_without_loss_or_repeats(
    store, api_url: str, idp, tmp_path: Path
) -> None:
    partij, client = owner(api_url, idp)
    versions: list[int] = []
    lock = threading.Lock()

    def recording(event: dict, context: Any) -> dict:
        with lock:
            for record in event["Records"]:
                stream = record["dynamodb"]
                if stream["Keys"]["partij"]["S"] == partij:
                    versions.append(int(stream["NewImage"]["version"]["N"]))
        return {"batchItemFailures": []}

    checkpoint = tmp_path / "checkpoint.json"
    first = StreamPump(ProfielItem.Meta.table_name, recording, store.endpoint, checkpoint).start()
    make_changes(client, 3)
    wait_for(lambda: len(versions) >= 3)
    first.stop()

    make_changes(client, 3)  # while no pump of ours runs
    second = StreamPump(ProfielItem.Meta.table_name, recording, store.endpoint, checkpoint)
    second.start()
    make_changes(client, 2)
    wait_for(lambda: len(versions) >= 8)
    assert second.wait_until_idle(10)
    second.stop()
    assert versions == list(range(1, 9))  # none lost, none repeated, in order
