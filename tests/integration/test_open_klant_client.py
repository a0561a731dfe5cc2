"""Maykin's ``open-klant-client`` - the library Open Forms reads Open Klant 2 with - reads the
Klantinteracties surface unchanged.

The client (PyPI ``open-klant-client``, EUPL-1.2, a test dependency pinned in constraints.txt)
talks to the local gateway over HTTP with the municipality's API key of the local register, sent
as it sends it (``Authorization: Token <key>``), its list parameters joined by commas as it joins
them (``expand=digitaleAdressen,betrokkenen``). What it reads must be exactly the address the
preference rule gives that organisation, the one ``/opvragingen`` gives it.

The client takes only ``application/json`` as an answer (``ResourceMixin.process_response``): a
problem (``application/problem+json``, as Open Klant answers errors too) raises its
``NonJSONResponse``, with the response - so a refusal surfaces as an error, never as data.
"""

from __future__ import annotations

import uuid

import pytest

from infra.local.demo import GEMEENTE_API_KEY
from infra.local.dev_idp import DevIdentityProvider
from infra.local.notify import NotifyStandIn
from tests.integration.test_klantinteracties import (
    KLANTINTERACTIES,
    omc_selection,
    person_with_two_addresses,
)
from tests.integration.test_lookup import GEMEENTE, Organisation
from tests.support import random_test_bsn

openklant_client = pytest.importorskip(
    "openklant_client", reason="open-klant-client needs Python >= 3.12 (the test extra)"
)
from openklant_client.client import OpenKlantClient  # noqa: E402
from openklant_client.exceptions import NonJSONResponse, OpenKlant2Exception  # noqa: E402


def open_forms(api_url: str, key: str = GEMEENTE_API_KEY) -> OpenKlantClient:
    """The client as Open Forms configures it: the API root and a token."""
    root = api_url.removesuffix("/api/profiel/v1") + KLANTINTERACTIES + "/"
    return OpenKlantClient(root, token=key)


def by_bsn(bsn: str) -> dict[str, str]:
    """A person's partijIdentificator filters, as Open Forms and the OMC send them."""
    return {
        "partijIdentificator__codeObjecttype": "natuurlijk_persoon",
        "partijIdentificator__codeRegister": "brp",
        "partijIdentificator__codeSoortObjectId": "bsn",
        "partijIdentificator__objectId": bsn,
    }


def test_the_client_reads_the_partij_and_exactly_the_address_the_rule_gives(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn
) -> None:
    bsn, person, first, second = person_with_two_addresses(api_url, idp, notify)
    # The municipality is to use the second address: the person chose it for it.
    ids = {c["adres"]: c["id"] for c in person.read().json()["contactgegevens"]}
    choice = {"voorkeursadressen": {"email": ids[second]}}
    chosen = person.change("PUT", f"/profiel/voorkeuren/organisaties/{GEMEENTE}", choice)
    assert chosen.status_code == 200, chosen.text
    given = Organisation(api_url, idp.organisation_token(GEMEENTE)).look_up(bsn)
    assert given.json()["resultaten"][0]["gegevens"]["email"] == second
    client = open_forms(api_url)

    # partijen, filtered on the BSN, with the addresses expanded (a list: sent comma-joined).
    page = client.partij.list(
        params={**by_bsn(bsn), "soortPartij": "persoon", "expand": ["digitaleAdressen"]}
    )
    assert page["count"] == 1 and page["next"] is None
    [partij] = page["results"]
    assert partij["soortPartij"] == "persoon"
    assert [a["adres"] for a in partij["_expand"]["digitaleAdressen"]] == [second]
    assert omc_selection(partij)["adres"] == second
    assert partij["voorkeursDigitaalAdres"]["uuid"] == partij["_expand"]["digitaleAdressen"][0][
        "uuid"
    ]
    # More than one expansion, as the client joins them; the paginating iterator too.
    [again] = client.partij.list_iter(
        params={**by_bsn(bsn), "expand": ["digitaleAdressen", "betrokkenen"]}
    )
    assert again["uuid"] == partij["uuid"]

    # The partij by its UUID (this organisation's own), expanded.
    retrieved = client.partij.retrieve(partij["uuid"], params={"expand": ["digitaleAdressen"]})
    assert retrieved["uuid"] == partij["uuid"] and retrieved["url"] == partij["url"]
    assert [a["adres"] for a in retrieved["_expand"]["digitaleAdressen"]] == [second]

    # digitaleadressen, of the partij named by its identificator or by its UUID: the same one.
    named = {f"verstrektDoorPartij__{k}": v for k, v in by_bsn(bsn).items()}
    adressen = client.digitaal_adres.list(params={**named, "soortDigitaalAdres": "email"})
    assert [(a["adres"], a["soortDigitaalAdres"]) for a in adressen["results"]] == [
        (second, "email")
    ]
    [adres] = adressen["results"]
    assert adres["verstrektDoorPartij"]["uuid"] == partij["uuid"]
    assert adres["isStandaardAdres"] is True and adres["verificatieDatum"]
    by_uuid = client.digitaal_adres.list(params={"verstrektDoorPartij__uuid": partij["uuid"]})
    assert [a["uuid"] for a in by_uuid["results"]] == [adres["uuid"]]
    # The unverified phone number is on no list.
    phones = client.digitaal_adres.list(params={**named, "soortDigitaalAdres": "telefoonnummer"})
    assert phones["results"] == []


def test_an_unknown_bsn_gives_an_empty_list(api_url: str) -> None:
    client = open_forms(api_url)
    bsn = random_test_bsn()
    empty = {"count": 0, "next": None, "previous": None, "results": []}
    assert client.partij.list(params={**by_bsn(bsn), "expand": ["digitaleAdressen"]}) == empty
    named = {f"verstrektDoorPartij__{k}": v for k, v in by_bsn(bsn).items()}
    assert client.digitaal_adres.list(params=named) == empty


def test_a_refusal_raises_the_clients_error(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn
) -> None:
    bsn, _, _, _ = person_with_two_addresses(api_url, idp, notify)

    # A key the register does not know: 401, a problem - the client raises, with the response.
    wrong = open_forms(api_url, "geen-sleutel-" + uuid.uuid4().hex)
    with pytest.raises(NonJSONResponse) as refused:
        wrong.partij.list(params=by_bsn(bsn))
    assert refused.value.response.status_code == 401
    assert refused.value.response.headers["Content-Type"] == "application/problem+json"
    assert isinstance(refused.value, OpenKlant2Exception)

    client = open_forms(api_url)
    # A UUID this organisation was never given: 404.
    with pytest.raises(NonJSONResponse) as unknown:
        client.partij.retrieve(uuid.uuid4(), params={"expand": ["digitaleAdressen"]})
    assert unknown.value.response.status_code == 404
    # A filter value that is not of its type (here: no UUID): 400 naming it.
    with pytest.raises(NonJSONResponse) as invalid:
        client.digitaal_adres.list(params={"verstrektDoorPartij__uuid": "geen-uuid"})
    assert invalid.value.response.status_code == 400
    assert [p["name"] for p in invalid.value.response.json()["invalidParams"]] == [
        "verstrektDoorPartij__uuid"
    ]
