"""The journeys of the issue, each from the home page in one browser: a burger's whole journey
(log in, add and verify an e-mail address, a preference for one organisation, an organisation's
lookup through the API, the timeline that shows it, the export, erasure), an ondernemer's, and
the burger's first steps by keyboard only. Every page on the way: axe-core, a screenshot."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import requests

from infra.local.demo import DEMO_VESTIGINGSNUMMER, GEMEENTE_OIN, OTHER_BSN, WATERSCHAP_OIN
from portal.texts import text
from tests.browser.conftest import check_page, code_sent_to, log_in, token
from tests.running_stack import RunningStack
from tests.support import random_eidas_identificator, random_test_bsn

GEMEENTE = "Gemeente Voorbeeldstad"


def nl(key: str, **values: object) -> str:
    return text(key, "nl", **values)


def _menu(page: Any, key: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=nl(key)).click()


def _organisation_looks_up(stack: RunningStack, bsn: str) -> dict:
    answer = requests.post(
        f"{stack.base_url}/api/profiel/v1/opvragingen",
        headers={"Authorization": f"Bearer {token(stack, '--oin', GEMEENTE_OIN)}"},
        json={"doel": "notificatie", "betrokkenen": [{"bsn": bsn}]},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["resultaten"][0]


def _profile_of(stack: RunningStack, *who: str) -> dict:
    """The profile as the API has it, read with a token of ``who`` (``--bsn`` …, ``--kvk`` …)."""
    answer = requests.get(
        f"{stack.base_url}/api/profiel/v1/profiel",
        headers={"Authorization": f"Bearer {token(stack, *who)}"},
        timeout=10,
    )
    assert answer.status_code == 200
    return answer.json()


def test_a_burgers_whole_journey(page: Any, stack: RunningStack) -> None:
    bsn, address = random_test_bsn(), "journey@example.nl"
    log_in(page, bsn=bsn, check_as="journey-01-inloggen")
    check_page(page, "journey-02-gegevens-leeg")

    page.get_by_label(nl("contact.add.address")).fill(address)
    page.get_by_role("button", name=nl("contact.add.submit")).click()
    check_page(page, "journey-03-code-gestuurd")
    page.get_by_label(nl("contact.code.label")).fill(code_sent_to(stack, address))
    page.get_by_role("button", name=nl("contact.code.submit.for", adres=address)).click()
    assert page.get_by_text(re.compile(nl("contact.status.geverifieerd"))).first.is_visible()
    check_page(page, "journey-04-bevestigd")

    # Paper post from the water board, digital from everyone else.
    _menu(page, "nav.preferences")
    check_page(page, "journey-05-voorkeuren")
    page.goto(f"/voorkeuren/organisaties/{WATERSCHAP_OIN}")
    check_page(page, "journey-06-voorkeuren-organisatie")
    page.get_by_label(nl("preferences.correspondentie.post")).check()
    page.locator("main form").first.get_by_role("button", name=re.compile("^Opslaan voor")).click()
    assert "/voorkeuren" in page.url
    check_page(page, "journey-07-voorkeur-opgeslagen")
    waterschap = next(
        o
        for o in _profile_of(stack, "--bsn", bsn)["voorkeuren"]["organisaties"]
        if o["oin"] == WATERSCHAP_OIN
    )
    assert waterschap["correspondentie"] == "post"

    # The municipality looks the person up through the API: the verified address, logged.
    found = _organisation_looks_up(stack, bsn)
    assert found["beschikbaar"] and found["gegevens"]["email"] == address

    _menu(page, "nav.inzage")
    timeline = page.locator("main")
    assert timeline.get_by_text(GEMEENTE).first.is_visible()
    check_page(page, "journey-08-inzage")

    _menu(page, "nav.rights")
    check_page(page, "journey-09-rechten")
    with page.expect_download() as download:
        page.get_by_role("link", name=nl("rights.download.button")).click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [c["adres"] for c in exported["profiel"]["contactgegevens"]] == [address]
    assert any(GEMEENTE in json.dumps(entry) for entry in exported["inzage"])
    assert bsn not in download.value.suggested_filename

    page.get_by_role("button", name=nl("rights.erase.start")).click()
    check_page(page, "journey-10-verwijderen-bevestigen")
    page.get_by_label(nl("rights.confirm.check")).check()
    page.get_by_role("button", name=nl("rights.confirm.button")).click()
    check_page(page, "journey-11-verwijderd")
    assert _profile_of(stack, "--bsn", bsn)["contactgegevens"] == []
    assert not _organisation_looks_up(stack, bsn)["beschikbaar"]
    # The Logboek keeps who looked: the inzage still shows the lookup.
    _menu(page, "nav.inzage")
    assert page.locator("main").get_by_text(GEMEENTE).first.is_visible()


def test_an_ondernemers_journey(page: Any, stack: RunningStack) -> None:
    log_in(page, kvk_nummer="69599084", check_as="ondernemer-01-inloggen")
    check_page(page, "ondernemer-02-bedrijf")
    main = page.locator("main")
    assert main.get_by_text(DEMO_VESTIGINGSNUMMER).first.is_visible()

    # A representative of one branch: that branch's own preferences.
    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, kvk_nummer="69599084", vestigingsnummer=DEMO_VESTIGINGSNUMMER)
    check_page(page, "ondernemer-03-vestiging")
    _menu(page, "nav.preferences")
    assert page.locator("main").get_by_text(DEMO_VESTIGINGSNUMMER).first.is_visible()
    check_page(page, "ondernemer-04-vestiging-voorkeuren")
    page.get_by_label(nl("preferences.correspondentie.post")).first.check()
    page.get_by_role("button", name=nl("preferences.default.save")).click()
    check_page(page, "ondernemer-05-vestiging-opgeslagen")
    company = _profile_of(stack, "--kvk", "69599084")
    branch = next(
        v
        for v in company["voorkeuren"]["vestigingen"]
        if v["vestigingsnummer"] == DEMO_VESTIGINGSNUMMER
    )
    assert branch["correspondentie"] == "post"
    assert company["voorkeuren"].get("correspondentie") != "post"  # the company's own: untouched


def test_an_eidas_login_and_a_filled_profile(page: Any) -> None:
    # A European citizen: no Dutch register to show.
    log_in(page, eidas=random_eidas_identificator())
    assert page.get_by_role("heading", name=nl("contact.eidas.title")).is_visible()
    check_page(page, "eidas-gegevens")
    page.get_by_role("button", name="Uitloggen").click()
    # A demo persona with a filled profile: the README's screenshot.
    log_in(page, bsn=OTHER_BSN)
    assert page.get_by_text("f.de.vries@example.nl").first.is_visible()
    check_page(page, "gegevens-demo")


def test_a_keyboard_only_journey(page: Any, stack: RunningStack) -> None:
    """Log in, add an address and confirm it with Tab, typing and Enter alone: every control
    reachable in a sensible order, and the focus always visible."""
    bsn, address = random_test_bsn(), "toetsenbord@example.nl"
    page.goto("/")
    _tab_to(page, "A", "Naar de inhoud")  # the skip link comes first
    _tab_to(page, "A", nl("home.login"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dev-idp/authorize"))
    _tab_to(page, "INPUT", None, name="bsn")
    page.keyboard.type(bsn)
    _tab_to(page, "BUTTON", "Inloggen met DigiD")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/gegevens$"))

    _tab_to(page, "INPUT", None, name="adres")
    page.keyboard.type(address)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits its own form
    _tab_to(page, "INPUT", None, name="code")
    page.keyboard.type(code_sent_to(stack, address))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text(re.compile(nl("contact.status.geverifieerd"))).first.is_visible()
    check_page(page, "toetsenbord-bevestigd")


def _tab_to(page: Any, tag: str, label: str | None, name: str | None = None) -> None:
    """Press Tab until the focus is on that control (at most 60 times), and check that the
    focused control shows it: a visible outline."""
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                return {tag: e.tagName, text: (e.innerText || e.value || '').trim(),
                        name: e.getAttribute('name'),
                        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
                                 || s.boxShadow !== 'none'}; }"""
        )
        if focused["tag"] != tag:
            continue
        if (label is None or focused["text"] == label) and (
            name is None or focused["name"] == name
        ):
            assert focused["outline"], f"no visible focus on {tag} {label or name}"
            return
    raise AssertionError(f"{tag} {label or name} cannot be reached with Tab")
