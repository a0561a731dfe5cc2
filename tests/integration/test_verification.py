"""Verifying contact details end to end: local gateway -> functions -> moto server over HTTP, and
codes through the real NotifyNL client to the stand-in over HTTP.

Time is moved by ageing what the store holds (the send times of a verification, a verification
date), never by waiting or by patching the clock of the functions.
"""

from __future__ import annotations

import hashlib
import random
import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import requests
from dateutil.relativedelta import relativedelta

from infra.local.dev_idp import DevIdentityProvider
from infra.local.notify import NotifyStandIn, SentMessage
from shared.identity.access import partij_key
from shared.identity.subject import subject_for
from shared.models.profiel import kalenderdatum
from shared.store.tables import ProfielItem, VerificatieItem
from tests.support import PERSONAL_DATA, ApiClient, random_test_bsn

_RANDOM = random.Random()


class Owner(ApiClient):
    """A burger with an empty profile, who adds and verifies contact details.

    Each owner has an e-mail address and a phone number nobody else in the run uses: the
    stand-in keeps the messages of the whole run.
    """

    partij: str = ""
    email: str = ""
    phone_input: str = ""  # as typed
    phone: str = ""  # as stored: E.164

    def add(self, soort: str, adres: str) -> dict:
        response = self.change(
            "POST", "/profiel/contactgegevens", {"soortDigitaalAdres": soort, "adres": adres}
        )
        assert response.status_code == 201, response.text
        return response.json()["contactgegevens"][-1]

    def start(self, contactgegeven_id: str) -> requests.Response:
        return self.request("POST", f"/profiel/contactgegevens/{contactgegeven_id}/verificatiecode")

    def confirm(self, contactgegeven_id: str, code: str) -> requests.Response:
        return self.request(
            "POST", f"/profiel/contactgegevens/{contactgegeven_id}/verificatie", {"code": code}
        )

    def contactgegeven(self, contactgegeven_id: str) -> dict:
        return self.request("GET", f"/profiel/contactgegevens/{contactgegeven_id}").json()


@pytest.fixture
def owner(api_url: str, idp: DevIdentityProvider) -> Owner:
    bsn = random_test_bsn()
    client = Owner(api_url, idp.burger_token(bsn))
    client.partij = partij_key(subject_for(bsn, None))
    client.email = f"verificatie.{uuid.uuid4().hex[:12]}@example.nl"
    digits = str(_RANDOM.randrange(10**7, 6 * 10**7))  # 06-1 to 06-5: valid mobile ranges
    client.phone_input, client.phone = f"06 {digits}", f"+316{digits}"
    return client


def received(notify: NotifyStandIn, to: str) -> list[SentMessage]:
    return notify.messages_to(to)


def code_in(message: SentMessage) -> str:
    code = re.search(r"(?<!\d)\d{6}(?!\d)", message.body).group(0)
    PERSONAL_DATA.register(code)
    return code


def last_code(notify: NotifyStandIn, to: str) -> str:
    return code_in(received(notify, to)[-1])


def add_verified_email(person: ApiClient, notify: NotifyStandIn, prefix: str) -> str:
    """Add a new e-mail address to the person's profile and confirm it with its code."""
    email = f"{prefix}.{uuid.uuid4().hex[:8]}@example.nl"
    added = person.change(
        "POST", "/profiel/contactgegevens", {"soortDigitaalAdres": "email", "adres": email}
    )
    assert added.status_code == 201, added.text
    location = added.headers["Location"].split("/api/profiel/v1")[1]
    code = last_code(notify, email)
    assert person.request("POST", f"{location}/verificatie", {"code": code}).status_code == 200
    return email


def age_verification(partij: str, contactgegeven_id: str, by: timedelta) -> None:
    """Move a verification's history back in time, as if ``by`` had passed."""
    item = VerificatieItem.get(partij, contactgegeven_id, consistent_read=True)
    item.verzonden = [(datetime.fromisoformat(sent) - by).isoformat() for sent in item.verzonden]
    item.vervalt_op = item.vervalt_op - by
    item.save()


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def problem(response: requests.Response, status: int, slug: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == f"urn:nl:profielservice:problem:{slug}"
    return body


def test_an_added_email_address_gets_a_code_that_verifies_it(
    owner: Owner, notify: NotifyStandIn
) -> None:
    added = owner.add("email", owner.email)
    assert added["verificatieStatus"] == "niet-geverifieerd"
    [message] = received(notify, owner.email)
    assert message.kind == "email" and message.subject == "Uw verificatiecode"

    confirmed = owner.confirm(added["id"], code_in(message))
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["verificatieStatus"] == "geverifieerd"
    verified_on = date.fromisoformat(confirmed.json()["verificatieDatum"])
    assert abs(kalenderdatum(datetime.now(UTC)) - verified_on) <= timedelta(days=1)
    assert confirmed.headers["ETag"] == '"2"'
    assert owner.read().json()["contactgegevens"][0]["verificatieStatus"] == "geverifieerd"


def test_a_phone_number_is_verified_by_sms(owner: Owner, notify: NotifyStandIn) -> None:
    added = owner.add("telefoonnummer", owner.phone_input)
    [message] = received(notify, owner.phone)
    assert message.kind == "sms"
    confirmed = owner.confirm(added["id"], code_in(message))
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["verificatieStatus"] == "geverifieerd"


def test_a_new_code_replaces_the_previous_one(owner: Owner, notify: NotifyStandIn) -> None:
    added = owner.add("email", owner.email)
    first = last_code(notify, owner.email)
    age_verification(owner.partij, added["id"], timedelta(seconds=61))

    started = owner.start(added["id"])
    assert started.status_code == 202, started.text
    body = started.json()
    assert body["soortDigitaalAdres"] == "email"
    assert datetime.fromisoformat(body["codeGeldigTot"]) > datetime.now(UTC) + timedelta(minutes=14)
    assert owner.email not in started.text
    second = last_code(notify, owner.email)
    assert len(received(notify, owner.email)) == 2

    if first != second:
        problem(owner.confirm(added["id"], first), 400, "verificatiecode-onjuist")
    assert owner.confirm(added["id"], second).status_code == 200
    # Used once: the same code again finds no code.
    problem(owner.confirm(added["id"], second), 409, "verificatiecode-ongeldig")


def test_after_five_wrong_attempts_even_the_right_code_is_refused(
    owner: Owner, notify: NotifyStandIn
) -> None:
    added = owner.add("email", owner.email)
    code = last_code(notify, owner.email)
    details = [owner.confirm(added["id"], wrong(code)) for _ in range(4)]
    for attempt, response in enumerate(details, start=1):
        body = problem(response, 400, "verificatiecode-onjuist")
        assert f"nog {5 - attempt} keer" in body["detail"]
        assert body["invalidParams"][0]["name"] == "code"
    problem(owner.confirm(added["id"], wrong(code)), 409, "verificatiecode-geblokkeerd")
    problem(owner.confirm(added["id"], code), 409, "verificatiecode-geblokkeerd")
    assert owner.contactgegeven(added["id"])["verificatieDatum"] is None

    # A new code (after the minute between sends) gets five new attempts.
    age_verification(owner.partij, added["id"], timedelta(seconds=61))
    assert owner.start(added["id"]).status_code == 202
    assert owner.confirm(added["id"], last_code(notify, owner.email)).status_code == 200


def test_a_malformed_code_is_a_400_that_costs_no_attempt(
    owner: Owner, notify: NotifyStandIn
) -> None:
    added = owner.add("email", owner.email)
    for malformed in ("12345", "1234567", "12345a", "١٢٣٤٥٦"):
        body = problem(owner.confirm(added["id"], malformed), 400, "ongeldige-invoer")
        assert body["invalidParams"][0]["name"] == "code"
    assert owner.confirm(added["id"], last_code(notify, owner.email)).status_code == 200


def test_a_code_older_than_fifteen_minutes_is_refused(owner: Owner, notify: NotifyStandIn) -> None:
    added = owner.add("email", owner.email)
    code = last_code(notify, owner.email)
    age_verification(owner.partij, added["id"], timedelta(minutes=15, seconds=1))
    # The expired record is still in the store (TTL deletes late, or never here): it is ignored.
    assert VerificatieItem.get(owner.partij, added["id"]).code_hash
    problem(owner.confirm(added["id"], code), 409, "verificatiecode-ongeldig")
    # Its sends no longer count either: a new code may go out at once.
    assert owner.start(added["id"]).status_code == 202


def test_sends_are_limited_per_minute_and_per_quarter_hour(
    owner: Owner, notify: NotifyStandIn
) -> None:
    added = owner.add("email", owner.email)  # send 1
    too_soon = owner.start(added["id"])
    problem(too_soon, 429, "te-veel-verzoeken")
    assert 0 < int(too_soon.headers["Retry-After"]) <= 60

    for _ in range(4):  # sends 2 to 5, each a minute and a second after the previous
        age_verification(owner.partij, added["id"], timedelta(seconds=61))
        assert owner.start(added["id"]).status_code == 202
    age_verification(owner.partij, added["id"], timedelta(seconds=61))
    limited = owner.start(added["id"])
    problem(limited, 429, "te-veel-verzoeken")
    # The first of the five leaves the quarter hour after 15 min - 5 x 61 s = 595 s.
    assert 590 <= int(limited.headers["Retry-After"]) <= 595
    assert len(received(notify, owner.email)) == 5


def test_removing_and_adding_again_does_not_escape_the_limits(
    owner: Owner, notify: NotifyStandIn
) -> None:
    """Each new contact detail has limits of its own; the profile as a whole has one too."""
    for _ in range(10):
        added = owner.add("email", owner.email)
        assert owner.change("DELETE", f"/profiel/contactgegevens/{added['id']}").status_code == 200
    flooding = owner.change(
        "POST", "/profiel/contactgegevens", {"soortDigitaalAdres": "email", "adres": owner.email}
    )
    problem(flooding, 429, "te-veel-verzoeken")
    assert 1 <= int(flooding.headers["Retry-After"]) <= 15 * 60
    assert len(received(notify, owner.email)) == 10
    assert owner.read().json()["contactgegevens"] == []


def test_a_failing_notify_gives_503_and_changes_nothing(
    owner: Owner, notify: NotifyStandIn
) -> None:
    before = owner.read()
    notify.failing = True
    failed = owner.change(
        "POST", "/profiel/contactgegevens", {"soortDigitaalAdres": "email", "adres": owner.email}
    )
    body = problem(failed, 503, "niet-beschikbaar")
    assert "Er is niets gewijzigd" in body["detail"]
    after = owner.read()
    assert after.headers["ETag"] == before.headers["ETag"]
    assert after.json()["contactgegevens"] == []

    notify.failing = False
    added = owner.add("email", owner.email)
    age_verification(owner.partij, added["id"], timedelta(seconds=61))
    notify.failing = True
    problem(owner.start(added["id"]), 503, "niet-beschikbaar")
    notify.failing = False
    # The failed send did not count: a code may go out right away.
    assert owner.start(added["id"]).status_code == 202


def test_replacing_a_verified_email_tells_the_old_address_and_sends_the_new_one_a_code(
    owner: Owner, notify: NotifyStandIn
) -> None:
    old, new = owner.email, owner.email.replace("verificatie.", "nieuw.")
    added = owner.add("email", old)
    owner.confirm(added["id"], last_code(notify, old))
    age_verification(owner.partij, added["id"], timedelta(seconds=61))

    replaced = owner.change("PATCH", f"/profiel/contactgegevens/{added['id']}", {"adres": new})
    assert replaced.status_code == 200, replaced.text
    shown = replaced.json()["contactgegevens"][0]
    assert shown["verificatieDatum"] is None
    assert shown["verificatieStatus"] == "niet-geverifieerd"
    notice = received(notify, old)[-1]
    assert notice.subject == "Uw e-mailadres is vervangen in uw profiel"
    assert owner.confirm(added["id"], last_code(notify, new)).status_code == 200

    removed = owner.change("DELETE", f"/profiel/contactgegevens/{added['id']}")
    assert removed.status_code == 200
    assert received(notify, new)[-1].subject == "Uw e-mailadres is verwijderd in uw profiel"


def test_an_unverified_address_gets_no_notice(owner: Owner, notify: NotifyStandIn) -> None:
    added = owner.add("email", owner.email)
    assert owner.change("DELETE", f"/profiel/contactgegevens/{added['id']}").status_code == 200
    assert len(received(notify, owner.email)) == 1  # only its code


def test_an_address_change_within_a_minute_of_its_code_waits(
    owner: Owner, notify: NotifyStandIn
) -> None:
    added = owner.add("email", owner.email)
    typo_fixed = owner.change(
        "PATCH",
        f"/profiel/contactgegevens/{added['id']}",
        {"adres": owner.email.replace(".nl", ".org")},
    )
    problem(typo_fixed, 429, "te-veel-verzoeken")
    assert owner.contactgegeven(added["id"])["adres"] == owner.email  # nothing stored


def test_a_code_proves_only_the_address_it_was_sent_to(owner: Owner, notify: NotifyStandIn) -> None:
    other = owner.email.replace("verificatie.", "ander.")
    added = owner.add("email", owner.email)
    code_for_first = last_code(notify, owner.email)
    age_verification(owner.partij, added["id"], timedelta(seconds=61))
    owner.change("PATCH", f"/profiel/contactgegevens/{added['id']}", {"adres": other})
    if code_for_first != last_code(notify, other):
        problem(owner.confirm(added["id"], code_for_first), 400, "verificatiecode-onjuist")
    assert owner.contactgegeven(added["id"])["verificatieDatum"] is None


def test_a_stale_detail_is_shown_and_can_be_confirmed_again(
    owner: Owner, notify: NotifyStandIn
) -> None:
    added = owner.add("email", owner.email)
    owner.confirm(added["id"], last_code(notify, owner.email))
    item = ProfielItem.get(owner.partij)
    long_ago = datetime.now(UTC) - relativedelta(months=18, days=1)
    item.contactgegevens[0]["verificatieDatum"] = kalenderdatum(long_ago).isoformat()
    item.save()
    owner.etag = None
    assert owner.contactgegeven(added["id"])["verificatieStatus"] == "verouderd"

    age_verification(owner.partij, added["id"], timedelta(minutes=16))
    assert owner.start(added["id"]).status_code == 202
    assert owner.confirm(added["id"], last_code(notify, owner.email)).status_code == 200
    assert owner.contactgegeven(added["id"])["verificatieStatus"] == "geverifieerd"


def test_only_the_owner_can_verify_a_detail(
    owner: Owner, api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn
) -> None:
    added = owner.add("email", owner.email)
    code = last_code(notify, owner.email)
    stranger = ApiClient(api_url, idp.burger_token(random_test_bsn()))
    problem(
        stranger.request("POST", f"/profiel/contactgegevens/{added['id']}/verificatiecode"),
        404,
        "niet-gevonden",
    )
    problem(
        stranger.request(
            "POST", f"/profiel/contactgegevens/{added['id']}/verificatie", {"code": code}
        ),
        404,
        "niet-gevonden",
    )
    anonymous = requests.post(
        f"{api_url}/profiel/contactgegevens/{added['id']}/verificatie",
        json={"code": code},
        timeout=10,
    )
    assert anonymous.status_code == 401
    assert owner.confirm(added["id"], code).status_code == 200


def test_no_code_and_no_address_is_stored_in_any_verification(
    owner: Owner, notify: NotifyStandIn
) -> None:
    owner.add("email", owner.email)
    owner.add("telefoonnummer", owner.phone_input)
    codes = {last_code(notify, owner.email), last_code(notify, owner.phone)}
    secrets = codes | {owner.email, owner.email.split("@")[0], owner.phone, owner.phone_input}
    unkeyed = {hashlib.sha256(code.encode()).hexdigest() for code in codes}

    items = list(VerificatieItem.query(owner.partij))
    assert len(items) == 3  # one per contact detail, one for the profile's sends as a whole
    for item in items:
        # Times, a count, keys and a hash: nothing else can hide in a verification.
        assert (
            {"partij", "contactgegeven", "verzonden"}
            <= set(item.attribute_values)
            <= {
                "partij",
                "contactgegeven",
                "version",
                "verzonden",
                "code_hash",
                "foute_pogingen",
                "vervalt_op",
            }
        )
        assert all(datetime.fromisoformat(sent) for sent in item.verzonden)
        code_hash = item.code_hash or "0" * 64
        assert re.fullmatch(r"[0-9a-f]{64}", code_hash) and code_hash not in unkeyed
        texts = (item.partij, item.contactgegeven, code_hash)
        assert not any(secret in text for secret in secrets for text in texts)
    # And no verification of anyone holds more than those attributes.
    allowed = set(VerificatieItem.get_attributes())
    assert all(set(item.attribute_values) <= allowed for item in VerificatieItem.scan())
