"""MOZa's notification component reads the profiles through the MOZa profielservice contract,
unchanged.

Through the local gateway over HTTP, with the municipality's API key of the local register
(``Authorization: Token``) or an organisation's access token with a ``doel:`` scope. The
component's own e-mail selection is replayed (``moza_selection``, as its ProfielServiceAdapter
has it) and must land on the address ``/opvragingen`` gives the same organisation and dienst.
"""

from __future__ import annotations

import json
import secrets
import uuid
from typing import Any

import pytest
import requests

from infra.local.demo import GEMEENTE_API_KEY
from infra.local.dev_idp import DevIdentityProvider
from infra.local.notify import NotifyStandIn
from shared.identity.access import partij_key
from shared.identity.subject import subject_for
from shared.models.antwoorden import MAXIMUM_BETROKKENEN
from shared.opvragen import VERWERKING
from shared.store.tables import VerwerkingItem
from tests.integration.test_klantinteracties import person_with_two_addresses
from tests.integration.test_lookup import GEMEENTE, UITKERING, WATERSCHAP, Organisation
from tests.integration.test_verification import last_code
from tests.support import ApiClient, random_test_bsn

MOZA = "/api/profielservice/v1"
# As the local register names the municipality and its parking permits (infra/local/register.json).
GEMEENTE_NAAM = "Gemeente Voorbeeldstad"
PARKEREN, PARKEREN_NAAM = "parkeren", "Parkeervergunningen"


def moza_selection(partij: dict[str, Any], dienstverlener: str, dienst: str) -> str | None:
    """MOZa's notification component's choice of an e-mail address (ProfielServiceAdapter): the
    first whose scopes name the dienstverlener and dienst it asked for, then one scoped to the
    dienstverlener alone (no or a blank dienstNaam), then one with ``isDefault``, then one
    without scopes."""
    emails = [c for c in partij.get("contactgegevens") or [] if c.get("type") == "Email"]

    def scoped(c: dict[str, Any], dienst_naam: str | None) -> bool:
        return any(
            s.get("dienstverlenerNaam") == dienstverlener
            and (
                s.get("dienstNaam") == dienst_naam
                if dienst_naam is not None
                else not (s.get("dienstNaam") or "").strip()
            )
            for s in c.get("scopes") or []
        )

    priorities = (
        lambda c: scoped(c, dienst),
        lambda c: scoped(c, None),
        lambda c: c.get("isDefault") is True,
        lambda c: not c.get("scopes"),
    )
    for chosen in priorities:
        found = next((c for c in emails if chosen(c)), None)
        if found is not None:
            return found["waarde"]
    return None


class MozaClient:
    """An organisation's MOZa component: an API key (or a token), the contract's base URL."""

    def __init__(self, api_url: str, key: str = GEMEENTE_API_KEY, scheme: str = "Token") -> None:
        self.base = api_url.split("/api/profiel/v1")[0] + MOZA
        self.headers = {"Authorization": f"{scheme} {key}"}

    def post(self, path: str, body: Any, trace_id: str | None = None) -> requests.Response:
        headers = {**self.headers, "Content-Type": "application/json"}
        if trace_id:
            headers["traceparent"] = f"00-{trace_id}-{secrets.token_hex(8)}-01"
        # Compact, as MOZa's Java client (Jackson) writes it: 1000 identifications fit the limit.
        data = json.dumps(body, separators=(",", ":"))
        return requests.post(self.base + path, data=data, headers=headers, timeout=60)

    def partij(
        self,
        bsn: str,
        dienstverlener: str | None = GEMEENTE_NAAM,
        dienst: str | None = PARKEREN_NAAM,
        trace_id: str | None = None,
        soort: str = "BSN",
    ) -> requests.Response:
        body = {"identificatieType": soort, "identificatieNummer": bsn}
        body |= {"dienstverlener": dienstverlener, "dienstNaam": dienst}
        return self.post("/partij", body, trace_id)

    def bulk(
        self, *identificaties: tuple[str, str], trace_id: str | None = None
    ) -> requests.Response:
        body = {
            "identificaties": [
                {"identificatieType": soort, "identificatieNummer": nummer}
                for soort, nummer in identificaties
            ]
        }
        return self.post("/partijen/bulk", body, trace_id)


@pytest.fixture
def moza(api_url: str) -> MozaClient:
    return MozaClient(api_url)


def lookups(bsn: str, trace_id: str, oin: str = GEMEENTE) -> list[VerwerkingItem]:
    """The organisation's lookups of this partij recorded in the Logboek, in one trace."""
    records = VerwerkingItem.query(partij_key(subject_for(bsn)), consistent_read=True)
    return [r for r in records if r.oin == oin and r.trace_id == trace_id and r.name == VERWERKING]


def new_trace() -> str:
    return secrets.token_hex(16)


def test_mozas_selection_picks_the_address_the_preference_rule_gives_and_each_read_is_logged(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, moza: MozaClient
) -> None:
    bsn, person, first, second = person_with_two_addresses(api_url, idp, notify)
    gemeente = Organisation(api_url, idp.organisation_token(GEMEENTE))

    def opvragingen(dienst: str | None) -> str:
        extra = {"dienst": dienst} if dienst else {}
        return gemeente.look_up(bsn, **extra).json()["resultaten"][0]["gegevens"]["email"]

    trace = new_trace()
    response = moza.partij(bsn, trace_id=trace)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    partij = response.json()
    assert moza_selection(partij, GEMEENTE_NAAM, PARKEREN_NAAM) == first == opvragingen(PARKEREN)
    # Only verified details: the unverified phone number is not there; one address of each kind.
    assert [(c["type"], c["waarde"]) for c in partij["contactgegevens"]] == [("Email", first)]
    [email] = partij["contactgegevens"]
    assert email["isGeverifieerd"] is True and email["isDefault"] is True
    assert email["scopes"] == [{"dienstverlenerNaam": GEMEENTE_NAAM, "dienstNaam": PARKEREN_NAAM}]
    assert partij["identificaties"] == [{"identificatieType": "BSN", "identificatieNummer": bsn}]
    assert uuid.UUID(partij["partijId"])
    assert len(lookups(bsn, trace)) == 1

    # The person prefers the second address for this municipality: MOZa now picks that one, as
    # /opvragingen gives it - for the dienst asked for and without one.
    ids = {c["adres"]: c["id"] for c in person.read().json()["contactgegevens"]}
    choice = {"voorkeursadressen": {"email": ids[second]}}
    path = f"/profiel/voorkeuren/organisaties/{GEMEENTE}"
    assert person.change("PUT", path, choice).status_code == 200
    partij = moza.partij(bsn).json()
    assert moza_selection(partij, GEMEENTE_NAAM, PARKEREN_NAAM) == second == opvragingen(PARKEREN)
    # ... and back to the first for parking permits only.
    dienst_choice = {"voorkeursadressen": {"email": ids[first]}}
    assert person.change("PUT", f"{path}/diensten/{PARKEREN}", dienst_choice).status_code == 200
    partij = moza.partij(bsn).json()
    assert moza_selection(partij, GEMEENTE_NAAM, PARKEREN_NAAM) == first == opvragingen(PARKEREN)
    afval = moza.partij(bsn, dienst="afval").json()  # a dienst by its code: the register's name
    assert afval["contactgegevens"][0]["scopes"] == [
        {"dienstverlenerNaam": GEMEENTE_NAAM, "dienstNaam": "Afvalinzameling"}
    ]
    assert moza_selection(afval, GEMEENTE_NAAM, "Afvalinzameling") == second == opvragingen("afval")
    organisation_level = moza.partij(bsn, dienstverlener=None, dienst=None).json()
    assert organisation_level["contactgegevens"][0]["scopes"] == [
        {"dienstverlenerNaam": GEMEENTE_NAAM}
    ]
    assert moza_selection(organisation_level, GEMEENTE_NAAM, PARKEREN_NAAM) == second

    # The person's inzage shows the reads, with the organisation and the purpose.
    inzage = person.request("GET", "/profiel/inzage?limiet=100").json()
    reads = [v for v in inzage["processingActivities"] if v["organisatie"]["oin"] == GEMEENTE]
    assert len(reads) == 9  # five through MOZa's contract, four /opvragingen
    assert {r["doel"]["code"] for r in reads} == {"notificatie"}


def test_bulk_answers_the_partijen_found_once_each_one_record_per_partij(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, moza: MozaClient
) -> None:
    found, _, first, _ = person_with_two_addresses(api_url, idp, notify)
    refusing, person, _, _ = person_with_two_addresses(api_url, idp, notify)
    assert person.change("PUT", "/profiel/delen", {"geweigerd": [GEMEENTE]}).status_code == 200
    absent = random_test_bsn()

    trace = new_trace()
    response = moza.bulk(
        ("BSN", found),
        ("BSN", refusing),
        ("BSN", absent),
        ("RSIN", "002564440"),  # not kept here: absent, not even looked up
        ("BSN", found),  # asked twice, answered once
        trace_id=trace,
    )
    assert response.status_code == 206, response.text  # some were left out
    [partij] = response.json()
    assert partij["identificaties"] == [{"identificatieType": "BSN", "identificatieNummer": found}]
    assert moza_selection(partij, GEMEENTE_NAAM, "") == first
    # Scoped to the organisation only: a bulk request names no dienst.
    assert partij["contactgegevens"][0]["scopes"] == [{"dienstverlenerNaam": GEMEENTE_NAAM}]
    # One record per partij asked about - found, refusing or absent - in one trace.
    assert [len(lookups(bsn, trace)) for bsn in (found, refusing, absent)] == [1, 1, 1]

    single = moza.partij(found, dienstverlener=None, dienst=None).json()
    assert partij["partijId"] == single["partijId"]

    everyone = moza.bulk(("BSN", found), ("BSN", found))
    assert everyone.status_code == 200
    assert [p["partijId"] for p in everyone.json()] == [single["partijId"]]

    nobody = moza.bulk(("BSN", refusing), ("BSN", absent), ("KVK", "1234"))
    assert nobody.status_code == 404
    assert nobody.headers["Content-Type"] == "application/problem+json"
    assert nobody.json()["status"] == 404


def test_an_absent_refused_or_unkept_partij_is_404_and_still_recorded(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, moza: MozaClient
) -> None:
    absent = random_test_bsn()
    trace = new_trace()
    response = moza.partij(absent, trace_id=trace)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404 and body["title"] and body["detail"]
    assert len(lookups(absent, trace)) == 1

    bsn, person, _, _ = person_with_two_addresses(api_url, idp, notify)
    assert person.change("PUT", "/profiel/delen", {"geweigerd": [GEMEENTE]}).status_code == 200
    trace = new_trace()
    refused = moza.partij(bsn, trace_id=trace)
    assert refused.status_code == 404
    # Refusal looks exactly like absence.
    assert refused.json() == body
    assert len(lookups(bsn, trace)) == 1

    # Numbers that name nobody this service keeps: an RSIN, a BSN failing the elfproef.
    assert moza.partij("002564440", soort="RSIN").status_code == 404
    assert moza.partij("123456789").status_code == 404


def test_an_unverified_address_is_never_given(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, moza: MozaClient
) -> None:
    bsn = random_test_bsn()
    person = ApiClient(api_url, idp.burger_token(bsn))
    email = f"moza.onbevestigd.{uuid.uuid4().hex[:8]}@example.nl"
    body = {"soortDigitaalAdres": "email", "adres": email}
    assert person.change("POST", "/profiel/contactgegevens", body).status_code == 201
    assert last_code(notify, email)
    response = moza.partij(bsn)
    assert response.status_code == 200  # the partij is there, with nothing to write to
    assert response.json()["contactgegevens"] == []
    assert moza_selection(response.json(), GEMEENTE_NAAM, PARKEREN_NAAM) is None
    assert email not in response.text


def test_credentials_are_bound_to_one_purpose_and_only_its_fields_are_given(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, moza: MozaClient
) -> None:
    bsn, person, first, _ = person_with_two_addresses(api_url, idp, notify)
    voorkeuren = {
        "taal": "en",
        "weergave": {"aanhef": "informeel"},
        "kanalen": {"berichtenbox": True},
    }
    assert person.change("PATCH", "/profiel/voorkeuren", voorkeuren).status_code == 200

    refused = MozaClient(api_url, "geen-sleutel-" + uuid.uuid4().hex).partij(bsn)
    assert refused.status_code == 401
    assert refused.headers["Content-Type"] == "application/problem+json"
    # An access token needs exactly one doel scope: without, 403; a purpose without a grant, 403.
    no_doel = MozaClient(api_url, idp.organisation_token(GEMEENTE), "Bearer")
    assert no_doel.partij(bsn).status_code == 403
    other_doel = MozaClient(
        api_url, idp.organisation_token(GEMEENTE, "profielservice.opvragen doel:onbekend"), "Bearer"
    )
    assert other_doel.partij(bsn).status_code == 403
    token = idp.organisation_token(WATERSCHAP, "profielservice.opvragen doel:notificatie")
    waterschap = MozaClient(api_url, token, "Bearer")
    assert waterschap.partij(bsn, "Waterschap Voorbeeld", None).status_code == 403
    # A person's token opens nothing here.
    assert MozaClient(api_url, idp.burger_token(bsn), "Bearer").partij(bsn).status_code == 403

    # The API key is bound to notificatie (email, telefoonnummer, kanalen): of the preferences
    # only the Berichtenbox channel; never the language or the salutation.
    partij = moza.partij(bsn).json()
    assert [(v["voorkeurType"], v["waarde"]) for v in partij["voorkeuren"]] == [
        ("OntvangViaBerichtenbox", "true")
    ]
    assert moza_selection(partij, GEMEENTE_NAAM, PARKEREN_NAAM) == first
    # A token for aanslag-versturen (email, taal, ...): the language, no channel, no salutation.
    aanslag = MozaClient(
        api_url,
        idp.organisation_token(GEMEENTE, "profielservice.opvragen doel:aanslag-versturen"),
        "Bearer",
    ).partij(bsn)
    assert aanslag.status_code == 200, aanslag.text
    assert [(v["voorkeurType"], v["waarde"]) for v in aanslag.json()["voorkeuren"]] == [
        ("WebsiteTaal", "en")
    ]
    assert moza_selection(aanslag.json(), GEMEENTE_NAAM, PARKEREN_NAAM) == first


def test_the_scope_asked_for_is_the_callers_own_or_refused_before_anything_is_recorded(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, moza: MozaClient
) -> None:
    bsn, _, first, _ = person_with_two_addresses(api_url, idp, notify)
    trace = new_trace()
    other = moza.partij(bsn, dienstverlener="Uitkeringsinstantie Voorbeeld", trace_id=trace)
    assert other.status_code == 403
    unknown = moza.partij(bsn, dienst="Hondenbelasting", trace_id=trace)
    assert unknown.status_code == 400
    assert unknown.headers["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in unknown.json()["invalidParams"]] == ["dienstNaam"]
    assert lookups(bsn, trace) == []
    # The organisation by its OIN, or its name spelled otherwise: its own.
    by_oin = moza.partij(bsn, dienstverlener=GEMEENTE, dienst=PARKEREN)
    assert by_oin.status_code == 200
    assert moza_selection(by_oin.json(), GEMEENTE_NAAM, PARKEREN_NAAM) == first
    assert moza.partij(bsn, dienstverlener="gemeente  voorbeeldstad").status_code == 200


def test_another_organisation_gets_another_partij_id(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, moza: MozaClient
) -> None:
    bsn, _, first, _ = person_with_two_addresses(api_url, idp, notify)
    gemeente = moza.partij(bsn).json()
    assert moza.partij(bsn).json()["partijId"] == gemeente["partijId"]  # stable
    token = idp.organisation_token(UITKERING, "profielservice.opvragen doel:notificatie")
    uitkering = MozaClient(api_url, token, "Bearer").partij(
        bsn, dienstverlener="Uitkeringsinstantie Voorbeeld", dienst="AOW"
    )
    assert uitkering.status_code == 200, uitkering.text
    assert uitkering.json()["partijId"] != gemeente["partijId"]
    [theirs], [ours] = uitkering.json()["contactgegevens"], gemeente["contactgegevens"]
    assert theirs["waarde"] == ours["waarde"] == first
    assert theirs["id"] != ours["id"]
    assert theirs["scopes"] == [
        {"dienstverlenerNaam": "Uitkeringsinstantie Voorbeeld", "dienstNaam": "AOW"}
    ]


def test_bad_input_is_a_400_problem_and_nothing_is_recorded(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, moza: MozaClient
) -> None:
    bsn, _, _, _ = person_with_two_addresses(api_url, idp, notify)
    trace = new_trace()
    one = {"identificatieType": "BSN", "identificatieNummer": bsn}
    bad = [
        ("/partij", {"identificatieType": "BSN"}, "identificatieNummer"),
        ("/partij", {**one, "identificatieType": "OIN"}, "identificatieType"),
        ("/partij", {**one, "identificatieNummer": " "}, "identificatieNummer"),
        ("/partijen/bulk", {"identificaties": []}, "identificaties"),
        (
            "/partijen/bulk",
            {"identificaties": [one] * (MAXIMUM_BETROKKENEN + 1)},
            "identificaties",
        ),
    ]
    for path, body, name in bad:
        response = moza.post(path, body, trace)
        assert response.status_code == 400, (path, body, response.text)
        assert response.headers["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["title"] == "Ongeldige invoer"
        assert name in [p["name"] for p in problem["invalidParams"]], problem
    headers = {**moza.headers, "Content-Type": "application/json"}
    not_json = requests.post(moza.base + "/partij", data="{", headers=headers, timeout=60)
    assert not_json.status_code == 400
    assert lookups(bsn, trace) == []
    # A property MOZa's contract does not name is ignored, as MOZa's own server does: here a
    # misspelt dienstNaam, so the answer is the organisation's, scoped to it alone.
    ignored = moza.post("/partij", {**one, "dienst": "parkeren"}, trace)
    assert ignored.status_code == 200, ignored.text
    scopes = [s for c in ignored.json()["contactgegevens"] for s in c["scopes"]]
    assert scopes and all("dienstNaam" not in s for s in scopes)


def test_the_contracts_writes_are_not_served(api_url: str, moza: MozaClient) -> None:
    for method, path in [
        ("POST", "/contactgegeven"),
        ("PUT", "/contactgegeven"),
        ("DELETE", f"/contactgegeven/{uuid.uuid4()}"),
        ("PATCH", "/contactgegeven/te-verwijderen-op"),
        ("POST", "/voorkeur"),
        ("PUT", "/voorkeur"),
        ("DELETE", f"/voorkeur/{uuid.uuid4()}"),
        ("PATCH", "/voorkeur/te-verwijderen-op"),
        ("POST", "/emailverificatie"),
        ("POST", "/emailverificatie/code"),
        ("POST", "/dienstverlener"),
        ("GET", "/dienstverlener/Gemeente%20Voorbeeldstad"),
        ("POST", "/dienstverlener/Gemeente%20Voorbeeldstad/diensten"),
    ]:
        response = requests.request(method, moza.base + path, headers=moza.headers, json={})
        assert response.status_code == 404, (method, path, response.text)
        assert response.headers["Content-Type"] == "application/problem+json"
    # The reads are POST only.
    assert requests.get(moza.base + "/partij", headers=moza.headers).status_code == 405
