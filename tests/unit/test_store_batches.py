"""Batch reads and writes (``shared.store.batches``) and the two item forms they carry.

The batches are driven by a fake of the store's dispatch that can leave items unprocessed and
count requests in flight; the item forms are held to what pynamodb's models make of the same
record, so the bulk path and the model path cannot drift apart.
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from boto3.dynamodb.types import TypeSerializer

from shared.identity.subject import ActorRole
from shared.models.ldv import Verwerking, Verwijzing
from shared.models.profiel import Profiel
from shared.store import batches
from shared.store.logboek import _verwerking, verwerking_image
from shared.store.profielen import Change, profiel_from_image, profiel_from_item, profiel_item
from shared.store.tables import ProfielItem, VerwerkingItem

TABLE = "t"


class FakeStore:
    """Answers batch operations from a dict; leaves the first ``unprocessed`` items of each of the
    first ``stubborn`` requests unprocessed; records how many requests were in flight at once."""

    def __init__(self, unprocessed: int = 0, stubborn: int = 0, delay: float = 0.0) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        self.unprocessed = unprocessed
        self.stubborn = stubborn
        self.delay = delay
        self.requests: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()

    def dispatch(self, operation_name: str, operation_kwargs: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.requests.append(operation_name)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            refuse = self.unprocessed if len(self.requests) <= self.stubborn else 0
        try:
            time.sleep(self.delay)
            request = operation_kwargs["RequestItems"][TABLE]
            if operation_name == "BatchGetItem":
                keys = request["Keys"]
                left, done = keys[:refuse], keys[refuse:]
                found = [self.items[k["k"]["S"]] for k in done if k["k"]["S"] in self.items]
                unprocessed = {TABLE: {"Keys": left}} if left else {}
                return {"Responses": {TABLE: found}, "UnprocessedKeys": unprocessed}
            left, done = request[:refuse], request[refuse:]
            for put in done:
                item = put["PutRequest"]["Item"]
                self.items[item["k"]["S"]] = item
            return {"UnprocessedItems": {TABLE: left} if left else {}}
        finally:
            with self._lock:
                self.in_flight -= 1


def keys(count: int) -> list[dict[str, Any]]:
    return [{"k": {"S": f"key-{n}"}} for n in range(count)]


def test_a_write_of_many_is_stored_whole_in_batches_of_25_several_at_once() -> None:
    store = FakeStore(delay=0.01)
    items = [{"k": {"S": f"key-{n}"}, "n": {"N": str(n)}} for n in range(1000)]
    batches.put_items(store, TABLE, items)
    assert len(store.items) == 1000
    assert store.requests.count("BatchWriteItem") == 40
    assert 1 < store.most_in_flight <= batches.BATCH_CONCURRENCY


def test_a_read_of_many_finds_every_stored_item_in_batches_of_100() -> None:
    store = FakeStore()
    batches.put_items(store, TABLE, [{"k": {"S": f"key-{n}"}} for n in range(0, 1000, 2)])
    store.requests.clear()
    found = batches.get_items(store, TABLE, keys(1000))
    assert sorted(item["k"]["S"] for item in found) == sorted(f"key-{n}" for n in range(0, 1000, 2))
    assert store.requests == ["BatchGetItem"] * 10


def test_one_batch_is_sent_from_the_calling_thread() -> None:
    threads: list[str] = []

    class Recording(FakeStore):
        def dispatch(self, operation_name: str, operation_kwargs: dict[str, Any]) -> dict:
            threads.append(threading.current_thread().name)
            return super().dispatch(operation_name, operation_kwargs)

    batches.get_items(Recording(), TABLE, keys(100))
    assert threads == [threading.current_thread().name]


@pytest.mark.parametrize("operation", ["get", "put"])
def test_unprocessed_items_are_asked_again_after_a_growing_pause(operation: str) -> None:
    store = FakeStore(unprocessed=10, stubborn=3)
    pauses: list[float] = []
    if operation == "put":
        batches.put_items(store, TABLE, keys(25), sleep=pauses.append)
        assert len(store.items) == 25
    else:
        batches.put_items(FakeStore(), TABLE, [])  # nothing to do: no request at all
        store.items = {f"key-{n}": {"k": {"S": f"key-{n}"}} for n in range(100)}
        assert len(batches.get_items(store, TABLE, keys(100), sleep=pauses.append)) == 100
    assert len(store.requests) == 4  # three answers left 10 unprocessed, the fourth none
    assert len(pauses) == 3
    assert all(0 <= pause <= batches.BACKOFF_CAP_SECONDS for pause in pauses)


def test_the_backoff_ceiling_doubles_up_to_the_cap() -> None:
    ceilings = [batches.backoff_seconds(attempt, rand=lambda: 1.0) for attempt in range(1, 10)]
    assert ceilings[:3] == [0.05, 0.1, 0.2]
    assert ceilings[-1] == batches.BACKOFF_CAP_SECONDS
    assert ceilings == sorted(ceilings)


@pytest.mark.parametrize("operation", ["get", "put"])
def test_items_still_unprocessed_after_every_attempt_fail_the_whole_operation(
    operation: str,
) -> None:
    store = FakeStore(unprocessed=5, stubborn=1000)
    with pytest.raises(batches.UnprocessedItems) as raised:
        if operation == "put":
            batches.put_items(store, TABLE, keys(60), sleep=lambda _: None)
        else:
            batches.get_items(store, TABLE, keys(60), sleep=lambda _: None)
    assert raised.value.left == 5
    chunks = 3 if operation == "put" else 1  # 60 items: 25 + 25 + 10 to write, 60 to read
    assert len(store.requests) == batches.MAX_ATTEMPTS * chunks


def test_a_failing_batch_fails_the_operation_once_the_others_have_ended() -> None:
    class OneFails(FakeStore):
        def dispatch(self, operation_name: str, operation_kwargs: dict[str, Any]) -> dict:
            answer = super().dispatch(operation_name, operation_kwargs)
            if (
                operation_kwargs["RequestItems"][TABLE][0]["PutRequest"]["Item"]["k"]["S"]
                == "key-0"
            ):
                raise ConnectionError("store gone")
            return answer

    store = OneFails(delay=0.02)
    with pytest.raises(ConnectionError):
        batches.put_items(store, TABLE, keys(200))
    assert store.in_flight == 0  # nothing still running behind the caller
    assert len(store.items) == 200  # every other batch was written (and the failed one too)


# --- the item forms ---------------------------------------------------------------------------

PROFIEL = Profiel.model_validate(
    {
        "contactgegevens": [
            {
                "id": str(uuid.uuid4()),
                "soortDigitaalAdres": "email",
                "adres": "iemand@example.nl",
                "isStandaardAdres": True,
                "verificatieDatum": "2026-11-01",
            },
            {
                "id": str(uuid.uuid4()),
                "soortDigitaalAdres": "telefoonnummer",
                "adres": "+31612345678",
                "isStandaardAdres": True,
            },
        ],
        "postadres": {
            "soort": "nederlands",
            "straat": "Kerkstraat",
            "huisnummer": 12,
            "huisletter": "a",
            "postcode": "2511 AB",
            "woonplaats": "Den Haag",
        },
        "voorkeuren": {
            "correspondentie": "digitaal",
            "organisaties": [{"oin": "00000001234567890000", "correspondentie": "post"}],
        },
        "delen": {"geweigerd": ["00000001234567890000"]},
    }
)
CHANGE = Change(ActorRole.BURGER, None, datetime(2026, 11, 1, tzinfo=UTC), "a" * 32)


def test_a_profile_read_from_its_image_equals_the_one_read_through_the_model() -> None:
    item = profiel_item("p-1", PROFIEL, CHANGE)
    item.version = 3
    image = item.serialize()
    from_image = profiel_from_image(image)
    assert from_image == profiel_from_item(ProfielItem.from_raw_data(image)) == PROFIEL
    assert from_image is not None and from_image.postadres.huisnummer == 12


def test_an_image_of_an_older_schema_is_upgraded_as_the_model_path_upgrades_it() -> None:
    # Schema 2 stored the moment of verification; schema 3 its day.
    contactgegeven = dict(PROFIEL.model_dump(mode="json", by_alias=True)["contactgegevens"][0])
    contactgegeven["verificatieDatum"] = "2026-10-31T23:30:00+00:00"
    serialize = TypeSerializer().serialize
    image = {
        "partij": {"S": "p-2"},
        "schema_version": {"N": "2"},
        "contactgegevens": serialize([contactgegeven]),
        "voorkeuren": {"M": {}},
    }
    from_image = profiel_from_image(image)
    assert from_image == profiel_from_item(ProfielItem.from_raw_data(image))
    assert from_image is not None
    assert from_image.contactgegevens[0].verificatie_datum.isoformat() == "2026-11-01"


def test_an_erased_profile_has_no_profile_in_its_image() -> None:
    item = profiel_item("p-3", Profiel(), CHANGE)
    item.gewist = True
    assert profiel_from_image(item.serialize()) is None


@pytest.mark.parametrize("extra", [{}, {"kenmerken": True}])
def test_an_ldv_image_is_what_the_model_stores_and_reads_back_as_the_record(extra: dict) -> None:
    verwerking = Verwerking(
        trace_id="4bf92f3577b34da6a3ce929d0e0e4736",
        span_id="00f067aa0ba902b7",
        parent_span_id="b7ad6b7169203331" if extra else None,
        name="opvragen contactvoorkeuren",
        status="Ok",
        start_time=1_764_560_000_123,
        end_time=1_764_560_000_456,
        processing_activity_id="https://register.example.nl/verwerkingsactiviteiten/notificatie",
        data_subject_id="ab" * 32,
        data_subject_id_type="urn:nl:profielservice:pseudoniem:hmac-sha256:BSN",
        oin="00000099000000000001",
        doel="notificatie",
        processor="https://brp.example.nl" if extra else None,
        sealed_identifier="sealed" if extra else None,
        verwijzing=Verwijzing(str(uuid.uuid4()), "versleuteld") if extra else None,
    )
    retention = timedelta(days=30)
    image = verwerking_image(verwerking, retention)
    started = datetime.fromtimestamp(verwerking.start_time / 1000, UTC)
    modelled = VerwerkingItem(
        verwerking.data_subject_id,
        f"{verwerking.start_time:013d}-{verwerking.span_id}",
        trace_id=verwerking.trace_id,
        span_id=verwerking.span_id,
        parent_span_id=verwerking.parent_span_id,
        name=verwerking.name,
        status=verwerking.status,
        start_time=verwerking.start_time,
        end_time=verwerking.end_time,
        attributes=verwerking.attributes,
        oin=verwerking.oin,
        doel=verwerking.doel,
        sealed_identifier=verwerking.sealed_identifier,
        verwijzing=verwerking.verwijzing.uuid if verwerking.verwijzing else None,
        verwezen=verwerking.verwijzing.versleuteld if verwerking.verwijzing else None,
        bewaren_tot=started + retention,
    )
    assert image == modelled.serialize()
    read = VerwerkingItem.from_raw_data(image)
    assert _verwerking(read) == Verwerking(
        **{
            **verwerking.__dict__,
            "sealed_identifier": None,  # not part of the record as read back
            "verwijzing": None,
        }
    )
    assert read.verwezen == (verwerking.verwijzing.versleuteld if extra else None)
    assert read.bewaren_tot == (started + retention).replace(microsecond=0)
