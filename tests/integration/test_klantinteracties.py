"""Open Klant's clients read the profiles through the Klantinteracties surface, unchanged.

Through the local gateway over HTTP, with the municipality's API key of the local register
(``Authorization: Token``, as NotifyNL's OMC and Open Forms send it) or an organisation's access
token with a ``doel:`` scope. The OMC's flow is replayed with its own selection rule.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

import pytest
import requests

from infra.local.demo import GEMEENTE_API_KEY
from infra.local.dev_idp import DevIdentityProvider
from infra.local.notify import NotifyStandIn
from shared.identity.access import partij_key
from shared.identity.subject import subject_for
from shared.store.tables import VerwerkingItem
from tests.integration.test_lookup import GEMEENTE, WATERSCHAP, Organisation
from tests.integration.test_verification import add_verified_email, last_code
from tests.support import ApiClient, random_test_bsn

KLANTINTERACTIES = "/klantinteracties/api/v1"


class OpenKlantClient:
    """An organisation's Open Klant client: an API key, the surface's base URL."""

    def __init__(self, api_url: str, key: str = GEMEENTE_API_KEY, scheme: str = "Token") -> None:
        self.base = api_url.split("/api/profiel/v1")[0] + KLANTINTERACTIES
        self.headers = {"Authorization": f"{scheme} {key}"}

    def get(self, path: str, **query: str) -> requests.Response:
        url = self.base + path + (f"?{urlencode(query)}" if query else "")
        return requests.get(url, headers=self.headers, timeout=60)

    def partij_by_bsn(self, bsn: str) -> requests.Response:
        return self.get(
            "/partijen",
            partijIdentificator__codeSoortObjectId="bsn",
            partijIdentificator__objectId=bsn,
            expand="digitaleAdressen",
        )


def omc_selection(partij: dict, referentie: str | None = None) -> dict | None:
    """NotifyNL OMC's choice of an address: the one whose referentie is the case's, then the
    preferred one, then the first e-mail address, then the first phone number (for SMS)."""
    adressen = partij.get("_expand", {}).get("digitaleAdressen", [])
    preferred = (partij.get("voorkeursDigitaalAdres") or {}).get("uuid")
    return (
        next((a for a in adressen if referentie and a.get("referentie") == referentie), None)
        or next((a for a in adressen if a["uuid"] == preferred), None)
        or next((a for a in adressen if a["soortDigitaalAdres"] == "email"), None)
        or next((a for a in adressen if a["soortDigitaalAdres"] == "telefoonnummer"), None)
    )


@pytest.fixture
def omc(api_url: str) -> OpenKlantClient:
    return OpenKlantClient(api_url)


def person_with_two_addresses(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn
) -> tuple[str, ApiClient, str, str]:
    """A burger with two verified e-mail addresses (the first the standard one) and an
    unverified phone number."""
    bsn = random_test_bsn()
    person = ApiClient(api_url, idp.burger_token(bsn))
    first = add_verified_email(person, notify, "ki.eerste")
    second = add_verified_email(person, notify, "ki.tweede")
    phone = {"soortDigitaalAdres": "telefoonnummer", "adres": f"06 2{uuid.uuid4().int % 10**7:07d}"}
    assert person.change("POST", "/profiel/contactgegevens", phone).status_code == 201
    return bsn, person, first, second


def test_the_omc_flow_picks_the_address_the_preference_rule_gives_and_the_read_is_logged(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, omc: OpenKlantClient
) -> None:
    bsn, person, first, second = person_with_two_addresses(api_url, idp, notify)
    gemeente = Organisation(api_url, idp.organisation_token(GEMEENTE))

    response = omc.partij_by_bsn(bsn)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    [partij] = response.json()["results"]
    assert omc_selection(partij)["adres"] == first
    assert gemeente.look_up(bsn).json()["resultaten"][0]["gegevens"]["email"] == first
    # Only verified details: the unverified phone number is not there.
    assert {a["soortDigitaalAdres"] for a in partij["_expand"]["digitaleAdressen"]} == {"email"}
    assert partij["url"].endswith(f"{KLANTINTERACTIES}/partijen/{partij['uuid']}")

    # The person prefers the second address for this municipality: the OMC now picks that one,
    # as /opvragingen gives it.
    ids = {c["adres"]: c["id"] for c in person.read().json()["contactgegevens"]}
    choice = {"voorkeursadressen": {"email": ids[second]}}
    assert (
        person.change("PUT", f"/profiel/voorkeuren/organisaties/{GEMEENTE}", choice).status_code
        == 200
    )
    [partij] = omc.partij_by_bsn(bsn).json()["results"]
    assert omc_selection(partij)["adres"] == second
    assert gemeente.look_up(bsn).json()["resultaten"][0]["gegevens"]["email"] == second
    # One address of each kind at most: the OMC cannot pick one the rule did not give.
    assert [a["adres"] for a in partij["_expand"]["digitaleAdressen"]] == [second]

    # The person's inzage shows the reads, with the organisation and the purpose.
    inzage = person.request("GET", "/profiel/inzage").json()
    reads = [v for v in inzage["processingActivities"] if v["organisatie"]["oin"] == GEMEENTE]
    assert len(reads) == 4  # two Klantinteracties reads, two /opvragingen
    assert {r["doel"]["code"] for r in reads} == {"notificatie"}


def test_a_partij_uuid_is_per_organisation_and_found_again_only_by_it(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, omc: OpenKlantClient
) -> None:
    bsn, _, first, _ = person_with_two_addresses(api_url, idp, notify)
    [partij] = omc.partij_by_bsn(bsn).json()["results"]

    again = omc.get(f"/partijen/{partij['uuid']}", expand="digitaleAdressen")
    assert again.status_code == 200, again.text
    assert omc_selection(again.json())["adres"] == first
    assert again.json()["uuid"] == partij["uuid"]

    # Another organisation with a purpose of its own sees another UUID for the same person, and
    # the municipality's UUID is nothing to it.
    jwt = OpenKlantClient(
        api_url, idp.organisation_token(WATERSCHAP, scope=SCOPE_WATERSCHAP), "Bearer"
    )
    assert jwt.get(f"/partijen/{partij['uuid']}").status_code in (403, 404)
    unknown = omc.get(f"/partijen/{uuid.uuid4()}")
    assert unknown.status_code == 404
    assert unknown.headers["Content-Type"] == "application/problem+json"


SCOPE_WATERSCHAP = "profielservice.opvragen doel:notificatie"


def test_open_forms_reads_the_digital_addresses_of_a_partij(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, omc: OpenKlantClient
) -> None:
    bsn, _, first, _ = person_with_two_addresses(api_url, idp, notify)
    query = {
        "verstrektDoorPartij__partijIdentificator__codeSoortObjectId": "bsn",
        "verstrektDoorPartij__partijIdentificator__codeRegister": "brp",
        "verstrektDoorPartij__partijIdentificator__codeObjecttype": "natuurlijk_persoon",
        "verstrektDoorPartij__partijIdentificator__objectId": bsn,
    }
    response = omc.get("/digitaleadressen", **query)
    assert response.status_code == 200, response.text
    assert [a["adres"] for a in response.json()["results"]] == [first]
    # A filter no address matches, and a register that does not go with a BSN: nothing.
    assert (
        omc.get("/digitaleadressen", **query, soortDigitaalAdres="telefoonnummer").json()["count"]
        == 0
    )
    wrong_register = {**query, "verstrektDoorPartij__partijIdentificator__codeRegister": "hr"}
    assert omc.get("/digitaleadressen", **wrong_register).json()["count"] == 0


def test_absent_refused_and_unverified_partijen_give_an_empty_list(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, omc: OpenKlantClient
) -> None:
    absent = omc.partij_by_bsn(random_test_bsn())
    assert absent.status_code == 200 and absent.json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
    bsn, person, _, _ = person_with_two_addresses(api_url, idp, notify)
    assert person.change("PUT", "/profiel/delen", {"geweigerd": [GEMEENTE]}).status_code == 200
    assert omc.partij_by_bsn(bsn).json()["count"] == 0
    # Each of those reads is recorded all the same, one record per partij asked about.
    key = partij_key(subject_for(bsn=bsn))
    records = list(VerwerkingItem.query(key, consistent_read=True))
    assert sum(r.oin == GEMEENTE for r in records) == 1
    # Not even a query without an identifier lists anyone.
    assert omc.get("/partijen").json()["count"] == 0


def test_credentials_are_bound_to_one_purpose(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn
) -> None:
    bsn, _, first, _ = person_with_two_addresses(api_url, idp, notify)
    wrong_key = OpenKlantClient(api_url, "geen-sleutel-" + uuid.uuid4().hex)
    refused = wrong_key.partij_by_bsn(bsn)
    assert refused.status_code == 401
    assert refused.headers["Content-Type"] == "application/problem+json"
    # An access token needs exactly one doel scope: without, 403; with one the organisation has
    # no grant for, 403 as for /opvragingen.
    no_doel = OpenKlantClient(api_url, idp.organisation_token(GEMEENTE), "Bearer")
    assert no_doel.partij_by_bsn(bsn).status_code == 403
    other_doel = OpenKlantClient(
        api_url,
        idp.organisation_token(GEMEENTE, scope="profielservice.opvragen doel:onbekend"),
        "Bearer",
    )
    assert other_doel.partij_by_bsn(bsn).status_code == 403
    token = idp.organisation_token(GEMEENTE, scope="profielservice.opvragen doel:notificatie")
    [partij] = OpenKlantClient(api_url, token, "Bearer").partij_by_bsn(bsn).json()["results"]
    assert omc_selection(partij)["adres"] == first
    # A person's token opens nothing here.
    person = OpenKlantClient(api_url, idp.burger_token(bsn), "Bearer")
    assert person.partij_by_bsn(bsn).status_code == 403


def test_a_pending_code_is_never_given(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, omc: OpenKlantClient
) -> None:
    bsn = random_test_bsn()
    person = ApiClient(api_url, idp.burger_token(bsn))
    email = f"ki.onbevestigd.{uuid.uuid4().hex[:8]}@example.nl"
    body = {"soortDigitaalAdres": "email", "adres": email}
    assert person.change("POST", "/profiel/contactgegevens", body).status_code == 201
    assert last_code(notify, email)
    [partij] = omc.partij_by_bsn(bsn).json()["results"]
    assert partij["_expand"]["digitaleAdressen"] == []
    assert partij["voorkeursDigitaalAdres"] is None


def test_after_a_bounce_report_the_address_is_gone_from_every_surface(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, omc: OpenKlantClient
) -> None:
    bsn, person, first, second = person_with_two_addresses(api_url, idp, notify)
    token = idp.organisation_token(GEMEENTE)
    gemeente = Organisation(api_url, token)
    [partij] = omc.partij_by_bsn(bsn).json()["results"]
    assert omc_selection(partij)["adres"] == first

    # The municipality's mail to it bounced for good: it says so, under its purpose.
    report = {
        "doel": "notificatie",
        "betrokkene": {"bsn": bsn},
        "soortDigitaalAdres": "email",
        "adres": first,
    }
    reported = requests.post(
        api_url + "/onbestelbaar",
        json=report,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert reported.status_code == 202, reported.text

    # Gone from the Klantinteracties reads and from /opvragingen; the owner sees why.
    [partij] = omc.partij_by_bsn(bsn).json()["results"]
    assert first not in {a["adres"] for a in partij["_expand"]["digitaleAdressen"]}
    addresses = omc.get(
        "/digitaleadressen",
        verstrektDoorPartij__partijIdentificator__codeSoortObjectId="bsn",
        verstrektDoorPartij__partijIdentificator__objectId=bsn,
    ).json()["results"]
    assert first not in {a["adres"] for a in addresses}
    assert gemeente.look_up(bsn).json()["resultaten"][0]["gegevens"]["email"] != first
    moza = requests.post(
        api_url.removesuffix("/api/profiel/v1") + "/api/profielservice/v1/partij",
        json={"identificatieType": "BSN", "identificatieNummer": bsn},
        headers=omc.headers,
        timeout=30,
    )
    assert moza.status_code == 200, moza.text
    assert first not in moza.text
    statuses = {c["adres"]: c["verificatieStatus"] for c in person.read().json()["contactgegevens"]}
    assert statuses[first] == "onbestelbaar"
    assert statuses[second] == "geverifieerd"


def test_filters_are_checked_against_the_types_open_klants_document_gives_them(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, omc: OpenKlantClient
) -> None:
    """Found by fuzzing Open Klant's document (tests/fuzz/test_foreign_contracts.py)."""
    bsn, _, first, _ = person_with_two_addresses(api_url, idp, notify)
    named = {
        "verstrektDoorPartij__partijIdentificator__codeSoortObjectId": "bsn",
        "verstrektDoorPartij__partijIdentificator__objectId": bsn,
    }

    def refused(path: str, name: str, **query: str) -> None:
        response = omc.get(path, **query)
        assert response.status_code == 400, response.text
        assert response.headers["Content-Type"] == "application/problem+json"
        assert [p["name"] for p in response.json()["invalidParams"]] == [name]

    # An empty UUID filter was looked up in the store, which cannot take an empty key: 503.
    refused("/digitaleadressen", "verstrektDoorPartij__uuid", verstrektDoorPartij__uuid="")
    refused("/digitaleadressen", "verstrektDoorPartij__uuid", verstrektDoorPartij__uuid="x")
    refused("/digitaleadressen", "isStandaardAdres", **named, isStandaardAdres="ja")
    refused("/digitaleadressen", "verificatieDatum__gt", **named, verificatieDatum__gt="gisteren")
    refused("/partijen", "page", partijIdentificator__codeSoortObjectId="bsn", page="een")
    refused("/partijen", "pageSize", pageSize="20,5")
    refused("/partijen", "soortPartij", soortPartij="mens")
    refused("/partijen", "expand", expand="digitaleAdressen,adressen")
    refused("/partijen", "expand", expand=",")
    # Of their type, they are taken: any integer page size (the document sets no bounds; one page
    # holds everything), a boolean as Open Klant's filters read it, two expansions.
    by_bsn = {k.split("__", 1)[1]: v for k, v in named.items()}
    sized = omc.get("/partijen", **by_bsn, pageSize="-5")
    assert sized.status_code == 200 and sized.json()["count"] == 1
    assert omc.get("/partijen", **by_bsn, soortPartij="persoon").json()["count"] == 1
    assert omc.get("/partijen", **by_bsn, soortPartij="organisatie").json()["count"] == 0
    assert omc.get("/partijen", **by_bsn, indicatieActief="false").json()["count"] == 0
    standard = omc.get("/digitaleadressen", **named, isStandaardAdres="True")
    assert [a["adres"] for a in standard.json()["results"]] == [first]
    both = omc.get(
        f"/partijen/{sized.json()['results'][0]['uuid']}", expand="digitaleAdressen,betrokkenen"
    )
    assert [a["adres"] for a in both.json()["_expand"]["digitaleAdressen"]] == [first]
    # The fields Open Klant always gives are there, empty: nothing of them is released.
    assert both.json()["interneNotitie"] == "" and both.json()["correspondentieadres"] is None
    assert both.json()["_expand"]["digitaleAdressen"][0]["omschrijving"] == ""
    assert "referentie" not in both.json()["_expand"]["digitaleAdressen"][0]
