"""Organisations look up contact preferences: doelbinding, bulk, fail-closed LDV, and the inzage.

Through the local gateway and the moto server over HTTP, with organisation tokens of the
development IdP; organisations and purposes from the local register (``infra/local/register.json``).
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime

import boto3
import jsonschema
import pytest
import requests
from botocore.config import Config
from dateutil.relativedelta import relativedelta
from stdnum.nl import bsn as stdnum_bsn

from infra.local.dev_idp import DevIdentityProvider
from infra.local.notify import NotifyStandIn
from infra.local.store import EmbeddedStore, create_tables
from shared.config import get_settings
from shared.identity.access import partij_key
from shared.identity.subject import subject_for
from shared.models.profiel import kalenderdatum
from shared.store.tables import ProfielItem, VerwerkingItem
from tests.support import PERSONAL_DATA, SPECS, ApiClient, random_test_bsn

GEMEENTE, WATERSCHAP, UITKERING = (
    "00000099000000000001",
    "00000099000000000002",
    "00000099000000000003",
)
LDV_SCHEMA = SPECS / "ldv-attributes.schema.json"


class Organisation:
    """An organisation's client: its own token, POSTs to /opvragingen."""

    def __init__(self, api_url: str, token: str, fsc: str | None = None) -> None:
        self.url = api_url + "/opvragingen"
        self.headers = {"Authorization": f"Bearer {token}"}
        if fsc:
            self.headers["Fsc-Authorization"] = fsc

    def look_up(self, *bsns: str, doel: str = "notificatie", **extra) -> requests.Response:
        body = {"doel": doel, "betrokkenen": [{"bsn": bsn} for bsn in bsns], **extra}
        return requests.post(self.url, json=body, headers=self.headers, timeout=60)


@pytest.fixture
def gemeente(api_url: str, idp: DevIdentityProvider) -> Organisation:
    return Organisation(api_url, idp.organisation_token(GEMEENTE))


def verified_burger(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn
) -> tuple[str, ApiClient, dict]:
    """A burger with one verified e-mail address, one unverified phone number, a postal address."""
    bsn = random_test_bsn()
    client = ApiClient(api_url, idp.burger_token(bsn))
    email = f"lookup.{uuid.uuid4().hex[:12]}@example.nl"
    added = client.change(
        "POST", "/profiel/contactgegevens", {"soortDigitaalAdres": "email", "adres": email}
    ).json()["contactgegevens"][0]
    code = re.search(r"\d{6}", notify.messages_to(email)[-1].body).group(0)
    PERSONAL_DATA.register(code)
    verify = f"/profiel/contactgegevens/{added['id']}/verificatie"
    assert client.request("POST", verify, {"code": code}).status_code == 200
    number = f"06 1{uuid.uuid4().int % 10**7:07d}"
    phone = {"soortDigitaalAdres": "telefoonnummer", "adres": number}
    assert client.change("POST", "/profiel/contactgegevens", phone).status_code == 201
    postadres = {"soort": "nederlands", "huisnummer": 31, "postcode": "3077 AW"}  # in the BAG
    assert client.change("PUT", "/profiel/postadres", postadres).status_code == 200
    assert (
        client.change("PATCH", "/profiel/voorkeuren", {"kanalen": {"email": True}}).status_code
        == 200
    )
    return bsn, client, {"email": email}


def test_a_granted_purpose_gets_exactly_its_fields_and_only_verified_details(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, gemeente: Organisation
) -> None:
    bsn, _, known = verified_burger(api_url, idp, notify)
    response = gemeente.look_up(bsn)
    assert response.status_code == 200, response.text
    [result] = response.json()["resultaten"]
    assert result["beschikbaar"] is True
    # "notificatie" allows e-mail, phone and channels - nothing else.
    assert set(result["gegevens"]) == {"email", "telefoonnummer", "kanalen"}
    assert result["gegevens"]["email"] == known["email"]
    assert result["gegevens"]["telefoonnummer"] is None  # not verified: never released
    assert result["gegevens"]["kanalen"]["email"] is True
    assert "Boterdiep" not in response.text

    other = gemeente.look_up(bsn, doel="aanslag-versturen")
    [result] = other.json()["resultaten"]
    assert list(result["gegevens"]) == [
        "correspondentie",
        "postadres",
        "postadresBron",
        "email",
        "taal",
        "contactnaam",
    ]
    assert result["gegevens"]["postadres"]["straat"] == "Boterdiep"  # as the BAG has it
    assert result["gegevens"]["postadresBron"] == "profiel"


def test_a_stale_detail_is_never_released(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, gemeente: Organisation
) -> None:
    bsn, client, _ = verified_burger(api_url, idp, notify)
    item = ProfielItem.get(partij_key(subject_for(bsn)))
    long_ago = datetime.now(UTC) - relativedelta(months=18, days=1)
    item.contactgegevens[0]["verificatieDatum"] = kalenderdatum(long_ago).isoformat()
    item.save()
    [result] = gemeente.look_up(bsn).json()["resultaten"]
    assert result["gegevens"]["email"] is None
    [reach] = gemeente.look_up(bsn, alleenBereikbaarheid=True).json()["resultaten"]
    assert reach["bereikbaar"]["email"] is False


def test_reachability_says_yes_or_no_per_channel_and_gives_no_address(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, gemeente: Organisation
) -> None:
    bsn, _, known = verified_burger(api_url, idp, notify)
    response = gemeente.look_up(bsn, alleenBereikbaarheid=True)
    [result] = response.json()["resultaten"]
    assert result == {
        "beschikbaar": True,
        "bereikbaar": {
            "email": True,
            "sms": False,  # the phone number is not verified
            "berichtenbox": False,
            "portaal": False,
            "post": True,
        },
    }
    assert known["email"] not in response.text


def test_the_preferences_for_the_asking_organisation_apply(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, gemeente: Organisation
) -> None:
    bsn, client, _ = verified_burger(api_url, idp, notify)
    refused = {"kanalen": {"email": False}}
    assert (
        client.change("PUT", f"/profiel/voorkeuren/organisaties/{GEMEENTE}", refused).status_code
        == 200
    )
    [for_gemeente] = gemeente.look_up(bsn).json()["resultaten"]
    assert for_gemeente["gegevens"]["kanalen"]["email"] is False
    uitkering = Organisation(gemeente.url.rsplit("/", 1)[0], idp.organisation_token(UITKERING))
    [for_uitkering] = uitkering.look_up(bsn).json()["resultaten"]
    assert for_uitkering["gegevens"]["kanalen"]["email"] is True


def test_refusal_looks_exactly_like_absence(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, gemeente: Organisation
) -> None:
    refusing, client, _ = verified_burger(api_url, idp, notify)
    assert client.change("PUT", "/profiel/delen", {"geweigerd": [GEMEENTE]}).status_code == 200
    absent = random_test_bsn()
    response = gemeente.look_up(refusing, absent)
    assert response.status_code == 200
    assert response.json()["resultaten"] == [{"beschikbaar": False}, {"beschikbaar": False}]

    # "Only with" another organisation refuses this one too; allowing it again shares again.
    assert client.change("PUT", "/profiel/delen", {"alleenMet": [UITKERING]}).status_code == 200
    assert gemeente.look_up(refusing).json()["resultaten"] == [{"beschikbaar": False}]
    assert client.change("PUT", "/profiel/delen", {"alleenMet": [GEMEENTE]}).status_code == 200
    assert gemeente.look_up(refusing).json()["resultaten"][0]["beschikbaar"] is True


def test_an_organisation_without_a_grant_for_the_purpose_gets_403(
    api_url: str, idp: DevIdentityProvider, gemeente: Organisation
) -> None:
    waterschap = Organisation(api_url, idp.organisation_token(WATERSCHAP))
    assert waterschap.look_up(random_test_bsn()).status_code == 403
    assert gemeente.look_up(random_test_bsn(), doel="opsporing").status_code == 403
    unknown = Organisation(api_url, idp.organisation_token("00000099000000000777"))
    assert unknown.look_up(random_test_bsn()).status_code == 403


def test_portal_and_organisation_tokens_each_reach_only_their_own_operations(
    api_url: str, idp: DevIdentityProvider, gemeente: Organisation
) -> None:
    bsn = random_test_bsn()
    as_burger = Organisation(api_url, idp.burger_token(bsn))
    assert as_burger.look_up(bsn).status_code == 403
    as_company = Organisation(api_url, idp.ondernemer_token("69599084"))
    assert as_company.look_up(bsn).status_code == 403
    without_scope = Organisation(api_url, idp.organisation_token(GEMEENTE, scope="iets-anders"))
    assert without_scope.look_up(bsn).status_code == 403
    organisation_at_portal = requests.get(
        api_url + "/profiel", headers=gemeente.headers, timeout=10
    )
    assert organisation_at_portal.status_code == 403
    no_token = requests.post(gemeente.url, json={"doel": "notificatie"}, timeout=10)
    assert no_token.status_code == 401


def test_behind_an_fsc_inway_the_organisation_is_the_fsc_tokens_subject(
    api_url: str, idp: DevIdentityProvider
) -> None:
    # The access token of the inway's own client; the calling organisation is in the FSC token.
    inway = idp.organisation_token("00000099000000000777")
    fsc = idp.token({"sub": WATERSCHAP, "acr": None})
    as_waterschap = Organisation(api_url, inway, fsc=fsc)
    assert as_waterschap.look_up(random_test_bsn()).status_code == 403  # no grant
    as_gemeente = Organisation(api_url, inway, fsc=idp.token({"sub": GEMEENTE, "acr": None}))
    assert as_gemeente.look_up(random_test_bsn()).status_code == 200
    forged = Organisation(api_url, inway, fsc=fsc[:-4] + "AAAA")
    assert forged.look_up(random_test_bsn()).status_code == 401


def test_a_bulk_of_1000_is_answered_in_one_call_and_1001_is_refused(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, gemeente: Organisation
) -> None:
    known, _, details = verified_burger(api_url, idp, notify)
    others = [random_test_bsn() for _ in range(999)]
    response = gemeente.look_up(*others[:500], known, *others[500:])
    assert response.status_code == 200, response.text
    results = response.json()["resultaten"]
    assert len(results) == 1000
    assert results[500]["gegevens"]["email"] == details["email"]  # in the order asked
    assert sum(r["beschikbaar"] for r in results) == 1

    too_many = gemeente.look_up(*others, known, random_test_bsn())
    assert too_many.status_code == 400
    assert too_many.json()["invalidParams"][0]["name"] == "betrokkenen"


def ldv_records_of(bsn: str) -> list[VerwerkingItem]:
    """The LDV records of lookups of this burger (their own changes are in the LDV too)."""
    records = VerwerkingItem.query(partij_key(subject_for(bsn)), consistent_read=True)
    return [record for record in records if record.oin]


def test_every_lookup_is_logged_per_data_subject_with_the_callers_trace(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, gemeente: Organisation
) -> None:
    bsn, _, _ = verified_burger(api_url, idp, notify)
    absent = random_test_bsn()
    trace_id, caller_span = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    # Flags 00: the caller did not sample - the LDV records everything anyway.
    gemeente.headers["traceparent"] = f"00-{trace_id}-{caller_span}-00"
    response = gemeente.look_up(bsn, absent, bsn)
    assert response.status_code == 200
    assert response.headers["traceparent"].split("-")[1] == trace_id

    for subject in (bsn, absent):
        [record] = ldv_records_of(subject)  # one per data subject, even if asked twice
        assert record.trace_id == trace_id
        assert record.parent_span_id == caller_span
        assert re.fullmatch(r"[0-9a-f]{16}", record.span_id)
        assert record.status == "Ok" and record.name == "opvragen contactvoorkeuren"
        assert record.start_time <= record.end_time
        attributes = record.attributes.as_dict()
        assert attributes["dpl.core.data_subject_id"] == partij_key(subject_for(subject))
        assert attributes["dpl.core.processing_activity_id"].endswith("/notificatie")


def test_every_stored_ldv_record_follows_the_schema_and_holds_no_bsn(
    api_url: str,
    idp: DevIdentityProvider,
    notify: NotifyStandIn,
    gemeente: Organisation,
    store: EmbeddedStore,
) -> None:
    bsn, _, _ = verified_burger(api_url, idp, notify)
    assert gemeente.look_up(bsn, random_test_bsn()).status_code == 200
    # Every record of the run - bulk lookups and fuzzing make it many: page by page, with time.
    client = boto3.client("dynamodb", endpoint_url=store.endpoint, config=Config(read_timeout=120))
    pages = client.get_paginator("scan").paginate(TableName=VerwerkingItem.Meta.table_name)
    items = [item for page in pages for item in page["Items"]]
    assert items
    bsns = [value for value in PERSONAL_DATA.values if len(value) == 9]
    for item in items:
        stored = json.dumps(item)
        nine_digits = re.findall(r"(?<![0-9a-zA-Z])\d{9}(?![0-9a-zA-Z])", stored)
        assert not [n for n in nine_digits if stdnum_bsn.is_valid(n)]
        assert not any(value in stored for value in bsns)
    schema = json.loads(LDV_SCHEMA.read_text())
    for item in items:
        attributes = {name: value["S"] for name, value in item["attributes"]["M"].items()}
        jsonschema.validate(attributes, schema)
        assert set(attributes) >= {
            "dpl.core.processing_activity_id",
            "dpl.core.data_subject_id",
            "dpl.core.data_subject_id_type",
        }


def test_without_the_logboek_nothing_is_disclosed(
    api_url: str,
    idp: DevIdentityProvider,
    notify: NotifyStandIn,
    gemeente: Organisation,
    store: EmbeddedStore,
) -> None:
    bsn, _, known = verified_burger(api_url, idp, notify)
    client = boto3.client("dynamodb", endpoint_url=store.endpoint)
    client.delete_table(TableName=VerwerkingItem.Meta.table_name)
    try:
        response = gemeente.look_up(bsn)
        assert response.status_code == 503
        assert response.headers["Content-Type"] == "application/problem+json"
        assert known["email"] not in response.text
        assert "resultaten" not in response.text
    finally:
        create_tables()
    assert gemeente.look_up(bsn).status_code == 200


def test_the_inzage_lists_the_lookups_newest_first_with_organisation_and_purpose(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, gemeente: Organisation
) -> None:
    bsn, client, _ = verified_burger(api_url, idp, notify)
    assert gemeente.look_up(bsn).status_code == 200
    assert gemeente.look_up(bsn, doel="aanslag-versturen").status_code == 200
    uitkering = Organisation(gemeente.url.rsplit("/", 1)[0], idp.organisation_token(UITKERING))
    assert uitkering.look_up(bsn).status_code == 200

    response = client.request("GET", "/profiel/inzage")
    assert response.status_code == 200, response.text
    activities = response.json()["processingActivities"]
    assert [(a["organisatie"]["naam"], a["doel"]["code"]) for a in activities] == [
        ("Uitkeringsinstantie Voorbeeld", "notificatie"),
        ("Gemeente Voorbeeldstad", "aanslag-versturen"),
        ("Gemeente Voorbeeldstad", "notificatie"),
    ]
    assert activities[1]["doel"]["omschrijving"].startswith("De aanslag")
    assert {"traceId", "spanId", "status", "name", "startTime", "endTime"} <= activities[0].keys()

    first = client.request("GET", "/profiel/inzage?limiet=2").json()
    assert len(first["processingActivities"]) == 2 and first["volgende"]
    rest = client.request("GET", f"/profiel/inzage?limiet=2&vanaf={first['volgende']}").json()
    assert [a["spanId"] for a in rest["processingActivities"]] == [activities[2]["spanId"]]
    assert rest["volgende"] is None
    assert client.request("GET", "/profiel/inzage?limiet=1000").status_code == 400

    # Someone else sees none of it.
    stranger = ApiClient(api_url, idp.burger_token(random_test_bsn()))
    assert stranger.request("GET", "/profiel/inzage").json()["processingActivities"] == []


def test_a_record_past_its_retention_is_no_longer_shown_and_the_store_may_remove_it(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, gemeente: Organisation
) -> None:
    bsn, client, _ = verified_burger(api_url, idp, notify)
    assert gemeente.look_up(bsn).status_code == 200
    partij = partij_key(subject_for(bsn))
    [record] = [r for r in VerwerkingItem.query(partij, consistent_read=True) if r.oin]
    started = datetime.fromtimestamp(int(record.start_time) / 1000, UTC)
    # Written with its retention: the configured days from its start (in whole seconds, as a
    # TTL is), for the store's TTL.
    retention = relativedelta(days=get_settings().ldv_retention_days)
    assert abs((record.bewaren_tot - (started + retention)).total_seconds()) < 1
    assert len(client.request("GET", "/profiel/inzage").json()["processingActivities"]) == 1
    record.bewaren_tot = datetime.now(UTC) - relativedelta(days=1)  # its retention has passed
    record.save()
    assert client.request("GET", "/profiel/inzage").json()["processingActivities"] == []


def test_an_inzage_item_names_a_parent_span_only_when_the_lookup_had_one(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, gemeente: Organisation
) -> None:
    bsn, client, _ = verified_burger(api_url, idp, notify)
    assert gemeente.look_up(bsn).status_code == 200  # no traceparent: no parent span
    trace_id, caller_span = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
    gemeente.headers["traceparent"] = f"00-{trace_id}-{caller_span}-01"
    assert gemeente.look_up(bsn).status_code == 200

    response = client.request("GET", "/profiel/inzage")
    assert response.status_code == 200, response.text
    activities = response.json()["processingActivities"]
    [continued] = [a for a in activities if a["traceId"] == trace_id]
    [started] = [a for a in activities if a["traceId"] != trace_id]
    assert continued["parentSpanId"] == caller_span
    # The LDV read extension's parentSpanId is a span id or absent: never null.
    assert "parentSpanId" not in started
