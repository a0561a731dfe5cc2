"""The right to erasure (AVG art. 17), over HTTP: `DELETE /profiel` removes the profile and its
verification state everywhere, keeps the Logboek and a trail that still verifies, and lets a new
profile begin."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

import boto3
import requests

from infra.local.dev_idp import DevIdentityProvider
from infra.local.notify import NotifyStandIn
from infra.local.registers import StandIns
from infra.local.store import EmbeddedStore
from pump.stream import StreamPump
from shared.config import get_settings
from shared.identity.access import partij_key
from shared.identity.subject import subject_for
from shared.models.audit import Actie, first_broken_link, first_missing_version
from shared.store.audit import AuditTrail, chain_key, profile_versions
from shared.store.tables import TABLES, ProfielItem
from tests.integration.test_verification import last_code
from tests.support import ApiClient, EventSubscriber, random_test_bsn, wait_for

GEMEENTE = "00000099000000000001"


def problem(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    return response.json()


def test_erasure_removes_every_value_keeps_the_logboek_and_a_new_profile_begins(
    api_url: str,
    idp: DevIdentityProvider,
    notify: NotifyStandIn,
    registers: StandIns,
    store: EmbeddedStore,
    pump: StreamPump,
    subscriber: EventSubscriber,
) -> None:
    bsn = random_test_bsn()
    partij = partij_key(subject_for(bsn))
    person = ApiClient(api_url, idp.burger_token(bsn))
    email = f"wissen.{uuid.uuid4().hex[:8]}@example.nl"
    phone = f"06{uuid.uuid4().int % 10**8:08d}"
    added = person.change(
        "POST", "/profiel/contactgegevens", {"soortDigitaalAdres": "email", "adres": email}
    )
    location = added.headers["Location"].split("/api/profiel/v1")[1]
    assert person.request("POST", f"{location}/verificatie", {"code": last_code(notify, email)}).ok
    person.read()
    person.change(
        "POST", "/profiel/contactgegevens", {"soortDigitaalAdres": "telefoonnummer", "adres": phone}
    )
    person.change(
        "PUT", "/profiel/postadres", {"soort": "nederlands", "postcode": "3074 LA", "huisnummer": 5}
    )
    gemeente = {"Authorization": f"Bearer {idp.organisation_token(GEMEENTE)}"}
    lookup = {"doel": "notificatie", "betrokkenen": [{"bsn": bsn}]}
    assert requests.post(
        api_url + "/opvragingen", json=lookup, headers=gemeente, timeout=30
    ).json()["resultaten"][0]["beschikbaar"]
    before = person.read()
    inzage_before = person.request("GET", "/profiel/inzage").json()["processingActivities"]
    assert inzage_before

    # Without If-Match, or with a stale one: nothing happens.
    problem(person.request("DELETE", "/profiel"), 428)
    problem(person.request("DELETE", "/profiel", If_Match='"1"'), 412)
    erased = person.request("DELETE", "/profiel", If_Match=before.headers["ETag"])
    assert erased.status_code == 204, erased.text
    new_etag = erased.headers["ETag"]
    assert new_etag == f'"{int(before.headers["ETag"].strip(chr(34))) + 1}"'

    # The verified address was told; the profile reads as new; organisations find nobody.
    assert "verwijderd" in notify.messages_to(email)[-1].body
    after = person.read()
    assert (after.json()["contactgegevens"], after.json()["postadres"]) == ([], None)
    answer = requests.post(api_url + "/opvragingen", json=lookup, headers=gemeente, timeout=30)
    assert answer.json()["resultaten"] == [{"beschikbaar": False}]
    # The Logboek stays, and the person still sees who looked.
    inzage_after = person.request("GET", "/profiel/inzage").json()["processingActivities"]
    assert {a["spanId"] for a in inzage_before} <= {a["spanId"] for a in inzage_after}

    # The trail records the erasure - who, which fields, no values - and still verifies.
    version = int(new_etag.strip('"'))
    wait_for(lambda: len(AuditTrail().of(partij)) == version)
    records = AuditTrail().of(partij)
    assert (records[-1].actie.value, records[-1].actor_rol) == ("verwijderd", "burger")
    assert "contactgegevens.email" in records[-1].velden
    assert first_broken_link(records, chain_key()) is None
    assert first_missing_version(records, profile_versions(partij)[partij]) is None
    wait_for(
        lambda: any(e["data"]["actie"] == "verwijderd" for e in subscriber.events_about(partij))
    )

    # Not one of the person's values is left in any table.
    client = boto3.client("dynamodb", endpoint_url=store.endpoint)
    values = [email, phone, "Slaghekstraat", "3074 LA", "3074LA", bsn]
    for table in TABLES:
        dumped = json.dumps(client.scan(TableName=table.Meta.table_name)["Items"])
        assert [v for v in values if v in dumped] == [], table.Meta.table_name

    # The marker that is left goes when the erasure's audit record goes (the store's TTL).
    marker = ProfielItem.get(partij, consistent_read=True)
    assert marker.gewist
    erased_at = datetime.fromisoformat(marker.changed_at)
    kept_until = erased_at + timedelta(days=get_settings().audit_retention_days)
    assert abs(marker.bewaren_tot - kept_until) < timedelta(seconds=1)  # a TTL has whole seconds
    record = next(r for r in AuditTrail().of(partij) if r.versie == version)
    assert record.actie == Actie.VERWIJDERD and record.tijdstip == marker.changed_at

    # A new profile begins, after the erased one.
    again = person.request(
        "POST",
        "/profiel/contactgegevens",
        {"soortDigitaalAdres": "email", "adres": email},
        If_Match=new_etag,
    )
    assert again.status_code == 201, again.text
    assert again.headers["ETag"] == f'"{version + 1}"'
    wait_for(lambda: len(AuditTrail().of(partij)) == version + 1)
    records = AuditTrail().of(partij)
    assert first_broken_link(records, chain_key()) is None
    assert first_missing_version(records, version + 1) is None
