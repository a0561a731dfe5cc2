"""Unit tests of verifying a contact detail: its status, functions.verify_contact.core, and which
addresses a profile change sends a code to or tells of the change."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta

from functions.update_profile.core import (
    add_contactgegeven,
    addresses_to_verify,
    change_contactgegeven,
    old_addresses_to_notify,
    remove_contactgegeven,
)
from functions.verify_contact.core import (
    code_sent,
    require_right_code,
    verified,
)
from shared.errors import DomainError, InvalidParam
from shared.http.errors import problem_of
from shared.models.profiel import (
    AdresWijziging,
    Contactgegeven,
    Profiel,
    SoortDigitaalAdres,
    VerificatieStatus,
    kalenderdatum,
)
from shared.models.verificatie import Controle, Uitkomst, Verificatie
from tests.builders import toevoegen, uid, wijzigen

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
EMAIL = SoortDigitaalAdres.EMAIL
TELEFOON = SoortDigitaalAdres.TELEFOONNUMMER


def met(profiel: Profiel, n: int, soort: str, adres: str, **extra: Any) -> Profiel:
    result, _ = add_contactgegeven(profiel, toevoegen(soort, adres, **extra), uid(n))
    return result


def geverifieerd(profiel: Profiel, n: int, at: datetime = NOW) -> Profiel:
    return verified(profiel, by_id(profiel, n), at)


def by_id(profiel: Profiel, n: int) -> Contactgegeven:
    found = profiel.contactgegeven(uid(n))
    assert found is not None
    return found


def cg(verificatie_datum: date | None) -> Contactgegeven:
    return Contactgegeven(
        id=uid(1),
        soort_digitaal_adres=EMAIL,
        adres="jan@example.nl",
        verificatie_datum=verificatie_datum,
    )


# Two e-mail addresses and a phone number; nothing verified yet.
ONGEVERIFIEERD = met(
    met(
        met(Profiel(), 1, "email", "jan@example.nl", omschrijving="privé"),
        2,
        "email",
        "jan@werk.nl",
    ),
    3,
    "telefoonnummer",
    "06 12345678",
)
# The same with the first e-mail address and the phone number verified.
VERIFIED_AT = NOW - timedelta(days=30)
VERIFIED_ON = date(2026, 10, 23)
GEVERIFIEERD = geverifieerd(geverifieerd(ONGEVERIFIEERD, 1, VERIFIED_AT), 3, VERIFIED_AT)


# --- Contactgegeven.verificatie_status -------------------------------------------------------------


def test_never_verified_is_niet_geverifieerd() -> None:
    assert cg(None).verificatie_status(NOW) is VerificatieStatus.NIET_GEVERIFIEERD
    assert cg(None).mag_worden_verstrekt(NOW) is False


def test_verified_18_months_minus_a_day_ago_is_geverifieerd() -> None:
    contactgegeven = cg(date(2025, 5, 23))
    assert contactgegeven.verificatie_status(NOW) is VerificatieStatus.GEVERIFIEERD
    assert contactgegeven.mag_worden_verstrekt(NOW) is True


def test_verified_exactly_18_calendar_months_ago_is_verouderd() -> None:
    assert NOW.date() - relativedelta(months=18) == date(2025, 5, 22)
    contactgegeven = cg(date(2025, 5, 22))
    assert contactgegeven.verificatie_status(NOW) is VerificatieStatus.VEROUDERD
    assert contactgegeven.mag_worden_verstrekt(NOW) is False


def test_the_day_turns_at_midnight_in_the_netherlands_not_in_utc() -> None:
    contactgegeven = cg(date(2025, 5, 22))
    # 23:30 UTC on 21 November is 00:30 on 22 November in Amsterdam (CET, UTC+1).
    late_evening_utc = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)
    assert contactgegeven.verificatie_status(late_evening_utc) is VerificatieStatus.VEROUDERD
    assert contactgegeven.verificatie_status(late_evening_utc - timedelta(hours=1)) is (
        VerificatieStatus.GEVERIFIEERD
    )


def test_kalenderdatum_is_the_date_in_amsterdam_in_summer_and_winter() -> None:
    assert kalenderdatum(datetime(2026, 7, 1, 21, 59, tzinfo=UTC)) == date(2026, 7, 1)
    assert kalenderdatum(datetime(2026, 7, 1, 22, 0, tzinfo=UTC)) == date(2026, 7, 2)  # CEST
    assert kalenderdatum(datetime(2026, 1, 1, 22, 59, tzinfo=UTC)) == date(2026, 1, 1)
    assert kalenderdatum(datetime(2026, 1, 1, 23, 0, tzinfo=UTC)) == date(2026, 1, 2)  # CET


def test_verified_long_ago_is_verouderd() -> None:
    contactgegeven = cg(date(2021, 11, 22))
    assert contactgegeven.verificatie_status(NOW) is VerificatieStatus.VEROUDERD
    assert contactgegeven.mag_worden_verstrekt(NOW) is False


def test_verified_today_is_geverifieerd() -> None:
    assert cg(NOW.date()).verificatie_status(NOW) is VerificatieStatus.GEVERIFIEERD
    assert cg(NOW.date()).mag_worden_verstrekt(NOW) is True


# --- require_right_code ----------------------------------------------------------------------------


def controle(uitkomst: Uitkomst, resterende_pogingen: int = 0) -> Controle:
    return Controle(uitkomst, Verificatie(), resterende_pogingen)


def test_the_right_code_passes() -> None:
    assert require_right_code(controle(Uitkomst.GOED)) is None


@pytest.mark.parametrize("remaining", [4, 1])
def test_a_wrong_code_with_attempts_left_is_400_and_names_them(remaining: int) -> None:
    with pytest.raises(DomainError) as caught:
        require_right_code(controle(Uitkomst.FOUT, remaining))
    problem = problem_of(caught.value)
    assert (problem.status, problem.slug) == (400, "verificatiecode-onjuist")
    assert f"nog {remaining} keer" in problem.detail
    assert [p.name for p in problem.invalid_params] == ["code"]
    assert problem.invalid_params == (InvalidParam("code", "onjuist", "klopt niet"),)


@pytest.mark.parametrize(
    "checked", [controle(Uitkomst.FOUT, 0), controle(Uitkomst.GEBLOKKEERD)], ids=["fout-0", "blok"]
)
def test_a_wrong_code_without_attempts_left_or_blocked_is_409_blocked(checked: Controle) -> None:
    with pytest.raises(DomainError) as caught:
        require_right_code(checked)
    assert (problem_of(caught.value).status, problem_of(caught.value).slug) == (
        409,
        "verificatiecode-geblokkeerd",
    )
    assert problem_of(caught.value).invalid_params == ()


def test_no_code_is_409_invalid() -> None:
    with pytest.raises(DomainError) as caught:
        require_right_code(controle(Uitkomst.GEEN_CODE))
    assert (problem_of(caught.value).status, problem_of(caught.value).slug) == (
        409,
        "verificatiecode-ongeldig",
    )


def test_the_fifth_wrong_attempt_of_a_real_state_is_reported_as_blocked() -> None:
    state = Verificatie().met_nieuwe_code("goed", NOW)
    slugs = []
    for _ in range(5):
        checked = state.controleer("fout", NOW + timedelta(seconds=1))
        state = checked.verificatie
        with pytest.raises(DomainError) as caught:
            require_right_code(checked)
        slugs.append((problem_of(caught.value).status, problem_of(caught.value).slug))
    assert slugs == [(400, "verificatiecode-onjuist")] * 4 + [(409, "verificatiecode-geblokkeerd")]


# --- verified --------------------------------------------------------------------------------------


def test_verified_sets_the_date_on_that_detail_only() -> None:
    result = verified(ONGEVERIFIEERD, by_id(ONGEVERIFIEERD, 2), NOW)
    assert by_id(result, 2) == by_id(ONGEVERIFIEERD, 2).model_copy(
        update={"verificatie_datum": date(2026, 11, 22)}
    )
    assert by_id(result, 1) == by_id(ONGEVERIFIEERD, 1)
    assert by_id(result, 3) == by_id(ONGEVERIFIEERD, 3)
    assert [c.id for c in result.contactgegevens] == [uid(1), uid(2), uid(3)]
    assert ONGEVERIFIEERD.contactgegeven(uid(2)).verificatie_datum is None  # input unchanged


def test_verified_again_moves_the_date() -> None:
    result = verified(GEVERIFIEERD, by_id(GEVERIFIEERD, 1), NOW)
    assert by_id(result, 1).verificatie_datum == date(2026, 11, 22)
    assert by_id(result, 3).verificatie_datum == VERIFIED_ON


def test_verified_still_applies_when_only_the_description_changed_since() -> None:
    checked = by_id(ONGEVERIFIEERD, 1)
    since = change_contactgegeven(ONGEVERIFIEERD, uid(1), wijzigen({"omschrijving": "thuis"}))
    result = verified(since, checked, NOW)
    assert by_id(result, 1).verificatie_datum == date(2026, 11, 22)
    assert by_id(result, 1).omschrijving == "thuis"


def test_verified_refuses_when_the_detail_was_removed_since() -> None:
    checked = by_id(ONGEVERIFIEERD, 2)
    since = remove_contactgegeven(ONGEVERIFIEERD, uid(2))
    with pytest.raises(DomainError) as caught:
        verified(since, checked, NOW)
    assert (problem_of(caught.value).status, problem_of(caught.value).slug) == (409, "conflict")


def test_verified_refuses_when_the_address_changed_since() -> None:
    checked = by_id(ONGEVERIFIEERD, 2)
    since = change_contactgegeven(ONGEVERIFIEERD, uid(2), wijzigen({"adres": "jan@elders.nl"}))
    with pytest.raises(DomainError) as caught:
        verified(since, checked, NOW)
    assert (problem_of(caught.value).status, problem_of(caught.value).slug) == (409, "conflict")


# --- Profiel.eigen_contactgegeven: the one lookup of a detail in one's own profile --------------


def test_eigen_contactgegeven_finds_the_detail() -> None:
    assert GEVERIFIEERD.eigen_contactgegeven(uid(3)) == by_id(GEVERIFIEERD, 3)


def test_eigen_contactgegeven_of_an_unknown_id_is_404() -> None:
    with pytest.raises(DomainError) as caught:
        GEVERIFIEERD.eigen_contactgegeven(uid(99))
    assert (problem_of(caught.value).status, problem_of(caught.value).slug) == (
        404,
        "niet-gevonden",
    )


# --- code_sent -------------------------------------------------------------------------------------


def test_code_sent_tells_the_kind_and_the_times_in_camel_case() -> None:
    contactgegeven = by_id(ONGEVERIFIEERD, 1)
    sent = Verificatie().met_nieuwe_code("hash", NOW)
    answer = code_sent(contactgegeven, sent, NOW)
    assert set(answer) == {"soortDigitaalAdres", "codeGeldigTot", "nieuweCodeVanaf"}
    assert answer["soortDigitaalAdres"] == "email"
    assert datetime.fromisoformat(answer["codeGeldigTot"]) == NOW + timedelta(minutes=15)
    assert datetime.fromisoformat(answer["nieuweCodeVanaf"]) == NOW + timedelta(seconds=60)


def test_code_sent_does_not_contain_the_address() -> None:
    contactgegeven = by_id(ONGEVERIFIEERD, 3)
    answer = code_sent(contactgegeven, Verificatie().met_nieuwe_code("hash", NOW), NOW)
    assert answer["soortDigitaalAdres"] == "telefoonnummer"
    text = json.dumps(answer)
    assert "+31612345678" not in text
    assert "hash" not in text


# --- addresses_to_verify ---------------------------------------------------------------------------


def test_an_added_detail_is_to_be_verified() -> None:
    after, nieuw = add_contactgegeven(GEVERIFIEERD, toevoegen("email", "piet@example.nl"), uid(9))
    assert addresses_to_verify(GEVERIFIEERD, after) == [nieuw]


def test_a_detail_with_a_changed_address_is_to_be_verified() -> None:
    after = change_contactgegeven(GEVERIFIEERD, uid(1), wijzigen({"adres": "jan@elders.nl"}))
    result = addresses_to_verify(GEVERIFIEERD, after)
    assert [(c.id, c.adres, c.verificatie_datum) for c in result] == [
        (uid(1), "jan@elders.nl", None)
    ]


@pytest.mark.parametrize(
    "body",
    [{"omschrijving": "thuis"}, {"omschrijving": None}, {"isStandaardAdres": False}],
)
def test_a_detail_with_only_its_description_or_standard_changed_is_not(
    body: dict[str, Any],
) -> None:
    after = change_contactgegeven(GEVERIFIEERD, uid(1), wijzigen(body))
    assert after != GEVERIFIEERD  # something did change
    assert addresses_to_verify(GEVERIFIEERD, after) == []


def test_making_another_standard_is_not_a_new_address() -> None:
    after = change_contactgegeven(GEVERIFIEERD, uid(2), wijzigen({"isStandaardAdres": True}))
    assert addresses_to_verify(GEVERIFIEERD, after) == []


def test_a_removed_detail_is_not_to_be_verified() -> None:
    after = remove_contactgegeven(GEVERIFIEERD, uid(1))
    assert addresses_to_verify(GEVERIFIEERD, after) == []


def test_no_change_has_nothing_to_verify() -> None:
    assert addresses_to_verify(GEVERIFIEERD, GEVERIFIEERD) == []


# --- old_addresses_to_notify -----------------------------------------------------------------------


def test_a_removed_verified_email_is_told_it_was_removed() -> None:
    after = remove_contactgegeven(GEVERIFIEERD, uid(1))
    assert old_addresses_to_notify(GEVERIFIEERD, after) == [
        ("jan@example.nl", AdresWijziging.VERWIJDERD)
    ]


def test_a_replaced_verified_email_is_told_at_its_old_address() -> None:
    after = change_contactgegeven(GEVERIFIEERD, uid(1), wijzigen({"adres": "jan@elders.nl"}))
    assert old_addresses_to_notify(GEVERIFIEERD, after) == [
        ("jan@example.nl", AdresWijziging.VERVANGEN)
    ]


def test_a_removed_unverified_email_is_not_told() -> None:
    after = remove_contactgegeven(GEVERIFIEERD, uid(2))
    assert old_addresses_to_notify(GEVERIFIEERD, after) == []


def test_a_replaced_unverified_email_is_not_told() -> None:
    after = change_contactgegeven(GEVERIFIEERD, uid(2), wijzigen({"adres": "jan@elders.nl"}))
    assert old_addresses_to_notify(GEVERIFIEERD, after) == []


def test_a_removed_verified_phone_number_is_not_told() -> None:
    assert by_id(GEVERIFIEERD, 3).verificatie_datum == VERIFIED_ON
    after = remove_contactgegeven(GEVERIFIEERD, uid(3))
    assert old_addresses_to_notify(GEVERIFIEERD, after) == []


def test_a_replaced_verified_phone_number_is_not_told() -> None:
    after = change_contactgegeven(GEVERIFIEERD, uid(3), wijzigen({"adres": "06 87654321"}))
    assert old_addresses_to_notify(GEVERIFIEERD, after) == []


def test_a_verified_email_with_only_its_description_changed_is_not_told() -> None:
    after = change_contactgegeven(GEVERIFIEERD, uid(1), wijzigen({"omschrijving": "thuis"}))
    assert old_addresses_to_notify(GEVERIFIEERD, after) == []


def test_a_verified_email_changed_to_the_same_address_is_not_told() -> None:
    after = change_contactgegeven(GEVERIFIEERD, uid(1), wijzigen({"adres": "jan@EXAMPLE.nl"}))
    assert by_id(after, 1).verificatie_datum == VERIFIED_ON
    assert old_addresses_to_notify(GEVERIFIEERD, after) == []


def test_a_stale_verified_email_that_is_removed_is_still_told() -> None:
    long_ago = NOW - relativedelta(years=3)
    before = geverifieerd(ONGEVERIFIEERD, 1, long_ago)
    assert by_id(before, 1).verificatie_status(NOW) is VerificatieStatus.VEROUDERD
    after = remove_contactgegeven(before, uid(1))
    assert old_addresses_to_notify(before, after) == [("jan@example.nl", AdresWijziging.VERWIJDERD)]


def test_several_verified_emails_removed_and_replaced_are_each_told() -> None:
    before = geverifieerd(GEVERIFIEERD, 2)
    after = remove_contactgegeven(
        change_contactgegeven(before, uid(2), wijzigen({"adres": "jan@nieuw.nl"})), uid(1)
    )
    assert old_addresses_to_notify(before, after) == [
        ("jan@example.nl", AdresWijziging.VERWIJDERD),
        ("jan@werk.nl", AdresWijziging.VERVANGEN),
    ]
