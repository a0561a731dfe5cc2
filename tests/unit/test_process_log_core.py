"""Unit tests of functions.process_log.core: one stream record of the profile table to one audit
record, naming the fields that changed and never their values, with its LDV record and its change
event built in the same step."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import TypeSerializer

from functions.process_log.core import Vastlegging, record_change
from shared.models.audit import VERSION_WIDTH, Actie, AuditRecord, produced_version, volgnummer
from shared.models.events import event_id
from shared.models.ldv import EIGEN_PROFIELBEHEER

PARTIJ = "p-3f1c0a9e5b7d"  # a pseudonym, as the table's key
KEYS = {"partij": PARTIJ}
EPOCH = 1735787045  # 2025-01-02T03:04:05Z

EMAIL = {
    "id": "00000000-0000-4000-8000-000000000001",
    "soortDigitaalAdres": "email",
    "adres": "jan.de.vries@example.nl",
    "omschrijving": "privé",
    "isStandaardAdres": True,
}
EMAIL_2 = {
    "id": "00000000-0000-4000-8000-000000000002",
    "soortDigitaalAdres": "email",
    "adres": "j.devries@example.com",
    "isStandaardAdres": False,
}
TELEFOON = {
    "id": "00000000-0000-4000-8000-000000000003",
    "soortDigitaalAdres": "telefoonnummer",
    "adres": "+31612345678",
    "isStandaardAdres": True,
    "verificatieDatum": "2025-01-01T10:00:00Z",
}
POSTADRES = {
    "soort": "nederlands",
    "straat": "Dorpsstraat",
    "huisnummer": Decimal(12),
    "postcode": "1234 AB",
    "woonplaats": "Ons Dorp",
}
BUITENLANDS = {"soort": "buitenlands", "adresregel1": "Rue de la Loi 16", "land": "BE"}

# Every value the images below carry that must never reach an audit record.
PERSONAL_VALUES = (
    "jan.de.vries@example.nl",
    "j.devries@example.com",
    "+31612345678",
    "+31201234567",
    "1234 AB",
    "Dorpsstraat",
    "Ons Dorp",
    "Rue de la Loi",
    "privé",
)


def image(
    version: int,
    contactgegevens: list[dict[str, Any]] | None = None,
    postadres: dict[str, Any] | None = None,
    voorkeuren: dict[str, Any] | None = None,
    **metadata: Any,
) -> dict[str, Any]:
    """A stored item as the stream deserialiser gives it (numbers as Decimal)."""
    item: dict[str, Any] = {
        "partij": PARTIJ,
        "version": Decimal(version),
        "schema_version": Decimal(1),
        "contactgegevens": contactgegevens if contactgegevens is not None else [],
        "voorkeuren": voorkeuren if voorkeuren is not None else {},
        "changed_by_role": "burger",
        "changed_at": f"2025-01-02T03:04:{version:02d}+00:00",
        "trace_id": f"4bf92f3577b34da6a3ce929d0e0e47{version:02d}",
    }
    if postadres is not None:
        item["postadres"] = postadres
    return item | metadata


BEFORE = image(3, [EMAIL, TELEFOON], POSTADRES, {"correspondentie": "post"})
PROCESSING_ACTIVITY = "https://example.nl/verwerkingsactiviteiten/eigen-profielbeheer"


def stream_record(
    event_name: str, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> dict[str, Any]:
    """A record of the profile table's stream as Lambda (or the pump) delivers it: the images in
    DynamoDB's own form."""
    typed = TypeSerializer().serialize
    data: dict[str, Any] = {
        "ApproximateCreationDateTime": EPOCH,
        "Keys": {name: typed(value) for name, value in KEYS.items()},
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    for name, item in (("OldImage", old), ("NewImage", new)):
        if item is not None:
            data[name] = {attribute: typed(value) for attribute, value in item.items()}
    return {"eventName": event_name, "eventSource": "aws:dynamodb", "dynamodb": data}


def recorded(
    event_name: str, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> Vastlegging:
    change = record_change(stream_record(event_name, old, new), PROCESSING_ACTIVITY)
    assert change is not None
    return change


def audit_record(
    event_name: str, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> AuditRecord:
    return recorded(event_name, old, new).audit


def modify(new_image: dict[str, Any], old_image: dict[str, Any] = BEFORE) -> AuditRecord:
    return audit_record("MODIFY", old_image, new_image)


# --- INSERT ------------------------------------------------------------------------------------


def test_insert_is_aangemaakt_with_only_a_version_after() -> None:
    new = image(1, [EMAIL], voorkeuren={"correspondentie": "digitaal"})
    record = audit_record("INSERT", None, new)
    assert record.actie is Actie.AANGEMAAKT
    assert record.partij == PARTIJ
    assert record.versie_voor is None
    assert record.versie_na == 1
    assert type(record.versie_na) is int
    assert record.velden == ("contactgegevens.email", "voorkeuren.correspondentie")
    assert record.actor_rol == "burger"
    assert record.actor is None
    assert record.tijdstip == new["changed_at"]
    assert record.trace_id == new["trace_id"]


# --- MODIFY ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "velden"),
    [
        pytest.param(
            image(
                4,
                [EMAIL | {"adres": "jan@example.nl"}, TELEFOON],
                POSTADRES,
                {"correspondentie": "post"},
            ),
            ("contactgegevens.email",),
            id="email-address",
        ),
        pytest.param(
            image(
                4,
                [EMAIL | {"omschrijving": "werk"}, TELEFOON],
                POSTADRES,
                {"correspondentie": "post"},
            ),
            ("contactgegevens.email",),
            id="email-omschrijving",
        ),
        pytest.param(
            image(4, [EMAIL, TELEFOON, EMAIL_2], POSTADRES, {"correspondentie": "post"}),
            ("contactgegevens.email",),
            id="email-added",
        ),
        pytest.param(
            image(4, [EMAIL], POSTADRES, {"correspondentie": "post"}),
            ("contactgegevens.telefoonnummer",),
            id="telefoonnummer-removed",
        ),
        pytest.param(
            image(
                4,
                [EMAIL, TELEFOON | {"adres": "+31201234567", "verificatieDatum": None}],
                POSTADRES,
                {"correspondentie": "post"},
            ),
            ("contactgegevens.telefoonnummer",),
            id="telefoonnummer-changed",
        ),
        pytest.param(
            image(
                4,
                [EMAIL, TELEFOON],
                POSTADRES | {"huisnummer": Decimal(14)},
                {"correspondentie": "post"},
            ),
            ("postadres",),
            id="postadres-changed",
        ),
        pytest.param(
            image(4, [EMAIL, TELEFOON], BUITENLANDS, {"correspondentie": "post"}),
            ("postadres",),
            id="postadres-to-buitenlands",
        ),
        pytest.param(
            image(4, [EMAIL, TELEFOON], None, {"correspondentie": "post"}),
            ("postadres",),
            id="postadres-removed",
        ),
        pytest.param(
            image(4, [EMAIL, TELEFOON], POSTADRES, {"correspondentie": "digitaal"}),
            ("voorkeuren.correspondentie",),
            id="correspondentie-changed",
        ),
        pytest.param(
            image(4, [EMAIL, TELEFOON], POSTADRES, {}),
            ("voorkeuren.correspondentie",),
            id="correspondentie-cleared",
        ),
        pytest.param(
            image(
                4, [TELEFOON | {"isStandaardAdres": False}], None, {"correspondentie": "digitaal"}
            ),
            (
                "contactgegevens.email",
                "contactgegevens.telefoonnummer",
                "postadres",
                "voorkeuren.correspondentie",
            ),
            id="everything",
        ),
    ],
)
def test_modify_names_exactly_the_changed_fields(
    new: dict[str, Any], velden: tuple[str, ...]
) -> None:
    record = modify(new)
    assert record.actie is Actie.GEWIJZIGD
    assert record.velden == velden
    assert (record.versie_voor, record.versie_na) == (3, 4)


def test_modify_of_metadata_only_names_no_fields() -> None:
    new = BEFORE | {
        "version": Decimal(4),
        "changed_by_role": "vertegenwoordiger",
        "changed_by": "a-77aa",
        "changed_at": "2025-02-01T00:00:00+00:00",
        "trace_id": "0af7651916cd43dd8448eb211c80319c",
        "schema_version": Decimal(2),
    }
    record = modify(new)
    assert record.actie is Actie.GEWIJZIGD
    assert record.velden == ()
    assert (record.versie_voor, record.versie_na) == (3, 4)


# --- the images read as the repository reads a stored item -------------------------------------


def test_an_item_of_an_older_schema_names_only_what_the_owner_changed() -> None:
    # Schema 2 stored the moment of verification; the change (only the language) is stored in
    # schema 3, which keeps its day. The stored forms of the e-mail address differ, the address
    # does not.
    verified = EMAIL | {"verificatieDatum": "2026-06-30T22:30:00+00:00"}  # 1 July in Amsterdam
    old = image(3, [verified], voorkeuren={"correspondentie": "post"}, schema_version=Decimal(2))
    new = image(
        4,
        [EMAIL | {"verificatieDatum": "2026-07-01"}],
        voorkeuren={"correspondentie": "post", "taal": "en"},
        schema_version=Decimal(3),
    )
    assert modify(new, old).velden == ("voorkeuren.taal",)


def test_a_changed_day_of_verification_is_still_a_change() -> None:
    verified = EMAIL | {"verificatieDatum": "2026-06-30T10:00:00+00:00"}  # 30 June
    old = image(3, [verified], schema_version=Decimal(2))
    new = image(4, [EMAIL | {"verificatieDatum": "2026-07-01"}], schema_version=Decimal(3))
    assert modify(new, old).velden == ("contactgegevens.email",)


@pytest.mark.parametrize(
    ("voorkeuren", "velden"),
    [
        (
            {"correspondentie": "post", "organisaties": [{"oin": "00000099000000000001"}]},
            ("voorkeuren.organisaties",),
        ),
        ({"correspondentie": "post", "weergave": {"thema": "donker"}}, ("voorkeuren.weergave",)),
        # Stored without what equals its default, or with it: the same preferences.
        ({"correspondentie": "post", "kanalen": {}, "organisaties": []}, ()),
    ],
)
def test_preferences_are_compared_as_preferences(
    voorkeuren: dict[str, Any], velden: tuple[str, ...]
) -> None:
    assert modify(image(4, [EMAIL, TELEFOON], POSTADRES, voorkeuren)).velden == velden


def test_who_it_is_shared_with_is_named_too() -> None:
    new = BEFORE | {"version": Decimal(4), "delen": {"geweigerd": ["00000099000000000002"]}}
    assert modify(new).velden == ("delen",)


# --- one change, one step: the audit record, the LDV record and the event ----------------------


def test_the_three_records_of_a_change_come_from_one_step() -> None:
    new = image(4, [EMAIL, TELEFOON], POSTADRES, {"correspondentie": "digitaal"}) | {
        "span_id": "b7ad6b7169203331",
        "partij_soort": "bsn",
    }
    record = stream_record("MODIFY", BEFORE, new)
    kept = copy.deepcopy(record)
    change = record_change(record, PROCESSING_ACTIVITY, "https://profiel.example.nl")
    assert record == kept  # pure: the stream record is only read

    assert change.audit.velden == ("voorkeuren.correspondentie",)
    assert change.verwerking.trace_id == new["trace_id"] == change.audit.trace_id
    assert change.verwerking.parent_span_id == "b7ad6b7169203331"
    assert change.verwerking.data_subject_id == PARTIJ
    assert change.verwerking.data_subject_id_type.endswith(":BSN")
    assert change.verwerking.doel == EIGEN_PROFIELBEHEER
    assert change.verwerking.processing_activity_id == PROCESSING_ACTIVITY
    assert change.event["id"] == event_id(change.audit)
    assert change.event["subject"] == PARTIJ
    assert change.event["data"] == {
        "actie": "gewijzigd",
        "velden": ["voorkeuren.correspondentie"],
        "versie": 4,
    }
    assert change.event["dataref"] == "https://profiel.example.nl/api/profiel/v1/profiel"
    # A redelivery of the same change builds the very same three.
    assert record_change(kept, PROCESSING_ACTIVITY, "https://profiel.example.nl") == change


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("burger", "wijzigen eigen profiel"),
        ("curator", "wijzigen eigen profiel"),
        ("organisatie", "wijzigen profiel na melding organisatie"),
        ("systeem", "wijzigen profiel door de dienst"),
    ],
)
def test_the_ldv_record_names_a_change_by_who_made_it(role: str, name: str) -> None:
    new = image(4, [EMAIL, TELEFOON], POSTADRES) | {"changed_by_role": role}
    change = record_change(stream_record("MODIFY", BEFORE, new), PROCESSING_ACTIVITY)
    assert change.verwerking.name == name
    assert change.audit.actor_rol == role


def test_a_stream_record_without_its_keys_is_refused() -> None:
    record = stream_record("MODIFY", BEFORE, image(4, [EMAIL], None))
    del record["dynamodb"]["Keys"]
    with pytest.raises(KeyError):
        record_change(record, PROCESSING_ACTIVITY)


def test_modify_takes_the_actor_and_trace_from_the_new_image() -> None:
    old = BEFORE | {"changed_by_role": "burger", "trace_id": "old-trace"}
    new = image(4, [EMAIL, TELEFOON], POSTADRES, {"correspondentie": "digitaal"}) | {
        "changed_by_role": "vertegenwoordiger",
        "changed_by": "a-9c2e41d0",
        "changed_at": "2025-03-04T05:06:07+00:00",
        "trace_id": "new-trace",
    }
    record = modify(new, old)
    assert record.actor_rol == "vertegenwoordiger"
    assert record.actor == "a-9c2e41d0"
    assert record.trace_id == "new-trace"
    assert record.tijdstip == "2025-03-04T05:06:07+00:00"


def test_modify_without_an_actor_role_falls_back_to_systeem() -> None:
    new = {
        k: v for k, v in image(4, [EMAIL, TELEFOON], POSTADRES).items() if k != "changed_by_role"
    }
    assert modify(new).actor_rol == "systeem"


# --- REMOVE ------------------------------------------------------------------------------------


def test_remove_is_verwijderd_by_the_system_at_the_stream_time() -> None:
    record = audit_record("REMOVE", BEFORE, None)
    assert record.actie is Actie.VERWIJDERD
    assert record.versie_voor == 3
    assert record.versie_na is None
    assert record.actor_rol == "systeem"
    assert record.actor is None
    assert record.trace_id is None  # the old image's trace is not the removal's
    assert datetime.fromisoformat(record.tijdstip) == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert record.velden == (
        "contactgegevens.email",
        "contactgegevens.telefoonnummer",
        "postadres",
        "voorkeuren.correspondentie",
    )


def test_unknown_event_name_is_refused() -> None:
    with pytest.raises(KeyError):
        audit_record("TRUNCATE", BEFORE, None)


# --- volgnummer: the change, not the stream record --------------------------------------------


def test_volgnummer_is_the_version_the_change_produced() -> None:
    assert modify(image(4, [EMAIL], None)).volgnummer == "4".zfill(VERSION_WIDTH)
    inserted = audit_record("INSERT", None, image(1, [EMAIL], None))
    assert inserted.volgnummer == "1".zfill(VERSION_WIDTH)


def test_a_removal_ends_the_version_before_it() -> None:
    record = audit_record("REMOVE", BEFORE, None)
    assert int(record.volgnummer) == record.versie_voor + 1 == 4


def test_the_same_change_carried_twice_is_the_same_record() -> None:
    # A restored store starts a new stream: the record must not depend on which stream carried it.
    new = image(4, [EMAIL], None)
    assert modify(new) == modify(new)


def test_volgnummer_sorts_lexically_as_the_versions() -> None:
    versions = [10, 9, 1, 10**12, 99]
    volgnummers = {v: volgnummer(v) for v in versions}
    assert "9" > "10"  # what padding must undo
    assert sorted(versions, key=volgnummers.__getitem__) == sorted(versions)
    assert all(len(v) == VERSION_WIDTH for v in volgnummers.values())


def test_an_image_without_any_version_is_refused() -> None:
    with pytest.raises(ValueError):
        produced_version(None, None)


# --- privacy -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_name", "old", "new"),
    [
        (
            "INSERT",
            None,
            image(1, [EMAIL, EMAIL_2, TELEFOON], POSTADRES, {"correspondentie": "post"}),
        ),
        (
            "MODIFY",
            BEFORE,
            image(
                4,
                [EMAIL_2, TELEFOON | {"adres": "+31201234567"}],
                BUITENLANDS,
                {"correspondentie": "digitaal"},
            ),
        ),
        ("REMOVE", BEFORE, None),
    ],
)
def test_the_record_never_carries_a_value_from_the_images(
    event_name: str, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> None:
    change = recorded(event_name, old, new)
    record = change.audit
    serialised = json.dumps(
        [dataclasses.asdict(record), dataclasses.asdict(change.verwerking), change.event],
        default=str,
    )
    assert record.velden  # the change itself is recorded...
    leaked = [value for value in PERSONAL_VALUES if value in serialised]
    assert leaked == []  # ...but none of its values, in none of the three


# --- a key rotation's moves --------------------------------------------------------------------


def test_a_key_rotations_copy_marking_and_removal_are_not_changes_of_the_partij() -> None:
    moved = {**BEFORE, "verhuisd": True}
    stamped = {**BEFORE, "version": 4, "verhuisd": True}
    assert record_change(stream_record("INSERT", None, moved), PROCESSING_ACTIVITY) is None
    assert record_change(stream_record("MODIFY", BEFORE, stamped), PROCESSING_ACTIVITY) is None
    assert record_change(stream_record("REMOVE", stamped, None), PROCESSING_ACTIVITY) is None
    # The next change of the moved profile is one again, and the marker is no field of it.
    after = {**BEFORE, "version": 4, "voorkeuren": {"correspondentie": "digitaal"}}
    assert modify(after, moved).velden == ("voorkeuren.correspondentie",)
    # A removal of an item nobody marked is still the system's removal.
    assert audit_record("REMOVE", BEFORE, None).actie == Actie.VERWIJDERD


def test_the_store_removing_an_erased_profiles_marker_records_nothing() -> None:
    # The erasure itself was recorded; the marker goes with the end of the trail's retention.
    marker = {**BEFORE, "version": 4, "gewist": True, "contactgegevens": [], "postadres": None}
    assert record_change(stream_record("REMOVE", marker, None), PROCESSING_ACTIVITY) is None
    assert modify(marker).actie == Actie.VERWIJDERD  # the erasure, by its owner
