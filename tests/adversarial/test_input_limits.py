"""Hostile input through HTTP, as the owner with a valid If-Match: sizes, nesting, media types,
encodings, unicode in text fields, numbers, and bodies of the wrong shape.

Every refusal is a 4xx RFC 9457 problem (never a 5xx, never a stack trace) and stores nothing:
the profile's ETag and content are the same afterwards. What is accepted is stored normalised.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from infra.local.dev_idp import DevIdentityProvider
from shared.http.entrypoints import STANDARD_HEADERS
from tests.support import ApiClient, random_test_bsn, raw_http_exchange

KB = 1024
MAX_BODY_BYTES = 64 * KB

CONTACT = "/profiel/contactgegevens/{id}"
POSTADRES = "/profiel/postadres"
VOORKEUREN = "/profiel/voorkeuren"

# An address the BAG (its stand-in) has.
BASE_POSTADRES = {
    "soort": "nederlands",
    "straat": "Boterdiep",
    "huisnummer": 31,
    "postcode": "3077 AW",
    "woonplaats": "Rotterdam",
}
RAW = "\x00RAW\x00"  # placeholder for a JSON value spliced in as written


def splice(document: dict, raw: str) -> bytes:
    """``document`` as JSON with the value ``RAW`` replaced by ``raw``, exactly as written."""
    text = json.dumps(document)
    placeholder = json.dumps(RAW)
    assert text.count(placeholder) == 1
    return text.replace(placeholder, raw).encode()


def contact(raw: str) -> bytes:
    return splice({"omschrijving": RAW}, raw)


def postadres(field: str, raw: str) -> bytes:
    return splice({**BASE_POSTADRES, field: RAW}, raw)


def buitenlands(field: str, raw: str) -> bytes:
    """A foreign address: its lines are stored as written (a Dutch one's street is the BAG's)."""
    foreign = {"soort": "buitenlands", "adresregel1": "Rue de la Loi 16", "land": "BE"}
    return splice({**foreign, field: RAW}, raw)


def literal(text: str) -> str:
    """A JSON string literal of ``text`` with non-ASCII escaped (surrogate pairs for astral)."""
    return json.dumps(text, ensure_ascii=True)


LONG = "Lange-naam-" * 910  # 10 010 characters
ZALGO = "a" + "\u0301\u0302\u0303\u0304" * 30  # one letter, 120 combining marks


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    body: bytes | None
    expected: frozenset[int]
    content_type: str | None = "application/json"
    # A 400 must name this field in invalidParams.
    field: str | None = None
    # When accepted: the stored value of the text field, as it must read back.
    stored: str | None = None
    chunked: bool = False
    # Sent, and never to be echoed back in an answer.
    secret: str | None = None
    bug: str | None = None


def case(name: str, method: str, path: str, body: bytes | None, *expected: int, **more) -> Case:
    return Case(name, method, path, body, frozenset(expected), **more)


OVERSIZED = json.dumps({"taal": "nl", "opvulling": "x" * (MAX_BODY_BYTES + 4 * KB)}).encode()

CASES: tuple[Case, ...] = (
    # --- size ---------------------------------------------------------------------------------
    case("oversized-with-content-length", "PATCH", VOORKEUREN, OVERSIZED, 413),
    case("oversized-chunked", "PATCH", VOORKEUREN, OVERSIZED, 413, chunked=True),
    case("oversized-postadres", "PUT", POSTADRES, postadres("straat", literal("x" * 70_000)), 413),
    # --- nesting --------------------------------------------------------------------------------
    case(
        "nested-array-10000",
        "PATCH",
        VOORKEUREN,
        b"[" * 10_000 + b"]" * 10_000,
        400,
    ),
    case(
        "nested-object-10000",
        "PATCH",
        VOORKEUREN,
        b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
        400,
    ),
    case(
        "nested-array-in-a-field-5000",
        "PATCH",
        VOORKEUREN,
        b'{"kanalen":' + b"[" * 5_000 + b"]" * 5_000 + b"}",
        400,
    ),
    case(
        "nested-object-in-a-text-field-5000",
        "PUT",
        POSTADRES,
        postadres("straat", '{"a":' * 5_000 + "1" + "}" * 5_000),
        400,
    ),
    case("nested-array-300", "PATCH", VOORKEUREN, b"[" * 300 + b"]" * 300, 400),
    # --- media types ----------------------------------------------------------------------------
    case("text-plain", "PATCH", VOORKEUREN, b'{"taal": "en"}', 415, content_type="text/plain"),
    case(
        "application-xml",
        "PATCH",
        VOORKEUREN,
        b"<voorkeuren><taal>en</taal></voorkeuren>",
        415,
        content_type="application/xml",
    ),
    case(
        "multipart-form-data",
        "PATCH",
        VOORKEUREN,
        b'--grens\r\nContent-Disposition: form-data; name="taal"\r\n\r\nen\r\n--grens--\r\n',
        415,
        content_type="multipart/form-data; boundary=grens",
    ),
    case(
        "form-urlencoded",
        "PUT",
        POSTADRES,
        b"soort=nederlands&straat=Dorpsstraat&huisnummer=2&postcode=1234AB&woonplaats=Dorp",
        415,
        content_type="application/x-www-form-urlencoded",
    ),
    case("no-content-type", "PATCH", VOORKEUREN, b'{"taal": "en"}', 415, content_type=None),
    # --- encodings ------------------------------------------------------------------------------
    case("invalid-utf8-bytes", "PATCH", VOORKEUREN, b'{"taal": "e\xff\xfen"}', 400),
    case("overlong-utf8", "PATCH", CONTACT, b'{"omschrijving": "Thuis\xc0\xaf"}', 400),
    case("cesu8-surrogate-bytes", "PATCH", CONTACT, b'{"omschrijving": "a\xed\xa0\x80b"}', 400),
    case("utf16-body", "PATCH", VOORKEUREN, '{"taal": "en"}'.encode("utf-16"), 400),
    # --- the body's shape -----------------------------------------------------------------------
    case("body-is-an-array", "PATCH", VOORKEUREN, b'[{"taal": "en"}]', 400),
    case(
        "body-is-an-array-postadres", "PUT", POSTADRES, json.dumps([BASE_POSTADRES]).encode(), 400
    ),
    case("body-is-a-string", "PATCH", CONTACT, b'"Werk"', 400),
    case("body-is-null", "PATCH", VOORKEUREN, b"null", 400),
    case("body-is-empty", "PUT", POSTADRES, b"", 400),
    case("body-is-truncated", "PUT", POSTADRES, json.dumps(BASE_POSTADRES).encode()[:-5], 400),
    # A key sent twice: never "the last one wins" - which one the client meant is unknown.
    case(
        "duplicate-keys",
        "PATCH",
        CONTACT,
        b'{"omschrijving": "Thuis", "omschrijving": "Werk"}',
        400,
        field="omschrijving",
    ),
    case(
        "duplicate-keys-same-value",
        "PATCH",
        CONTACT,
        b'{"omschrijving": "Werk", "omschrijving": "Werk"}',
        400,
        field="omschrijving",
    ),
    case(
        "duplicate-nested-key",
        "PATCH",
        VOORKEUREN,
        b'{"kanalen": {"sms": true, "email": true, "sms": false}}',
        400,
        field="kanalen.sms",
    ),
    case(
        "duplicate-discriminator",
        "PUT",
        POSTADRES,
        json.dumps(BASE_POSTADRES).encode()[:-1] + b', "soort": "buitenlands"}',
        400,
        field="soort",
    ),
    case(
        "duplicate-key-deeply-nested",
        "PATCH",
        VOORKEUREN,
        b'{"kanalen":' + b'{"a":' * 500 + b'{"b":1,"b":2}' + b"}" * 500 + b"}",
        400,
    ),
    case(
        "key-with-a-lone-surrogate",
        "PATCH",
        VOORKEUREN,
        b'{"\\ud800": "en"}',
        400,
    ),
    case(
        "key-with-right-to-left-override",
        "PATCH",
        VOORKEUREN,
        b'{"ta\\u202eal": "en"}',
        400,
    ),
    # --- unicode in text fields -----------------------------------------------------------------
    case(
        "combining-omschrijving",
        "PATCH",
        CONTACT,
        contact(literal("Cafe\u0301 werk")),
        200,
        field="omschrijving",
        stored="Caf\u00e9 werk",
    ),
    case(
        "combining-adresregel",
        "PUT",
        POSTADRES,
        buitenlands("adresregel1", literal("Ko\u0308nigsallee 1")),
        200,
        field="adresregel1",
        stored="K\u00f6nigsallee 1",
    ),
    case(
        "combining-adresregel-without-precomposed-form",
        "PUT",
        POSTADRES,
        buitenlands("adresregel2", literal("Qu\u0307e\u0301\u0323bec")),
        200,
        field="adresregel2",
        stored="Qu\u0307\u1eb9\u0301bec",
    ),
    case(
        "zalgo-omschrijving", "PATCH", CONTACT, contact(literal(ZALGO)), 400, field="omschrijving"
    ),
    case(
        "rtl-override-omschrijving",
        "PATCH",
        CONTACT,
        contact(literal("Werk\u202eblah")),
        400,
        field="omschrijving",
    ),
    case(
        "rtl-override-straat",
        "PUT",
        POSTADRES,
        postadres("straat", literal("Dorps\u202etaarts")),
        400,
        field="straat",
    ),
    case(
        "rtl-override-woonplaats",
        "PUT",
        POSTADRES,
        postadres("woonplaats", literal("\u202eprod snO")),
        400,
        field="woonplaats",
    ),
    case(
        "zero-width-joiner-omschrijving",
        "PATCH",
        CONTACT,
        contact(literal("We\u200drk")),
        400,
        field="omschrijving",
    ),
    case(
        "zero-width-space-straat",
        "PUT",
        POSTADRES,
        postadres("straat", literal("Dorps\u200bstraat")),
        400,
        field="straat",
    ),
    case(
        "zero-width-space-woonplaats",
        "PUT",
        POSTADRES,
        postadres("woonplaats", literal("Ons\u200bDorp")),
        400,
        field="woonplaats",
    ),
    case(
        "byte-order-mark-inside-text",
        "PATCH",
        CONTACT,
        contact(literal("Wer\ufeffk")),
        400,
        field="omschrijving",
    ),
    case(
        "lone-surrogate-omschrijving",
        "PATCH",
        CONTACT,
        contact('"Werk \\ud800"'),
        400,
    ),
    case(
        "lone-low-surrogate-straat",
        "PUT",
        POSTADRES,
        postadres("straat", '"\\udc00Dorpsstraat"'),
        400,
    ),
    case("nul-omschrijving", "PATCH", CONTACT, contact('"We\\u0000rk"'), 400, field="omschrijving"),
    case("nul-woonplaats", "PUT", POSTADRES, postadres("woonplaats", '"Ons\\u0000Dorp"'), 400),
    case(
        "newline-inside-straat",
        "PUT",
        POSTADRES,
        postadres("straat", literal("Dorps\nstraat")),
        400,
        field="straat",
    ),
    case(
        "private-use-omschrijving",
        "PATCH",
        CONTACT,
        contact(literal("Werk\ue000")),
        400,
        field="omschrijving",
    ),
    case(
        "unassigned-code-point-straat",
        "PUT",
        POSTADRES,
        postadres("straat", literal("Dorps\u0378straat")),
        400,
        field="straat",
    ),
    case(
        "emoji-omschrijving",
        "PATCH",
        CONTACT,
        contact(literal("Werk \U0001f600")),
        200,
        400,
        stored="Werk \U0001f600",
    ),
    case(
        "emoji-zwj-sequence-omschrijving",
        "PATCH",
        CONTACT,
        contact(literal("Gezin \U0001f468\u200d\U0001f469\u200d\U0001f467")),
        200,
        400,
    ),
    case(
        "whitespace-only-omschrijving",
        "PATCH",
        CONTACT,
        contact(literal("   \u3000 ")),
        400,
        field="omschrijving",
    ),
    case(
        "very-long-omschrijving",
        "PATCH",
        CONTACT,
        contact(literal(LONG)),
        400,
        field="omschrijving",
        secret=LONG[:200],
    ),
    case(
        "very-long-straat",
        "PUT",
        POSTADRES,
        postadres("straat", literal(LONG)),
        400,
        field="straat",
        secret=LONG[:200],
    ),
    case(
        "very-long-woonplaats",
        "PUT",
        POSTADRES,
        postadres("woonplaats", literal(LONG)),
        400,
        field="woonplaats",
        secret=LONG[:200],
    ),
    case("number-as-omschrijving", "PATCH", CONTACT, contact("12345"), 400, field="omschrijving"),
    case(
        "one-as-isStandaardAdres",
        "PATCH",
        CONTACT,
        b'{"isStandaardAdres": 1}',
        400,
        field="isStandaardAdres",
    ),
    # --- numbers --------------------------------------------------------------------------------
    case(
        "huisnummer-as-string",
        "PUT",
        POSTADRES,
        postadres("huisnummer", '"12"'),
        400,
        field="huisnummer",
    ),
    case(
        "huisnummer-as-boolean",
        "PUT",
        POSTADRES,
        postadres("huisnummer", "true"),
        400,
        field="huisnummer",
    ),
    case(
        "huisnummer-as-fraction",
        "PUT",
        POSTADRES,
        postadres("huisnummer", "12.5"),
        400,
        field="huisnummer",
    ),
    case(
        "huisnummer-10-to-the-100",
        "PUT",
        POSTADRES,
        postadres("huisnummer", str(10**100)),
        400,
        field="huisnummer",
    ),
    # Beyond what the JSON parser reads as a number: a 400 for the body as a whole.
    case("huisnummer-5000-digits", "PUT", POSTADRES, postadres("huisnummer", "9" * 5_000), 400),
    case(
        "huisnummer-negative-5000-digits",
        "PUT",
        POSTADRES,
        postadres("huisnummer", "-" + "9" * 5_000),
        400,
    ),
    # Around Python's limit on int-to-str conversion (4300 digits).
    case(
        "huisnummer-4000-digits",
        "PUT",
        POSTADRES,
        postadres("huisnummer", "9" * 4_000),
        400,
    ),
    case(
        "huisnummer-4400-digits",
        "PUT",
        POSTADRES,
        postadres("huisnummer", "9" * 4_400),
        400,
    ),
    case(
        "omschrijving-a-4400-digit-number",
        "PATCH",
        CONTACT,
        contact("9" * 4_400),
        400,
    ),
    case(
        "huisnummer-float-overflow",
        "PUT",
        POSTADRES,
        postadres("huisnummer", "1e400"),
        400,
        field="huisnummer",
    ),
    case(
        "huisnummer-nan",
        "PUT",
        POSTADRES,
        postadres("huisnummer", "NaN"),
        400,
    ),
    case(
        "huisnummer-zero",
        "PUT",
        POSTADRES,
        postadres("huisnummer", "0"),
        400,
        field="huisnummer",
    ),
)


@dataclass
class Owner:
    client: ApiClient
    contactgegeven_id: str

    def state(self) -> tuple[str, dict]:
        response = self.client.read()
        assert response.status_code == 200, response.text
        return response.headers["ETag"], response.json()


@pytest.fixture(scope="module")
def owner(api_url: str, idp: DevIdentityProvider) -> Owner:
    client = ApiClient(api_url, idp.burger_token(random_test_bsn()))
    email = f"invoer.{uuid.uuid4().hex[:10]}@example.nl"
    added = client.change(
        "POST", "/profiel/contactgegevens", {"soortDigitaalAdres": "email", "adres": email}
    )
    assert added.status_code == 201, added.text
    assert client.change("PUT", POSTADRES, BASE_POSTADRES).status_code == 200
    return Owner(client, added.json()["contactgegevens"][0]["id"])


def _chunks(body: bytes) -> Iterator[bytes]:
    for start in range(0, len(body), 8 * KB):
        yield body[start : start + 8 * KB]


def params() -> list:
    return [
        pytest.param(c, id=c.name, marks=[pytest.mark.xfail(strict=True, reason=c.bug)])
        if c.bug
        else pytest.param(c, id=c.name)
        for c in CASES
    ]


def test_case_count(capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(f"\n[input limits] {len(CASES)} cases")
    assert len(CASES) >= 40


@pytest.mark.parametrize("c", params())
def test_hostile_input(c: Case, owner: Owner) -> None:
    etag, before = owner.state()
    headers = {"Authorization": f"Bearer {owner.client.token}", "If-Match": etag}
    if c.content_type is not None:
        headers["Content-Type"] = c.content_type
    path = c.path.replace("{id}", owner.contactgegeven_id)
    response = requests.request(
        c.method,
        owner.client.base_url + path,
        data=_chunks(c.body) if c.chunked else c.body,
        headers=headers,
        timeout=30,
    )

    assert response.status_code < 500, f"{response.status_code}: {response.text[:300]}"
    assert "Traceback" not in response.text
    if c.secret:
        assert c.secret not in response.text, "the answer repeats the value sent"
    assert response.status_code in c.expected, response.text[:500]

    if response.status_code >= 400:
        assert response.headers["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == response.status_code
        assert problem["type"].startswith("urn:nl:profielservice:problem:")
        if response.status_code == 400:
            assert problem["type"].endswith(":ongeldige-invoer"), problem
            if c.field:
                names = [p["name"] for p in problem.get("invalidParams", [])]
                assert c.field in names, names
        # Nothing was stored.
        assert owner.state() == (etag, before)
        return

    # Accepted: stored, and as its normalised form.
    changed_etag, after = owner.state()
    assert changed_etag != etag or after == before
    if c.stored is not None:
        if c.path == CONTACT:
            [stored] = [
                cg for cg in after["contactgegevens"] if cg["id"] == owner.contactgegeven_id
            ]
            assert stored["omschrijving"] == c.stored
        else:
            assert after["postadres"][c.field] == c.stored


# --- what the HTTP server refuses itself ------------------------------------------------------


HOST = b"Host: 127.0.0.1\r\n"
GET_PROFIEL = b"GET /api/profiel/v1/profiel HTTP/1.1\r\n"


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        pytest.param(
            GET_PROFIEL + HOST + b"X-Opvulling: " + b"a" * 70 * KB + b"\r\n\r\n",
            431,
            id="a-70-kb-header-line",
        ),
        pytest.param(
            GET_PROFIEL + HOST + b"".join(b"X-Kop-%d: 1\r\n" % n for n in range(150)) + b"\r\n",
            431,
            id="150-headers",
        ),
        pytest.param(
            b"GET /api/profiel/v1/profiel?bsn=999993653 HTTP/1.1 x\r\n\r\n", 400, id="four-words"
        ),
        pytest.param(b"999993653\r\n\r\n", 400, id="one-word"),
        pytest.param(b"GET /api/profiel/v1/profiel HTTP/1.1.1\r\n\r\n", 400, id="bad-version"),
        pytest.param(b"GET /api/profiel/v1/profiel HTTP/2.0\r\n\r\n", 505, id="http-2"),
        pytest.param(b"GET /" + b"a" * 70 * KB + b" HTTP/1.1\r\n\r\n", 414, id="a-70-kb-path"),
    ],
)
def test_what_the_server_refuses_itself_is_a_problem_with_the_standard_headers(
    api_url: str, request_bytes: bytes, status: int
) -> None:
    got, headers, body = raw_http_exchange(api_url, request_bytes)
    assert got == status
    assert headers["Content-Type"] == "application/problem+json"
    assert headers["API-Version"] == STANDARD_HEADERS["API-Version"]
    assert headers["Cache-Control"] == "no-store"
    assert int(headers["Content-Length"]) == len(body)
    problem = json.loads(body)
    assert problem["status"] == status
    assert problem["type"].startswith("urn:nl:profielservice:problem:")
    assert problem["title"] and problem["detail"]
    # Neither http.server's English nor anything of the request.
    for leak in (b"999993653", b"<html", b"error", b"request", b"aaaa"):
        assert leak not in body.lower()
