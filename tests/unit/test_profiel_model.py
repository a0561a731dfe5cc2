"""Unit tests of shared.models.profiel: request bodies, the postal address union and Profiel."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from pydantic import ValidationError

from shared.models.profiel import (
    MAXIMUM_PER_SOORT,
    BuitenlandsPostadres,
    ContactgegevenToevoegen,
    NederlandsPostadres,
    Profiel,
    SoortDigitaalAdres,
)
from shared.models.voorkeuren import Correspondentie


def uuid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def errors(caught: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, tuple[Any, ...]]]:
    return [(e["type"], e["loc"]) for e in caught.value.errors()]


def toevoegen_json(**body: Any) -> str:
    return json.dumps(body)


# --- ContactgegevenToevoegen -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("soort", "adres", "expected"),
    [
        ("telefoonnummer", "06 12345678", "+31612345678"),
        ("telefoonnummer", "0031 20 123 4567", "+31201234567"),
        ("email", "Jan@EXAMPLE.nl", "Jan@example.nl"),
    ],
)
def test_toevoegen_normalises_the_address_by_its_kind(
    soort: str, adres: str, expected: str
) -> None:
    request = ContactgegevenToevoegen.model_validate_json(
        toevoegen_json(soortDigitaalAdres=soort, adres=adres)
    )
    assert request.soort_digitaal_adres == SoortDigitaalAdres(soort)
    assert request.adres == expected
    assert request.is_standaard_adres is None  # left out: decided by the profile
    assert request.omschrijving is None


def test_toevoegen_reads_all_camel_case_fields() -> None:
    request = ContactgegevenToevoegen.model_validate_json(
        toevoegen_json(
            soortDigitaalAdres="email",
            adres="jan@example.nl",
            omschrijving="  werk ",
            isStandaardAdres=True,
        )
    )
    assert request.omschrijving == "werk"
    assert request.is_standaard_adres is True


@pytest.mark.parametrize(
    ("soort", "adres"),
    [
        ("email", "jan@"),
        ("email", "x@localhost"),
        ("email", "06 12345678"),  # a phone number is not an e-mail address
        ("telefoonnummer", "123"),
        ("telefoonnummer", "jan@example.nl"),  # nor the other way round
        ("email", ""),
    ],
)
def test_toevoegen_reports_an_invalid_address_at_adres(soort: str, adres: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ContactgegevenToevoegen.model_validate_json(
            toevoegen_json(soortDigitaalAdres=soort, adres=adres)
        )
    assert [loc for _, loc in errors(caught)] == [("adres",)]


@pytest.mark.parametrize("soort", ["fax", "EMAIL", "", None])
def test_toevoegen_reports_an_unknown_kind_only_at_soort(soort: str | None) -> None:
    # The address is not judged without a kind, so it is not reported as well.
    with pytest.raises(ValidationError) as caught:
        ContactgegevenToevoegen.model_validate_json(
            toevoegen_json(soortDigitaalAdres=soort, adres="not an address")
        )
    assert [loc for _, loc in errors(caught)] == [("soortDigitaalAdres",)]


def test_toevoegen_refuses_an_unknown_field() -> None:
    with pytest.raises(ValidationError) as caught:
        ContactgegevenToevoegen.model_validate_json(
            toevoegen_json(soortDigitaalAdres="email", adres="jan@example.nl", kleur="rood")
        )
    assert errors(caught) == [("extra_forbidden", ("kleur",))]


def test_toevoegen_requires_the_kind_and_the_address() -> None:
    with pytest.raises(ValidationError) as caught:
        ContactgegevenToevoegen.model_validate_json("{}")
    assert sorted(errors(caught)) == [("missing", ("adres",)), ("missing", ("soortDigitaalAdres",))]


@pytest.mark.parametrize("body", ['{"soortDigitaalAdres": "email", ', "", "[", "nee"])
def test_toevoegen_reports_invalid_json(body: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ContactgegevenToevoegen.model_validate_json(body)
    assert [t for t, _ in errors(caught)] == ["json_invalid"]


def test_toevoegen_refuses_an_invalid_omschrijving() -> None:
    with pytest.raises(ValidationError) as caught:
        ContactgegevenToevoegen.model_validate_json(
            toevoegen_json(
                soortDigitaalAdres="email", adres="jan@example.nl", omschrijving="x" * 41
            )
        )
    assert [loc for _, loc in errors(caught)] == [("omschrijving",)]


# --- Postadres ---------------------------------------------------------------------------------

NEDERLANDS = {
    "soort": "nederlands",
    "straat": "Dorpsstraat",
    "huisnummer": 12,
    "huisletter": "a",
    "huisnummertoevoeging": "bis",
    "postcode": "1234ab",
    "woonplaats": "Ons Dorp",
}
BUITENLANDS = {
    "soort": "buitenlands",
    "adresregel1": "Rue de la Loi 16",
    "adresregel2": "1000 Bruxelles",
    "adresregel3": None,
    "land": "be",
}


def test_postadres_nederlands() -> None:
    postadres = Profiel.model_validate({"postadres": NEDERLANDS}).postadres
    assert postadres == NederlandsPostadres(
        soort="nederlands",
        straat="Dorpsstraat",
        huisnummer=12,
        huisletter="a",
        huisnummertoevoeging="bis",
        postcode="1234 AB",
        woonplaats="Ons Dorp",
    )


def test_postadres_nederlands_needs_no_huisletter_or_toevoeging() -> None:
    minimal = {
        k: v for k, v in NEDERLANDS.items() if k not in ("huisletter", "huisnummertoevoeging")
    }
    postadres = Profiel.model_validate({"postadres": minimal}).postadres
    assert isinstance(postadres, NederlandsPostadres)
    assert (postadres.huisletter, postadres.huisnummertoevoeging) == (None, None)


def test_postadres_buitenlands() -> None:
    postadres = Profiel.model_validate({"postadres": BUITENLANDS}).postadres
    assert isinstance(postadres, BuitenlandsPostadres)
    assert postadres.adresregel1 == "Rue de la Loi 16"
    assert postadres.adresregel2 == "1000 Bruxelles"
    assert postadres.adresregel3 is None
    assert postadres.land == "BE"


@pytest.mark.parametrize(("field", "value"), [("huisnummer", 1), ("huisnummer", 99999)])
def test_postadres_nederlands_huisnummer_bounds_are_inclusive(field: str, value: int) -> None:
    postadres = Profiel.model_validate({"postadres": NEDERLANDS | {field: value}}).postadres
    assert postadres.huisnummer == value


@pytest.mark.parametrize(
    ("field", "value", "error_type"),
    [
        ("huisnummer", 0, "greater_than_equal"),
        ("huisnummer", -1, "greater_than_equal"),
        ("huisnummer", 100000, "less_than_equal"),
        ("huisletter", "AB", "string_pattern_mismatch"),
        ("huisletter", "", "string_pattern_mismatch"),
        ("huisletter", "1", "string_pattern_mismatch"),
        ("huisletter", "a\n", "string_pattern_mismatch"),
        ("huisnummertoevoeging", "12345", "string_pattern_mismatch"),
        ("huisnummertoevoeging", "a-b", "string_pattern_mismatch"),
        ("huisnummertoevoeging", "", "string_pattern_mismatch"),
        ("postcode", "0123 AB", "value_error"),
        ("straat", "   ", "value_error"),
        ("land", "BE", "extra_forbidden"),
    ],
)
def test_postadres_nederlands_refuses(field: str, value: Any, error_type: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Profiel.model_validate({"postadres": NEDERLANDS | {field: value}})
    assert errors(caught) == [(error_type, ("postadres", "nederlands", field))]


@pytest.mark.parametrize(
    ("field", "value"), [("land", "NL"), ("land", "BEL"), ("adresregel1", ""), ("postcode", "1000")]
)
def test_postadres_buitenlands_refuses(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Profiel.model_validate({"postadres": BUITENLANDS | {field: value}})
    assert [loc for _, loc in errors(caught)] == [("postadres", "buitenlands", field)]


@pytest.mark.parametrize("soort", ["anders", "Nederlands", ""])
def test_postadres_refuses_an_unknown_soort(soort: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Profiel.model_validate({"postadres": NEDERLANDS | {"soort": soort}})
    assert errors(caught) == [("union_tag_invalid", ("postadres",))]


def test_postadres_without_soort_is_refused() -> None:
    without = {k: v for k, v in NEDERLANDS.items() if k != "soort"}
    with pytest.raises(ValidationError) as caught:
        Profiel.model_validate({"postadres": without})
    assert errors(caught) == [("union_tag_not_found", ("postadres",))]


# --- Profiel invariants ------------------------------------------------------------------------


def contactgegeven(n: int, soort: str, adres: str, standaard: bool = False) -> dict[str, Any]:
    return {
        "id": uuid(n),
        "soortDigitaalAdres": soort,
        "adres": adres,
        "isStandaardAdres": standaard,
    }


def emails(count: int) -> list[dict[str, Any]]:
    return [contactgegeven(i, "email", f"persoon{i}@example.nl") for i in range(1, count + 1)]


def telefoons(count: int) -> list[dict[str, Any]]:
    return [contactgegeven(100 + i, "telefoonnummer", f"+3161234567{i}") for i in range(count)]


@pytest.mark.parametrize(
    "contactgegevens",
    [
        pytest.param([], id="none"),
        pytest.param(
            emails(MAXIMUM_PER_SOORT[SoortDigitaalAdres.EMAIL])
            + telefoons(MAXIMUM_PER_SOORT[SoortDigitaalAdres.TELEFOONNUMMER]),
            id="the-maximum-of-each-kind",
        ),
        pytest.param(
            [
                contactgegeven(1, "email", "jan@example.nl", standaard=True),
                contactgegeven(2, "telefoonnummer", "+31612345678", standaard=True),
            ],
            id="one-standard-per-kind",
        ),
        pytest.param(
            [
                contactgegeven(1, "email", "jan@example.nl"),
                contactgegeven(2, "email", "Jan@example.nl"),
            ],
            id="local-parts-differing-in-case",
        ),
    ],
)
def test_profiel_accepts_consistent_contactgegevens(contactgegevens: list[dict[str, Any]]) -> None:
    profiel = Profiel.model_validate({"contactgegevens": contactgegevens})
    assert len(profiel.contactgegevens) == len(contactgegevens)


@pytest.mark.parametrize(
    ("contactgegevens", "message"),
    [
        pytest.param(
            [
                contactgegeven(1, "email", "jan@example.nl"),
                contactgegeven(1, "telefoonnummer", "+31612345678"),
            ],
            "dubbele id",
            id="duplicate-id",
        ),
        pytest.param(
            emails(MAXIMUM_PER_SOORT[SoortDigitaalAdres.EMAIL] + 1), "te veel", id="too-many-emails"
        ),
        pytest.param(
            telefoons(MAXIMUM_PER_SOORT[SoortDigitaalAdres.TELEFOONNUMMER] + 1),
            "te veel",
            id="too-many-telefoonnummers",
        ),
        pytest.param(
            [
                contactgegeven(1, "email", "jan@example.nl", standaard=True),
                contactgegeven(2, "email", "piet@example.nl", standaard=True),
            ],
            "meer dan een standaardadres",
            id="two-standard-emails",
        ),
        pytest.param(
            [
                contactgegeven(1, "telefoonnummer", "+31612345678", standaard=True),
                contactgegeven(2, "telefoonnummer", "+31201234567", standaard=True),
            ],
            "meer dan een standaardadres",
            id="two-standard-telefoonnummers",
        ),
        pytest.param(
            [
                contactgegeven(1, "email", "jan@example.nl"),
                contactgegeven(2, "email", "jan@example.nl"),
            ],
            "dubbel",
            id="same-address-twice",
        ),
    ],
)
def test_profiel_refuses_inconsistent_contactgegevens(
    contactgegevens: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Profiel.model_validate({"contactgegevens": contactgegevens})
    [error] = caught.value.errors()
    assert error["type"] == "value_error"
    assert message in error["msg"]


def test_profiel_defaults_to_empty() -> None:
    profiel = Profiel.model_validate({})
    assert profiel.contactgegevens == ()
    assert profiel.postadres is None
    assert profiel.voorkeuren.correspondentie is None


def test_profiel_is_frozen() -> None:
    profiel = Profiel.model_validate({"contactgegevens": emails(1)})
    with pytest.raises(ValidationError):
        profiel.postadres = None  # type: ignore[misc]


def test_profiel_contactgegeven_finds_by_id() -> None:
    profiel = Profiel.model_validate({"contactgegevens": emails(2)})
    assert profiel.contactgegeven(UUID(uuid(2))).adres == "persoon2@example.nl"
    assert profiel.contactgegeven(UUID(uuid(99))) is None


# --- Round trip --------------------------------------------------------------------------------


@pytest.mark.parametrize("postadres", [NEDERLANDS, BUITENLANDS, None])
def test_profiel_round_trips_through_its_json_form(postadres: dict[str, Any] | None) -> None:
    profiel = Profiel.model_validate(
        {
            "contactgegevens": [
                contactgegeven(1, "email", "jan@example.nl", standaard=True)
                | {
                    "omschrijving": "privé",
                    "verificatieDatum": date(2025, 1, 2),
                },
                contactgegeven(2, "telefoonnummer", "+31612345678")
                | {"verificatieDatum": "2025-01-03"},
                contactgegeven(3, "email", "piet@example.com"),
            ],
            "postadres": postadres,
            "voorkeuren": {"correspondentie": "digitaal"},
        }
    )
    dumped = profiel.model_dump(mode="json", by_alias=True)
    assert "soortDigitaalAdres" in dumped["contactgegevens"][0]  # the API form, camelCase
    again = Profiel.model_validate(dumped)
    assert again == profiel
    assert again.voorkeuren.correspondentie is Correspondentie.DIGITAAL
    assert again.contactgegevens[0].id == UUID(uuid(1))
