"""Unit tests of functions.process_log.core: one stream record of the profile table to one audit
record, naming the fields that changed and never their values."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from functions.process_log.core import audit_record
from shared.models.audit import VERSION_WIDTH, produced_version, volgnummer
from shared.models.audit import Actie

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


def modify(new_image: dict[str, Any], old_image: dict[str, Any] = BEFORE) -> Any:
    return audit_record("MODIFY", EPOCH, KEYS, old_image, new_image)


# --- INSERT ------------------------------------------------------------------------------------


def test_insert_is_aangemaakt_with_only_a_version_after() -> None:
    new = image(1, [EMAIL], voorkeuren={"correspondentie": "digitaal"})
    record = audit_record("INSERT", EPOCH, KEYS, None, new)
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
    record = audit_record("REMOVE", EPOCH, KEYS, BEFORE, None)
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
        audit_record("TRUNCATE", EPOCH, KEYS, BEFORE, None)


# --- volgnummer: the change, not the stream record --------------------------------------------


def test_volgnummer_is_the_version_the_change_produced() -> None:
    assert modify(image(4, [EMAIL], None)).volgnummer == "4".zfill(VERSION_WIDTH)
    inserted = audit_record("INSERT", EPOCH, KEYS, None, image(1, [EMAIL], None))
    assert inserted.volgnummer == "1".zfill(VERSION_WIDTH)


def test_a_removal_ends_the_version_before_it() -> None:
    record = audit_record("REMOVE", EPOCH, KEYS, BEFORE, None)
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
    record = audit_record(event_name, EPOCH, KEYS, old, new)
    serialised = json.dumps(dataclasses.asdict(record), default=str)
    assert record.velden  # the change itself is recorded...
    leaked = [value for value in PERSONAL_VALUES if value in serialised]
    assert leaked == []  # ...but none of its values
