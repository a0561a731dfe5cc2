"""The register clients (``shared.registers``) against small registers over real HTTP.

Each stand-in is a WSGI app on a port of 127.0.0.1 that answers in the register's own shape - the
KVK's recorded test answers of ``specs/kvk-testdata``, BRP and BAG answers written to their
specifications - and keeps every request it gets, so that a test can count what reached the
register. One reset connection needs a raw socket: a WSGI app cannot drop its connection.
"""

from __future__ import annotations

import json
import logging
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from werkzeug.wrappers import Request, Response

from infra.local.serving import serve
from shared.config import (
    REGISTER_ENVIRONMENT_VARIABLES,
    ConfigurationError,
    RegisterSettings,
    _from_environment,
    get_register_settings,
)
from shared.models.bronnen import (
    AdresVraag,
    Bron,
    Gelezen,
    Onderneming,
    Persoon,
    RegisterNietBeschikbaar,
    RegistratieAdres,
    Vestiging,
)
from shared.registers import handelsregister
from shared.registers.bag import BagClient
from shared.registers.brp import BrpClient
from shared.registers.http import CallPolicy
from shared.registers.kvk import KvkClient

ROOT = Path(__file__).resolve().parents[2]
KVK_TESTDATA = ROOT / "specs" / "kvk-testdata"

# Quick to fail and never reused unless a test says so.
FAST = CallPolicy(timeout_seconds=2, cache_seconds=0, breaker_failures=100)

BSN_MOULIN = "999993653"  # Boterdiep 31, Rotterdam (BRP test persona)
BSN_OVERLEDEN = "999970239"  # died 2020-08-01
BSN_GEEMIGREERD = "000009957"  # lives in Switzerland
BSN_ONBEKEND = "999990019"
KVK_EENMANSZAAK = "69599084"
KVK_BV = "68750110"
KVK_VVE = "90000749"


# --- stand-ins ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


Answer = Callable[[Request], Response]


class StandIn:
    """A register: ``answer`` gives each answer; every request is kept in ``seen``."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.seen: list[Seen] = []
        self.url = ""

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        request = Request(environ)
        self.seen.append(
            Seen(
                request.method,
                request.path,
                request.args.to_dict(flat=False),
                dict(request.headers),
                request.get_data(),
            )
        )
        return self.answer(request)(environ, start_response)


@pytest.fixture
def register() -> Iterator[Callable[[Answer], StandIn]]:
    """Starts stand-ins; stops them after the test."""
    servers = []

    def start(answer: Answer) -> StandIn:
        stand_in = StandIn(answer)
        server = serve(stand_in, "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        stand_in.url = f"http://127.0.0.1:{server.server_port}"
        servers.append(server)
        return stand_in

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def json_answer(body: Any, status: int = 200, content_type: str = "application/json") -> Response:
    return Response(json.dumps(body), status=status, content_type=content_type)


def problem(status: int) -> Response:
    body = {"status": status, "title": "Bronservice is tijdelijk niet beschikbaar."}
    return json_answer(body, status, "application/problem+json")


def sequence(*answers: Answer) -> Answer:
    """The answers in turn; the last one from then on."""
    remaining = list(answers)

    def answer(request: Request) -> Response:
        return (remaining.pop(0) if len(remaining) > 1 else remaining[0])(request)

    return answer


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- BRP ------------------------------------------------------------------------------------

# BRP Personen Bevragen 2.x answers (``Persoon``) of test personas, as fields adressering and
# overlijden give them; opschortingBijhouding and geheimhoudingPersoonsgegevens come unasked.
BRP_PERSONEN: dict[str, dict[str, Any]] = {
    BSN_MOULIN: {
        "burgerservicenummer": BSN_MOULIN,
        "adressering": {
            "aanhef": "Geachte mevrouw Moulin",
            "aanschrijfwijze": {"naam": "S. Moulin"},
            "gebruikInLopendeTekst": "mevrouw Moulin",
            "adresregel1": "Boterdiep 31",
            "adresregel2": "3077 AW  ROTTERDAM",
        },
    },
    BSN_OVERLEDEN: {
        "burgerservicenummer": BSN_OVERLEDEN,
        "overlijden": {
            "datum": {"type": "Datum", "datum": "2020-08-01", "langFormaat": "1 augustus 2020"}
        },
        "opschortingBijhouding": {
            "reden": {"code": "O", "omschrijving": "overlijden"},
            "datum": {"type": "Datum", "datum": "2020-08-01", "langFormaat": "1 augustus 2020"},
        },
    },
    BSN_GEEMIGREERD: {
        "burgerservicenummer": BSN_GEEMIGREERD,
        "geheimhoudingPersoonsgegevens": True,
        "adressering": {
            "aanhef": "Geachte heer Kumar",
            "adresregel1": "Rue du Marché 12",
            "adresregel2": "1204 Genève",
            "land": {"code": "5003", "omschrijving": "Zwitserland"},
        },
        "opschortingBijhouding": {"reden": {"code": "E", "omschrijving": "emigratie"}},
    },
}
_AUTOMATIC_FIELDS = {"inOnderzoek", "geheimhoudingPersoonsgegevens", "opschortingBijhouding"}


def brp(personen: dict[str, dict[str, Any]]) -> Answer:
    """POST /personen as the specification has it: 400 for what it refuses."""

    def answer(request: Request) -> Response:
        query = request.get_json()
        bsns = query.get("burgerservicenummer", [])
        if (
            request.path != "/personen"
            or query.get("type") != "RaadpleegMetBurgerservicenummer"
            or not 1 <= len(bsns) <= 20
            or not query.get("fields")
            or _AUTOMATIC_FIELDS & set(query["fields"])
            or set(query) - {"type", "burgerservicenummer", "fields", "gemeenteVanInschrijving"}
        ):
            return problem(400)
        found = [personen[bsn] for bsn in bsns if bsn in personen]
        return json_answer(
            {"type": "RaadpleegMetBurgerservicenummer", "personen": found},
            content_type="application/json; charset=utf-8",
        )

    return answer


def test_brp_answers_become_persons_and_unknown_bsns_none(register) -> None:
    stand_in = register(brp(BRP_PERSONEN))
    client = BrpClient(stand_in.url, "brp-key", FAST)

    gelezen = client.raadpleeg([BSN_MOULIN, BSN_OVERLEDEN, BSN_GEEMIGREERD, BSN_ONBEKEND])

    assert set(gelezen) == {BSN_MOULIN, BSN_OVERLEDEN, BSN_GEEMIGREERD, BSN_ONBEKEND}
    assert all(g.uit_bron for g in gelezen.values())
    moulin = gelezen[BSN_MOULIN].waarde
    assert moulin is not None
    assert moulin.adressering is not None
    assert (moulin.adressering.adresregel1, moulin.adressering.adresregel2) == (
        "Boterdiep 31",
        "3077 AW  ROTTERDAM",
    )
    assert moulin.adressering.adresregel3 is None and moulin.adressering.land is None
    assert (moulin.aanhef, moulin.aanschrijfwijze, moulin.gebruik_in_lopende_tekst) == (
        "Geachte mevrouw Moulin",
        "S. Moulin",
        "mevrouw Moulin",
    )
    assert (moulin.overleden, moulin.opschorting_reden, moulin.geheimhouding) == (
        False,
        None,
        False,
    )
    assert moulin.bereikbaar

    overleden = gelezen[BSN_OVERLEDEN].waarde
    assert overleden is not None
    assert (overleden.overleden, overleden.opschorting_reden, overleden.adressering) == (
        True,
        "O",
        None,
    )
    assert not overleden.bereikbaar

    weg = gelezen[BSN_GEEMIGREERD].waarde
    assert weg is not None and weg.adressering is not None
    assert weg.adressering.land == "Zwitserland"
    assert (weg.geheimhouding, weg.opschorting_reden, weg.bereikbaar) == (True, "E", False)

    assert gelezen[BSN_ONBEKEND] == Gelezen(None, uit_bron=True)


def test_brp_request_is_the_specified_query_with_the_api_key(register) -> None:
    stand_in = register(brp(BRP_PERSONEN))
    BrpClient(stand_in.url, "brp-key", FAST).raadpleeg([BSN_MOULIN, BSN_MOULIN])

    [seen] = stand_in.seen
    assert (seen.method, seen.path) == ("POST", "/personen")
    assert seen.headers["X-Api-Key"] == "brp-key"
    assert seen.headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(seen.body) == {
        "type": "RaadpleegMetBurgerservicenummer",
        "burgerservicenummer": [BSN_MOULIN],  # each once
        "fields": ["burgerservicenummer", "adressering", "overlijden"],
    }


def test_brp_without_a_key_sends_no_key_header(register) -> None:
    stand_in = register(brp(BRP_PERSONEN))
    BrpClient(stand_in.url, None, FAST).raadpleeg([BSN_MOULIN])
    assert "X-Api-Key" not in stand_in.seen[0].headers


def test_brp_asks_at_most_20_bsns_a_request(register) -> None:
    bsns = [f"99990{n:04d}" for n in range(45)]
    personen = {bsn: {"burgerservicenummer": bsn} for bsn in bsns[::2]}
    stand_in = register(brp(personen))

    gelezen = BrpClient(stand_in.url, None, FAST).raadpleeg(bsns)

    asked = [json.loads(seen.body)["burgerservicenummer"] for seen in stand_in.seen]
    assert [len(chunk) for chunk in asked] == [20, 20, 5]
    assert [bsn for chunk in asked for bsn in chunk] == bsns
    assert [bsn for bsn, g in gelezen.items() if g.waarde is not None] == bsns[::2]
    assert sum(g.waarde is None for g in gelezen.values()) == 22


def test_brp_is_not_asked_for_what_is_no_bsn(register) -> None:
    stand_in = register(brp(BRP_PERSONEN))
    no_bsns = ["12345", "../personen", BSN_MOULIN + "\n"]
    gelezen = BrpClient(stand_in.url, None, FAST).raadpleeg(no_bsns)
    assert gelezen == {bsn: Gelezen(None, uit_bron=False) for bsn in no_bsns}
    assert stand_in.seen == []


def test_brp_query_is_retried_on_503(register) -> None:
    stand_in = register(sequence(lambda r: problem(503), lambda r: problem(503), brp(BRP_PERSONEN)))
    gelezen = BrpClient(stand_in.url, None, FAST).raadpleeg([BSN_MOULIN])
    assert gelezen[BSN_MOULIN].waarde is not None
    assert len(stand_in.seen) == 3


def test_brp_answer_without_its_type_is_no_answer(register) -> None:
    stand_in = register(lambda r: json_answer({"personen": []}))
    with pytest.raises(RegisterNietBeschikbaar) as caught:
        BrpClient(stand_in.url, None, FAST).raadpleeg([BSN_MOULIN])
    assert caught.value.bron is Bron.BRP


# --- KVK ------------------------------------------------------------------------------------


def kvk_testdata(name: str) -> dict[str, Any]:
    return json.loads((KVK_TESTDATA / name).read_text())


def vestigingen_69599084() -> dict[str, Any]:
    """``VestigingList`` of 69599084, with the vestigingen its zoeken answer lists."""
    return {
        "kvkNummer": KVK_EENMANSZAAK,
        "aantalCommercieleVestigingen": 2,
        "aantalNietCommercieleVestigingen": 0,
        "totaalAantalVestigingen": 2,
        "vestigingen": [
            {
                "vestigingsnummer": "000038509504",
                "kvkNummer": KVK_EENMANSZAAK,
                "eersteHandelsnaam": "Test EMZ Dagobert",
                "indHoofdvestiging": "Ja",
                "indAdresAfgeschermd": "Nee",
                "indCommercieleVestiging": "Ja",
                # As the KVK pads it (basisprofiel-69599084.json).
                "volledigAdres": "Abebe Bikilalaan 17" + " " * 33 + "1034WL Amsterdam",
            },
            {
                "vestigingsnummer": "000038509520",
                "kvkNummer": KVK_EENMANSZAAK,
                "eersteHandelsnaam": "Test EMZ Nevenvestiging Govert",
                "indHoofdvestiging": "Nee",
                "indAdresAfgeschermd": "Ja",
                "indCommercieleVestiging": "Ja",
            },
        ],
    }


def basisprofiel_68750110() -> dict[str, Any]:
    """A ``Basisprofiel`` of 68750110 whose hoofdvestiging is its recorded vestigingsprofiel."""
    vestiging = kvk_testdata("vestigingsprofiel-000037178598.json")
    return {
        "kvkNummer": KVK_BV,
        "naam": "Test BV Donald",
        "statutaireNaam": "Test BV Donald",
        "handelsnamen": vestiging["handelsnamen"],
        "_embedded": {
            "hoofdvestiging": {k: v for k, v in vestiging.items() if k != "handelsnamen"}
        },
    }


def kvk(routes: dict[str, Any]) -> Answer:
    """GET of the paths in ``routes``; the KVK's 404 for any other."""

    def answer(request: Request) -> Response:
        if request.method != "GET" or request.path not in routes:
            return json_answer(
                {"fout": [{"code": "IPD0005", "omschrijving": "Het product is niet leverbaar"}]},
                404,
            )
        return json_answer(routes[request.path])

    return answer


def test_kvk_basisprofiel_and_vestigingen_become_an_onderneming(register) -> None:
    profiel = kvk_testdata("basisprofiel-69599084.json")
    profiel["handelsnamen"].reverse()  # the order is volgorde's, not the list's
    base = f"/v1/basisprofielen/{KVK_EENMANSZAAK}"
    stand_in = register(kvk({base: profiel, f"{base}/vestigingen": vestigingen_69599084()}))

    gelezen = KvkClient(stand_in.url, "kvk-key", FAST).onderneming(KVK_EENMANSZAAK)

    assert gelezen.uit_bron
    onderneming = gelezen.waarde
    assert isinstance(onderneming, Onderneming)
    assert (onderneming.kvk_nummer, onderneming.naam) == (KVK_EENMANSZAAK, "Test EMZ Dagobert")
    assert onderneming.handelsnamen == (
        "Test EMZ Dagobert",
        "Tweede handelsnaam 1MZ",
        "Derde handelsnaam 1MZ",
        "Vierde handelsnaam 1MZ",
    )
    adres = onderneming.adres
    assert adres is not None
    assert (adres.adresregel1, adres.adresregel2, adres.adresregel3, adres.land) == (
        "Abebe Bikilalaan 17",
        "1034 WL  AMSTERDAM",
        None,
        None,
    )
    hoofd, neven = onderneming.vestigingen
    assert (hoofd.vestigingsnummer, hoofd.naam, hoofd.adres, hoofd.hoofdvestiging) == (
        "000038509504",
        "Test EMZ Dagobert",
        "Abebe Bikilalaan 17 1034WL Amsterdam",
        True,
    )
    assert (neven.vestigingsnummer, neven.naam, neven.adres, neven.hoofdvestiging) == (
        "000038509520",
        "Test EMZ Nevenvestiging Govert",
        None,
        False,
    )
    assert onderneming.heeft_vestiging("000038509520")
    assert not onderneming.heeft_vestiging("000037178598")

    assert [(s.method, s.path) for s in stand_in.seen] == [
        ("GET", base),
        ("GET", f"{base}/vestigingen"),
    ]
    assert all(s.headers["Apikey"] == "kvk-key" for s in stand_in.seen)
    assert all(s.headers["Accept"] == "application/json" for s in stand_in.seen)


def test_kvk_correspondentieadres_comes_before_the_bezoekadres(register) -> None:
    base = f"/v1/basisprofielen/{KVK_BV}"
    stand_in = register(kvk({base: basisprofiel_68750110(), f"{base}/vestigingen": {}}))

    onderneming = KvkClient(stand_in.url, None, FAST).onderneming(KVK_BV).waarde

    assert onderneming is not None
    assert onderneming.adres is not None
    assert (onderneming.adres.adresregel1, onderneming.adres.adresregel2) == (
        "Postbus 200",
        "1000 AE  ROMMELDAM",
    )
    assert onderneming.vestigingen == ()


def test_kvk_bezoekadres_when_there_is_no_correspondentieadres(register) -> None:
    profiel = basisprofiel_68750110()
    hoofdvestiging = profiel["_embedded"]["hoofdvestiging"]
    hoofdvestiging["adressen"] = [
        a for a in hoofdvestiging["adressen"] if a["type"] == "bezoekadres"
    ]
    base = f"/v1/basisprofielen/{KVK_BV}"
    stand_in = register(kvk({base: profiel, f"{base}/vestigingen": {"vestigingen": []}}))

    onderneming = KvkClient(stand_in.url, None, FAST).onderneming(KVK_BV).waarde

    assert onderneming is not None and onderneming.adres is not None
    assert (onderneming.adres.adresregel1, onderneming.adres.adresregel2) == (
        "Hizzaarderlaan 3 A",
        "8823 SJ  LOLLUM",
    )


def test_kvk_address_abroad_names_its_country(register) -> None:
    profiel = basisprofiel_68750110()
    profiel["_embedded"]["hoofdvestiging"]["adressen"] = [
        {
            "type": "correspondentieadres",
            "straatnaam": "Rue de la Loi",
            "huisnummer": 16,
            "postcode": "1000",
            "plaats": "Brussel",
            "land": "België",
        }
    ]
    base = f"/v1/basisprofielen/{KVK_BV}"
    stand_in = register(kvk({base: profiel}))

    onderneming = KvkClient(stand_in.url, None, FAST).onderneming(KVK_BV).waarde

    assert onderneming is not None
    assert onderneming.adres is not None
    assert (
        onderneming.adres.adresregel1,
        onderneming.adres.adresregel2,
        onderneming.adres.land,
    ) == ("Rue de la Loi 16", "1000 Brussel", "België")


def test_kvk_legal_entity_without_company_has_the_eigenaars_address(register) -> None:
    base = f"/v1/basisprofielen/{KVK_VVE}"
    stand_in = register(kvk({base: kvk_testdata("basisprofiel-90000749-vve.json")}))

    gelezen = KvkClient(stand_in.url, None, FAST).onderneming(KVK_VVE)

    onderneming = gelezen.waarde
    assert onderneming is not None
    assert (onderneming.naam, onderneming.handelsnamen, onderneming.vestigingen) == (
        "Global Conron",
        (),
        (),
    )
    assert onderneming.adres is not None
    assert (onderneming.adres.adresregel1, onderneming.adres.adresregel2) == (
        "Blaauwweg 163",
        "3328 XD  DORDRECHT",
    )
    assert len(stand_in.seen) == 2  # the vestigingen too: a 404


def test_kvk_vestigingsprofiel_becomes_the_branch_with_its_correspondentieadres(
    register,
) -> None:
    recorded = kvk_testdata("vestigingsprofiel-000037178598.json")  # 68750110's hoofdvestiging
    stand_in = register(kvk({"/v1/vestigingsprofielen/000037178598": recorded}))
    client = KvkClient(stand_in.url, None, CallPolicy(cache_seconds=60))

    read = client.vestiging("000037178598")
    assert read.uit_bron
    vestiging = read.waarde
    assert (vestiging.vestigingsnummer, vestiging.kvk_nummer) == ("000037178598", "68750110")
    assert (vestiging.naam, vestiging.handelsnamen) == ("Test BV Donald", ("Test BV Donald",))
    # The correspondentieadres (a Postbus) before the bezoekadres.
    assert (vestiging.adres.adresregel1, vestiging.adres.adresregel2) == (
        "Postbus 200",
        "1000 AE  ROMMELDAM",
    )
    assert client.vestiging("000037178598") == Gelezen(vestiging, uit_bron=False)
    assert client.vestiging("000099999999") == Gelezen(None, uit_bron=True)  # 404: no such one
    assert client.vestiging("0000/../1234") == Gelezen(None, uit_bron=False)  # never into a URL
    assert [s.path for s in stand_in.seen] == [
        "/v1/vestigingsprofielen/000037178598",
        "/v1/vestigingsprofielen/000099999999",
    ]


def test_kvk_404_is_a_company_not_in_the_register_and_no_failure(register) -> None:
    stand_in = register(kvk({}))
    client = KvkClient(stand_in.url, None, CallPolicy(cache_seconds=0, breaker_failures=2))

    for _ in range(4):
        assert client.onderneming(KVK_EENMANSZAAK) == Gelezen(None, uit_bron=True)

    assert len(stand_in.seen) == 4  # the breaker never opened, and nothing was retried


def test_kvk_is_not_asked_for_what_is_no_kvk_nummer(register) -> None:
    stand_in = register(kvk({}))
    client = KvkClient(stand_in.url, None, FAST)
    assert client.onderneming("../../etc") == Gelezen(None, uit_bron=False)
    assert client.onderneming("6959908") == Gelezen(None, uit_bron=False)
    assert client.onderneming(KVK_EENMANSZAAK + "\n") == Gelezen(None, uit_bron=False)
    assert stand_in.seen == []


def test_kvk_refusal_is_not_retried_and_does_not_open_the_breaker(register) -> None:
    stand_in = register(lambda r: problem(400))
    client = KvkClient(stand_in.url, None, CallPolicy(cache_seconds=0, breaker_failures=2))

    for _ in range(3):
        with pytest.raises(RegisterNietBeschikbaar):
            client.onderneming(KVK_EENMANSZAAK)

    assert len(stand_in.seen) == 3


def test_kvk_redirect_is_not_followed(register) -> None:
    elsewhere = register(kvk({}))
    stand_in = register(
        lambda r: Response(status=302, headers={"Location": f"{elsewhere.url}{r.path}"})
    )
    with pytest.raises(RegisterNietBeschikbaar):
        KvkClient(stand_in.url, "kvk-key", FAST).onderneming(KVK_EENMANSZAAK)
    assert len(stand_in.seen) == 1
    assert elsewhere.seen == []  # the API key stayed home


# --- BAG ------------------------------------------------------------------------------------


def bag_adres(huisnummer: int, letter: str | None = None, toevoeging: str | None = None) -> dict:
    """An ``AdresIOHal`` at Boterdiep, 3077AW Rotterdam."""
    adres: dict[str, Any] = {
        "openbareRuimteNaam": "Boterdiep",
        "korteNaam": "Boterdiep",
        "huisnummer": huisnummer,
        "postcode": "3077AW",
        "woonplaatsNaam": "Rotterdam",
        "nummeraanduidingIdentificatie": f"05992000002{huisnummer:03d}{len(letter or '')}"
        f"{len(toevoeging or '')}",
        "openbareRuimteIdentificatie": "0599300000000123",
        "woonplaatsIdentificatie": "3086",
        "adresseerbaarObjectIdentificatie": "0599010000208579",
        "pandIdentificaties": ["0599100000123456"],
        "_links": {"self": {"href": "https://bag.example/adressen/0599200000219678"}},
    }
    if letter:
        adres["huisletter"] = letter
    if toevoeging:
        adres["huisnummertoevoeging"] = toevoeging
    return adres


def bag(adressen: list[dict], page_size: int = 20) -> Answer:
    """GET /adressen: the addresses at postcode and huisnummer, a page at a time."""

    def answer(request: Request) -> Response:
        if request.path != "/adressen":
            return problem(404)
        if request.headers.get("Accept") != "application/hal+json":
            return problem(406)
        size = int(request.args.get("pageSize", 20))
        page = int(request.args.get("page", 1))
        hits = [
            a
            for a in adressen
            if a["postcode"] == request.args.get("postcode")
            and str(a["huisnummer"]) == request.args.get("huisnummer")
        ]
        body: dict[str, Any] = {
            "_links": {"self": {"href": f"https://bag.example/adressen?page={page}"}},
            "_embedded": {"adressen": hits[(page - 1) * size : page * size]},
        }
        if page * size < len(hits):
            body["_links"]["next"] = {"href": f"https://bag.example/adressen?page={page + 1}"}
        return json_answer(body, content_type="application/hal+json")

    return answer


BOTERDIEP = [bag_adres(31), bag_adres(31, "A"), bag_adres(31, "A", "bis"), bag_adres(31, "B")]


def test_bag_addresses_with_the_postcode_normalised(register) -> None:
    stand_in = register(bag(BOTERDIEP))
    vraag = AdresVraag("3077 AW", 31)

    gelezen = BagClient(stand_in.url, "bag-key", FAST).zoek(vraag)

    assert gelezen.uit_bron
    assert [(a.huisletter, a.huisnummertoevoeging) for a in gelezen.waarde] == [
        (None, None),
        ("A", None),
        ("A", "bis"),
        ("B", None),
    ]
    eerste = gelezen.waarde[0]
    assert (eerste.straat, eerste.huisnummer, eerste.postcode, eerste.woonplaats) == (
        "Boterdiep",
        31,
        "3077 AW",
        "Rotterdam",
    )
    assert eerste.nummeraanduiding_identificatie == "0599200000203100"

    [seen] = stand_in.seen
    assert (seen.method, seen.path) == ("GET", "/adressen")
    assert seen.query == {
        "postcode": ["3077AW"],
        "huisnummer": ["31"],
        "pageSize": ["100"],
        "page": ["1"],
    }
    assert seen.headers["X-Api-Key"] == "bag-key"
    assert seen.headers["Accept"] == "application/hal+json"


def test_bag_answer_is_filtered_on_the_letter_and_toevoeging_asked(register) -> None:
    stand_in = register(bag(BOTERDIEP))
    client = BagClient(stand_in.url, None, CallPolicy(cache_seconds=60))

    def found(vraag: AdresVraag) -> list[tuple[str | None, str | None]]:
        return [(a.huisletter, a.huisnummertoevoeging) for a in client.zoek(vraag).waarde]

    assert found(AdresVraag("3077aw", 31, "a")) == [("A", None), ("A", "bis")]
    assert found(AdresVraag("3077 AW", 31, "A", "BIS")) == [("A", "bis")]
    assert found(AdresVraag("3077 AW", 31, None, "bis")) == [("A", "bis")]
    assert found(AdresVraag("3077 AW", 31, "C")) == []
    assert len(stand_in.seen) == 1  # one read of the huisnummer answers each of them


def test_bag_reads_every_page(register) -> None:
    flat = [bag_adres(31, None, str(n)) for n in range(1, 106)]
    stand_in = register(bag(flat))

    gelezen = BagClient(stand_in.url, None, FAST).zoek(AdresVraag("3077 AW", 31))

    assert [a.huisnummertoevoeging for a in gelezen.waarde] == [str(n) for n in range(1, 106)]
    assert [s.query["page"] for s in stand_in.seen] == [["1"], ["2"]]


def test_bag_is_not_asked_for_an_address_that_cannot_exist(register) -> None:
    stand_in = register(bag(BOTERDIEP))
    client = BagClient(stand_in.url, None, FAST)
    for vraag in (
        AdresVraag("0123 AB", 31),
        AdresVraag("3077&AW", 31),
        AdresVraag("3077 AW", 0),
        AdresVraag("3077 AW", 31, "AB"),
        AdresVraag("3077 AW", 31, None, "a-b"),
    ):
        assert client.zoek(vraag) == Gelezen((), uit_bron=False)
    assert stand_in.seen == []


class ResettingRegister:
    """A raw TCP register: resets the first ``resets`` connections once it has read the
    request, then answers each with ``answer`` (a whole HTTP/1.1 response)."""

    def __init__(self, resets: int, body: dict) -> None:
        payload = json.dumps(body).encode()
        self.answer = (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/hal+json\r\n"
            b"Content-Length: " + str(len(payload)).encode() + b"\r\nConnection: close\r\n\r\n"
        ) + payload
        self.resets = resets
        self.connections = 0
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            with connection:
                self.connections += 1
                received = b""
                while b"\r\n\r\n" not in received:
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    received += chunk
                if self.connections <= self.resets:
                    # Linger 0: close() sends a RST instead of a FIN.
                    connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
                    continue
                connection.sendall(self.answer)

    def close(self) -> None:
        self._socket.close()


def test_bag_read_is_retried_after_a_connection_reset() -> None:
    body = {"_embedded": {"adressen": [bag_adres(31)]}, "_links": {}}
    resetting = ResettingRegister(resets=1, body=body)
    try:
        gelezen = BagClient(resetting.url, None, FAST).zoek(AdresVraag("3077 AW", 31))
    finally:
        resetting.close()
    assert [a.straat for a in gelezen.waarde] == ["Boterdiep"]
    assert resetting.connections == 2


def test_bag_gives_up_after_two_retries_of_a_reset() -> None:
    resetting = ResettingRegister(resets=10, body={})
    try:
        with pytest.raises(RegisterNietBeschikbaar) as caught:
            BagClient(resetting.url, None, FAST).zoek(AdresVraag("3077 AW", 31))
    finally:
        resetting.close()
    assert caught.value.bron is Bron.BAG
    assert resetting.connections == 3


# --- what the three share: timeouts, breaker, cache -----------------------------------------


def test_a_slow_register_is_unavailable_after_one_timeout(register) -> None:
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(10)
        return json_answer({})

    stand_in = register(slow)
    client = KvkClient(stand_in.url, None, CallPolicy(timeout_seconds=0.3, cache_seconds=0))
    started = time.monotonic()
    try:
        with pytest.raises(RegisterNietBeschikbaar):
            client.onderneming(KVK_EENMANSZAAK)
        elapsed = time.monotonic() - started
    finally:
        release.set()
    assert 0.3 <= elapsed < 1.5
    assert len(stand_in.seen) == 1  # a read timeout is not asked again


def test_the_breaker_opens_after_n_failures_and_closes_after_its_reset_timeout(register) -> None:
    healthy = threading.Event()
    answer_bag = bag(BOTERDIEP)
    stand_in = register(lambda r: answer_bag(r) if healthy.is_set() else problem(503))
    policy = CallPolicy(cache_seconds=0, breaker_failures=2, breaker_reset_seconds=0.5)
    client = BagClient(stand_in.url, None, policy)
    vraag = AdresVraag("3077 AW", 31)

    for _ in range(2):
        with pytest.raises(RegisterNietBeschikbaar):
            client.zoek(vraag)
    assert len(stand_in.seen) == 6  # each read tried three times

    started = time.monotonic()
    with pytest.raises(RegisterNietBeschikbaar):
        client.zoek(vraag)
    assert time.monotonic() - started < 0.1
    assert len(stand_in.seen) == 6  # open: the register was not asked

    healthy.set()
    time.sleep(0.6)
    assert len(client.zoek(vraag).waarde) == 4  # half-open: one read may try, and succeeds
    assert len(client.zoek(vraag).waarde) == 4  # closed again
    assert len(stand_in.seen) == 8


def test_a_failed_trial_opens_the_breaker_again(register) -> None:
    stand_in = register(lambda r: problem(503))
    policy = CallPolicy(cache_seconds=0, breaker_failures=1, breaker_reset_seconds=0.3)
    client = BrpClient(stand_in.url, None, policy)

    with pytest.raises(RegisterNietBeschikbaar):
        client.raadpleeg([BSN_MOULIN])
    time.sleep(0.4)
    with pytest.raises(RegisterNietBeschikbaar):
        client.raadpleeg([BSN_MOULIN])  # the trial: three attempts, then open again
    with pytest.raises(RegisterNietBeschikbaar):
        client.raadpleeg([BSN_MOULIN])
    assert len(stand_in.seen) == 6


def test_an_answer_is_reused_within_the_ttl_and_read_again_after_it(register) -> None:
    stand_in = register(brp(BRP_PERSONEN))
    client = BrpClient(stand_in.url, None, CallPolicy(cache_seconds=0.5))

    first = client.raadpleeg([BSN_MOULIN, BSN_ONBEKEND])
    second = client.raadpleeg([BSN_MOULIN, BSN_ONBEKEND])

    assert [g.uit_bron for g in first.values()] == [True, True]
    assert second[BSN_MOULIN] == Gelezen(first[BSN_MOULIN].waarde, uit_bron=False)
    assert second[BSN_ONBEKEND] == Gelezen(None, uit_bron=False)  # "not known" is kept too
    assert len(stand_in.seen) == 1

    mixed = client.raadpleeg([BSN_MOULIN, BSN_OVERLEDEN])  # only the new one is asked
    assert (mixed[BSN_MOULIN].uit_bron, mixed[BSN_OVERLEDEN].uit_bron) == (False, True)
    assert json.loads(stand_in.seen[1].body)["burgerservicenummer"] == [BSN_OVERLEDEN]

    time.sleep(0.6)
    third = client.raadpleeg([BSN_MOULIN])
    assert third[BSN_MOULIN].uit_bron
    assert len(stand_in.seen) == 3


def test_the_caller_is_told_what_is_read_at_the_source_before_it_is_asked(register) -> None:
    """So that it can record the read in the Logboek while the request is in flight."""
    stand_in = register(brp(BRP_PERSONEN))
    client = BrpClient(stand_in.url, None, CallPolicy(cache_seconds=60))
    told: list[tuple[list[str], int]] = []

    def bij_lezen(bsns) -> None:
        told.append((list(bsns), len(stand_in.seen)))

    client.raadpleeg([BSN_MOULIN], bij_lezen)
    client.raadpleeg([BSN_MOULIN, BSN_OVERLEDEN], bij_lezen)  # one from the cache
    client.raadpleeg([BSN_MOULIN, BSN_OVERLEDEN], bij_lezen)  # both: nothing to tell
    assert told == [([BSN_MOULIN], 0), ([BSN_OVERLEDEN], 1)]

    kvk_in = register(kvk({}))
    companies = KvkClient(kvk_in.url, None, CallPolicy(cache_seconds=60))
    kvk_told: list[tuple[list[str], int]] = []
    for _ in range(2):
        companies.onderneming(
            KVK_EENMANSZAAK, lambda n: kvk_told.append((list(n), len(kvk_in.seen)))
        )
    assert kvk_told == [([KVK_EENMANSZAAK], 0)]


def test_a_company_gone_from_the_register_is_kept_as_such(register) -> None:
    stand_in = register(kvk({}))
    client = KvkClient(stand_in.url, None, CallPolicy(cache_seconds=60))
    assert client.onderneming(KVK_EENMANSZAAK) == Gelezen(None, uit_bron=True)
    assert client.onderneming(KVK_EENMANSZAAK) == Gelezen(None, uit_bron=False)
    assert len(stand_in.seen) == 1


def test_without_a_cache_every_read_asks_the_register(register) -> None:
    stand_in = register(bag(BOTERDIEP))
    client = BagClient(stand_in.url, None, CallPolicy(cache_seconds=0))
    assert client.zoek(AdresVraag("3077 AW", 31)).uit_bron
    assert client.zoek(AdresVraag("3077 AW", 31)).uit_bron
    assert len(stand_in.seen) == 2


def test_a_failure_says_which_register_and_nothing_else(register, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    bsn, kvk_nummer, vraag = BSN_MOULIN, KVK_EENMANSZAAK, AdresVraag("3077 AW", 31)
    echo = register(
        lambda r: Response(f"fout voor {r.path} {r.query_string.decode()} {r.get_data()!r}", 500)
    )
    not_json = register(lambda r: Response(f"<html>{r.path}</html>", 200))
    refused_url = f"http://127.0.0.1:{closed_port()}"
    policy = CallPolicy(cache_seconds=0, breaker_failures=1, breaker_reset_seconds=60)

    failures: list[tuple[Bron, Callable[[], object]]] = []
    for url in (echo.url, not_json.url, refused_url):
        brp_client = BrpClient(url, "brp-key", policy)
        kvk_client = KvkClient(url, "kvk-key", policy)
        bag_client = BagClient(url, "bag-key", policy)
        failures += [
            (Bron.BRP, lambda c=brp_client: c.raadpleeg([bsn])),
            (Bron.KVK, lambda c=kvk_client: c.onderneming(kvk_nummer)),
            (Bron.BAG, lambda c=bag_client: c.zoek(vraag)),
        ]
        # The second time round the circuit is open.
        failures += failures[-3:]

    secrets = [bsn, kvk_nummer, "3077AW", "3077 AW", "brp-key", "kvk-key", "bag-key"]
    places = ["127.0.0.1", echo.url, not_json.url, refused_url]
    for bron, fail in failures:
        with pytest.raises(RegisterNietBeschikbaar) as caught:
            fail()
        error = caught.value
        assert error.bron is bron
        assert str(error) == f"{bron.value} niet beschikbaar"
        assert error.__cause__ is None and error.__context__ is None
        text = "".join(traceback.format_exception(error)) + repr(error)
        assert [s for s in secrets + places if s in text] == []

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert [s for s in secrets + places if s in logged] == []


# --- configuration and the per-process clients ----------------------------------------------

REGISTER_ENVIRONMENT = {
    "PROFIEL_BRP_BASE_URL": "https://proefomgeving.haalcentraal.nl/haalcentraal/api/brp",
    "PROFIEL_BRP_API_KEY": "brp-geheim",
    "PROFIEL_KVK_BASE_URL": "https://api.kvk.nl/test/api",
    "PROFIEL_BAG_BASE_URL": (
        "https://api.bag.acceptatie.kadaster.nl/lvbag/individuelebevragingen/v2"
    ),
}


def test_register_settings_from_the_environment() -> None:
    settings = _from_environment(
        RegisterSettings, REGISTER_ENVIRONMENT_VARIABLES, REGISTER_ENVIRONMENT
    )
    assert settings.kvk_base_url == "https://api.kvk.nl/test/api"
    assert settings.brp_api_key is not None
    assert settings.brp_api_key.get_secret_value() == "brp-geheim"
    assert (settings.kvk_api_key, settings.bag_api_key) == (None, None)
    assert (
        settings.timeout_seconds,
        settings.cache_seconds,
        settings.breaker_failures,
        settings.breaker_reset_seconds,
    ) == (3, 300, 5, 30)
    assert "brp-geheim" not in repr(settings)


def test_register_configuration_errors_name_the_variables_not_the_values() -> None:
    environment = {
        **{k: v for k, v in REGISTER_ENVIRONMENT.items() if k != "PROFIEL_BAG_BASE_URL"},
        "PROFIEL_KVK_BASE_URL": "https://api.kvk.nl/test/api/",
        "PROFIEL_BRP_BASE_URL": "ftp://proefomgeving.haalcentraal.nl",
        "PROFIEL_REGISTER_TIMEOUT_SECONDS": "99",
        "PROFIEL_REGISTER_BREAKER_FAILURES": "0",
    }
    with pytest.raises(ConfigurationError) as caught:
        _from_environment(RegisterSettings, REGISTER_ENVIRONMENT_VARIABLES, environment)
    assert str(caught.value) == (
        "invalid or missing configuration: PROFIEL_BAG_BASE_URL, PROFIEL_BRP_BASE_URL, "
        "PROFIEL_KVK_BASE_URL, PROFIEL_REGISTER_BREAKER_FAILURES, "
        "PROFIEL_REGISTER_TIMEOUT_SECONDS"
    )


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_register_settings.cache_clear()
    handelsregister.cache_clear()
    yield
    get_register_settings.cache_clear()
    handelsregister.cache_clear()


def test_the_process_client_is_built_once_from_the_settings(
    register, monkeypatch, fresh_settings
) -> None:
    base = f"/v1/basisprofielen/{KVK_EENMANSZAAK}"
    stand_in = register(kvk({base: kvk_testdata("basisprofiel-69599084.json")}))
    for name, value in REGISTER_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PROFIEL_KVK_BASE_URL", stand_in.url)
    monkeypatch.setenv("PROFIEL_KVK_API_KEY", "kvk-uit-de-omgeving")
    monkeypatch.setenv("PROFIEL_REGISTER_CACHE_SECONDS", "0")

    client = handelsregister()

    assert isinstance(client, KvkClient)
    assert handelsregister() is client
    assert client.onderneming(KVK_EENMANSZAAK).waarde is not None
    assert client.onderneming(KVK_EENMANSZAAK).uit_bron  # no cache, as configured
    assert [s.headers["Apikey"] for s in stand_in.seen] == ["kvk-uit-de-omgeving"] * 4


def test_importing_the_package_imports_no_client() -> None:
    probe = (
        "import sys, shared.registers; "
        "print(sorted(m for m in ('requests', 'urllib3', 'pybreaker', 'cachetools', "
        "'pydantic', 'shared.config', 'shared.registers.http') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_what_is_read_never_shows_in_a_repr(register) -> None:
    stand_in = register(brp(BRP_PERSONEN))
    persoon = BrpClient(stand_in.url, None, FAST).raadpleeg([BSN_MOULIN])[BSN_MOULIN].waarde
    assert isinstance(persoon, Persoon)
    assert isinstance(persoon.adressering, RegistratieAdres)
    assert "Boterdiep" not in repr(persoon) + repr(persoon.adressering)
    assert "Dagobert" not in repr(Vestiging("000038509504", "Test EMZ Dagobert", None))
