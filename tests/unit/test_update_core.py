"""Unit tests of functions.update_profile.core: the pure changes to one's own profile."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from pydantic import TypeAdapter

from functions.update_profile.core import (
    add_contactgegeven,
    change_contactgegeven,
    change_voorkeuren,
    patched_voorkeuren,
    remove_contactgegeven,
    remove_postadres,
    set_postadres,
)
from shared.errors import DomainError
from shared.http.errors import problem_of
from shared.models.profiel import (
    MAXIMUM_PER_SOORT,
    Contactgegeven,
    Postadres,
    Profiel,
    SoortDigitaalAdres,
)
from shared.models.voorkeuren import Correspondentie, Voorkeurset
from tests.builders import toevoegen, uid, wijzigen

EMAIL = SoortDigitaalAdres.EMAIL
TELEFOON = SoortDigitaalAdres.TELEFOONNUMMER
VERIFIED_AT = date(2025, 1, 2)


def cg(
    n: int, soort: SoortDigitaalAdres, adres: str, standaard: bool = False, **extra: Any
) -> Contactgegeven:
    return Contactgegeven(
        id=uid(n), soort_digitaal_adres=soort, adres=adres, is_standaard_adres=standaard, **extra
    )


def profiel_met(*contactgegevens: Contactgegeven, **extra: Any) -> Profiel:
    # Validated, so that every starting profile keeps the invariants itself.
    return Profiel.model_validate({"contactgegevens": contactgegevens, **extra})


def assert_consistent(profiel: Profiel) -> None:
    """model_copy does not validate: check the result against Profiel's invariants explicitly."""
    assert Profiel.model_validate(profiel.model_dump()) == profiel


def standaard(profiel: Profiel, soort: SoortDigitaalAdres) -> list[UUID]:
    return [
        c.id
        for c in profiel.contactgegevens
        if c.soort_digitaal_adres == soort and c.is_standaard_adres
    ]


def by_id(profiel: Profiel, n: int) -> Contactgegeven:
    found = profiel.contactgegeven(uid(n))
    assert found is not None
    return found


# A profile with two e-mail addresses (the first standard, verified) and one phone (standard).
JAN = cg(1, EMAIL, "jan@example.nl", True, omschrijving="privé", verificatie_datum=VERIFIED_AT)
WERK = cg(2, EMAIL, "jan.werk@example.com", False, omschrijving="werk")
MOBIEL = cg(3, TELEFOON, "+31612345678", True, verificatie_datum=VERIFIED_AT)
VOL = profiel_met(JAN, WERK, MOBIEL)


# --- add_contactgegeven ------------------------------------------------------------------------


def test_add_first_of_a_kind_becomes_standard() -> None:
    result, nieuw = add_contactgegeven(
        Profiel(), toevoegen("telefoonnummer", "06 12345678"), uid(9)
    )
    assert nieuw == Contactgegeven(
        id=uid(9), soort_digitaal_adres=TELEFOON, adres="+31612345678", is_standaard_adres=True
    )
    assert result.contactgegevens == (nieuw,)
    assert nieuw.verificatie_datum is None


def test_add_second_of_a_kind_is_not_standard() -> None:
    start = profiel_met(JAN)
    result, nieuw = add_contactgegeven(start, toevoegen("email", "piet@example.nl"), uid(9))
    assert nieuw.is_standaard_adres is False
    assert standaard(result, EMAIL) == [JAN.id]
    assert result.contactgegevens == (JAN, nieuw)  # appended, the rest untouched
    assert_consistent(result)


def test_add_second_as_standard_takes_over_within_its_kind() -> None:
    result, nieuw = add_contactgegeven(
        VOL, toevoegen("email", "piet@example.nl", isStandaardAdres=True), uid(9)
    )
    assert nieuw.is_standaard_adres is True
    assert standaard(result, EMAIL) == [uid(9)]
    assert standaard(result, TELEFOON) == [MOBIEL.id]  # the other kind keeps its standard
    assert by_id(result, 1) == JAN.model_copy(update={"is_standaard_adres": False})
    assert_consistent(result)


def test_add_first_of_a_kind_becomes_standard_even_when_another_kind_has_one() -> None:
    result, nieuw = add_contactgegeven(
        profiel_met(JAN), toevoegen("telefoonnummer", "0201234567"), uid(9)
    )
    assert nieuw.is_standaard_adres is True
    assert standaard(result, EMAIL) == [JAN.id]
    assert_consistent(result)


def test_add_first_explicitly_not_standard_leaves_no_standard() -> None:
    result, nieuw = add_contactgegeven(
        Profiel(), toevoegen("email", "jan@example.nl", isStandaardAdres=False), uid(9)
    )
    assert nieuw.is_standaard_adres is False
    assert standaard(result, EMAIL) == []


def test_add_keeps_the_omschrijving() -> None:
    _, nieuw = add_contactgegeven(
        Profiel(), toevoegen("email", "jan@example.nl", omschrijving=" thuis "), uid(9)
    )
    assert nieuw.omschrijving == "thuis"


@pytest.mark.parametrize(
    ("soort", "adres"),
    [
        ("email", "jan@example.nl"),
        ("email", "jan@EXAMPLE.NL"),  # the same address once normalised
        ("telefoonnummer", "+31612345678"),
        ("telefoonnummer", "06 12345678"),
        ("telefoonnummer", "0031612345678"),
    ],
)
def test_add_refuses_an_address_already_in_the_kind(soort: str, adres: str) -> None:
    with pytest.raises(DomainError) as caught:
        add_contactgegeven(VOL, toevoegen(soort, adres), uid(9))
    assert problem_of(caught.value).status == 409
    assert problem_of(caught.value).slug == "conflict"
    assert adres not in problem_of(caught.value).detail


def fill(soort: SoortDigitaalAdres) -> Profiel:
    if soort is EMAIL:
        items = [cg(i, EMAIL, f"persoon{i}@example.nl") for i in range(MAXIMUM_PER_SOORT[EMAIL])]
    else:
        items = [cg(i, TELEFOON, f"+3161234567{i}") for i in range(MAXIMUM_PER_SOORT[TELEFOON])]
    return profiel_met(*items)


@pytest.mark.parametrize(
    ("soort", "adres", "other_soort", "other_adres"),
    [
        (EMAIL, "nieuw@example.nl", "telefoonnummer", "06 23456789"),
        (TELEFOON, "06 23456789", "email", "nieuw@example.nl"),
    ],
)
def test_add_refuses_beyond_the_maximum_of_a_kind(
    soort: SoortDigitaalAdres, adres: str, other_soort: str, other_adres: str
) -> None:
    full = fill(soort)
    with pytest.raises(DomainError) as caught:
        add_contactgegeven(full, toevoegen(soort.value, adres, isStandaardAdres=True), uid(99))
    assert problem_of(caught.value).status == 409
    assert str(MAXIMUM_PER_SOORT[soort]) in problem_of(caught.value).detail
    # The limit is per kind: the other kind can still be added.
    result, _ = add_contactgegeven(full, toevoegen(other_soort, other_adres), uid(99))
    assert len(result.contactgegevens) == MAXIMUM_PER_SOORT[soort] + 1


def test_add_leaves_the_input_profile_unchanged() -> None:
    before = VOL.model_dump()
    result, _ = add_contactgegeven(
        VOL, toevoegen("email", "piet@example.nl", isStandaardAdres=True), uid(9)
    )
    assert VOL.model_dump() == before
    assert VOL.contactgegevens == (JAN, WERK, MOBIEL)
    assert JAN.is_standaard_adres is True
    assert result is not VOL


# --- change_contactgegeven ---------------------------------------------------------------------


def test_change_adres_normalises_and_forgets_the_verification() -> None:
    result = change_contactgegeven(VOL, MOBIEL.id, wijzigen({"adres": "020 123 4567"}))
    changed = by_id(result, 3)
    assert changed.adres == "+31201234567"
    assert changed.verificatie_datum is None
    assert changed.is_standaard_adres is True  # not sent: unchanged
    assert by_id(result, 1) == JAN  # another contactgegeven keeps its verification
    assert_consistent(result)


@pytest.mark.parametrize(
    ("n", "adres"),
    [(3, "06 12345678"), (3, "+31612345678"), (1, "jan@EXAMPLE.nl"), (1, "jan@example.nl")],
)
def test_change_to_the_same_address_keeps_the_verification(n: int, adres: str) -> None:
    result = change_contactgegeven(VOL, uid(n), wijzigen({"adres": adres}))
    assert by_id(result, n) == by_id(VOL, n)
    assert by_id(result, n).verificatie_datum == VERIFIED_AT


def test_change_omschrijving_null_removes_it() -> None:
    result = change_contactgegeven(VOL, JAN.id, wijzigen({"omschrijving": None}))
    assert by_id(result, 1) == JAN.model_copy(update={"omschrijving": None})


def test_change_only_what_is_sent() -> None:
    result = change_contactgegeven(VOL, JAN.id, wijzigen({"omschrijving": " thuis "}))
    changed = by_id(result, 1)
    assert changed.omschrijving == "thuis"
    assert (changed.adres, changed.is_standaard_adres, changed.verificatie_datum) == (
        JAN.adres,
        True,
        VERIFIED_AT,
    )
    assert result.contactgegevens[1:] == (WERK, MOBIEL)


def test_change_with_an_empty_body_changes_nothing() -> None:
    assert change_contactgegeven(VOL, WERK.id, wijzigen({})) == VOL


@pytest.mark.parametrize(
    ("n", "adres"),
    [(1, "jan@"), (1, "x@localhost"), (1, "06 12345678"), (3, "123"), (3, "jan@example.nl")],
)
def test_change_to_an_invalid_address_is_invalid_input(n: int, adres: str) -> None:
    with pytest.raises(DomainError) as caught:
        change_contactgegeven(VOL, uid(n), wijzigen({"adres": adres}))
    problem = problem_of(caught.value)
    assert problem.status == 400
    assert [(p.name, p.code) for p in problem.invalid_params] == [("adres", "value_error")]
    assert adres not in problem.invalid_params[0].reason
    assert adres not in problem.detail


def test_change_adres_null_is_invalid_input() -> None:
    with pytest.raises(DomainError) as caught:
        change_contactgegeven(VOL, JAN.id, wijzigen({"adres": None}))
    assert problem_of(caught.value).status == 400
    assert [(p.name, p.code) for p in problem_of(caught.value).invalid_params] == [
        ("adres", "null")
    ]


def test_change_is_standaard_adres_null_is_invalid_input() -> None:
    with pytest.raises(DomainError) as caught:
        change_contactgegeven(VOL, WERK.id, wijzigen({"isStandaardAdres": None}))
    assert problem_of(caught.value).status == 400
    assert [p.name for p in problem_of(caught.value).invalid_params] == ["isStandaardAdres"]


def test_change_an_unknown_contactgegeven_is_not_found() -> None:
    with pytest.raises(DomainError) as caught:
        change_contactgegeven(VOL, uid(99), wijzigen({"omschrijving": "x"}))
    assert problem_of(caught.value).status == 404


@pytest.mark.parametrize("adres", ["jan@example.nl", "jan@Example.NL"])
def test_change_to_the_address_of_another_of_the_kind_is_a_conflict(adres: str) -> None:
    with pytest.raises(DomainError) as caught:
        change_contactgegeven(VOL, WERK.id, wijzigen({"adres": adres}))
    assert problem_of(caught.value).status == 409


def test_change_is_standaard_adres_moves_the_standard_within_the_kind() -> None:
    result = change_contactgegeven(VOL, WERK.id, wijzigen({"isStandaardAdres": True}))
    assert standaard(result, EMAIL) == [WERK.id]
    assert standaard(result, TELEFOON) == [MOBIEL.id]
    assert by_id(result, 1) == JAN.model_copy(update={"is_standaard_adres": False})
    assert by_id(result, 3) == MOBIEL
    assert_consistent(result)


def test_change_is_standaard_adres_false_leaves_the_kind_without_standard() -> None:
    result = change_contactgegeven(VOL, JAN.id, wijzigen({"isStandaardAdres": False}))
    assert standaard(result, EMAIL) == []
    assert standaard(result, TELEFOON) == [MOBIEL.id]


def test_change_leaves_the_input_profile_unchanged() -> None:
    before = VOL.model_dump()
    change_contactgegeven(
        VOL, WERK.id, wijzigen({"adres": "piet@example.nl", "isStandaardAdres": True})
    )
    assert VOL.model_dump() == before


# --- remove_contactgegeven ---------------------------------------------------------------------


def test_remove_the_standard_promotes_the_next_of_the_same_kind() -> None:
    derde = cg(4, EMAIL, "derde@example.nl")
    start = profiel_met(JAN, MOBIEL, WERK, derde)
    result = remove_contactgegeven(start, JAN.id)
    assert [c.id for c in result.contactgegevens] == [MOBIEL.id, WERK.id, derde.id]
    assert standaard(result, EMAIL) == [WERK.id]
    assert standaard(result, TELEFOON) == [MOBIEL.id]
    assert by_id(result, 2) == WERK.model_copy(update={"is_standaard_adres": True})
    assert_consistent(result)


def test_remove_a_non_standard_keeps_the_standard() -> None:
    result = remove_contactgegeven(VOL, WERK.id)
    assert result.contactgegevens == (JAN, MOBIEL)


def test_remove_the_last_of_a_kind() -> None:
    result = remove_contactgegeven(VOL, MOBIEL.id)
    assert result.contactgegevens == (JAN, WERK)
    assert standaard(result, TELEFOON) == []


def test_remove_an_unknown_contactgegeven_is_not_found() -> None:
    with pytest.raises(DomainError) as caught:
        remove_contactgegeven(VOL, uid(99))
    assert problem_of(caught.value).status == 404
    assert VOL.contactgegevens == (JAN, WERK, MOBIEL)


def test_remove_leaves_the_input_profile_unchanged() -> None:
    before = VOL.model_dump()
    remove_contactgegeven(VOL, JAN.id)
    assert VOL.model_dump() == before


# --- postadres ---------------------------------------------------------------------------------

POSTADRES = TypeAdapter(Postadres)
NEDERLANDS = POSTADRES.validate_python(
    {
        "soort": "nederlands",
        "straat": "Dorpsstraat",
        "huisnummer": 12,
        "postcode": "1234 AB",
        "woonplaats": "Ons Dorp",
    }
)
BUITENLANDS = POSTADRES.validate_python(
    {"soort": "buitenlands", "adresregel1": "Rue de la Loi 16", "land": "BE"}
)


def test_set_postadres_on_an_empty_profile() -> None:
    result = set_postadres(VOL, NEDERLANDS)
    assert result.postadres == NEDERLANDS
    assert result.contactgegevens == VOL.contactgegevens
    assert VOL.postadres is None


def test_set_postadres_replaces_the_old_one() -> None:
    result = set_postadres(set_postadres(Profiel(), NEDERLANDS), BUITENLANDS)
    assert result.postadres == BUITENLANDS


def test_remove_postadres() -> None:
    start = set_postadres(VOL, BUITENLANDS)
    result = remove_postadres(start)
    assert result.postadres is None
    assert result.contactgegevens == VOL.contactgegevens
    assert start.postadres == BUITENLANDS


def test_remove_postadres_when_there_is_none_is_not_found() -> None:
    with pytest.raises(DomainError) as caught:
        remove_postadres(VOL)
    assert problem_of(caught.value).status == 404


# --- voorkeuren --------------------------------------------------------------------------------


def voorkeuren(profiel: Profiel, body: dict[str, Any]) -> Voorkeurset:
    """A PATCH body as the app applies it: merged into the current default level, validated."""
    return Voorkeurset.model_validate(patched_voorkeuren(profiel, body))


@pytest.mark.parametrize(
    ("start", "body", "expected"),
    [
        (None, {"correspondentie": "digitaal"}, Correspondentie.DIGITAAL),
        ("digitaal", {"correspondentie": "post"}, Correspondentie.POST),
        ("post", {"correspondentie": None}, None),
        ("post", {}, Correspondentie.POST),
        (None, {}, None),
    ],
)
def test_change_voorkeuren(
    start: str | None, body: dict[str, Any], expected: Correspondentie | None
) -> None:
    profiel = profiel_met(JAN, voorkeuren={"correspondentie": start})
    result = change_voorkeuren(profiel, voorkeuren(profiel, body))
    assert result.voorkeuren.correspondentie == expected
    assert result.contactgegevens == (JAN,)
    assert profiel.voorkeuren.correspondentie == (Correspondentie(start) if start else None)


def test_change_voorkeuren_with_an_empty_body_changes_nothing() -> None:
    profiel = profiel_met(JAN, voorkeuren={"correspondentie": "post"})
    assert change_voorkeuren(profiel, voorkeuren(profiel, {})) == profiel
