"""The portal in a real browser: Debian's Chromium, driven by Playwright (no browser download),
against the whole local stack as `make run` starts it.

Every page a journey visits is checked by axe-core (WCAG 2.1 A and AA: 0 violations) and kept
as a screenshot in ``.artefacts/portal/``. Where no Chromium is installed, these tests skip and
say how to install it; CI installs it first (.ci/run).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.local.notify import last_code
from tests.running_stack import PROFIEL, REPOSITORY, RunningStack, start, stop
from tests.support import ApiClient

CHROMIUM = (
    os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
INSTALL_HINT = (
    "The portal's browser tests need Chromium: `sudo apt-get install chromium` (Debian, "
    "Ubuntu), or set CHROMIUM=/path/to/chromium."
)
AXE = REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"
ARTEFACTS = REPOSITORY / ".artefacts" / "portal"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# As Debian's Chromium runs here: the machine's closed network refuses Google's background
# connections, and CI runs as root.
CHROMIUM_ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    if not CHROMIUM:
        pytest.skip(INSTALL_HINT)
    running = start(tmp_path_factory.mktemp("portal"), "portal")
    yield running
    if stop(running) != 0:
        running.process.kill()


@pytest.fixture(scope="module")
def browser(stack: RunningStack) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGUMENTS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, stack: RunningStack) -> Iterator[Any]:
    context = browser.new_context(base_url=stack.portal_url, locale="nl-NL")
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def check_page(page: Any, name: str) -> None:
    """axe-core on the page as it is now (0 WCAG 2.1 AA violations), and its screenshot."""
    # Evaluated through the DevTools protocol: the portal's CSP forbids every script, as it
    # should, and stays on for the test.
    page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate(
        "async tags => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_21_AA,
    )
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
    assert violations == [], f"{name}: {json.dumps(violations, indent=1)}"


def log_in(
    page: Any,
    *,
    bsn: str | None = None,
    kvk_nummer: str | None = None,
    vestigingsnummer: str | None = None,
    eidas: str | None = None,
    check_as: str | None = None,
) -> None:
    """From the home page through the development IdP's test login page back to the portal;
    ``check_as``: also check the login page (axe, screenshot) under that name."""
    page.goto("/")
    page.get_by_role("link", name=re.compile("^(Inloggen|Log in)$")).click()
    page.wait_for_url(re.compile(r"/dev-idp/authorize"))
    if check_as:
        check_page(page, check_as)
    if bsn is not None:
        page.locator("#digid [name=bsn]").fill(bsn)
        page.get_by_role("button", name="Inloggen met DigiD").click()
    elif kvk_nummer is not None:
        page.locator("#eherkenning [name=kvk_nummer]").fill(kvk_nummer)
        if vestigingsnummer:
            page.locator("#eherkenning [name=vestigingsnummer]").fill(vestigingsnummer)
        page.get_by_role("button", name="Inloggen met eHerkenning").click()
    else:
        page.locator("#eidas [name=eidas]").fill(eidas or "")
        page.get_by_role("button", name="Inloggen met eIDAS").click()
    page.wait_for_url(re.compile(r"/gegevens$"))


def code_sent_to(stack: RunningStack, address: str) -> str:
    """The code the NotifyNL stand-in shows for ``address`` (as a person reads it there)."""
    code = last_code(f"http://127.0.0.1:{stack.notify_port}", address)
    assert code is not None, f"no code was sent to {address}"
    return code


def artefact(name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS / name


def token(stack: RunningStack, *who: str) -> str:
    """A token of the running stack's development IdP, as ``profiel token`` prints it."""
    printed = subprocess.run(
        [str(PROFIEL), "token", *who],
        cwd=REPOSITORY,
        env=stack.environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return printed.stdout.strip()


def person_api(stack: RunningStack, bsn: str) -> ApiClient:
    """The API as another client of the same person (another window, another portal)."""
    return ApiClient(f"{stack.base_url}/api/profiel/v1", token(stack, "--bsn", bsn))
