"""The answer to an organisation, per partij: the pure rules of lookup-preferences."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from pydantic import ValidationError

from functions.lookup_preferences.core import MAXIMUM_BETROKKENEN, Opvraging, answer
from functions.update_profile.core import add_contactgegeven, set_delen, set_organisatie
from functions.verify_contact.core import verified
from shared.models.bronnen import Bron
from shared.models.partij import SoortIdentificator
from shared.models.profiel import Delen, Profiel
from shared.models.register import Doel
from shared.models.voorkeuren import Voorkeurset
from shared.opvragen import Gevonden
from tests.builders import toevoegen, uid

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
GEMEENTE, ANDERE = "00000099000000000001", "00000099000000000003"


def doel(*velden: str) -> Doel:
    return Doel(
        code="notificatie",
        omschrijving="Notificatie",
        grondslag="Awb",
        verwerkingsactiviteit="https://register.example.nl/notificatie",
        velden=velden,
    )


def profiel(verified_at: datetime | None = NOW, **kanalen: bool) -> Profiel:
    result, email = add_contactgegeven(Profiel(), toevoegen("email", "a@example.nl"), uid(1))
    if verified_at is not None:
        result = verified(result, email, verified_at)
    result, _ = add_contactgegeven(result, toevoegen("telefoonnummer", "0612345678"), uid(2))
    if kanalen:
        result = set_organisatie(result, GEMEENTE, Voorkeurset.model_validate({"kanalen": kanalen}))
    return result


def ask(
    p: Profiel | None, *velden: str, oin: str = GEMEENTE, bron: Bron = Bron.BRP, **kwargs: Any
) -> dict:
    granted = doel(*(velden or ("email",)))
    gevonden = Gevonden(SoortIdentificator.BSN, "p", p, bron)
    return answer(gevonden, oin, granted, None, kwargs.get("bereikbaarheid", False), NOW)


def test_no_profile_is_not_available() -> None:
    assert ask(None, "email") == {"beschikbaar": False}


def test_exactly_the_purposes_fields() -> None:
    assert ask(profiel(), "email") == {"beschikbaar": True, "gegevens": {"email": "a@example.nl"}}
    fields = ask(profiel(), "telefoonnummer", "taal", "correspondentie")["gegevens"]
    assert fields == {"telefoonnummer": None, "taal": None, "correspondentie": None}


@pytest.mark.parametrize(
    "verified_at", [None, NOW - relativedelta(months=18), NOW - relativedelta(years=3)]
)
def test_an_unverified_or_stale_address_is_never_given(verified_at: datetime | None) -> None:
    assert ask(profiel(verified_at), "email")["gegevens"] == {"email": None}
    assert ask(profiel(verified_at), bereikbaarheid=True)["bereikbaar"]["email"] is False


def test_reachability_follows_the_preferences_for_the_organisation() -> None:
    refused = profiel(email=False)
    assert ask(refused, bereikbaarheid=True)["bereikbaar"]["email"] is False
    assert ask(refused, oin=ANDERE, bereikbaarheid=True)["bereikbaar"]["email"] is True
    assert "gegevens" not in ask(refused, "email", bereikbaarheid=True)


@pytest.mark.parametrize(
    ("delen", "oin", "available"),
    [
        (Delen(geweigerd=(GEMEENTE,)), GEMEENTE, False),
        (Delen(geweigerd=(GEMEENTE,)), ANDERE, True),
        (Delen(alleen_met=(ANDERE,)), GEMEENTE, False),
        (Delen(alleen_met=(GEMEENTE,)), GEMEENTE, True),
        (Delen(alleen_met=()), GEMEENTE, False),
    ],
)
def test_the_partys_sharing_choice_wins(delen: Delen, oin: str, available: bool) -> None:
    result = ask(set_delen(profiel(), delen), "email", oin=oin)
    assert result["beschikbaar"] is available
    if not available:
        assert result == {"beschikbaar": False}  # the same as no profile at all


def test_a_request_has_1_to_1000_identifiers_each_a_bsn_or_a_kvk_nummer() -> None:
    one = {"bsn": "999993653"}
    assert len(Opvraging(doel="notificatie", betrokkenen=[one] * MAXIMUM_BETROKKENEN).betrokkenen)
    for wrong in (
        [],
        [one] * (MAXIMUM_BETROKKENEN + 1),
        [{}],
        [{"bsn": "999993653", "kvkNummer": "69599084"}],
        [{"bsn": "123456789"}],
    ):
        with pytest.raises(ValidationError):
            Opvraging.model_validate({"doel": "notificatie", "betrokkenen": wrong})


def test_the_postal_address_is_the_chosen_one_else_only_where_the_registered_one_is() -> None:
    from functions.update_profile.core import set_postadres
    from shared.models.profiel import Postbusadres

    assert ask(profiel(), "postadres", "email")["gegevens"] == {
        "postadres": None,
        "postadresBron": "brp",
        "email": "a@example.nl",
    }
    assert ask(profiel(), "postadres", bron=Bron.KVK)["gegevens"]["postadresBron"] == "kvk"
    postbus = Postbusadres(soort="postbus", postbusnummer=1, postcode="1000AA", woonplaats="A")
    chosen = ask(set_postadres(profiel(), postbus), "postadres")["gegevens"]
    assert chosen["postadresBron"] == "profiel" and chosen["postadres"]["postbusnummer"] == 1


def test_the_contactnaam_only_for_a_purpose_that_has_it() -> None:
    named = profiel().model_copy(update={"contactnaam": "S. Moulin"})
    assert ask(named, "contactnaam")["gegevens"] == {"contactnaam": "S. Moulin"}
    assert "contactnaam" not in ask(named, "email")["gegevens"]
