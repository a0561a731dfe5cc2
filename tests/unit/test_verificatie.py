"""Unit tests of shared.models.verificatie: the send limits, the code's lifetime and attempts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from shared.models.verificatie import (
    Controle,
    TooManySends,
    Uitkomst,
    Verificatie,
    VerificatieBevestigen,
)

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
GOED = "hash-van-de-goede-code"
ANDERS = "hash-van-een-andere-code"


def at(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)


def sent_at(*seconds: float, code_hash: str = GOED) -> Verificatie:
    """The state after sending a code at each of these moments (seconds after NOW)."""
    state = Verificatie()
    for s in seconds:
        state = state.met_nieuwe_code(code_hash, at(s))
    return state


# --- sending: the minimum interval ---------------------------------------------------------------


def test_the_first_code_may_be_sent() -> None:
    state = Verificatie().met_nieuwe_code(GOED, NOW)
    assert state == Verificatie(verzonden=(NOW,), code_hash=GOED, foute_pogingen=0)
    assert state.laatst_verzonden == NOW


@pytest.mark.parametrize(
    ("after", "retry_after"),
    [(0, 60), (1, 59), (20.5, 40), (59, 1), (59.9, 1), (59.999, 1)],
)
def test_a_second_code_within_60_seconds_is_refused_with_the_remaining_seconds(
    after: float, retry_after: int
) -> None:
    state = sent_at(0)
    with pytest.raises(TooManySends) as caught:
        state.met_nieuwe_code(ANDERS, at(after))
    assert caught.value.retry_after_seconds == retry_after


def test_a_second_code_exactly_60_seconds_later_is_allowed() -> None:
    state = sent_at(0).met_nieuwe_code(ANDERS, at(60))
    assert state.verzonden == (NOW, at(60))
    assert state.code_hash == ANDERS


# --- sending: at most five in fifteen minutes ----------------------------------------------------

FIVE_SENDS = (0, 61, 122, 183, 244)


def test_five_codes_61_seconds_apart_are_allowed() -> None:
    state = sent_at(*FIVE_SENDS)
    assert state.verzonden == tuple(at(s) for s in FIVE_SENDS)


def test_the_sixth_code_waits_until_the_oldest_of_five_leaves_the_window() -> None:
    state = sent_at(*FIVE_SENDS)
    # The sixth at 305 s: the send at 0 s leaves the 15-minute window at 900 s.
    with pytest.raises(TooManySends) as caught:
        state.met_nieuwe_code(ANDERS, at(305))
    assert caught.value.retry_after_seconds == 900 - 305
    assert state.volgende_code_vanaf(at(305)) == at(900)


def test_the_sixth_code_is_still_refused_just_before_the_oldest_leaves() -> None:
    state = sent_at(*FIVE_SENDS)
    with pytest.raises(TooManySends) as caught:
        state.met_nieuwe_code(ANDERS, at(899.5))
    assert caught.value.retry_after_seconds == 1


def test_the_sixth_code_is_allowed_once_the_oldest_has_left_the_window() -> None:
    state = sent_at(*FIVE_SENDS).met_nieuwe_code(ANDERS, at(900))
    assert state.verzonden == tuple(at(s) for s in (61, 122, 183, 244, 900))
    assert state.code_hash == ANDERS


def test_sends_older_than_the_window_are_dropped_with_a_new_code() -> None:
    state = sent_at(0, 100).met_nieuwe_code(ANDERS, at(15 * 60 + 50))
    assert state.verzonden == (at(100), at(950))


def test_sends_inside_the_window_are_kept_with_a_new_code() -> None:
    state = sent_at(0).met_nieuwe_code(ANDERS, at(15 * 60 - 1))
    assert state.verzonden == (NOW, at(899))


def test_a_new_code_resets_the_wrong_attempts_and_replaces_the_hash() -> None:
    state = sent_at(0)
    for _ in range(3):
        state = state.controleer(ANDERS, at(10)).verificatie
    assert state.foute_pogingen == 3
    nieuw = state.met_nieuwe_code("hash-van-de-nieuwe-code", at(60))
    assert nieuw.foute_pogingen == 0
    assert nieuw.code_hash == "hash-van-de-nieuwe-code"
    # The previous code died with it.
    assert nieuw.controleer(GOED, at(61)).uitkomst is Uitkomst.FOUT


def test_a_new_code_unblocks_after_too_many_wrong_attempts() -> None:
    state = sent_at(0)
    for _ in range(5):
        state = state.controleer(ANDERS, at(10)).verificatie
    nieuw = state.met_nieuwe_code("nieuw", at(60))
    assert nieuw.controleer("nieuw", at(61)).uitkomst is Uitkomst.GOED


# --- volgende_code_vanaf ---------------------------------------------------------------------------


def test_volgende_code_vanaf_is_now_without_sends() -> None:
    assert Verificatie().volgende_code_vanaf(NOW) == NOW


def test_volgende_code_vanaf_is_60_seconds_after_the_last_send() -> None:
    assert sent_at(0).volgende_code_vanaf(at(10)) == at(60)
    assert sent_at(0, 61).volgende_code_vanaf(at(70)) == at(121)


def test_volgende_code_vanaf_is_now_once_the_interval_has_passed() -> None:
    assert sent_at(0).volgende_code_vanaf(at(60)) == at(60)
    assert sent_at(0).volgende_code_vanaf(at(3600)) == at(3600)


def test_volgende_code_vanaf_with_five_sends_is_when_the_oldest_leaves() -> None:
    assert sent_at(*FIVE_SENDS).volgende_code_vanaf(at(250)) == at(900)


# --- controleer --------------------------------------------------------------------------------


def test_the_right_code_is_good_and_used_once() -> None:
    state = sent_at(0)
    controle = state.controleer(GOED, at(30))
    assert controle == Controle(
        Uitkomst.GOED, Verificatie(verzonden=(NOW,), code_hash=None, foute_pogingen=0), 0
    )
    # The send history stays for the limits; the code is gone.
    assert controle.verificatie.verzonden == (NOW,)
    again = controle.verificatie.controleer(GOED, at(31))
    assert again.uitkomst is Uitkomst.GEEN_CODE
    assert again.verificatie == controle.verificatie


def test_the_right_code_after_some_wrong_attempts_is_good_and_resets_them() -> None:
    state = sent_at(0)
    for _ in range(4):
        state = state.controleer(ANDERS, at(10)).verificatie
    controle = state.controleer(GOED, at(20))
    assert controle.uitkomst is Uitkomst.GOED
    assert controle.verificatie.foute_pogingen == 0
    assert controle.verificatie.code_hash is None


def test_wrong_codes_count_down_the_remaining_attempts() -> None:
    state = sent_at(0)
    remaining = []
    for i in range(5):
        controle = state.controleer(ANDERS, at(10 + i))
        assert controle.uitkomst is Uitkomst.FOUT
        state = controle.verificatie
        assert state.foute_pogingen == i + 1
        assert state.code_hash == GOED
        remaining.append(controle.resterende_pogingen)
    assert remaining == [4, 3, 2, 1, 0]


def test_after_five_wrong_codes_even_the_right_one_is_blocked() -> None:
    state = sent_at(0)
    for _ in range(5):
        state = state.controleer(ANDERS, at(10)).verificatie
    controle = state.controleer(GOED, at(20))
    assert controle.uitkomst is Uitkomst.GEBLOKKEERD
    assert controle.resterende_pogingen == 0
    assert controle.verificatie == state  # unchanged: still blocked, nothing more counted
    assert controle.verificatie.foute_pogingen == 5
    wrong = state.controleer(ANDERS, at(21))
    assert wrong.uitkomst is Uitkomst.GEBLOKKEERD
    assert wrong.verificatie == state


def test_a_code_checked_exactly_15_minutes_after_sending_has_expired() -> None:
    controle = sent_at(0).controleer(GOED, at(15 * 60))
    assert controle.uitkomst is Uitkomst.GEEN_CODE
    assert controle.verificatie == sent_at(0)


def test_a_code_checked_at_14_59_is_still_good() -> None:
    assert sent_at(0).controleer(GOED, at(14 * 60 + 59)).uitkomst is Uitkomst.GOED


def test_an_expired_wrong_code_is_not_counted() -> None:
    controle = sent_at(0).controleer(ANDERS, at(16 * 60))
    assert controle.uitkomst is Uitkomst.GEEN_CODE
    assert controle.verificatie.foute_pogingen == 0


def test_the_lifetime_counts_from_the_latest_code() -> None:
    state = sent_at(0, 600)
    assert state.controleer(GOED, at(600 + 14 * 60)).uitkomst is Uitkomst.GOED
    assert state.controleer(GOED, at(600 + 15 * 60)).uitkomst is Uitkomst.GEEN_CODE


def test_without_any_code_the_check_is_geen_code() -> None:
    controle = Verificatie().controleer(GOED, NOW)
    assert controle.uitkomst is Uitkomst.GEEN_CODE
    assert controle.verificatie == Verificatie()
    assert controle.resterende_pogingen == 0


# --- code_geldig_tot and vervalt_op ---------------------------------------------------------------


def test_code_geldig_tot_is_15_minutes_after_the_last_send() -> None:
    assert sent_at(0).code_geldig_tot == at(900)
    assert sent_at(0, 100).code_geldig_tot == at(1000)


def test_code_geldig_tot_is_none_without_a_code() -> None:
    assert Verificatie().code_geldig_tot is None
    used = sent_at(0).controleer(GOED, at(1)).verificatie
    assert used.code_geldig_tot is None


def test_vervalt_op_is_15_minutes_after_the_last_send_even_when_the_code_is_used() -> None:
    assert Verificatie().vervalt_op is None
    assert sent_at(0, 100).vervalt_op == at(1000)
    used = sent_at(0, 100).controleer(GOED, at(101)).verificatie
    assert used.vervalt_op == at(1000)


# --- VerificatieBevestigen ---------------------------------------------------------------------


def test_bevestigen_accepts_six_digits_with_a_leading_zero() -> None:
    assert VerificatieBevestigen.model_validate({"code": "012345"}).code == "012345"


@pytest.mark.parametrize(
    "code",
    ["12345", "1234567", "12a456", "١٢٣٤٥٦", "", " 12345", "012345\n", "12 345"],
)
def test_bevestigen_refuses_anything_but_six_ascii_digits(code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        VerificatieBevestigen.model_validate({"code": code})
    assert [(e["type"], e["loc"]) for e in caught.value.errors()] == [
        ("string_pattern_mismatch", ("code",))
    ]


@pytest.mark.parametrize("body", [{"code": 12345}, {"code": None}, {}])
def test_bevestigen_refuses_a_code_that_is_not_a_string(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        VerificatieBevestigen.model_validate(body)
    assert [e["loc"] for e in caught.value.errors()] == [("code",)]


def test_bevestigen_refuses_extra_fields() -> None:
    with pytest.raises(ValidationError) as caught:
        VerificatieBevestigen.model_validate({"code": "012345", "adres": "jan@example.nl"})
    assert [(e["type"], e["loc"]) for e in caught.value.errors()] == [
        ("extra_forbidden", ("adres",))
    ]


# --- sending: the profile as a whole -------------------------------------------------------------


def test_a_profile_may_send_ten_codes_in_a_quarter_hour_without_a_minute_between() -> None:
    state = Verificatie()
    for second in range(10):
        state = state.met_verzending(at(second))
    assert len(state.verzonden) == 10
    assert state.code_hash is None
    with pytest.raises(TooManySends) as refused:
        state.met_verzending(at(10))
    # The first send, at 0 s, leaves the window at 900 s.
    assert refused.value.retry_after_seconds == 890
    assert state.met_verzending(at(900)).verzonden == tuple(at(s) for s in range(1, 10)) + (
        at(900),
    )
