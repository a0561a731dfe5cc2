"""The BRP, KVK and BAG stand-ins over real HTTP, every answer checked against the official
OpenAPI document of its register (``tests/contracts.py``).

What a stand-in answers must be what the real register would answer, in shape and in behaviour,
or the service's register clients would be tested against something that does not exist. So
every request here goes through helpers that validate the answer - status, media type, body,
required headers - against the vendored document, and the behaviour tests then say what the
answer means: who is deceased, which address a huisletter finds, what a refusal looks like.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from werkzeug.test import Client

from infra.local.registers import BagStandIn, BrpStandIn, KvkStandIn, RegisterStandIns, convert
from infra.local.registers.base import DATA, KEPT_REQUESTS, fixture
from infra.local.registers.brp import FIELD_TREE
from infra.local.serving import serve
from infra.local.store import free_port
from tests.contracts import OpenApiContract
from tests.support import SPECS

BRP = OpenApiContract(SPECS / "brp-personen-bevragen.openapi.yaml")
KVK = OpenApiContract(SPECS / "kvk-basisprofiel-v1.openapi.yaml")
VESTIGINGSPROFIEL = OpenApiContract(SPECS / "kvk-vestigingsprofiel-v1.openapi.yaml")
# The archived BAG document requires "kortNaam", a typo for the "korteNaam" it defines and the
# API delivers (the typo is also in lvbag/BAG-API's current resolved document).
BAG_ERRATA = {"/components/schemas/Adres/required/1": ("kortNaam", "korteNaam")}
BAG = OpenApiContract(SPECS / "bag-individuele-bevragingen-v2.openapi.yaml", errata=BAG_ERRATA)

KEYS = {"brp": "brp-sleutel-test", "kvk": "kvk-sleutel-test", "bag": "bag-sleutel-test"}
QUERY = "RaadpleegMetBurgerservicenummer"
# What the service reads of a person (its client asks a subset); opschortingBijhouding and
# geheimhoudingPersoonsgegevens come unasked and may not be named.
SERVICE_FIELDS = ["burgerservicenummer", "adressering", "naam", "overlijden", "verblijfplaats"]
PERSONEN = fixture("brp-personen.json")["personen"]
ONDERNEMINGEN = fixture("kvk-basisprofielen.json")["ondernemingen"]
ADRESSEN = fixture("bag-adressen.json")["adressen"]
# A path asked -> the document and operation that define its answer.
_KVK_PATHS = (
    (
        re.compile(r"^/v1/basisprofielen/[^/]+(/hoofdvestiging|/vestigingen|/eigenaar)?$"),
        KVK,
        "/v1/basisprofielen/{kvkNummer}",
    ),
    (
        re.compile(r"^/v1/vestigingsprofielen/[^/]+$"),
        VESTIGINGSPROFIEL,
        "/v1/vestigingsprofielen/{vestigingsnummer}",
    ),
)


@dataclass
class Registers:
    """The stand-ins on one port, and clients that check every answer against its document."""

    app: RegisterStandIns
    url: str

    def brp(
        self,
        body: Any,
        *,
        key: str | None = KEYS["brp"],
        headers: dict | None = None,
        raw: bytes | None = None,
    ) -> requests.Response:
        sent = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        if key is not None:
            sent["X-API-KEY"] = key
        data = raw if raw is not None else json.dumps(body).encode()
        response = requests.post(f"{self.url}/brp/personen", data=data, headers=sent, timeout=10)
        BRP.validate_response(
            "post",
            "/personen",
            response.status_code,
            response.json(),
            response.headers["Content-Type"],
            response.headers,
        )
        return response

    def personen(self, bsns: list[str], fields: list[str] | None = None) -> list[dict]:
        response = self.brp(
            {"type": QUERY, "burgerservicenummer": bsns, "fields": fields or SERVICE_FIELDS}
        )
        assert response.status_code == 200, response.text
        assert response.json()["type"] == QUERY
        return response.json()["personen"]

    def persoon(self, bsn: str, fields: list[str] | None = None) -> dict:
        [found] = self.personen([bsn], fields)
        return found

    def kvk(self, path: str, *, key: str | None = KEYS["kvk"], **params: str) -> requests.Response:
        headers = {"Accept": "application/hal+json"}
        if key is not None:
            headers["apikey"] = key
        response = requests.get(f"{self.url}/kvk{path}", params=params, headers=headers, timeout=10)
        for pattern, contract, template in _KVK_PATHS:
            match = pattern.match(path)
            if match:
                suffix = match.group(1) if pattern.groups else None  # /hoofdvestiging, ...
                contract.validate_response(
                    "get",
                    template + (suffix or ""),
                    response.status_code,
                    response.json(),
                    response.headers["Content-Type"],
                )
                break
        else:
            raise AssertionError(f"{path} is not a path of the KVK documents")
        return response

    def bag(self, path: str, *, key: str | None = KEYS["bag"], **params: str) -> requests.Response:
        headers = {"Accept": "application/hal+json"}
        if key is not None:
            headers["X-Api-Key"] = key
        response = requests.get(f"{self.url}/bag{path}", params=params, headers=headers, timeout=10)
        template = (
            "/adressen" if path == "/adressen" else "/adressen/{nummeraanduidingIdentificatie}"
        )
        BAG.validate_response(
            "get",
            template,
            response.status_code,
            response.json(),
            response.headers["Content-Type"],
            response.headers,
        )
        return response

    def adressen(self, **params: str) -> list[dict]:
        response = self.bag("/adressen", **params)
        assert response.status_code == 200, response.text
        return response.json().get("_embedded", {}).get("adressen", [])


@pytest.fixture(scope="module")
def running() -> Iterator[Registers]:
    app = RegisterStandIns(api_keys=KEYS)
    server = serve(app, "127.0.0.1", free_port())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Registers(app, f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    server.server_close()


@pytest.fixture
def registers(running: Registers) -> Iterator[Registers]:
    """The running stand-ins with nothing counted or kept, and no outage."""
    running.app.stand_ins.reset()
    yield running
    running.app.stand_ins.reset()


def chunks(items: list[str], size: int = 20) -> list[list[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def problem(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    return response.json()


# --- BRP: every persona, every answer to the document -----------------------------------------


def test_every_persona_is_served_with_the_fields_the_service_asks(registers: Registers) -> None:
    bsns = list(PERSONEN)
    served = [p for chunk in chunks(bsns) for p in registers.personen(chunk)]

    assert [p["burgerservicenummer"] for p in served] == bsns
    assert all("adressering" in p and "naam" in p for p in served)


@pytest.mark.parametrize(
    "fields",
    [
        ["burgerservicenummer"],
        ["naam.voornamen", "adressering.adresregel1", "adressering.aanschrijfwijze.naam"],
        ["verblijfplaats.verblijfadres", "verblijfplaats.nummeraanduidingIdentificatie"],
        [
            "geboorte",
            "partners",
            "leeftijd",
            "gemeenteVanInschrijving",
            "geslacht",
            "aNummer",
            "datumInschrijvingInGemeente",
            "indicatieCurateleRegister",
            "datumEersteInschrijvingGBA",
        ],
        ["overlijden.datum.langFormaat", "partners.naam.geslachtsnaam", "naam.volledigeNaam"],
        ["kinderen", "nationaliteiten.nationaliteit", "ouders"],
        list(FIELD_TREE),
    ],
    ids=["bsn", "parts", "verblijfadres", "persoon", "deep", "not-modelled", "everything"],
)
def test_every_persona_with_other_field_selections(registers: Registers, fields: list[str]) -> None:
    for chunk in chunks(list(PERSONEN)):
        assert len(registers.personen(chunk, fields)) == len(chunk)


def test_what_the_tests_sent_fits_the_document(registers: Registers) -> None:
    registers.personen(["999993653", "999970239"])
    registers.personen(["999993653"], ["naam.voornamen"])

    assert len(registers.app.brp.requests) == 2
    for body in registers.app.brp.requests:
        BRP.validate_request_body("post", "/personen", body, "application/json; charset=utf-8")


# --- BRP: behaviour ----------------------------------------------------------------------------


def test_suzanne_moulin_is_addressed_at_boterdiep(registers: Registers) -> None:
    moulin = registers.persoon("999993653")

    assert moulin["adressering"] == {
        "adresregel1": "Boterdiep 31",
        "adresregel2": "3077 AW  ROTTERDAM",
        "aanhef": "Geachte mevrouw Moulin",
        "aanschrijfwijze": {"naam": "S. Moulin"},
        "gebruikInLopendeTekst": "mevrouw Moulin",
    }
    assert moulin["verblijfplaats"]["type"] == "Adres"
    assert moulin["verblijfplaats"]["nummeraanduidingIdentificatie"] == "0599200000219678"
    assert moulin["verblijfplaats"]["verblijfadres"]["postcode"] == "3077AW"
    assert "overlijden" not in moulin
    assert "opschortingBijhouding" not in moulin
    assert "geheimhoudingPersoonsgegevens" not in moulin


def test_a_deceased_person_is_delivered_with_overlijden_and_opschorting_o(
    registers: Registers,
) -> None:
    saasveld = registers.persoon("999970239")

    assert saasveld["overlijden"]["datum"] == {
        "type": "Datum",
        "datum": "2020-08-01",
        "langFormaat": "1 augustus 2020",
    }
    assert saasveld["opschortingBijhouding"]["reden"] == {"code": "O", "omschrijving": "overlijden"}
    assert saasveld["adressering"]["adresregel1"] == "Turfmarkt 77"


def test_dates_known_in_part_keep_their_type(registers: Registers) -> None:
    assert registers.persoon("999970847")["overlijden"]["datum"] == {
        "type": "JaarDatum",
        "jaar": 2014,
        "langFormaat": "2014",
    }
    assert registers.persoon("999993008")["overlijden"]["datum"] == {
        "type": "JaarMaandDatum",
        "jaar": 2008,
        "maand": 7,
        "langFormaat": "juli 2008",
    }
    onbekend = registers.persoon("999994372")["opschortingBijhouding"]["datum"]
    assert onbekend == {"type": "DatumOnbekend", "onbekend": True, "langFormaat": "onbekend"}


def test_an_emigrant_has_opschorting_e_and_an_address_abroad(registers: Registers) -> None:
    moes = registers.persoon("000009957")

    assert moes["opschortingBijhouding"]["reden"]["code"] == "E"
    assert moes["verblijfplaats"]["type"] == "VerblijfplaatsBuitenland"
    assert moes["verblijfplaats"]["verblijfadres"]["land"] == {
        "code": "5003",
        "omschrijving": "Zwitserland",
    }
    assert moes["adressering"]["land"]["omschrijving"] == "Zwitserland"
    assert "adresregel1" not in moes["adressering"]  # the BRP has no lines for this address


@pytest.mark.parametrize(
    ("bsn", "expected"),
    [
        (
            "999991164",
            {
                "adresregel1": "89 Woodcote Road",
                "adresregel2": "Caversham Heights",
                "adresregel3": "RG4 7EZ",
            },
        ),
        (
            "999997002",
            {"adresregel1": "woonaak De Kabouter in Ruigoord", "adresregel2": "AMSTERDAM"},
        ),
        (
            "100600505",
            {"adresregel1": "Klaverweide 54", "adresregel2": "2272 BV  LEIDSCHENDAM-VOORBURG"},
        ),
        (
            "999991693",
            {"adresregel1": "Cronus 555 B73c", "gebruikInLopendeTekst": "de heer Von Thursen"},
        ),
        ("999990883", {"adresregel1": "Atatürkstraat 9-2"}),
        ("999970392", {"adresregel1": "Turfmarkt 7 a", "adresregel2": "2511 CA  'S-GRAVENHAGE"}),
        (
            "999990482",
            {"adresregel1": "1e Exloërmond t/o 3", "adresregel2": "9573 PA  BORGER-ODOORN"},
        ),
        (
            "000009830",
            {
                "aanhef": "Hooggeboren heer",
                "aanschrijfwijze": {
                    "naam": "T.R.P. graaf van der Ven-Van Roedelrode tot Broekzucht",
                    "aanspreekvorm": "De hooggeboren heer",
                },
            },
        ),
        (
            "999995029",
            {
                "aanhef": "Hoogwelgeboren vrouwe",
                "aanschrijfwijze": {
                    "naam": "Jonkvrouw P. van Brest naar Kempen",
                    "aanspreekvorm": "De hoogwelgeboren vrouwe",
                },
                "gebruikInLopendeTekst": "jonkvrouw van Brest naar Kempen",
            },
        ),
        ("999994669", {"aanhef": "Geachte mevrouw 'S Streeveld-te Schaars"}),
        (
            "999993951",
            {
                "aanhef": "Geachte mevrouw Van Nassau la Lecq",
                "aanschrijfwijze": {"naam": "C. Van Nassau la Lecq"},
            },
        ),
        ("999995406", {"aanhef": "Geachte mevrouw Vlag-Prins"}),
        ("999992090", {"aanhef": "Geachte Chailai Chimlin Ngam-Chit Phailin"}),
    ],
)
def test_adressering_follows_the_brp_rules(registers: Registers, bsn: str, expected: dict) -> None:
    adressering = registers.persoon(bsn, ["adressering"])["adressering"]

    assert {key: adressering.get(key) for key in expected} == expected


def test_an_address_found_not_lived_at_is_marked(registers: Registers) -> None:
    vogel = registers.persoon("999992570", ["adressering.adresregel1", "verblijfplaats.type"])

    assert vogel["adressering"]["indicatieVastgesteldVerblijftNietOpAdres"] is True
    assert vogel["adressering"]["inOnderzoek"]["adresregel1"] is True
    assert vogel["verblijfplaats"]["indicatieVastgesteldVerblijftNietOpAdres"] is True


def test_geheimhouding_and_curatele_come_as_recorded(registers: Registers) -> None:
    [geheim, open_, curatele] = registers.personen(
        ["100600220", "999993653", "999970197"],
        ["burgerservicenummer", "indicatieCurateleRegister"],
    )

    assert geheim["geheimhoudingPersoonsgegevens"] is True  # unasked
    assert "geheimhoudingPersoonsgegevens" not in open_  # only ever true
    assert curatele["indicatieCurateleRegister"] is True


def test_fields_select_what_is_delivered(registers: Registers) -> None:
    moulin = registers.persoon(
        "999993653", ["naam.voornamen", "verblijfplaats.verblijfadres.huisnummer"]
    )

    assert moulin == {
        "naam": {"voornamen": "Suzanne"},
        "verblijfplaats": {"type": "Adres", "verblijfadres": {"huisnummer": 31}},
    }


def test_in_onderzoek_comes_with_the_fields_it_concerns(registers: Registers) -> None:
    asked = registers.persoon("100600505", ["verblijfplaats.verblijfadres.huisnummer"])
    not_asked = registers.persoon("100600505", ["naam.geslachtsnaam"])

    adres = asked["verblijfplaats"]["verblijfadres"]
    assert adres["inOnderzoek"]["huisnummer"] is True
    assert set(adres["inOnderzoek"]) == {"huisnummer", "datumIngangOnderzoek"}
    assert "verblijfplaats" not in not_asked


def test_an_unknown_bsn_is_absent(registers: Registers) -> None:
    found = registers.personen(["999993653", "123456782", "999993653"])

    assert [p["burgerservicenummer"] for p in found] == ["999993653"]


def test_gemeente_van_inschrijving_leaves_out_other_gemeenten(registers: Registers) -> None:
    response = registers.brp(
        {
            "type": QUERY,
            "burgerservicenummer": ["999993653", "999970239"],
            "fields": ["burgerservicenummer"],
            "gemeenteVanInschrijving": "0599",
        }
    )

    assert [p["burgerservicenummer"] for p in response.json()["personen"]] == ["999993653"]


def test_leeftijd_is_computed_for_the_living_only(registers: Registers) -> None:
    [living, deceased] = registers.personen(["999993653", "999970239"], ["leeftijd"])

    assert isinstance(living["leeftijd"], int) and living["leeftijd"] > 30
    assert "leeftijd" not in deceased


# --- BRP: refusals -----------------------------------------------------------------------------


def test_automatically_delivered_fields_cannot_be_asked(registers: Registers) -> None:
    asked = [
        "adressering",
        "naam",
        "overlijden",
        "opschortingBijhouding",
        "geheimhoudingPersoonsgegevens",
        "verblijfplaats",
    ]
    body = problem(
        registers.brp({"type": QUERY, "burgerservicenummer": ["999993653"], "fields": asked}), 400
    )

    assert body["code"] == "paramsValidation"
    assert (
        body["invalidParams"]
        == [
            {
                "name": "fields",
                "code": "fields",
                "reason": "Parameter bevat een niet toegestane veldnaam.",
            }
        ]
        * 2
    )


@pytest.mark.parametrize(
    ("body", "code", "invalid"),
    [
        ({}, "paramsRequired", None),
        (
            {"type": QUERY, "fields": ["naam"]},
            "paramsCombination",
            [("burgerservicenummer", "required")],
        ),
        (
            {"type": QUERY, "burgerservicenummer": ["999993653"]},
            "paramsCombination",
            [("fields", "required")],
        ),
        (
            {"type": QUERY, "burgerservicenummer": [], "fields": ["naam"]},
            "paramsValidation",
            [("burgerservicenummer", "minItems")],
        ),
        (
            {"type": QUERY, "burgerservicenummer": ["999993653"] * 21, "fields": ["naam"]},
            "paramsValidation",
            [("burgerservicenummer", "maxItems")],
        ),
        (
            {"type": QUERY, "burgerservicenummer": "999993653", "fields": ["naam"]},
            "paramsValidation",
            [("burgerservicenummer", "array")],
        ),
        (
            {
                "type": QUERY,
                "burgerservicenummer": ["12345678", "999993653", "1234567890"],
                "fields": ["naam"],
            },
            "paramsValidation",
            [("burgerservicenummer", "pattern"), ("burgerservicenummer", "pattern")],
        ),
        (
            {"type": QUERY, "burgerservicenummer": ["999993653"], "fields": ["naam", "anummer"]},
            "paramsValidation",
            [("fields", "fields")],
        ),
        (
            {"type": QUERY, "burgerservicenummer": ["999993653"], "fields": ["naam.inOnderzoek"]},
            "paramsValidation",
            [("fields", "fields")],
        ),
        (
            {"type": QUERY, "burgerservicenummer": ["999993653"], "fields": []},
            "paramsValidation",
            [("fields", "minItems")],
        ),
        (
            {
                "type": QUERY,
                "burgerservicenummer": ["999993653"],
                "fields": ["naam"],
                "inclusiefOverledenPersonen": True,
            },
            "paramsValidation",
            [("inclusiefOverledenPersonen", "unknownParam")],
        ),
        (
            {
                "type": QUERY,
                "burgerservicenummer": ["999993653"],
                "fields": ["naam"],
                "gemeenteVanInschrijving": "599",
            },
            "paramsValidation",
            [("gemeenteVanInschrijving", "pattern")],
        ),
        (
            {
                "type": "ZoekMetGeslachtsnaamEnGeboortedatum",
                "geslachtsnaam": "Moulin",
                "geboortedatum": "1980-01-01",
                "fields": ["naam"],
            },
            "paramsValidation",
            [("type", "value")],
        ),
    ],
    ids=[
        "empty",
        "no-bsn",
        "no-fields",
        "no-bsns",
        "21-bsns",
        "bsn-string",
        "bsn-pattern",
        "unknown-field",
        "inonderzoek-field",
        "no-field",
        "inclusief-overleden",
        "gemeente",
        "search",
    ],
)
def test_invalid_queries_get_the_documented_400(
    registers: Registers, body: dict, code: str, invalid: list | None
) -> None:
    answer = problem(registers.brp(body), 400)

    assert answer["code"] == code
    found = [(p["name"], p["code"]) for p in answer.get("invalidParams", [])]
    assert found == (invalid or [])


def test_a_body_that_is_not_json_is_refused(registers: Registers) -> None:
    assert problem(registers.brp(None, raw=b"{niet json"), 400)["code"] == "paramsValidation"
    assert registers.app.brp.requests[-1] == "{niet json"


def test_media_types_are_checked(registers: Registers) -> None:
    body = {"type": QUERY, "burgerservicenummer": ["999993653"], "fields": ["naam"]}
    wrong_type = registers.brp(body, headers={"Content-Type": "text/plain"})
    wrong_accept = registers.brp(body, headers={"Accept": "application/xml"})

    assert problem(wrong_type, 415)["code"] == "unsupported"
    assert problem(wrong_accept, 406)["code"] == "notAcceptable"


def test_the_api_key_is_checked(registers: Registers) -> None:
    body = {"type": QUERY, "burgerservicenummer": ["999993653"], "fields": ["naam"]}

    assert problem(registers.brp(body, key=None), 401)["code"] == "authentication"
    assert problem(registers.brp(body, key="een andere sleutel"), 403)["code"] == "autorisation"


def test_a_failing_brp_answers_503_and_counts(registers: Registers) -> None:
    registers.app.brp.failing = True
    body = {"type": QUERY, "burgerservicenummer": ["999993653"], "fields": ["naam"]}

    assert problem(registers.brp(body), 503)["code"] == "notAvailable"
    assert registers.app.brp.calls == 1
    assert registers.app.brp.requests == [body]


# --- KVK ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kvk_nummer", list(ONDERNEMINGEN))
def test_every_company_on_every_path(registers: Registers, kvk_nummer: str) -> None:
    has_vestigingen = bool(ONDERNEMINGEN[kvk_nummer]["vestigingen"])
    for geo in ("false", "true"):
        basis = registers.kvk(f"/v1/basisprofielen/{kvk_nummer}", geoData=geo)
        eigenaar = registers.kvk(f"/v1/basisprofielen/{kvk_nummer}/eigenaar", geoData=geo)
        hoofd = registers.kvk(f"/v1/basisprofielen/{kvk_nummer}/hoofdvestiging", geoData=geo)
        assert basis.status_code == eigenaar.status_code == 200
        assert basis.headers["Content-Type"] == "application/hal+json"
        assert basis.json()["kvkNummer"] == kvk_nummer
        assert hoofd.status_code == (200 if has_vestigingen else 404)
        assert ("geoData" in json.dumps(basis.json())) == (geo == "true")
    vestigingen = registers.kvk(f"/v1/basisprofielen/{kvk_nummer}/vestigingen").json()
    assert vestigingen["totaalAantalVestigingen"] == len(vestigingen["vestigingen"])
    for vestiging in vestigingen["vestigingen"]:
        profiel = registers.kvk(
            f"/v1/vestigingsprofielen/{vestiging['vestigingsnummer']}", geoData="true"
        )
        assert profiel.json()["kvkNummer"] == kvk_nummer


def test_the_eenmanszaak_has_its_recorded_branches(registers: Registers) -> None:
    basis = registers.kvk("/v1/basisprofielen/69599084").json()
    lijst = registers.kvk("/v1/basisprofielen/69599084/vestigingen").json()

    hoofd = basis["_embedded"]["hoofdvestiging"]
    assert hoofd["vestigingsnummer"] == "000038509504"
    assert "handelsnamen" not in hoofd and "rsin" not in hoofd  # not embedded, as KVK does
    assert hoofd["adressen"][0]["straatnaam"] == "Abebe Bikilalaan"
    assert [v["vestigingsnummer"] for v in lijst["vestigingen"]] == [
        "000038509504",
        "000038509520",
    ]
    assert lijst["_links"]["self"]["href"].endswith("/kvk/v1/basisprofielen/69599084/vestigingen")


def test_the_bv_has_a_postbus_as_correspondentieadres(registers: Registers) -> None:
    hoofd = registers.kvk("/v1/basisprofielen/68750110/hoofdvestiging").json()

    adressen = {adres["type"]: adres for adres in hoofd["adressen"]}
    assert adressen["correspondentieadres"]["postbusnummer"] == 200
    assert adressen["bezoekadres"]["straatnaam"] == "Hizzaarderlaan"
    assert hoofd["vestigingsnummer"] == "000037178598"


def test_the_vve_has_no_vestigingen_and_its_address_with_the_eigenaar(
    registers: Registers,
) -> None:
    basis = registers.kvk("/v1/basisprofielen/90000749").json()
    lijst = registers.kvk("/v1/basisprofielen/90000749/vestigingen").json()

    assert "hoofdvestiging" not in basis["_embedded"]
    assert basis["_embedded"]["eigenaar"]["adressen"][0]["plaats"] == "Dordrecht"
    assert lijst["totaalAantalVestigingen"] == 0


def test_geo_data_names_the_bag_address(registers: Registers) -> None:
    hoofd = registers.kvk("/v1/basisprofielen/68750110/hoofdvestiging", geoData="true").json()
    bezoek = next(a for a in hoofd["adressen"] if a["type"] == "bezoekadres")

    bag = registers.bag(f"/adressen/{bezoek['geoData']['nummerAanduidingId']}").json()
    assert (bag["postcode"], bag["huisnummer"], bag.get("huisnummertoevoeging")) == (
        "8823SJ",
        3,
        "A",
    )
    assert bag["adresseerbaarObjectIdentificatie"] == bezoek["geoData"]["addresseerbaarObjectId"]
    assert "geoData" not in next(  # only when asked
        a
        for a in registers.kvk("/v1/basisprofielen/68750110/hoofdvestiging").json()["adressen"]
        if a["type"] == "bezoekadres"
    )


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("/v1/basisprofielen/12345678", {}, 404, "IPD0005"),
        ("/v1/basisprofielen/1234", {}, 400, "IPD0004"),
        ("/v1/basisprofielen/12345678/vestigingen", {}, 404, "IPD0005"),
        ("/v1/basisprofielen/69599084", {"geoData": "misschien"}, 400, "IPD1999"),
        ("/v1/vestigingsprofielen/000000000001", {}, 404, "IPD0007"),
        ("/v1/vestigingsprofielen/12", {}, 400, "IPD0006"),
    ],
)
def test_kvk_refusals_have_kvks_error_shape(
    registers: Registers, path: str, params: dict, status: int, code: str
) -> None:
    response = registers.kvk(path, **params)

    assert response.status_code == status
    assert response.headers["Content-Type"] in ("application/json", "application/hal+json")
    assert [fout["code"] for fout in response.json()["fout"]] == [code]


def test_kvk_unknown_company_text_is_kvks(registers: Registers) -> None:
    fout = registers.kvk("/v1/basisprofielen/12345678").json()["fout"][0]

    assert fout["omschrijving"] == (
        "Op basis van het KVK-nummer 12345678 kan het product niet worden geleverd."
    )


def test_kvk_checks_the_api_key_and_fails_on_demand(registers: Registers) -> None:
    assert registers.kvk("/v1/basisprofielen/69599084", key=None).status_code == 401
    assert registers.kvk("/v1/basisprofielen/69599084", key="fout").status_code == 401
    registers.app.kvk.failing = True
    failing = registers.kvk("/v1/basisprofielen/69599084")

    assert failing.status_code == 503
    assert failing.json()["fout"][0]["code"] == "IPD1003"
    assert registers.app.kvk.calls == 3
    assert registers.app.kvk.requests[-1] == {"path": "/v1/basisprofielen/69599084", "query": {}}


# --- BAG ---------------------------------------------------------------------------------------


def _exact(adres: dict) -> dict[str, str]:
    query = {
        "postcode": adres["postcode"],
        "huisnummer": str(adres["huisnummer"]),
        "exacteMatch": "true",
    }
    for part in ("huisletter", "huisnummertoevoeging"):
        if part in adres:
            query[part] = adres[part]
    return query


def test_every_address_by_postcode_and_number(registers: Registers) -> None:
    for adres in ADRESSEN:
        [found] = registers.adressen(**_exact(adres))
        assert found["nummeraanduidingIdentificatie"] == adres["nummeraanduidingIdentificatie"]
        assert found["_links"]["self"]["href"].endswith(
            f"/bag/adressen/{adres['nummeraanduidingIdentificatie']}"
        )


def test_every_address_by_id(registers: Registers) -> None:
    for adres in ADRESSEN:
        found = registers.bag(f"/adressen/{adres['nummeraanduidingIdentificatie']}").json()
        assert {key: found[key] for key in adres} == adres


def test_every_dutch_persona_address_is_in_the_bag(registers: Registers) -> None:
    for bsn, persoon in PERSONEN.items():
        plaats = persoon.get("verblijfplaats") or {}
        if plaats.get("type") != "Adres":
            continue
        adres = plaats["verblijfadres"]
        query = {"postcode": adres["postcode"], "huisnummer": str(adres["huisnummer"])}
        query.update(
            {part: adres[part] for part in ("huisletter", "huisnummertoevoeging") if part in adres}
        )
        [found] = registers.adressen(**query, exacteMatch="true")
        if "nummeraanduidingIdentificatie" in plaats:
            assert (
                found["nummeraanduidingIdentificatie"] == plaats["nummeraanduidingIdentificatie"]
            ), bsn


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"postcode": "3089KG", "huisnummer": "20"}, ["20A", "20B", "20C"]),
        ({"postcode": "3089KG", "huisnummer": "20", "huisletter": "b"}, ["20B"]),
        ({"postcode": "3089KG", "huisnummer": "20", "exacteMatch": "true"}, []),
        ({"postcode": "3089KG", "huisnummer": "2"}, []),  # no fuzzy search
        ({"postcode": "2511CA", "huisnummer": "7"}, ["7", "7a"]),
        ({"postcode": "2511CA", "huisnummer": "7", "exacteMatch": "true"}, ["7"]),
        ({"postcode": "2511CA", "huisnummer": "7", "huisletter": "A"}, ["7a"]),
        ({"postcode": "3511LM", "huisnummer": "3", "huisnummertoevoeging": "B"}, ["3B"]),
        ({"postcode": "3511LM", "huisnummer": "3", "huisletter": "B"}, []),
        ({"postcode": "3511lm", "huisnummer": "3"}, ["3B"]),
        (
            {
                "woonplaatsNaam": "Rotterdam",
                "openbareRuimteNaam": "Eemhavenweg",
                "huisnummer": "16",
            },
            ["16"],
        ),
    ],
)
def test_bag_filters_as_the_bag_api_does(
    registers: Registers, query: dict, expected: list[str]
) -> None:
    found = registers.adressen(**query)

    assert (
        sorted(
            f"{a['huisnummer']}{a.get('huisletter', '')}{a.get('huisnummertoevoeging', '')}"
            for a in found
        )
        == expected
    )


def test_no_match_is_an_empty_collection(registers: Registers) -> None:
    body = registers.bag("/adressen", postcode="1234ZZ", huisnummer="1").json()

    assert body == {
        "_links": {"self": {"href": f"{registers.url}/bag/adressen?postcode=1234ZZ&huisnummer=1"}}
    }


def test_other_searches_find_by_object_and_pand(registers: Registers) -> None:
    moulin = next(a for a in ADRESSEN if a["postcode"] == "3077AW")

    by_object = registers.adressen(
        adresseerbaarObjectIdentificatie=moulin["adresseerbaarObjectIdentificatie"]
    )
    by_pand = registers.adressen(pandIdentificatie=moulin["pandIdentificaties"][0])
    assert [a["korteNaam"] for a in by_object] == [a["korteNaam"] for a in by_pand] == ["Boterdiep"]
    assert by_object[0]["adresregel5"] == "Boterdiep 31"
    assert by_object[0]["adresregel6"] == "3077 AW  ROTTERDAM"


@pytest.mark.parametrize(
    ("params", "code", "names"),
    [
        ({}, "paramsRequired", []),
        ({"postcode": "3089KG"}, "paramsCombination", []),
        ({"postcode": "3089 KG", "huisnummer": "20"}, "paramsValidation", ["postcode"]),
        (
            {"postcode": "3089KG", "huisnummer": "twintig", "huisletter": "AB"},
            "paramsValidation",
            ["huisnummer"],
        ),
        ({"postcode": "3089KG", "huisnummer": "0"}, "paramsValidation", ["huisnummer"]),
        (
            {"postcode": "3089KG", "huisnummer": "20", "exacteMatch": "ja"},
            "paramsValidation",
            ["exacteMatch"],
        ),
        ({"postcode": "3089KG", "huisnummer": "20", "straat": "x"}, "paramsValidation", ["straat"]),
        (
            {"pandIdentificatie": "0599100000000001", "huisletter": "A"},
            "unsupportedCombination",
            [],
        ),
        ({"postcode": "3089KG", "huisnummer": "20", "page": "2"}, "paramsValidation", ["page"]),
    ],
)
def test_bag_refusals(registers: Registers, params: dict, code: str, names: list[str]) -> None:
    body = problem(registers.bag("/adressen", **params), 400)

    assert body["code"] == code
    assert [p["name"] for p in body.get("invalid-params", [])] == names


def test_bag_unknown_and_invalid_ids(registers: Registers) -> None:
    assert problem(registers.bag("/adressen/0599200000000000"), 404)["code"] == "notFound"
    invalid = problem(registers.bag("/adressen/0599"), 400)
    assert invalid["invalid-params"][0]["name"] == "nummeraanduidingIdentificatie"


def test_bag_checks_the_api_key_and_fails_on_demand(registers: Registers) -> None:
    moulin = "/adressen/0599200000219678"
    assert problem(registers.bag(moulin, key=None), 401)["code"] == "authentication"
    assert problem(registers.bag(moulin, key="fout"), 403)["code"] == "autorisation"
    registers.app.bag.failing = True

    assert problem(registers.bag(moulin), 503)["code"] == "sourceUnavailable"
    assert registers.app.bag.calls == 3


# --- the stand-ins together --------------------------------------------------------------------


def test_requests_are_kept_to_a_bound(registers: Registers) -> None:
    for number in range(KEPT_REQUESTS + 5):
        registers.bag("/adressen", postcode="1234ZZ", huisnummer=str(number + 1))

    kept = registers.app.bag.requests
    assert len(kept) == KEPT_REQUESTS
    assert kept[-1] == {
        "path": "/adressen",
        "query": {"postcode": "1234ZZ", "huisnummer": str(KEPT_REQUESTS + 5)},
    }
    assert registers.app.bag.calls == KEPT_REQUESTS + 5


def test_the_port_has_a_health_check_and_nothing_else(registers: Registers) -> None:
    assert requests.get(f"{registers.url}/healthz", timeout=5).json() == {"status": "UP"}
    assert requests.get(f"{registers.url}/elders", timeout=5).status_code == 404


def test_the_stand_ins_log_nothing(registers: Registers, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        registers.personen(["999993653"])
        registers.kvk("/v1/basisprofielen/69599084")
        registers.adressen(postcode="3077AW", huisnummer="31")

    assert not [r for r in caplog.records if r.name.startswith("infra.local.registers")]
    assert not [r for r in caplog.records if "999993653" in r.getMessage()]


# --- the fixtures and the contract itself ------------------------------------------------------


def test_committed_fixtures_are_what_the_converter_makes() -> None:
    for name, text in convert.generate().items():
        assert (DATA / name).read_text(encoding="utf-8") == text, (
            f"{name} is out of date: run python -m infra.local.registers.convert"
        )


def test_the_contract_fails_a_broken_brp_answer() -> None:
    personen = copy.deepcopy(PERSONEN)
    personen["999993653"]["verblijfplaats"]["verblijfadres"]["huisnummer"] = "31"
    personen["999993653"]["overlijden"] = {
        "datum": {"type": "Datum", "datum": "1 aug 2020", "langFormaat": "1 augustus 2020"}
    }
    answer = BrpStandIn(personen=personen).answer(
        {"type": QUERY, "burgerservicenummer": ["999993653"], "fields": SERVICE_FIELDS}
    )

    with pytest.raises(AssertionError) as failure:
        BRP.validate_response("post", "/personen", 200, answer, "application/json; charset=utf-8")
    assert "$.personen[0].verblijfplaats.verblijfadres.huisnummer" in str(failure.value)
    assert "$.personen[0].overlijden.datum.datum" in str(failure.value)


def test_the_contract_fails_broken_kvk_and_bag_answers() -> None:
    ondernemingen = copy.deepcopy(ONDERNEMINGEN)
    ondernemingen["69599084"]["basisprofiel"]["totaalWerkzamePersonen"] = "een"
    kvk = Client(KvkStandIn(ondernemingen=ondernemingen)).get("/v1/basisprofielen/69599084")
    adressen = copy.deepcopy(ADRESSEN)
    del adressen[0]["woonplaatsNaam"]
    bag = Client(BagStandIn(adressen=adressen)).get(
        f"/adressen/{adressen[0]['nummeraanduidingIdentificatie']}"
    )

    with pytest.raises(AssertionError, match=r"\$\.totaalWerkzamePersonen"):
        KVK.validate_response(
            "get", "/v1/basisprofielen/{kvkNummer}", 200, kvk.json, kvk.headers["Content-Type"]
        )
    with pytest.raises(AssertionError, match=r"'woonplaatsNaam' is a required property"):
        BAG.validate_response(
            "get",
            "/adressen/{nummeraanduidingIdentificatie}",
            200,
            bag.json,
            bag.headers["Content-Type"],
        )


def test_the_contract_refuses_wrong_media_types_headers_and_operations() -> None:
    with pytest.raises(AssertionError, match="content type"):
        BAG.validate_response("get", "/adressen", 200, {}, "application/xml")
    with pytest.raises(AssertionError, match="required header"):
        BAG.validate_response("get", "/adressen", 200, {}, "application/hal+json", {})
    with pytest.raises(AssertionError, match="is not an operation"):
        BAG.validate_response("post", "/adressen", 200, {}, "application/hal+json")


def test_an_erratum_that_no_longer_applies_is_refused() -> None:
    with pytest.raises(ValueError, match="erratum"):
        OpenApiContract(
            SPECS / "bag-individuele-bevragingen-v2.openapi.yaml",
            errata={"/components/schemas/Adres/required/1": ("iets", "anders")},
        )
