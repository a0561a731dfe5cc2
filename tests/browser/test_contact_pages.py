"""Mijn gegevens in the browser, against the whole local stack.

A person adds an e-mail address, enters a wrong code and then the one the NotifyNL stand-in
received (the address is then confirmed); an address the API refuses comes back with the API's
message next to the field, the typed value kept and nothing stored. The correspondence address
is found in the BAG by postcode and number (a number the BAG lacks is told next to its field),
or is a postbus; a person logged in with eIDAS sees the form for an address abroad first, and
its country by name (a missing first line is the API's message next to that field).
An ondernemer sees the company and its branches, a branch's representative their branch marked.
A change from a page built on an older version of the profile is refused (If-Match), the page
then shows what is stored, and the same change goes through from it.
Every page state is checked by axe-core (WCAG 2.1 AA) and kept as a screenshot.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from tests.browser.conftest import check_page, code_sent_to, log_in, person_api, token
from tests.running_stack import RunningStack
from tests.support import ApiClient, random_eidas_identificator, random_test_bsn

API = "/api/profiel/v1"
KVK_NUMMER = "69599084"  # Test EMZ Dagobert in KVK's test data, with two branches
BRANCH = "000038509520"  # its nevenvestiging in Maastricht


def profile(stack: RunningStack, bsn: str) -> dict[str, Any]:
    """The profile as the API has it now (not as the page shows it)."""
    answer = person_api(stack, bsn).read()
    assert answer.status_code == 200, answer.text
    return answer.json()


def error_of(page: Any, field_id: str) -> Any:
    """The message next to a field, as the field itself refers to it (aria-describedby)."""
    field = page.locator(f"[id='{field_id}']")
    assert field.get_attribute("aria-invalid") == "true"
    assert f"{field_id}-fout" in (field.get_attribute("aria-describedby") or "")
    return page.locator(f"[id='{field_id}-fout']")


def without_accents(name: str) -> str:
    """How the country list is sorted, whatever the language: "Åland" among the A's."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_an_email_address_is_added_and_confirmed_with_its_code(
    page: Any, stack: RunningStack
) -> None:
    bsn = random_test_bsn()
    log_in(page, bsn=bsn)
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn gegevens"
    check_page(page, "gegevens")
    address = f"portaal-{bsn}@example.nl"

    page.get_by_label("E-mailadres", exact=True).check()
    page.get_by_label("E-mailadres of telefoonnummer").fill(address)
    page.get_by_label("Omschrijving (niet verplicht)").fill("Werk")
    page.get_by_role("button", name="Toevoegen en code sturen").click()
    page.wait_for_url(re.compile(r"melding=toegevoegd"))
    assert page.get_by_role("status").filter(has_text=address).inner_text() == (
        f"We hebben een code gestuurd naar {address}. Vul de code hieronder in."
    )
    card = page.locator(".portal-card", has=page.get_by_role("heading", name=address))
    assert "Nog niet bevestigd" in card.inner_text()
    check_page(page, "gegevens-code-gestuurd")

    code = code_sent_to(stack, address)
    card.get_by_label("Code uit het bericht").fill("000000" if code != "000000" else "111111")
    card.get_by_role("button", name=f"Bevestig code voor {address}").click()
    field_id = card.get_by_label("Code uit het bericht").get_attribute("id")
    assert "Deze code klopt niet" in error_of(page, field_id).inner_text()
    summary = page.get_by_role("alert").get_by_role("link")
    assert summary.inner_text().startswith("Code uit het bericht: Deze code klopt niet")
    assert summary.get_attribute("href") == f"#{field_id}"
    check_page(page, "gegevens-code-onjuist")

    card.get_by_label("Code uit het bericht").fill(code)
    card.get_by_role("button", name=f"Bevestig code voor {address}").click()
    page.wait_for_url(re.compile(r"melding=geverifieerd"))
    assert "Bevestigd op" in card.inner_text()
    assert card.get_by_label("Code uit het bericht").count() == 0
    check_page(page, "gegevens-bevestigd")

    # An address the API refuses: its message next to the field, what was typed kept.
    page.get_by_label("E-mailadres of telefoonnummer").fill("geen-adres")
    page.get_by_role("button", name="Toevoegen en code sturen").click()
    assert error_of(page, "adres").inner_text() == "geen geldig e-mailadres"
    assert page.get_by_label("E-mailadres of telefoonnummer").input_value() == "geen-adres"
    check_page(page, "gegevens-adres-ongeldig")
    # ... and nothing stored.
    stored = profile(stack, bsn)["contactgegevens"]
    assert [(c["adres"], c["verificatieStatus"]) for c in stored] == [(address, "geverifieerd")]


def test_the_correspondence_address_is_found_in_the_bag(page: Any, stack: RunningStack) -> None:
    bsn = random_test_bsn()
    log_in(page, bsn=bsn)
    page.get_by_label("Postcode", exact=True).fill("3074LA")
    page.get_by_label("Huisnummer").fill("999")
    page.get_by_role("button", name="Zoek adres").click()
    assert "geen adres met dit huisnummer" in error_of(page, "huisnummer").inner_text()
    assert page.get_by_label("Postcode", exact=True).input_value() == "3074LA"
    check_page(page, "gegevens-postadres-onbekend")

    page.get_by_label("Huisnummer").fill("5")
    page.get_by_role("button", name="Zoek adres").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Controleer uw correspondentieadres"
    assert "Slaghekstraat 5" in page.locator("main").inner_text()
    check_page(page, "gegevens-postadres-controleren")

    page.get_by_role("button", name="Gebruik dit adres").click()
    page.wait_for_url(re.compile(r"melding=postadres"))
    assert "Slaghekstraat 5" in page.locator("#postadres-kop + p + dl").inner_text()
    check_page(page, "gegevens-postadres-opgeslagen")
    postadres = profile(stack, bsn)["postadres"]
    assert (postadres["straat"], postadres["huisnummer"], postadres["postcode"]) == (
        "Slaghekstraat",
        5,
        "3074 LA",
    )


def test_a_postbus_is_the_correspondence_address(page: Any, stack: RunningStack) -> None:
    bsn = random_test_bsn()
    log_in(page, bsn=bsn)
    headings = page.locator("section[aria-labelledby=postadres-kop] h3").all_inner_texts()
    assert headings == [
        "Een correspondentieadres in Nederland opgeven",
        "Een postbus opgeven",
        "Een adres in het buitenland opgeven",
    ]
    form = page.locator("form", has=page.get_by_label("Postbusnummer"))
    form.get_by_label("Postbusnummer").fill("1234")
    form.get_by_label("Postcode van de postbus").fill("0123 AB")
    form.get_by_label("Plaats").fill("Amsterdam")
    form.get_by_role("button", name="Sla postbus op").click()
    # The API's message next to the field (its id is not its name: the Dutch form has one too).
    assert "geen geldige Nederlandse postcode" in error_of(page, "postbus-postcode").inner_text()
    link = page.get_by_role("alert").get_by_role("link")
    assert link.inner_text().startswith("Postcode van de postbus: geen geldige")
    assert link.get_attribute("href") == "#postbus-postcode"
    assert page.get_by_label("Postbusnummer").input_value() == "1234"
    assert page.get_by_label("Plaats").input_value() == "Amsterdam"
    assert profile(stack, bsn)["postadres"] is None
    check_page(page, "gegevens-postbus-ongeldig")

    page.get_by_label("Postcode van de postbus").fill("1000AA")
    page.get_by_role("button", name="Sla postbus op").click()
    page.wait_for_url(re.compile(r"melding=postadres"))
    current = page.locator("#postadres-kop + p + dl").inner_text()
    assert "Postbus 1234" in current and "1000 AA Amsterdam" in current
    assert page.get_by_label("Postbusnummer").input_value() == "1234"
    check_page(page, "gegevens-postbus-opgeslagen")
    assert profile(stack, bsn)["postadres"] == {
        "soort": "postbus",
        "postbusnummer": 1234,
        "postcode": "1000 AA",
        "woonplaats": "Amsterdam",
    }


def test_a_european_citizen_gives_an_address_abroad(page: Any, stack: RunningStack) -> None:
    identificator = random_eidas_identificator()
    api = ApiClient(f"{stack.base_url}{API}", token(stack, "--eidas", identificator))
    log_in(page, eidas=identificator)
    headings = page.locator("section[aria-labelledby=postadres-kop] h3").all_inner_texts()
    assert headings == [
        "Een adres in het buitenland opgeven",
        "Een correspondentieadres in Nederland opgeven",
        "Een postbus opgeven",
    ]
    land = page.get_by_label("Land", exact=True)
    options = land.locator("option").all_inner_texts()
    assert options[0] == "Kies een land" and "Duitsland" in options and "Nederland" not in options
    assert options[1:] == sorted(options[1:], key=without_accents)
    check_page(page, "gegevens-eidas")

    # Without its first line: the API's message next to that field, nothing stored.
    page.get_by_label("Adresregel 2 (niet verplicht)").fill("10115 Berlin")
    land.select_option("DE")
    page.get_by_role("button", name="Sla adres in het buitenland op").click()
    assert error_of(page, "adresregel1").inner_text() == "verplicht"
    assert page.get_by_label("Adresregel 2 (niet verplicht)").input_value() == "10115 Berlin"
    assert page.get_by_label("Land", exact=True).input_value() == "DE"
    answer = api.read()
    assert answer.status_code == 200, answer.text
    assert answer.json()["postadres"] is None
    check_page(page, "gegevens-buitenland-ongeldig")

    page.get_by_label("Adresregel 1").fill("Hauptstraße 5")
    page.get_by_role("button", name="Sla adres in het buitenland op").click()
    page.wait_for_url(re.compile(r"melding=postadres"))
    current = page.locator("#postadres-kop + p + dl")
    assert current.locator("dd").inner_text().splitlines() == [
        "Hauptstraße 5",
        "10115 Berlin",
        "Duitsland",
    ]
    check_page(page, "gegevens-buitenland-opgeslagen")
    postadres = api.read().json()["postadres"]
    assert postadres == {
        "soort": "buitenlands",
        "adresregel1": "Hauptstraße 5",
        "adresregel2": "10115 Berlin",
        "adresregel3": None,
        "land": "DE",
    }

    # In English: the country by its English name.
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/gegevens$"))
    assert "Germany" in page.locator("#postadres-kop + p + dl").inner_text()
    assert page.get_by_label("Country", exact=True).input_value() == "DE"
    check_page(page, "gegevens-buitenland-engels")


def test_an_ondernemer_sees_the_company_and_its_branches(page: Any) -> None:
    log_in(page, kvk_nummer=KVK_NUMMER)
    assert page.get_by_role("heading", level=2, name=re.compile("Handelsregister")).is_visible()
    assert "Test EMZ Dagobert" in page.locator("main dl").first.inner_text()
    table = page.get_by_role("table", name="De vestigingen van uw onderneming")
    rows = table.locator("tbody tr")
    assert rows.count() == 2
    assert "000038509504" in rows.nth(0).inner_text() and BRANCH in rows.nth(1).inner_text()
    assert "U beheert deze vestiging" not in table.inner_text()
    check_page(page, "gegevens-ondernemer")


def test_a_branch_representative_sees_their_branch_marked(page: Any) -> None:
    log_in(page, kvk_nummer=KVK_NUMMER, vestigingsnummer=BRANCH)
    table = page.get_by_role("table", name="De vestigingen van uw onderneming")
    marked = table.locator("tbody tr", has_text="U beheert deze vestiging")
    assert marked.count() == 1 and BRANCH in marked.inner_text()
    assert f"vestigingsnummer {BRANCH}" in page.locator("main").inner_text()
    check_page(page, "gegevens-vestiging")


def test_a_change_from_a_stale_page_is_refused_and_the_page_shows_what_is_stored(
    page: Any, stack: RunningStack
) -> None:
    bsn = random_test_bsn()
    log_in(page, bsn=bsn)
    # Meanwhile, elsewhere: the profile changes after the page was built.
    elsewhere = person_api(stack, bsn)
    changed = elsewhere.change("PUT", "/profiel/contactnaam", {"contactnaam": "J. Elders"})
    assert changed.status_code == 200, changed.text

    page.get_by_label("Nieuwe contactnaam").fill("J. Hier")
    page.get_by_role("button", name="Sla contactnaam op").click()
    assert "intussen gewijzigd" in page.get_by_role("alert").first.inner_text()
    assert "J. Elders" in page.locator("#contactnaam-kop ~ dl").inner_text()
    assert page.get_by_label("Nieuwe contactnaam").input_value() == "J. Hier"
    assert profile(stack, bsn)["contactnaam"] == "J. Elders"
    check_page(page, "gegevens-verouderd")

    # The page now carries the current version: the same change goes through.
    page.get_by_role("button", name="Sla contactnaam op").click()
    page.wait_for_url(re.compile(r"melding=contactnaam"))
    assert page.get_by_role("status").first.inner_text() == "Uw contactnaam is opgeslagen."
    assert profile(stack, bsn)["contactnaam"] == "J. Hier"
