"""Delivery feedback: an address that bounces for good becomes onbestelbaar - reported by an
organisation that was given it, or by NotifyNL's delivery receipt of a message the service sent.

Through the local gateway, the moto server and the NotifyNL stand-in over HTTP; the organisation
with a token of the development IdP, NotifyNL played by the test with the local callback token.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests

from infra.local.dev_idp import DevIdentityProvider
from infra.local.notify import LOCAL_TEMPLATES, NotifyStandIn, SentMessage
from infra.local.workspace import Workspace
from shared.identity.access import partij_key
from shared.identity.subject import subject_for
from shared.models.profiel import kalenderdatum
from shared.store.audit import AuditTrail
from shared.store.tables import VerificatieItem
from tests.support import PERSONAL_DATA, ApiClient, random_test_bsn, wait_for

GEMEENTE = "00000099000000000001"
TODAY = lambda: kalenderdatum(datetime.now(UTC)).isoformat()  # noqa: E731


class Burger(ApiClient):
    partij: str

    def contactgegeven(self, adres: str) -> dict:
        return next(c for c in self.read().json()["contactgegevens"] if c["adres"] == adres)


def code_in(message: SentMessage) -> str:
    code = re.search(r"(?<!\d)\d{6}(?!\d)", message.body).group(0)
    PERSONAL_DATA.register(code)
    return code


def add_email(burger: Burger, notify: NotifyStandIn, prefix: str, verify: bool = True) -> str:
    email = f"{prefix}.{uuid.uuid4().hex[:10]}@example.nl"
    body = {"soortDigitaalAdres": "email", "adres": email}
    added = burger.change("POST", "/profiel/contactgegevens", body)
    assert added.status_code == 201, added.text
    if verify:
        location = added.headers["Location"].split("/api/profiel/v1")[1]
        code = code_in(notify.messages_to(email)[-1])
        assert burger.request("POST", f"{location}/verificatie", {"code": code}).status_code == 200
    return email


@pytest.fixture
def burger(api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn) -> tuple[str, Burger]:
    """A burger with two verified e-mail addresses; the first is the standard one."""
    bsn = random_test_bsn()
    client = Burger(api_url, idp.burger_token(bsn))
    client.partij = partij_key(subject_for(bsn))
    client.first = add_email(client, notify, "eerste")
    client.second = add_email(client, notify, "tweede")
    return bsn, client


class Gemeente:
    def __init__(self, api_url: str, token: str) -> None:
        self.api_url = api_url
        self.headers = {"Authorization": f"Bearer {token}"}

    def email_of(self, bsn: str) -> str | None:
        body = {"doel": "notificatie", "betrokkenen": [{"bsn": bsn}]}
        response = requests.post(
            self.api_url + "/opvragingen", json=body, headers=self.headers, timeout=30
        )
        assert response.status_code == 200, response.text
        return response.json()["resultaten"][0]["gegevens"]["email"]

    def report(self, bsn: str, adres: str, **extra: object) -> requests.Response:
        body = {
            "doel": "notificatie",
            "betrokkene": {"bsn": bsn},
            "soortDigitaalAdres": "email",
            "adres": adres,
            **extra,
        }
        return requests.post(
            self.api_url + "/onbestelbaar", json=body, headers=self.headers, timeout=30
        )


@pytest.fixture
def gemeente(api_url: str, idp: DevIdentityProvider) -> Gemeente:
    return Gemeente(api_url, idp.organisation_token(GEMEENTE))


def notices_to(notify: NotifyStandIn, adres: str) -> list[SentMessage]:
    template = LOCAL_TEMPLATES["email_onbestelbaar"].id
    return [m for m in notify.messages_to(adres) if m.template_id == template]


def test_an_organisation_reports_the_address_it_was_given(
    api_url: str, notify: NotifyStandIn, gemeente: Gemeente, burger: tuple[str, Burger], pump
) -> None:
    bsn, owner = burger
    assert gemeente.email_of(bsn) == owner.first
    version = owner.read().headers["ETag"]

    response = gemeente.report(bsn, owner.first)
    assert response.status_code == 202, response.text
    assert response.content == b""

    # No organisation gets it any more; the owner sees why, and heard of it at the other address.
    assert gemeente.email_of(bsn) is None
    shown = owner.contactgegeven(owner.first)
    assert shown["verificatieStatus"] == "onbestelbaar"
    assert shown["onbestelbaarSinds"] == TODAY()
    assert owner.contactgegeven(owner.second)["verificatieStatus"] == "geverifieerd"
    assert owner.read().headers["ETag"] != version
    [notice] = notices_to(notify, owner.second)
    assert "e-mailadres" in notice.subject and owner.first not in notice.body
    assert notice.reference and owner.partij not in notice.reference
    assert notices_to(notify, owner.first) == []

    # The report is in the owner's inzage, with the organisation and its purpose.
    activities = owner.request("GET", "/profiel/inzage").json()["processingActivities"]
    [reported] = [a for a in activities if a["name"] == "melden onbestelbaar"]
    assert (reported["organisatie"]["oin"], reported["doel"]["code"]) == (GEMEENTE, "notificatie")
    # The history shows the change in the organisation's role, never the value.
    wait_for(lambda: len(AuditTrail().of(owner.partij)) == 5)
    history = owner.request("GET", "/profiel/historie").json()["wijzigingen"]
    assert (history[0]["velden"], history[0]["door"]) == (["contactgegevens.email"], "organisatie")

    # A second report of it changes nothing: it is no longer the address the municipality gets.
    version = owner.read().headers["ETag"]
    assert gemeente.report(bsn, owner.first).status_code == 202
    assert owner.read().headers["ETag"] == version
    assert len(notices_to(notify, owner.second)) == 1


def test_an_address_the_organisation_was_not_given_changes_nothing(
    api_url: str,
    idp: DevIdentityProvider,
    notify: NotifyStandIn,
    gemeente: Gemeente,
    burger: tuple[str, Burger],
) -> None:
    bsn, owner = burger
    version = owner.read().headers["ETag"]
    # The other verified address, one not in the profile, and a person without a profile: the
    # same 202, and nothing changes.
    assert gemeente.report(bsn, owner.second).status_code == 202
    assert gemeente.report(bsn, "onbekend@example.nl").status_code == 202
    assert gemeente.report(random_test_bsn(), owner.first).status_code == 202
    assert owner.read().headers["ETag"] == version
    assert notices_to(notify, owner.first) == notices_to(notify, owner.second) == []
    # An organisation without a grant for the purpose is refused before anything is read.
    other = Gemeente(gemeente.api_url, idp.organisation_token("00000099000000000002"))
    refused = other.report(bsn, owner.first)
    assert refused.status_code == 403
    assert refused.headers["Content-Type"] == "application/problem+json"
    bad = gemeente.report(bsn, "geen adres")
    assert bad.status_code == 400
    assert [p["name"] for p in bad.json()["invalidParams"]] == ["adres"]
    assert gemeente.report(bsn, owner.first, dienst="onbekend").status_code == 400
    assert owner.read().headers["ETag"] == version


def test_a_new_verification_makes_it_deliverable_again(
    api_url: str, notify: NotifyStandIn, gemeente: Gemeente, burger: tuple[str, Burger]
) -> None:
    bsn, owner = burger
    assert gemeente.report(bsn, owner.first).status_code == 202
    shown = owner.contactgegeven(owner.first)
    assert shown["verificatieStatus"] == "onbestelbaar"

    # A new code a minute after the last one: the stored send times aged, never waited for.
    item = VerificatieItem.get(owner.partij, shown["id"], consistent_read=True)
    minute = timedelta(seconds=61)
    item.verzonden = [(datetime.fromisoformat(s) - minute).isoformat() for s in item.verzonden]
    item.vervalt_op = item.vervalt_op - minute
    item.save()
    path = f"/profiel/contactgegevens/{shown['id']}"
    assert owner.request("POST", f"{path}/verificatiecode").status_code == 202
    code = code_in(notify.messages_to(owner.first)[-1])
    confirmed = owner.request("POST", f"{path}/verificatie", {"code": code})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["verificatieStatus"] == "geverifieerd"
    assert confirmed.json()["onbestelbaarSinds"] is None
    assert gemeente.email_of(bsn) == owner.first


def receipt(api_url: str, token: str | None, **body: object) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    sent = {
        "id": str(uuid.uuid4()),
        "reference": None,
        "to": "",
        "status": "permanent-failure",
        "created_at": "2026-11-22T10:00:00.000000Z",
        "completed_at": "2026-11-22T10:00:05.000000Z",
        "sent_at": "2026-11-22T10:00:01.000000Z",
        "notification_type": "email",
        **body,
    }
    return requests.post(
        api_url + "/notifynl/afleverberichten", json=sent, headers=headers, timeout=30
    )


def test_notifynl_reports_a_bounced_code(
    api_url: str,
    workspace: Workspace,
    notify: NotifyStandIn,
    gemeente: Gemeente,
    burger: tuple[str, Burger],
    pump,
) -> None:
    bsn, owner = burger
    token = workspace.notify_callback_token()
    # A new address: its code goes out with a reference, and bounces.
    third = add_email(owner, notify, "derde", verify=False)
    [code_message] = notify.messages_to(third)
    reference = code_message.reference
    assert reference and owner.partij not in reference and third not in reference
    version = owner.read().headers["ETag"]

    # Without NotifyNL's token: 401, and nothing changes.
    for wrong in (None, "verkeerd-token-" + "x" * 30, token[:-1], idp_like_token(gemeente)):
        refused = receipt(api_url, wrong, reference=reference, to=third)
        assert refused.status_code == 401, refused.text
        assert refused.headers["Content-Type"] == "application/problem+json"
        assert refused.headers["WWW-Authenticate"].startswith("Bearer ")
    # Any other status, or another address than the detail has now: 204, nothing changes.
    for status in ("delivered", "temporary-failure", "technical-failure", "sending"):
        answer = receipt(api_url, token, reference=reference, to=third, status=status)
        assert answer.status_code == 204
    assert receipt(api_url, token, reference=reference, to=owner.first).status_code == 204
    assert receipt(api_url, token, reference="niet-van-ons", to=third).status_code == 204
    assert receipt(api_url, token, reference=None, to=third).status_code == 204
    assert owner.read().headers["ETag"] == version
    # A malformed receipt is a problem that names the field, never its value.
    bad = receipt(api_url, token, reference=reference, to=third, id="geen-uuid")
    assert bad.status_code == 400 and third not in bad.text

    # The permanent failure: the detail becomes onbestelbaar, the owner hears of it.
    assert receipt(api_url, token, reference=reference, to=third).status_code == 204
    shown = owner.contactgegeven(third)
    assert (shown["verificatieStatus"], shown["onbestelbaarSinds"]) == ("onbestelbaar", TODAY())
    assert len(notices_to(notify, owner.first)) == 1
    # The standard address stays what the municipality gets.
    assert gemeente.email_of(bsn) == owner.first
    # In the history: a change of the system's, no organisation in the inzage.
    wait_for(lambda: len(AuditTrail().of(owner.partij)) == 6)
    history = owner.request("GET", "/profiel/historie").json()["wijzigingen"]
    assert (history[0]["velden"], history[0]["door"]) == (["contactgegevens.email"], "systeem")
    # Received twice (NotifyNL retries): the second changes nothing.
    version = owner.read().headers["ETag"]
    assert receipt(api_url, token, reference=reference, to=third).status_code == 204
    assert owner.read().headers["ETag"] == version

    # The bounce of the notice itself marks the address it went to, as any message's.
    [notice] = notices_to(notify, owner.first)
    assert receipt(api_url, token, reference=notice.reference, to=owner.first).status_code == 204
    assert owner.contactgegeven(owner.first)["verificatieStatus"] == "onbestelbaar"
    assert gemeente.email_of(bsn) is None


def idp_like_token(gemeente: Gemeente) -> str:
    """An organisation's valid access token: still not NotifyNL's."""
    return gemeente.headers["Authorization"].removeprefix("Bearer ")
