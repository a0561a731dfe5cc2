"""The owner's profile API over HTTP: local gateway -> Lambda entry -> moto server over HTTP."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from functions.registry import BASE_PATH, FUNCTIONS, Toegang
from tests.support import PERSONAL_DATA, ApiClient, random_kvk_nummer, random_test_bsn

EMAIL = {"soortDigitaalAdres": "email", "adres": "jan.jansen@example.nl"}
# Open to anyone by design: the API's own description.
PUBLIC_ROUTES = {"GET /openapi.json"}
TELEFOON = {"soortDigitaalAdres": "telefoonnummer", "adres": "06 12345678"}
# An address the BAG (its stand-in) has, as a form sends it: straat and woonplaats come from there.
POSTADRES = {"soort": "nederlands", "huisnummer": 20, "huisletter": "b", "postcode": "3089kg"}


def problem(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    assert "Traceback" not in response.text
    return body


def test_a_new_profile_is_empty_at_version_0(burger: ApiClient) -> None:
    response = burger.read()
    assert response.status_code == 200
    assert response.json() == {
        "contactgegevens": [],
        "postadres": None,
        "voorkeuren": {
            "correspondentie": None,
            "kanalen": dict.fromkeys(("email", "sms", "berichtenbox", "portaal", "post")),
            "voorkeursadressen": {"email": None, "telefoonnummer": None},
            "taal": None,
            "weergave": {"aanhef": None, "thema": None, "lettergrootte": None},
            "organisaties": [],
            "vestigingen": [],
        },
        "contactnaam": None,
        # A random test BSN: the BRP (its stand-in) does not know it.
        "registratie": {
            "bron": "brp",
            "beschikbaar": True,
            "ingeschreven": False,
            "bijgehouden": True,
        },
        "delen": {"geweigerd": [], "alleenMet": None},
    }
    assert response.headers["ETag"] == '"0"'


def test_the_guide_flow_changes_and_reads_back_with_new_etags(burger: ApiClient) -> None:
    burger.read()
    added = burger.change("POST", "/profiel/contactgegevens", EMAIL)
    assert added.status_code == 201
    assert added.headers["ETag"] == '"1"'
    email = added.json()["contactgegevens"][0]
    assert email["adres"] == "jan.jansen@example.nl"
    assert email["isStandaardAdres"] is True
    assert email["verificatieDatum"] is None
    location = added.headers["Location"]
    assert location.endswith(f"/profiel/contactgegevens/{email['id']}")

    telefoon = burger.change("POST", "/profiel/contactgegevens", TELEFOON)
    assert telefoon.status_code == 201
    assert telefoon.json()["contactgegevens"][1]["adres"] == "+31612345678"  # E.164
    assert burger.change("PUT", "/profiel/postadres", POSTADRES).status_code == 200
    assert (
        burger.change("PATCH", "/profiel/voorkeuren", {"correspondentie": "digitaal"}).status_code
        == 200
    )

    read = burger.read()
    assert read.headers["ETag"] == '"4"'
    body = read.json()
    assert [c["soortDigitaalAdres"] for c in body["contactgegevens"]] == ["email", "telefoonnummer"]
    assert body["postadres"] == {
        "soort": "nederlands",
        "straat": "Eemhavenweg",
        "huisnummer": 20,
        "huisletter": "B",
        "huisnummertoevoeging": None,
        "postcode": "3089 KG",
        "woonplaats": "Rotterdam",
        "nummeraanduidingIdentificatie": "0599200100011881",
        "gecontroleerdOp": body["postadres"]["gecontroleerdOp"],
    }
    assert body["voorkeuren"]["correspondentie"] == "digitaal"

    one = burger.request("GET", location.split("/api/profiel/v1")[1])
    assert one.status_code == 200
    assert one.json() == email


def test_change_and_remove_a_contactgegeven(burger: ApiClient) -> None:
    first = burger.change("POST", "/profiel/contactgegevens", EMAIL).json()["contactgegevens"][0]
    second = burger.change(
        "POST",
        "/profiel/contactgegevens",
        {"soortDigitaalAdres": "email", "adres": "werk@example.nl"},
    ).json()["contactgegevens"][1]
    assert second["isStandaardAdres"] is False

    changed = burger.change(
        "PATCH",
        f"/profiel/contactgegevens/{second['id']}",
        {"isStandaardAdres": True, "omschrijving": "Werk"},
    )
    assert changed.status_code == 200
    by_id = {c["id"]: c for c in changed.json()["contactgegevens"]}
    assert by_id[second["id"]]["isStandaardAdres"] is True
    assert by_id[second["id"]]["omschrijving"] == "Werk"
    assert by_id[first["id"]]["isStandaardAdres"] is False

    removed = burger.change("DELETE", f"/profiel/contactgegevens/{second['id']}")
    assert removed.status_code == 200
    remaining = removed.json()["contactgegevens"]
    assert [c["id"] for c in remaining] == [first["id"]]
    assert remaining[0]["isStandaardAdres"] is True  # the next one took over

    problem(burger.change("DELETE", f"/profiel/contactgegevens/{second['id']}"), 404)
    malformed = problem(burger.change("DELETE", "/profiel/contactgegevens/not-a-uuid"), 400)
    assert [p["name"] for p in malformed["invalidParams"]] == ["contactgegevenId"]
    unquoted = problem(
        burger.request("DELETE", f"/profiel/contactgegevens/{first['id']}", If_Match="1"), 400
    )
    assert [p["name"] for p in unquoted["invalidParams"]] == ["If-Match"]
    assert [c["id"] for c in burger.read().json()["contactgegevens"]] == [first["id"]]


def test_postadres_buitenland_and_removal(burger: ApiClient) -> None:
    buitenland = {"soort": "buitenlands", "adresregel1": "Rue de la Loi 16", "land": "be"}
    response = burger.change("PUT", "/profiel/postadres", buitenland)
    assert response.status_code == 200
    assert response.json()["postadres"]["land"] == "BE"
    assert burger.change("DELETE", "/profiel/postadres").json()["postadres"] is None
    problem(burger.change("DELETE", "/profiel/postadres"), 404)


def test_a_change_without_if_match_is_refused_with_428(burger: ApiClient) -> None:
    body = problem(burger.request("POST", "/profiel/contactgegevens", EMAIL), 428)
    assert "If-Match" in body["detail"]
    assert burger.read().json()["contactgegevens"] == []


def test_a_stale_if_match_is_refused_with_412_and_changes_nothing(burger: ApiClient) -> None:
    burger.change("POST", "/profiel/contactgegevens", EMAIL)
    stale = '"0"'
    problem(
        burger.request("PATCH", "/profiel/voorkeuren", {"correspondentie": "post"}, If_Match=stale),
        412,
    )
    problem(
        burger.request(
            "PATCH", "/profiel/voorkeuren", {"correspondentie": "post"}, If_Match='W/"1"'
        ),
        412,
    )
    read = burger.read()
    assert read.headers["ETag"] == '"1"'
    assert read.json()["voorkeuren"]["correspondentie"] is None


def test_if_match_star_needs_an_existing_profile(burger: ApiClient) -> None:
    problem(burger.request("PUT", "/profiel/postadres", POSTADRES, If_Match="*"), 412)
    burger.change("POST", "/profiel/contactgegevens", EMAIL)
    assert burger.request("PUT", "/profiel/postadres", POSTADRES, If_Match="*").status_code == 200


def test_of_two_changes_on_the_same_version_exactly_one_wins(api_url: str, idp) -> None:
    token = idp.burger_token(random_test_bsn())
    first, second = ApiClient(api_url, token), ApiClient(api_url, token)
    first.read(), second.read()
    bodies = [{"correspondentie": "post"}, {"correspondentie": "digitaal"}]
    with ThreadPoolExecutor(2) as pool:
        results = list(
            pool.map(
                lambda pair: pair[0].change("PATCH", "/profiel/voorkeuren", pair[1]),
                zip((first, second), bodies, strict=True),
            )
        )
    assert sorted(r.status_code for r in results) == [200, 412]
    winner = next(r for r in results if r.status_code == 200).json()["voorkeuren"]
    assert first.read().json()["voorkeuren"] == winner


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/profiel/contactgegevens",
            {"soortDigitaalAdres": "email", "adres": "geen-adres"},
            "adres",
        ),
        (
            "/profiel/contactgegevens",
            {"soortDigitaalAdres": "telefoonnummer", "adres": "12"},
            "adres",
        ),
        (
            "/profiel/contactgegevens",
            {"soortDigitaalAdres": "fax", "adres": "x"},
            "soortDigitaalAdres",
        ),
        ("/profiel/contactgegevens", {"soortDigitaalAdres": "email"}, "adres"),
        ("/profiel/contactgegevens", {**EMAIL, "bsn": "999993653"}, "bsn"),
        ("/profiel/postadres", {**POSTADRES, "postcode": "123"}, "postcode"),
        ("/profiel/postadres", {**POSTADRES, "huisnummer": 0}, "huisnummer"),
        ("/profiel/postadres", {"soort": "buitenlands", "adresregel1": "x", "land": "NL"}, "land"),
        ("/profiel/postadres", {"soort": "maan"}, "soort"),
        ("/profiel/voorkeuren", {"correspondentie": "duif"}, "correspondentie"),
    ],
)
def test_invalid_fields_are_named_and_nothing_is_stored(
    burger: ApiClient, path: str, body: dict, field: str
) -> None:
    method = {"/profiel/contactgegevens": "POST", "/profiel/postadres": "PUT"}.get(path, "PATCH")
    body_problem = problem(burger.change(method, path, body), 400)
    names = [p["name"] for p in body_problem["invalidParams"]]
    assert field in names
    # The answer explains the field; it does not echo what was sent.
    for param in body_problem["invalidParams"]:
        assert "geen-adres" not in param["reason"]
    assert burger.read().headers["ETag"] == '"0"'


def test_malformed_json_wrong_media_type_and_oversized_bodies(burger: ApiClient) -> None:
    burger.read()
    headers = {"Authorization": f"Bearer {burger.token}", "If-Match": '"0"'}
    url = burger.base_url + "/profiel/contactgegevens"
    malformed = requests.post(
        url, data="{nope", headers={**headers, "Content-Type": "application/json"}
    )
    assert problem(malformed, 400)["invalidParams"][0]["code"] == "json_invalid"
    problem(requests.post(url, data="a=b", headers={**headers, "Content-Type": "text/plain"}), 415)
    huge = '{"adres":"' + "x" * 70_000 + '"}'
    problem(
        requests.post(url, data=huge, headers={**headers, "Content-Type": "application/json"}), 413
    )
    assert burger.read().headers["ETag"] == '"0"'


def test_conflicts_are_409(burger: ApiClient) -> None:
    burger.change("POST", "/profiel/contactgegevens", EMAIL)
    problem(burger.change("POST", "/profiel/contactgegevens", EMAIL), 409)
    for n in range(2):
        burger.change(
            "POST",
            "/profiel/contactgegevens",
            {"soortDigitaalAdres": "telefoonnummer", "adres": f"06 1234567{n}"},
        )
    burger.change(
        "POST",
        "/profiel/contactgegevens",
        {"soortDigitaalAdres": "telefoonnummer", "adres": "06 12345679"},
    )
    body = problem(
        burger.change(
            "POST",
            "/profiel/contactgegevens",
            {"soortDigitaalAdres": "telefoonnummer", "adres": "06 12345677"},
        ),
        409,
    )
    assert "3" in body["detail"]


def test_a_subject_never_sees_or_changes_another_subjects_profile(api_url: str, idp) -> None:
    owner = ApiClient(api_url, idp.burger_token(random_test_bsn()))
    other = ApiClient(api_url, idp.burger_token(random_test_bsn()))
    contactgegeven = owner.change("POST", "/profiel/contactgegevens", EMAIL).json()[
        "contactgegevens"
    ][0]

    assert other.read().json()["contactgegevens"] == []
    problem(other.request("GET", f"/profiel/contactgegevens/{contactgegeven['id']}"), 404)
    problem(
        other.change(
            "PATCH", f"/profiel/contactgegevens/{contactgegeven['id']}", {"omschrijving": "x"}
        ),
        404,
    )
    problem(other.change("DELETE", f"/profiel/contactgegevens/{contactgegeven['id']}"), 404)
    assert owner.read().json()["contactgegevens"] == [contactgegeven]


def test_an_ondernemer_keeps_a_profile_for_the_company(api_url: str, idp) -> None:
    kvk = random_kvk_nummer()
    representative = ApiClient(api_url, idp.ondernemer_token(kvk))
    added = representative.change(
        "POST",
        "/profiel/contactgegevens",
        {"soortDigitaalAdres": "email", "adres": "info@bedrijf.example.nl"},
    )
    assert added.status_code == 201
    # Another representative of the same company sees the company's profile.
    colleague = ApiClient(api_url, idp.ondernemer_token(kvk, sub="another-representative"))
    assert colleague.read().json() == added.json()


def test_tokens_are_verified_on_every_route(api_url: str, idp, workspace, tmp_path) -> None:
    from infra.local.dev_idp import DevIdentityProvider
    from infra.local.workspace import Workspace

    bsn = random_test_bsn()
    forged = DevIdentityProvider(Workspace(tmp_path)).burger_token(
        bsn
    )  # same issuer name, other key
    cases = {
        None: 401,
        "Basic dXNlcjpwdw==": 401,
        "Bearer not-a-jwt": 401,
        f"Bearer {idp.burger_token(bsn, lifetime_seconds=-120)}": 401,
        f"Bearer {forged}": 401,
        f"Bearer {idp.burger_token(bsn, aud='another-service')}": 401,
        f"Bearer {idp.burger_token(bsn, acr='http://eidas.europa.eu/LoA/low')}": 403,
        f"Bearer {idp.token({'sub': 'someone', 'sub_id_type': 'urn:nl-eid-gdi:1.0:id:pseudonym'})}": 403,
    }
    for function in FUNCTIONS:
        for route in function.routes:
            if route.key in PUBLIC_ROUTES:
                continue
            path = route.path.replace("{contactgegevenId}", "0f8fad5b-d9cb-469f-a165-70867728950e")
            path = path.replace("{uuid}", "0f8fad5b-d9cb-469f-a165-70867728950e")
            url = api_url.removesuffix(BASE_PATH) + route.base + path
            for authorization, status in cases.items():
                if route.toegang is Toegang.IEDEREEN:
                    # Open to no IdP token: a sender with a secret of its own (NotifyNL's
                    # callback) - whatever token comes, 401.
                    status = 401
                headers = {"If-Match": '"0"', "Content-Type": "application/json"}
                if authorization:
                    headers["Authorization"] = authorization
                response = requests.request(route.method, url, headers=headers, data="{}")
                body = problem(response, status)
                assert bsn not in response.text, route.key
                if status == 401 and route.toegang is not Toegang.IEDEREEN:
                    assert response.headers["WWW-Authenticate"].startswith("Bearer")
                assert body["status"] == status


def test_no_route_takes_an_identifier_in_the_path() -> None:
    for function in FUNCTIONS:
        for route in function.routes:
            for segment in route.path.split("/"):
                if segment.startswith("{"):
                    # Only technical ids (UUIDs) of sub-resources and the numbers of
                    # organisations and their services: never a BSN or KVK-nummer. (A partij's
                    # Klantinteracties UUID is its UUID for one organisation, derived.)
                    allowed = ("{contactgegevenId}", "{oin}", "{dienst}")
                    allowed += ("{uuid}",) if route.contract is not None else ()
                    assert segment in allowed, route.key


def test_unknown_routes_and_methods_are_problems(api_url: str, burger: ApiClient) -> None:
    problem(requests.get(api_url + "/profielen"), 404)
    problem(requests.get(api_url + "/profiel/"), 404)
    problem(requests.get(api_url.replace("/api/profiel/v1", "") + "/elders"), 404)
    wrong_method = requests.post(api_url + "/profiel")
    problem(wrong_method, 405)
    assert wrong_method.headers["Allow"] == "DELETE, GET, HEAD"
    for response in (wrong_method, burger.read()):
        assert response.headers["API-Version"] == "1.0.0"
        assert response.headers["Cache-Control"] == "no-store"


def test_the_store_keeps_identifiers_only_as_pseudonyms(burger: ApiClient, store) -> None:
    import boto3

    from shared.store.tables import ProfielItem

    burger.change("POST", "/profiel/contactgegevens", EMAIL)
    client = boto3.client("dynamodb", endpoint_url=store.endpoint)
    items = client.scan(TableName=ProfielItem.Meta.table_name)["Items"]
    dumped = str(items)
    for value in PERSONAL_DATA.values:
        if value.isdigit() and len(value) >= 8:  # BSNs and KVK-nummers, not verification codes
            assert value not in dumped


@pytest.mark.parametrize(
    "path",
    [
        "/profiel%2Fcontactgegevens",
        "/profiel%2fcontactgegevens",
        "%2Fprofiel/contactgegevens",
        "/profiel/contactgegevens%2F",
    ],
)
def test_an_encoded_slash_is_never_a_separator(burger: ApiClient, path: str) -> None:
    burger.read()
    added = burger.change("POST", path, EMAIL)
    body = problem(added, 404)
    assert added.headers["API-Version"] == "1.0.0"
    assert "jan.jansen" not in added.text and "invalidParams" not in body
    # Nothing was stored.
    assert burger.read().headers["ETag"] == '"0"'


def test_head_is_answered_wherever_get_is(api_url: str, burger: ApiClient) -> None:
    contactgegeven = burger.change("POST", "/profiel/contactgegevens", EMAIL).json()
    item = f"/profiel/contactgegevens/{contactgegeven['contactgegevens'][0]['id']}"
    authorization = {"Authorization": f"Bearer {burger.token}"}
    for path in ("/profiel", item, "/profiel/organisaties", "/openapi.json"):
        get = requests.get(api_url + path, headers=authorization, timeout=30)
        head = requests.head(api_url + path, headers=authorization, timeout=30)
        assert get.status_code == head.status_code == 200, path
        assert head.content == b""
        for name in ("Content-Type", "ETag", "API-Version", "Cache-Control", "Content-Length"):
            assert head.headers.get(name) == get.headers.get(name), (path, name)
        assert int(head.headers["Content-Length"]) == len(get.content)
    # The same problems as GET, without their bodies.
    for path, status in (("/profiel/contactgegevens", 405), ("/profielen", 404)):
        head = requests.head(api_url + path, headers=authorization, timeout=30)
        assert head.status_code == status and head.content == b""
        assert head.headers["Content-Type"] == "application/problem+json"
    assert requests.head(api_url + "/profiel", timeout=30).status_code == 401
    wrong_method = requests.put(api_url + "/profiel", headers=authorization, timeout=30)
    assert problem(wrong_method, 405)["detail"].endswith("DELETE, GET, HEAD.")
    assert wrong_method.headers["Allow"] == "DELETE, GET, HEAD"
