"""The portal's parts that need no browser: its texts, what it makes of the API's problems, who
logged in, where it may send the browser back to, and how an API message is marked Dutch."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from flask import render_template_string, session

from portal.api import PROBLEM_TYPE_BASE, Dutch, _problem
from portal.app import create_app
from portal.config import PortalConfig
from portal.session import safe_return_path, soort_of
from portal.texts import CATALOGUE

PORTAL = Path(__file__).resolve().parents[2] / "portal"
# A literal key handed to t(...), text(...) or a page's own shorthand for it; a key built at
# run time ("who." + soort) is left to the browser tests, which render every kind.
USED_KEY = re.compile(
    r"""\b(?:t|text|_t|_say|error_page)\(\s*["']([a-z0-9_-]+(?:\.[a-z0-9_-]+)+)["']\s*[,)]"""
)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_text_is_there_in_dutch_and_english_with_the_same_blanks(key: str) -> None:
    dutch, english = CATALOGUE[key]
    assert dutch.strip() and english.strip()
    assert _placeholders(dutch) == _placeholders(english)


def test_every_text_a_page_asks_for_is_in_the_catalogue() -> None:
    used = {
        (path.relative_to(PORTAL), key)
        for path in [*PORTAL.rglob("*.html"), *PORTAL.rglob("*.py")]
        for key in USED_KEY.findall(path.read_text(encoding="utf-8"))
    }
    assert len(used) > 100  # the pattern still finds what the pages use
    assert sorted((str(path), key) for path, key in used if key not in CATALOGUE) == []


def test_an_api_problem_keeps_each_fields_message_and_its_type() -> None:
    problem = _problem(
        400,
        {
            "type": PROBLEM_TYPE_BASE + "ongeldige-invoer",
            "title": "Ongeldige invoer",
            "detail": "De invoer klopt niet voor: adres.",
            "invalidParams": [
                {"name": "adres", "code": "value_error", "reason": "geen geldig e-mailadres"},
                {"name": "adres", "code": "other", "reason": "een tweede melding"},
            ],
        },
        None,
    )
    assert problem.fields == {"adres": "geen geldig e-mailadres"}  # one message per field
    assert problem.is_a("ongeldige-invoer") and not problem.is_a("code-onjuist")
    assert isinstance(problem.fields["adres"], Dutch) and isinstance(problem.detail, Dutch)
    # What the person typed may be in a problem: never in its string form (logs).
    assert str(problem) == "API problem 400"


def test_a_problem_without_a_body_is_still_a_problem() -> None:
    problem = _problem(503, None, "30")
    assert (problem.status, problem.fields, problem.retry_after) == (503, {}, "30")
    assert problem.type == "about:blank"


@pytest.mark.parametrize(
    ("claims", "soort"),
    [
        ({"sub": "999993653", "sub_id_type": "urn:nl-eid-gdi:1.0:id:BSN"}, "burger"),
        ({"sub": "DE/NL/A1B2", "sub_id_type": "urn:nl-eid-gdi:1.0:id:EIDAS"}, "eidas"),
        (
            {"represents": {"sub": "69599084", "sub_id_type": "urn:nl-eid-gdi:1.0:id:KvKnr"}},
            "ondernemer",
        ),
        (
            {
                "represents": {
                    "sub": "69599084",
                    "sub_id_type": "urn:nl-eid-gdi:1.0:id:KvKnr",
                    "vestigingsnummer": "000038509520",
                }
            },
            "vestiging",
        ),
    ],
)
def test_the_kind_of_login_comes_from_the_id_token(claims: dict, soort: str) -> None:
    assert soort_of(claims) == soort


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/voorkeuren", "/voorkeuren"),
        ("/inzage?vanaf=x", "/inzage?vanaf=x"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_the_language_switch_sends_back_only_to_a_page_of_the_portal(
    target: str | None, expected: str
) -> None:
    assert safe_return_path(target) == expected


@pytest.mark.parametrize(("taal", "marked"), [("en", True), ("nl", False)])
def test_an_api_message_on_a_page_in_another_language_is_marked_dutch(
    taal: str, marked: bool
) -> None:
    config = PortalConfig("http://api", "http://idp", "c", "s", "k" * 32, "http://portal")
    app = create_app(config)
    with app.test_request_context("/gegevens"):
        session["taal"] = taal
        html = render_template_string(
            '{% from "macros.html" import textbox %}'
            '{{ textbox("adres", "Address", "x", {"adres": message}) }}'
            '{{ textbox("naam", "Name", "y", {"naam": own}) }}',
            message=Dutch("geen geldig e-mailadres"),
            own="The portal's own words",
        )
    assert ('id="adres-fout" lang="nl"' in html) is marked
    assert 'id="naam-fout">' in html  # the portal's own text is in the page's language


@pytest.mark.parametrize(
    ("accept", "soort", "taal", "expected"),
    [
        ("en-GB,en;q=0.9", "burger", None, "en"),
        ("nl-NL", "eidas", None, "nl"),
        ("de-DE,de;q=0.9", "eidas", None, "en"),
        ("de-DE,de;q=0.9", "burger", None, "nl"),
        ("en-GB", "burger", "nl", "nl"),  # the profile's taal, or a switch by hand, decides
    ],
)
def test_the_page_language_before_the_person_chose_one(
    accept: str, soort: str, taal: str | None, expected: str
) -> None:
    from portal.session import language

    config = PortalConfig("http://api", "http://idp", "c", "s", "k" * 32, "http://portal")
    app = create_app(config)
    with app.test_request_context("/", headers={"Accept-Language": accept}):
        session["soort"] = soort
        if taal:
            session["taal"] = taal
        assert language() == expected


@pytest.mark.parametrize(
    ("public_url", "secure"),
    [("https://portaal.example.nl", True), ("http://127.0.0.1:8083", False)],
)
def test_the_session_cookie_is_secure_where_the_portal_is_served_over_tls(
    public_url: str, secure: bool
) -> None:
    config = PortalConfig("http://api", "http://idp", "c", "s", "k" * 32, public_url)
    client = create_app(config).test_client()
    with client.session_transaction() as stored:
        stored["taal"] = "en"
    cookie = client.get_cookie("portaal_sessie")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    assert cookie.secure is secure
    # The cookie is the session's random id, nothing of what the session holds.
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,}", cookie.value)
