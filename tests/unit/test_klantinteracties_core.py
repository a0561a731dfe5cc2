"""The Klantinteracties surface's pure parts: which partij a query names, what the OMC's own
selection then picks, and the per-organisation UUIDs."""

from __future__ import annotations

import uuid

import pytest

from functions.klantinteracties import core
from functions.update_profile.core import add_contactgegeven, set_organisatie
from functions.verify_contact.core import verified
from shared.config import get_settings
from shared.identity.verwijzing import Verwezen, adres_uuid, ontsleuteld, partij_uuid, versleuteld
from shared.models.partij import SoortIdentificator
from shared.models.profiel import Profiel
from shared.models.voorkeuren import Voorkeurset
from shared.opvragen import Gevonden
from tests.builders import toevoegen, uid
from tests.integration.test_klantinteracties import omc_selection
from tests.unit.test_lookup_core import ANDERE, GEMEENTE, NOW, doel

BSN = "999993653"
URLS = core.Urls("https://profiel.example.nl/klantinteracties/api/v1")


def query(prefix: str = "", **codes: str) -> dict[str, str]:
    return {f"{prefix}partijIdentificator__{name}": value for name, value in codes.items()}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (query(codeSoortObjectId="bsn", objectId=BSN), Verwezen(SoortIdentificator.BSN, BSN)),
        (
            query(codeSoortObjectId="bsn", objectId=BSN, codeRegister="brp"),
            Verwezen(SoortIdentificator.BSN, BSN),
        ),
        (
            query(codeSoortObjectId="kvk_nummer", objectId="69599084"),
            Verwezen(SoortIdentificator.KVK_NUMMER, "69599084"),
        ),
        (
            {
                **query(codeSoortObjectId="vestigingsnummer", objectId="000038509520"),
                "subIdentificatorVan__codeSoortObjectId": "kvk_nummer",
                "subIdentificatorVan__objectId": "69599084",
            },
            Verwezen(SoortIdentificator.KVK_NUMMER, "69599084", "000038509520"),
        ),
        # None this service keeps: Open Klant's answer is an empty list, and so is ours.
        (query(codeSoortObjectId="bsn", objectId="123456789"), None),  # fails the elfproef
        (query(codeSoortObjectId="bsn", objectId=BSN, codeRegister="hr"), None),
        (query(codeSoortObjectId="bsn", objectId=BSN, codeObjecttype="vestiging"), None),
        (query(codeSoortObjectId="rsin", objectId="002564440"), None),
        (query(codeSoortObjectId="vestigingsnummer", objectId="000038509520"), None),
        (query(objectId=BSN), None),
        ({}, None),
    ],
)
def test_the_partij_a_query_names(given: dict[str, str], expected: Verwezen | None) -> None:
    assert core.identificator(given, "") == expected


def test_open_forms_names_the_partij_with_its_own_prefix() -> None:
    given = query("verstrektDoorPartij__", codeSoortObjectId="bsn", objectId=BSN)
    assert core.identificator(given, "verstrektDoorPartij__") == Verwezen(
        SoortIdentificator.BSN, BSN
    )
    assert core.identificator(given, "") is None


def two_emails_and_a_phone() -> Profiel:
    profiel = Profiel()
    for n, (soort, adres) in enumerate(
        [("email", "a@example.nl"), ("email", "b@example.nl"), ("telefoonnummer", "0612345678")],
        start=1,
    ):
        profiel, added = add_contactgegeven(profiel, toevoegen(soort, adres), uid(n))
        profiel = verified(profiel, added, NOW)
    return profiel


def antwoord(profiel: Profiel, *velden: str, oin: str = GEMEENTE) -> core.Antwoord:
    gevonden = Gevonden(SoortIdentificator.BSN, "partij-key", profiel, None)
    verwezen = Verwezen(SoortIdentificator.BSN, BSN)
    return core.Antwoord(
        gevonden, verwezen, partij_uuid(oin, "partij-key"), oin, doel(*velden), NOW
    )


def test_the_omc_picks_the_address_the_rule_gives_at_every_level() -> None:
    profiel = two_emails_and_a_phone()
    shown = core.partij(antwoord(profiel, "email", "telefoonnummer"), URLS, {"digitaleAdressen"})
    assert omc_selection(shown)["adres"] == "a@example.nl"  # the standard address
    # The partij chose the second address for this organisation: the OMC picks it there only.
    chosen = Voorkeurset.model_validate({"voorkeursadressen": {"email": str(uid(2))}})
    profiel = set_organisatie(profiel, GEMEENTE, chosen)
    shown = core.partij(antwoord(profiel, "email", "telefoonnummer"), URLS, {"digitaleAdressen"})
    assert omc_selection(shown)["adres"] == "b@example.nl"
    other = core.partij(
        antwoord(profiel, "email", "telefoonnummer", oin=ANDERE), URLS, {"digitaleAdressen"}
    )
    assert omc_selection(other)["adres"] == "a@example.nl"
    # No e-mail for this organisation: the OMC falls back to the phone (SMS), as the rule does.
    no_email = Voorkeurset.model_validate({"kanalen": {"email": False}})
    profiel = set_organisatie(profiel, GEMEENTE, no_email)
    shown = core.partij(antwoord(profiel, "email", "telefoonnummer"), URLS, {"digitaleAdressen"})
    assert omc_selection(shown)["adres"] == "+31612345678"
    assert [a["soortDigitaalAdres"] for a in shown["_expand"]["digitaleAdressen"]] == [
        "telefoonnummer"
    ]


def test_only_what_the_purpose_allows() -> None:
    shown = core.partij(antwoord(two_emails_and_a_phone(), "kanalen"), URLS, {"digitaleAdressen"})
    assert shown["_expand"]["digitaleAdressen"] == []
    assert shown["voorkeursDigitaalAdres"] is None
    assert shown["partijIdentificatie"] == {"contactnaam": None, "volledigeNaam": ""}
    without_expand = core.partij(antwoord(two_emails_and_a_phone(), "email"), URLS, set())
    assert "_expand" not in without_expand
    assert len(without_expand["digitaleAdressen"]) == 1


def test_uuids_are_per_organisation_and_stable() -> None:
    assert partij_uuid(GEMEENTE, "k") == partij_uuid(GEMEENTE, "k")
    assert partij_uuid(GEMEENTE, "k") != partij_uuid(ANDERE, "k")
    assert partij_uuid(GEMEENTE, "k") != partij_uuid(GEMEENTE, "k", "000038509520")
    assert adres_uuid(GEMEENTE, uid(1)) != adres_uuid(ANDERE, uid(1))
    assert uuid.UUID(partij_uuid(GEMEENTE, "k")).version == 4


@pytest.fixture
def pseudonym_keys(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PROFIEL_PSEUDONYM_KEY", "n" * 32)
    monkeypatch.setenv("PROFIEL_TRUSTED_ISSUERS", '[{"issuer": "i", "jwks_uri": "file:///x"}]')
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.delenv("PROFIEL_PSEUDONYM_KEY_PREVIOUS", raising=False)
    get_settings.cache_clear()


def test_what_a_uuid_refers_to_opens_only_for_that_uuid(pseudonym_keys: pytest.MonkeyPatch) -> None:
    verwezen = Verwezen(SoortIdentificator.KVK_NUMMER, "69599084", "000038509520")
    own = partij_uuid(GEMEENTE, "k")
    sealed = versleuteld(own, verwezen)
    assert BSN not in sealed and "69599084" not in sealed
    assert ontsleuteld(own, sealed) == verwezen
    # Copied to another organisation's UUID, or altered, it opens as nothing.
    assert ontsleuteld(partij_uuid(ANDERE, "k"), sealed) is None
    assert ontsleuteld(own, sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]) is None
    assert ontsleuteld(own, "not base64 at all!") is None
    # During a key rotation it still opens (the previous key); after it, no longer.
    pseudonym_keys.setenv("PROFIEL_PSEUDONYM_KEY", "r" * 32)
    pseudonym_keys.setenv("PROFIEL_PSEUDONYM_KEY_PREVIOUS", "n" * 32)
    get_settings.cache_clear()
    assert ontsleuteld(own, sealed) == verwezen
    pseudonym_keys.delenv("PROFIEL_PSEUDONYM_KEY_PREVIOUS")
    get_settings.cache_clear()
    assert ontsleuteld(own, sealed) is None


def test_the_list_filters_of_digitaleadressen() -> None:
    shown = antwoord(two_emails_and_a_phone(), "email", "telefoonnummer")
    adressen = [core.digitaal_adres(c, shown, URLS) for c in shown.adressen()]
    assert len(adressen) == 2
    assert core.filtered_adressen(adressen, {"soortDigitaalAdres": "email"}, "persoon") == [
        adressen[0]
    ]
    assert core.filtered_adressen(adressen, {"isGeverifieerd": "false"}, "persoon") == []
    assert core.filtered_adressen(adressen, {"verificatieDatum__gt": "2020-01-01"}, "persoon") == []
    assert (
        core.filtered_adressen(
            adressen, {"verstrektDoorPartij__soortPartij": "organisatie"}, "persoon"
        )
        == []
    )
    assert core.filtered_adressen(adressen, {"page": "1", "expand": "x"}, "persoon") == adressen
