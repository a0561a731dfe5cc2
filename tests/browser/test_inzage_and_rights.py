"""Who used my details, and the person's rights, in the browser against the whole local stack.

A person logs in, changes their profile through the API, an organisation looks them up and
records a contact moment; the inzage page then shows the lookup (organisation, purpose, legal
basis), the change "door uzelf" and the contact moment, and pages to older lookups. The export
downloads as ``mijn-profiel.json`` with all of it; erasure needs the tick, a stale page is told,
and after it the profile is empty while the inzage still lists the lookups. Every page state is
checked by axe-core (WCAG 2.1 AA) and kept as a screenshot.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from pathlib import Path
from typing import Any

import requests

from infra.local.demo import GEMEENTE_API_KEY, GEMEENTE_OIN
from tests.browser.conftest import check_page, log_in, person_api, token
from tests.running_stack import RunningStack
from tests.support import ApiClient, random_test_bsn

API = "/api/profiel/v1"
KLANTINTERACTIES = "/klantinteracties/api/v1"
GEMEENTE = "Gemeente Voorbeeldstad"
PAGE_SIZE = 20  # the API's default page of the inzage


def look_up(stack: RunningStack, bsn: str, times: int = 1) -> None:
    """The municipality asks for the person's contact preferences (``POST /opvragingen``)."""
    headers = {"Authorization": f"Bearer {token(stack, '--oin', GEMEENTE_OIN)}"}
    for _ in range(times):
        answer = requests.post(
            stack.base_url + API + "/opvragingen",
            json={"doel": "notificatie", "betrokkenen": [{"bsn": bsn}]},
            headers=headers,
            timeout=30,
        )
        assert answer.status_code == 200, answer.text


def record_contact(stack: RunningStack, bsn: str, onderwerp: str) -> None:
    """The municipality's NotifyNL OMC records a message it sent, as Open Klant's client."""
    base = stack.base_url + KLANTINTERACTIES
    headers = {"Authorization": f"Token {GEMEENTE_API_KEY}"}
    found = requests.get(
        base + "/partijen",
        params={
            "partijIdentificator__codeSoortObjectId": "bsn",
            "partijIdentificator__objectId": bsn,
        },
        headers=headers,
        timeout=30,
    )
    [partij] = found.json()["results"]
    made = requests.post(
        base + "/maak-klantcontact",
        json={
            "klantcontact": {
                "kanaal": "Email",
                "onderwerp": onderwerp,
                "inhoud": "Uw aanvraag is binnen.",
                "indicatieContactGelukt": True,
                "taal": "nl",
                "vertrouwelijk": True,
            },
            "betrokkene": {
                "wasPartij": {"uuid": partij["uuid"]},
                "rol": "klant",
                "initiator": True,
            },
        },
        headers=headers,
        timeout=30,
    )
    assert made.status_code == 201, made.text


def all_lookups(person: ApiClient) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    position = None
    while True:
        query = "?limiet=100" + (f"&vanaf={position}" if position else "")
        page = person.request("GET", "/profiel/inzage" + query).json()
        items += page["processingActivities"]
        position = page["volgende"]
        if not position:
            return items


def random_mobile() -> str:
    return f"06 2{uuid.uuid4().int % 10**7:07d}"


def test_the_inzage_the_export_and_the_erasure(page: Any, stack: RunningStack) -> None:
    bsn = random_test_bsn()
    log_in(page, bsn=bsn)
    person = person_api(stack, bsn)
    phone = random_mobile()
    added = person.change(
        "POST", "/profiel/contactgegevens", {"soortDigitaalAdres": "telefoonnummer", "adres": phone}
    )
    assert added.status_code == 201, added.text
    look_up(stack, bsn)
    onderwerp = f"Uw aanvraag {uuid.uuid4().hex[:8]} is ontvangen"
    record_contact(stack, bsn, onderwerp)
    [lookup, *_] = person.request("GET", "/profiel/inzage").json()["processingActivities"]
    doel = lookup["doel"]
    assert lookup["organisatie"]["naam"] == GEMEENTE

    # (a) The lookups as a timeline, newest first: organisation, purpose, legal basis, when.
    page.goto("/inzage")
    assert page.get_by_role("heading", level=1).inner_text() == "Wie heeft mijn gegevens gebruikt"
    assert [h.inner_text() for h in page.get_by_role("heading", level=2).all()] == [
        "Opgevraagd door organisaties",
        "Wijzigingen in uw profiel",
        "Contact met u",
    ]
    newest = page.locator("ol.portal-timeline > li").first
    assert newest.get_by_role("heading", level=3).inner_text() == GEMEENTE
    assert doel["omschrijving"] in newest.inner_text()
    assert doel["grondslag"] in newest.inner_text()
    moment = newest.locator("time")
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00", moment.get_attribute("datetime")
    )
    months = (
        "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    )
    assert re.fullmatch(rf"\d{{1,2}} ({months}) \d{{4}}, \d\d:\d\d", moment.inner_text())
    # (b) The change, in plain words and role terms; never the value.
    history = page.locator("table").nth(0)
    [change] = history.locator("tbody tr").all()
    assert "telefoonnummer" in change.inner_text() and "uzelf" in change.inner_text()
    assert phone not in page.content() and phone.replace(" ", "") not in page.content()
    # (c) The contact moment, without its content.
    contacts = page.locator("table").nth(1)
    [contact] = contacts.locator("tbody tr").all()
    cells = [cell.inner_text() for cell in contact.locator("td").all()]
    assert cells[1:] == [GEMEENTE, "e-mail", onderwerp, "Ja"]
    assert "Uw aanvraag is binnen." not in page.content()
    check_page(page, "inzage")

    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/inzage$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Who used my details"
    assert "you" in page.locator("table").nth(0).locator("tbody tr").first.inner_text()
    check_page(page, "inzage-en")
    page.get_by_role("link", name="Nederlands").click()
    page.wait_for_url(re.compile(r"/inzage$"))

    # More lookups than one page: a link to the older ones, and back.
    look_up(stack, bsn, times=PAGE_SIZE)
    total = len(all_lookups(person))
    assert total > PAGE_SIZE
    page.goto("/inzage")
    assert page.locator("ol.portal-timeline > li").count() == PAGE_SIZE
    page.get_by_role("link", name="Oudere opvragingen tonen").click()
    assert page.locator("ol.portal-timeline > li").count() == total - PAGE_SIZE
    assert "vanaf=" in page.url and bsn not in page.url
    check_page(page, "inzage-ouder")
    page.get_by_role("link", name="Terug naar de nieuwste").click()
    assert page.locator("ol.portal-timeline > li").count() == PAGE_SIZE

    # Download: the export as a file named without anything about the person.
    page.get_by_role("link", name="Downloaden of verwijderen").click()
    page.wait_for_url(re.compile(r"/rechten$"))
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Uw gegevens downloaden of verwijderen"
    )
    check_page(page, "rechten")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download mijn gegevens").click()
    download = downloading.value
    assert download.suggested_filename == "mijn-profiel.json"
    export = json.loads(Path(download.path()).read_text())
    assert export["formaat"] == "urn:nl:profielservice:export:1"
    assert [c["adres"] for c in export["profiel"]["contactgegevens"]] == [
        "+31" + phone.replace(" ", "")[1:]
    ]
    assert any(item["organisatie"]["naam"] == GEMEENTE for item in export["inzage"])
    assert [c["onderwerp"] for c in export["contactmomenten"]] == [onderwerp]
    assert [w["door"] for w in export["historie"]] == ["burger"]
    headers = page.request.get("/rechten/download").headers
    assert headers["content-type"] == "application/json"
    assert headers["content-disposition"] == 'attachment; filename="mijn-profiel.json"'
    assert headers["cache-control"] == "no-store"

    # Erasure: first what it deletes and what stays, then the tick.
    page.get_by_role("button", name="Profiel verwijderen").click()
    page.wait_for_url(re.compile(r"/rechten/verwijderen\??$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Wilt u uw profiel verwijderen?"
    assert "Logboek Dataverwerkingen" in page.locator("main").inner_text()
    check_page(page, "verwijderen")
    page.get_by_role("button", name="Verwijder mijn profiel").click()
    checkbox = page.get_by_label("Ik begrijp dat mijn gegevens worden verwijderd")
    assert checkbox.get_attribute("aria-invalid") == "true"
    assert page.locator("#begrepen-fout").inner_text().startswith("Zet een vinkje")
    check_page(page, "verwijderen-zonder-vinkje")
    assert len(person.read().json()["contactgegevens"]) == 1  # nothing deleted

    # Changed elsewhere since the page was made: said, and nothing deleted.
    other = person.change(
        "POST",
        "/profiel/contactgegevens",
        {"soortDigitaalAdres": "telefoonnummer", "adres": random_mobile()},
    )
    assert other.status_code == 201, other.text
    page.get_by_label("Ik begrijp dat mijn gegevens worden verwijderd").check()
    page.get_by_role("button", name="Verwijder mijn profiel").click()
    assert page.get_by_role("alert").first.inner_text().startswith("Uw gegevens zijn intussen")
    check_page(page, "verwijderen-verouderd")
    assert len(person.read().json()["contactgegevens"]) == 2

    page.get_by_label("Ik begrijp dat mijn gegevens worden verwijderd").check()
    page.get_by_role("button", name="Verwijder mijn profiel").click()
    page.wait_for_url(re.compile(r"/rechten/verwijderd$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Uw profiel is verwijderd"
    check_page(page, "verwijderd")

    profiel = person.read().json()
    assert profiel["contactgegevens"] == [] and profiel["postadres"] is None
    assert profiel["contactnaam"] is None
    assert person.request("GET", "/profiel/contactmomenten").json()["contactmomenten"] == []
    # The Logboek's records stay, and the person (still logged in) still sees them.
    assert len(all_lookups(person)) >= total
    page.get_by_role("link", name="Wie heeft mijn gegevens gebruikt").first.click()
    page.wait_for_url(re.compile(r"/inzage$"))
    assert page.locator("ol.portal-timeline > li").first.get_by_role("heading").inner_text() == (
        GEMEENTE
    )
    assert (
        "Profiel verwijderd" in page.locator("table").nth(0).locator("tbody tr").first.inner_text()
    )
    assert "Er zijn nog geen contactmomenten vastgelegd." in page.locator("main").inner_text()
    check_page(page, "inzage-na-verwijderen")
    # The confirmation is shown once, right after the erasure only.
    page.goto("/rechten/verwijderd")
    page.wait_for_url(re.compile(r"/rechten$"))


def test_a_gemachtigde_may_not_erase(stack: RunningStack) -> None:
    """DigiD Machtigen's gemachtigde reads and maintains the profile but may not erase it: the
    page says so (403), and the profile stays."""
    from portal.app import create_app
    from portal.config import PortalConfig

    bsn = random_test_bsn()
    owner = person_api(stack, bsn)
    assert (
        owner.change(
            "POST",
            "/profiel/contactgegevens",
            {"soortDigitaalAdres": "telefoonnummer", "adres": random_mobile()},
        ).status_code
        == 201
    )
    app = create_app(
        PortalConfig(
            api_url=stack.base_url + API,
            oidc_metadata_url=stack.base_url + "/dev-idp/.well-known/openid-configuration",
            client_id="test",
            client_secret="test",
            secret_key="k" * 32,
            public_url="http://localhost",
        )
    )
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    with client.session_transaction() as session:
        session["token"] = token(stack, "--namens", bsn, "--rol", "gemachtigde")
        session["token_expires"] = time.time() + 3600
        session["soort"] = "burger"
    confirm = client.get("/rechten/verwijderen").get_data(as_text=True)
    versie = re.search(r'name="versie" value="([^"]+)"', confirm)
    assert versie is not None
    answer = client.post(
        "/rechten/verwijderen",
        data={"versie": versie.group(1).replace("&#34;", '"'), "begrepen": "ja"},
    )
    assert answer.status_code == 403
    assert "U mag dit profiel niet verwijderen." in answer.get_data(as_text=True)
    assert len(owner.read().json()["contactgegevens"]) == 1
