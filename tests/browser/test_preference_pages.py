"""Mijn voorkeuren in the browser: the default level, a level per organisation and per service,
sharing, a branch's representative, and a value the API refuses - every page state checked by
axe-core (WCAG 2.1 AA) and kept as a screenshot."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import check_page, log_in
from tests.support import random_test_bsn

# From infra/local/register.json.
GEMEENTE = "00000099000000000001"
WATERSCHAP = "00000099000000000002"
AFVAL = "afval"


def _card(page: Any, oin: str) -> Any:
    return page.locator(f"#organisatie-{oin}")


def test_a_burger_sets_defaults_an_organisation_a_service_and_sharing(page: Any) -> None:
    log_in(page, bsn=random_test_bsn())
    page.get_by_role("link", name="Mijn voorkeuren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn voorkeuren")
    check_page(page, "voorkeuren")

    # The default: digital post, no SMS, English - and the portal follows the language.
    page.locator("#correspondentie-digitaal").check()
    page.locator("#kanalen-sms-nee").check()
    page.locator("#taal").select_option("en")
    page.get_by_role("button", name="Standaardvoorkeuren opslaan").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My preferences")
    expect(page.get_by_text("Your preferences have been saved.")).to_be_visible()
    assert page.locator("#correspondentie-digitaal").is_checked()
    assert page.locator("#kanalen-sms-nee").is_checked()
    assert re.search(r"/voorkeuren\?opgeslagen=1$", page.url)
    check_page(page, "voorkeuren-standaard-opgeslagen")

    # Paper post for the water board: the overview shows it differs there, and only there.
    page.get_by_role("link", name="Change preferences for Waterschap Voorbeeld").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Preferences for Waterschap Voorbeeld"
    )
    check_page(page, "voorkeuren-waterschap")
    page.locator("#correspondentie-post").check()
    page.get_by_role("button", name="Save for Waterschap Voorbeeld").click()
    expect(page.get_by_text("Your preferences have been saved.")).to_be_visible()
    assert page.locator("#correspondentie-post").is_checked()
    check_page(page, "voorkeuren-waterschap-opgeslagen")
    page.get_by_role("link", name="Back to My preferences").click()
    waterschap = _card(page, WATERSCHAP)
    expect(waterschap).to_contain_text("Different from your default preferences")
    expect(waterschap).to_contain_text("On paper, by post")
    expect(_card(page, GEMEENTE)).to_contain_text("As your default preferences")
    expect(_card(page, GEMEENTE)).to_contain_text("Digitally")
    check_page(page, "voorkeuren-overzicht-afwijkend")

    # A service of the municipality: its own choice, shown on the municipality's page.
    page.get_by_role("link", name="Change preferences for Gemeente Voorbeeldstad").click()
    page.get_by_role("link", name="Change preferences for Afvalinzameling").click()
    assert page.url.endswith(f"/voorkeuren/organisaties/{GEMEENTE}/diensten/{AFVAL}")
    check_page(page, "voorkeuren-dienst")
    page.locator("#kanalen-email-nee").check()
    page.locator("#kanalen-post-ja").check()
    page.get_by_role("button", name="Save for Afvalinzameling").click()
    expect(page.get_by_text("Your preferences have been saved.")).to_be_visible()
    expect(page.locator("#wat-nu-geldt").locator("..")).to_contain_text("Own choice")
    check_page(page, "voorkeuren-dienst-opgeslagen")
    page.get_by_role("link", name="Back to Gemeente Voorbeeldstad").click()
    expect(page.locator("#per-dienst").locator("..")).to_contain_text(
        "Change preferences for Afvalinzameling — Own choice"
    )
    page.get_by_role("link", name="Back to My preferences").click()
    expect(_card(page, GEMEENTE)).to_contain_text("Own choice for: Afvalinzameling")

    # The water board back to the defaults.
    page.get_by_role("link", name="Change preferences for Waterschap Voorbeeld").click()
    page.get_by_role("button", name="Use my default preferences for Waterschap Voorbeeld").click()
    expect(
        page.get_by_text("Your default preferences now apply to Waterschap Voorbeeld")
    ).to_be_visible()
    expect(_card(page, WATERSCHAP)).to_contain_text("As your default preferences")
    expect(_card(page, WATERSCHAP)).to_contain_text("Digitally")
    check_page(page, "voorkeuren-waterschap-verwijderd")

    # Sharing: no longer with the water board, and the pages say so.
    page.get_by_role("link", name="Choose which organisations you share your details with").click()
    expect(page.get_by_text("You share your details with all organisations.")).to_be_visible()
    check_page(page, "voorkeuren-delen")
    page.locator(f"#delen-{WATERSCHAP}-nee").check()
    page.get_by_role("button", name="Save choices").click()
    expect(page.get_by_text("Your choices have been saved.")).to_be_visible()
    expect(
        page.get_by_text("You do not share your details with: Waterschap Voorbeeld.")
    ).to_be_visible()
    assert page.locator(f"#delen-{WATERSCHAP}-nee").is_checked()
    assert page.locator(f"#delen-{GEMEENTE}-ja").is_checked()
    check_page(page, "voorkeuren-delen-opgeslagen")
    page.get_by_role("link", name="Back to My preferences").click()
    expect(_card(page, WATERSCHAP)).to_contain_text(
        "You do not share your details with this organisation."
    )
    expect(_card(page, GEMEENTE)).not_to_contain_text("You do not share")


def test_a_value_the_api_refuses_is_shown_at_its_field_and_nothing_changes(page: Any) -> None:
    log_in(page, bsn=random_test_bsn())
    page.goto("/voorkeuren")
    page.locator("#correspondentie-post").check()
    page.locator("#taal").select_option("de")
    page.get_by_role("button", name="Standaardvoorkeuren opslaan").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # No choice of the form is wrong: this one is made in the page, as a crafted post would be
    # (with the page's own CSRF token and version).
    page.evaluate(
        "() => { const s = document.querySelector('#taal');"
        " s.add(new Option('xx', 'xx', true, true)); }"
    )
    page.locator("#correspondentie-digitaal").check()
    page.get_by_role("button", name="Save default preferences").click()
    error = page.locator("#taal-fout")
    expect(error).to_have_text("geen ISO 639-1 taalcode van twee letters")
    expect(page.locator("#taal")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#taal")).to_have_attribute("aria-describedby", "taal-fout")
    # The person's choices stay on the form.
    assert page.locator("#correspondentie-digitaal").is_checked()
    assert page.locator("#taal").input_value() == "xx"
    expect(page.get_by_role("alert")).to_contain_text("geen ISO 639-1 taalcode")
    check_page(page, "voorkeuren-fout-taal")

    # And the profile is as it was.
    page.goto("/voorkeuren")
    assert page.locator("#taal").input_value() == "de"
    assert page.locator("#correspondentie-post").is_checked()


def test_a_branch_representative_changes_the_branch_and_the_company_sees_it(page: Any) -> None:
    log_in(page, kvk_nummer="69599084", vestigingsnummer="000038509520")
    page.goto("/voorkeuren")
    notice = "U wijzigt de voorkeuren van vestiging Test EMZ Nevenvestiging Govert"
    expect(page.get_by_text(notice)).to_be_visible()
    check_page(page, "voorkeuren-vestiging")
    page.locator("#correspondentie-post").check()
    page.get_by_role("button", name="Standaardvoorkeuren opslaan").click()
    expect(page.get_by_text("Uw voorkeuren zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_text(notice)).to_be_visible()
    assert page.locator("#correspondentie-post").is_checked()
    check_page(page, "voorkeuren-vestiging-opgeslagen")

    # The whole company: the branch's level, read only.
    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, kvk_nummer="69599084")
    page.goto("/voorkeuren")
    expect(page.get_by_text("U wijzigt de voorkeuren van de hele onderneming.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Test EMZ Nevenvestiging Govert"))
    expect(row).to_contain_text("Op papier, per post")
    # The company's own default is not the branch's.
    assert not page.locator("#correspondentie-post").is_checked()
    check_page(page, "voorkeuren-onderneming")
