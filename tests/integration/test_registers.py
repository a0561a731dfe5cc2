"""Data at the source, over HTTP: the functions read the BRP, KVK and BAG stand-ins with their
real clients, as `make run` does - what a person and an organisation see, what is logged, and
what happens when a register is down."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests

from infra.local.dev_idp import DevIdentityProvider
from infra.local.registers import StandIns
from shared.config import get_register_settings
from shared.identity.access import partij_key
from shared.identity.subject import ActorRole, subject_for
from shared.models.partij import SoortIdentificator
from shared.models.profiel import ContactgegevenToevoegen, Profiel
from shared.store.profielen import Change, ProfielRepository
from shared.store.tables import VerwerkingItem
from tests.contracts import OpenApiContract
from tests.support import SPECS, ApiClient, random_kvk_nummer, random_test_bsn

MOULIN = "999993653"  # Boterdiep 31, 3077 AW Rotterdam
OVERLEDEN = "999970239"
GEEMIGREERD = "000009957"
LEVEND = "999990342"
DAGOBERT = "69599084"  # two vestigingen in the Handelsregister
GEMEENTE = "00000099000000000001"
TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
BRP = OpenApiContract(SPECS / "brp-personen-bevragen.openapi.yaml")


def problem(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    return response.json()


def traced(trace_id: str) -> dict[str, str]:
    return {"traceparent": f"00-{trace_id}-b7ad6b7169203331-01"}


def register_reads(partij: str, name: str) -> list[VerwerkingItem]:
    return [r for r in VerwerkingItem.query(partij, consistent_read=True) if r.name == name]


# --- the owner's profile -----------------------------------------------------------------------


def test_the_profile_shows_the_brp_registration_read_once_and_logged(
    api_url: str, idp: DevIdentityProvider, registers: StandIns
) -> None:
    person = ApiClient(api_url, idp.burger_token(MOULIN))
    partij = partij_key(subject_for(MOULIN))
    before = len(register_reads(partij, "raadplegen BRP"))

    response = person.request("GET", "/profiel", **traced(TRACE_ID))
    assert response.status_code == 200, response.text
    registratie = response.json()["registratie"]
    assert registratie["adres"]["adresregel1"] == "Boterdiep 31"
    assert registratie["adres"]["adresregel2"].split() == ["3077", "AW", "ROTTERDAM"]
    assert registratie["bron"] == "brp" and registratie["bijgehouden"] is True
    assert registratie["aanschrijfwijze"] and registratie["aanhef"].startswith("Geachte")

    # What the client sent is what the BRP's own document allows.
    [sent] = registers.brp.requests
    BRP.validate_request_body("post", "/personen", sent)
    assert sent["burgerservicenummer"] == [MOULIN]

    records = register_reads(partij, "raadplegen BRP")
    assert len(records) == before + 1
    record = next(r for r in records if r.trace_id == TRACE_ID)
    attributes = record.attributes.as_dict()
    assert attributes["dpl.core.data_subject_id"] == partij
    assert "brp" in attributes["dpl.core.foreign_operation.processor"].lower()
    assert record.oin is None

    # Within the cache's lifetime: no call to the register, nothing more to log.
    calls = registers.brp.calls
    assert person.read().json()["registratie"] == registratie
    assert registers.brp.calls == calls
    assert len(register_reads(partij, "raadplegen BRP")) == before + 1


def test_a_representative_sees_the_company_and_its_branches(
    api_url: str, idp: DevIdentityProvider, registers: StandIns
) -> None:
    company = ApiClient(api_url, idp.ondernemer_token(DAGOBERT))
    registratie = company.read().json()["registratie"]
    assert registratie["bron"] == "kvk" and registratie["naam"] == "Test EMZ Dagobert"
    assert registratie["handelsnamen"][0] == "Test EMZ Dagobert"
    vestigingen = {v["vestigingsnummer"]: v for v in registratie["vestigingen"]}
    assert set(vestigingen) == {"000038509504", "000038509520"}
    assert vestigingen["000038509504"]["hoofdvestiging"] is True

    branch = ApiClient(api_url, idp.ondernemer_token(DAGOBERT, vestigingsnummer="000038509520"))
    vestiging = branch.read().json()["registratie"]["vestiging"]  # its Vestigingsprofiel
    assert vestiging["vestigingsnummer"] == "000038509520" and vestiging["adres"]["adresregel1"]
    assert "vestiging" not in registratie
    stranger = ApiClient(api_url, idp.ondernemer_token(DAGOBERT, vestigingsnummer="000099999999"))
    assert "vestiging" in problem(stranger.read(), 403)["detail"]


def test_a_person_the_brp_no_longer_keeps_can_read_but_not_change(
    api_url: str, idp: DevIdentityProvider, registers: StandIns
) -> None:
    emigrated = ApiClient(api_url, idp.burger_token(GEEMIGREERD))
    read = emigrated.read()
    assert read.json()["registratie"]["bijgehouden"] is False
    email = {"soortDigitaalAdres": "email", "adres": "weg@example.nl"}
    refused = problem(emigrated.change("POST", "/profiel/contactgegevens", email), 409)
    assert refused["type"].endswith(":alleen-lezen")
    assert emigrated.read().headers["ETag"] == read.headers["ETag"]


def test_the_contactnaam_from_the_brp(
    api_url: str, idp: DevIdentityProvider, registers: StandIns
) -> None:
    person = ApiClient(api_url, idp.burger_token(LEVEND))
    aanschrijfwijze = person.read().json()["registratie"]["aanschrijfwijze"]
    changed = person.change("PUT", "/profiel/contactnaam", {"uitRegister": True})
    assert changed.status_code == 200, changed.text
    assert changed.json()["contactnaam"] == aanschrijfwijze
    assert person.change("DELETE", "/profiel/contactnaam").json()["contactnaam"] is None


# --- the BAG -----------------------------------------------------------------------------------


def test_an_address_is_completed_from_the_bag(
    api_url: str, idp: DevIdentityProvider, registers: StandIns
) -> None:
    person = ApiClient(api_url, idp.burger_token(random_test_bsn()))
    found = person.request("GET", "/adressen?postcode=3089kg&huisnummer=20")
    assert found.status_code == 200, found.text
    assert [(a["straat"], a["huisletter"]) for a in found.json()["adressen"]] == [
        ("Eemhavenweg", "A"),
        ("Eemhavenweg", "B"),
        ("Eemhavenweg", "C"),
    ]
    assert person.request("GET", "/adressen?postcode=3089KG&huisnummer=21").json() == {
        "adressen": []
    }
    wrong = problem(person.request("GET", "/adressen?postcode=0000&huisnummer=x"), 400)
    assert {p["name"] for p in wrong["invalidParams"]} == {"postcode", "huisnummer"}


def test_an_address_the_bag_does_not_have_is_refused_naming_the_field(
    api_url: str, idp: DevIdentityProvider, registers: StandIns
) -> None:
    person = ApiClient(api_url, idp.burger_token(random_test_bsn()))
    etag = person.read().headers["ETag"]
    for body, field in [
        ({"huisnummer": 999, "postcode": "3074 LA"}, "huisnummer"),
        ({"huisnummer": 20, "huisletter": "D", "postcode": "3089 KG"}, "huisletter"),
    ]:
        answer = problem(
            person.change("PUT", "/profiel/postadres", {"soort": "nederlands", **body}), 400
        )
        assert [p["name"] for p in answer["invalidParams"]] == [field]
        assert "BAG" in answer["invalidParams"][0]["reason"]
    assert person.read().headers["ETag"] == etag
    postbus = {"soort": "postbus", "postbusnummer": 1200, "postcode": "1000 BE", "woonplaats": "A"}
    assert person.change("PUT", "/profiel/postadres", postbus).status_code == 200


# --- an organisation's lookup ------------------------------------------------------------------


def _profile_with_verified_email(bsn: str, adres: str) -> None:
    """A profile stored as it was before the BRP had anything to say: its owner verified an
    e-mail address (as the demo data is seeded)."""
    from functions.update_profile import core
    from functions.verify_contact.core import verified

    request = ContactgegevenToevoegen(soort_digitaal_adres="email", adres=adres)
    profiel, added = core.add_contactgegeven(Profiel(), request, _uuid(bsn))
    profiel = verified(profiel, added, datetime.now(UTC))
    repository = ProfielRepository()
    partij = partij_key(subject_for(bsn))
    stored = repository.get(partij)
    change = Change(
        ActorRole.BURGER, None, datetime.now(UTC), TRACE_ID, soort=SoortIdentificator.BSN
    )
    repository.save(partij, profiel, stored.version, change)


def _uuid(seed: str):
    import uuid

    return uuid.uuid5(uuid.NAMESPACE_OID, seed)


def test_a_deceased_person_answers_as_absent(
    api_url: str, idp: DevIdentityProvider, registers: StandIns
) -> None:
    _profile_with_verified_email(OVERLEDEN, "overleden@example.nl")
    _profile_with_verified_email(LEVEND, "levend@example.nl")
    gemeente = {"Authorization": f"Bearer {idp.organisation_token(GEMEENTE)}"}
    body = {"doel": "notificatie", "betrokkenen": [{"bsn": OVERLEDEN}, {"bsn": LEVEND}]}
    response = requests.post(api_url + "/opvragingen", json=body, headers=gemeente, timeout=30)
    assert response.status_code == 200, response.text
    deceased, living = response.json()["resultaten"]
    assert deceased == {"beschikbaar": False}
    assert living["gegevens"]["email"] == "levend@example.nl"
    assert "overleden@example.nl" not in response.text


# --- registers down ------------------------------------------------------------------------------


@pytest.mark.parametrize("register", ["brp", "kvk"])
def test_a_register_outage_marks_its_part_unavailable_and_the_profile_is_read(
    api_url: str, idp: DevIdentityProvider, registers: StandIns, register: str
) -> None:
    token = idp.burger_token(MOULIN) if register == "brp" else idp.ondernemer_token(DAGOBERT)
    getattr(registers, register).failing = True
    response = ApiClient(api_url, token).read()
    assert response.status_code == 200, response.text
    assert response.json()["registratie"] == {
        "bron": register,
        "beschikbaar": False,
        "bijgehouden": True,
    }


def test_without_the_bag_an_address_is_not_stored(
    api_url: str, idp: DevIdentityProvider, registers: StandIns
) -> None:
    person = ApiClient(api_url, idp.burger_token(random_test_bsn()))
    etag = person.read().headers["ETag"]
    registers.bag.failing = True
    body = {"soort": "nederlands", "huisnummer": 31, "postcode": "3077 AW"}
    answer = problem(person.change("PUT", "/profiel/postadres", body), 503)
    assert "BAG" in answer["detail"]
    assert person.read().headers["ETag"] == etag
    problem(person.request("GET", "/adressen?postcode=3077AW&huisnummer=31"), 503)


def test_without_the_brp_a_lookup_tells_nothing(
    api_url: str, idp: DevIdentityProvider, registers: StandIns
) -> None:
    _profile_with_verified_email(LEVEND, "levend@example.nl")
    registers.brp.failing = True
    gemeente = {"Authorization": f"Bearer {idp.organisation_token(GEMEENTE)}"}
    body = {"doel": "notificatie", "betrokkenen": [{"bsn": LEVEND}]}
    response = requests.post(api_url + "/opvragingen", json=body, headers=gemeente, timeout=30)
    assert "levend@example.nl" not in problem(response, 503)["detail"]


@pytest.fixture
def quick_breaker(registers: StandIns) -> Iterator[float]:
    """The circuit opens after 2 failures and stays open 1 second: this process's clients
    built anew with that configuration, and back afterwards."""
    saved = {k: os.environ.get(k) for k in _BREAKER}
    os.environ.update(_BREAKER)
    _reconfigure()
    yield 1.0
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    _reconfigure()


_BREAKER = {
    "PROFIEL_REGISTER_BREAKER_FAILURES": "2",
    "PROFIEL_REGISTER_BREAKER_RESET_SECONDS": "1",
    "PROFIEL_REGISTER_CACHE_SECONDS": "0",
}


def _reconfigure() -> None:
    from shared.registers import adressen, handelsregister, personen

    get_register_settings.cache_clear()
    for client in (personen, handelsregister, adressen):
        client.cache_clear()


def test_the_circuit_breaker_stops_calling_a_dead_register_and_recovers(
    api_url: str, idp: DevIdentityProvider, registers: StandIns, quick_breaker: float
) -> None:
    company = ApiClient(api_url, idp.ondernemer_token(random_kvk_nummer()))
    registers.kvk.failing = True
    for _ in range(2):
        assert company.read().json()["registratie"]["beschikbaar"] is False
    calls = registers.kvk.calls
    assert calls >= 2
    for _ in range(3):  # open: answered at once, the register is not called
        assert company.read().json()["registratie"]["beschikbaar"] is False
    assert registers.kvk.calls == calls

    registers.kvk.failing = False
    time.sleep(quick_breaker + 0.2)
    assert company.read().json()["registratie"]["beschikbaar"] is True
    assert registers.kvk.calls > calls
