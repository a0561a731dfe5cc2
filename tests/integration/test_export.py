"""The person's right of access and to data portability (AVG art. 15 and 20): `GET /profiel/export`
over HTTP, compared field by field with what the API shows, and checked against the schema the
API's own document publishes for it."""

from __future__ import annotations

import json
from typing import Any

import requests
from openapi_schema_validator import OAS30Validator

from infra.local.dev_idp import DevIdentityProvider
from infra.local.notify import NotifyStandIn
from infra.local.registers import StandIns
from pump.stream import StreamPump
from shared.http.openapi import openapi_document
from shared.identity.access import partij_key
from shared.identity.subject import subject_for
from shared.store.tables import VerwerkingItem
from tests.integration.test_verification import add_verified_email, last_code
from tests.support import ApiClient, wait_for

PERSONA = "999995029"  # a BRP test persona (a jonkvrouw), used by no other test
GEMEENTE = "00000099000000000001"
WATERSCHAP = "00000099000000000002"


def export_schema_validator() -> OAS30Validator:
    """The Export schema of the API's published document, its references resolved there."""
    document = openapi_document()
    schema = {**document["components"]["schemas"]["Export"], "components": document["components"]}
    return OAS30Validator(schema)


def rich_profile(api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn) -> ApiClient:
    """The persona's profile with a bit of everything: a verified and an unverified detail, a
    BAG-checked address, a contactnaam, preferences at every level, a sharing choice."""
    person = ApiClient(api_url, idp.burger_token(PERSONA))
    person.read()
    add_verified_email(person, notify, "export")
    changes = [
        (
            "POST",
            "/profiel/contactgegevens",
            {"soortDigitaalAdres": "telefoonnummer", "adres": "0612345670"},
        ),
        (
            "PUT",
            "/profiel/postadres",
            {"soort": "nederlands", "postcode": "3074 LA", "huisnummer": 5},
        ),
        ("PUT", "/profiel/contactnaam", {"uitRegister": True}),
        ("PATCH", "/profiel/voorkeuren", {"correspondentie": "digitaal", "taal": "nl"}),
        ("PUT", f"/profiel/voorkeuren/organisaties/{GEMEENTE}", {"kanalen": {"sms": False}}),
        ("PUT", f"/profiel/voorkeuren/organisaties/{GEMEENTE}/diensten/parkeren", {"taal": "en"}),
        ("PUT", "/profiel/delen", {"geweigerd": [WATERSCHAP]}),
    ]
    for method, path, body in changes:
        person.read()
        response = person.change(method, path, body)
        assert response.status_code in (200, 201), (path, response.text)
    return person


def test_the_export_is_everything_the_api_shows_and_fits_its_schema(
    api_url: str,
    idp: DevIdentityProvider,
    notify: NotifyStandIn,
    registers: StandIns,
    pump: StreamPump,
) -> None:
    person = rich_profile(api_url, idp, notify)
    partij = partij_key(subject_for(PERSONA))
    gemeente = {"Authorization": f"Bearer {idp.organisation_token(GEMEENTE)}"}
    body = {"doel": "notificatie", "betrokkenen": [{"bsn": PERSONA}]}
    looked_up = requests.post(api_url + "/opvragingen", json=body, headers=gemeente, timeout=30)
    assert looked_up.status_code == 200
    profiel = person.read()
    version = int(profiel.headers["ETag"].strip('"'))
    wait_for(lambda: len(history(person)) == version)

    response = person.request("GET", "/profiel/export")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Disposition"].startswith("attachment")
    export = response.json()
    errors = sorted(export_schema_validator().iter_errors(export), key=str)
    assert errors == [], [e.message for e in errors[:3]]

    # Field by field: the profile as GET /profiel shows it, with its registration and version.
    assert export["versie"] == version
    assert export["profiel"] == profiel.json()
    assert export["profiel"]["registratie"]["bron"] == "brp"
    assert export["profiel"]["postadres"]["nummeraanduidingIdentificatie"]
    assert {c["verificatieStatus"] for c in export["profiel"]["contactgegevens"]} == {
        "geverifieerd",
        "niet-geverifieerd",
    }
    assert export["profiel"]["delen"]["geweigerd"] == [WATERSCHAP]
    [organisatie] = export["profiel"]["voorkeuren"]["organisaties"]
    assert organisatie["diensten"][0]["taal"] == "en"
    # The history and the inzage as their own routes show them, oldest first here.
    assert export["historie"] == history(person)[::-1]
    assert export["inzage"] == all_lookups(person)[::-1]
    assert any(a["organisatie"]["oin"] == GEMEENTE for a in export["inzage"])
    # Never a code: the last one sent is nowhere in the document.
    assert last_code(notify, export["profiel"]["contactgegevens"][0]["adres"]) not in json.dumps(
        export
    )

    # The export itself is a processing in the Logboek, in the request's trace.
    exported = [r for r in VerwerkingItem.query(partij) if r.name == "exporteren eigen gegevens"]
    assert exported and exported[-1].oin is None


def history(person: ApiClient) -> list[dict[str, Any]]:
    return person.request("GET", "/profiel/historie").json()["wijzigingen"]


def all_lookups(person: ApiClient) -> list[dict[str, Any]]:
    found, vanaf = [], None
    while True:
        page = person.request(
            "GET", "/profiel/inzage?limiet=100" + (f"&vanaf={vanaf}" if vanaf else "")
        )
        found += page.json()["processingActivities"]
        vanaf = page.json()["volgende"]
        if vanaf is None:
            return found
