"""What the portal owes the person as a relying party, checked in the browser: the tokens stay
on the server, every form needs its CSRF token, logging out ends the session on the server, and
no page can run a script."""

from __future__ import annotations

import re
from typing import Any

import requests

from portal.app import COOKIE_NAME
from tests.browser.conftest import check_page, log_in
from tests.running_stack import RunningStack
from tests.support import random_test_bsn

# A JWT (header.payload.): what an access or ID token looks like in any text.
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.")
PAGES = ("/gegevens", "/voorkeuren", "/inzage", "/rechten")


def _session_cookie(page: Any) -> dict:
    return next(c for c in page.context.cookies() if c["name"] == COOKIE_NAME)


def test_the_home_page_is_accessible_and_offers_the_login(page: Any) -> None:
    page.goto("/")
    assert page.get_by_role("link", name="Inloggen").is_visible()
    check_page(page, "start")


def test_no_token_is_in_a_page_or_readable_by_its_script(page: Any) -> None:
    log_in(page, bsn=random_test_bsn())
    cookie = _session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    # Only a random id: nothing in it to decode.
    assert not JWT.search(cookie["value"]) and "." not in cookie["value"]
    for path in PAGES:
        page.goto(path)
        assert page.url.endswith(path)
        assert not JWT.search(page.content()), path
        assert page.evaluate("document.cookie") == ""
        assert page.evaluate("localStorage.length + sessionStorage.length") == 0


def test_every_page_forbids_scripts(page: Any, stack: RunningStack) -> None:
    for path in ("/", *PAGES):
        answer = requests.get(stack.portal_url + path, timeout=10, allow_redirects=False)
        policy = answer.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy
        assert "frame-ancestors 'none'" in policy
        assert answer.headers["Cache-Control"] == "no-store"


def test_a_form_posted_without_its_csrf_token_is_refused(page: Any) -> None:
    log_in(page, bsn=random_test_bsn())
    without = page.request.post("/uitloggen", max_redirects=0)
    assert without.status == 400
    forged = page.request.post("/uitloggen", form={"csrf_token": "vervalst"}, max_redirects=0)
    assert forged.status == 400
    # Refused, not obeyed: still logged in.
    page.goto("/gegevens")
    assert page.url.endswith("/gegevens")


def test_after_logout_the_session_cookie_no_longer_works(page: Any, stack: RunningStack) -> None:
    log_in(page, bsn=random_test_bsn())
    stolen = _session_cookie(page)["value"]
    replayed = requests.get(
        stack.portal_url + "/gegevens",
        cookies={COOKIE_NAME: stolen},
        allow_redirects=False,
        timeout=10,
    )
    assert replayed.status_code == 200  # the cookie works while the session lasts
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(re.compile(r"/\?uitgelogd=1$"))
    check_page(page, "uitgelogd")
    after = requests.get(
        stack.portal_url + "/gegevens",
        cookies={COOKIE_NAME: stolen},
        allow_redirects=False,
        timeout=10,
    )
    assert after.status_code == 302 and after.headers["Location"].endswith("/inloggen")


def test_a_login_answer_the_portal_did_not_ask_for_is_refused(page: Any) -> None:
    page.goto("/")
    answer = page.request.get("/inloggen/terug?code=verzonnen&state=verzonnen", max_redirects=0)
    assert answer.status == 400
    page.goto("/gegevens")
    assert "/dev-idp/authorize" in page.url  # not logged in
