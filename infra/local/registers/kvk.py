"""A local stand-in for the KVK Handelsregister: KVK API Basisprofiel v1
(``specs/kvk-basisprofiel-v1.openapi.yaml``) and API Vestigingsprofiel v1
(``specs/kvk-vestigingsprofiel-v1.openapi.yaml``), seeded with KVK test companies
(``data/kvk-basisprofielen.json``, made by ``convert.py``).

A client configured with base URL ``http://127.0.0.1:<port>/kvk`` (the real ones:
``https://api.kvk.nl/test/api``, ``https://api.kvk.nl/api``) asks:

- ``GET /v1/basisprofielen/{kvkNummer}[?geoData=true]``: the company, with its hoofdvestiging
  (without rsin, handelsnamen and other vestiging-only fields, as KVK embeds it) and eigenaar in
  ``_embedded``;
- ``GET /v1/basisprofielen/{kvkNummer}/hoofdvestiging[?geoData=true]``;
- ``GET /v1/basisprofielen/{kvkNummer}/vestigingen``: ``VestigingList`` with the counts;
- ``GET /v1/basisprofielen/{kvkNummer}/eigenaar[?geoData=true]``;
- ``GET /v1/vestigingsprofielen/{vestigingsnummer}[?geoData=true]``.

Answers are ``application/hal+json`` with HAL ``_links`` (objects keyed by relation), as KVK
answers since API version 1.4 and as the documents say; the older recordings in
``specs/kvk-testdata`` still show the earlier ``links`` arrays. ``geoData=true`` adds each
Dutch street address's BAG ids (``addresseerbaarObjectId``, ``nummerAanduidingId``: the ids the
BAG stand-in has for that address; no coordinates).

Not every company has a hoofdvestiging: a Vereniging van Eigenaars (90000749, recorded) has no
onderneming and so no vestigingen - its address is the eigenaar's. Then ``/hoofdvestiging``
answers 404 (IPD0005) and ``/vestigingen`` an empty list (both not recorded, assumed).

Errors have KVK's shape, ``{"fout": [{"code": "IPD....", "omschrijving": "..."}]}`` as
``application/json`` (as recorded; ``application/hal+json`` on ``/v1/vestigingsprofielen``,
whose document lists no other), the documents giving no error schema of their own: an unknown KVK-nummer ``404`` IPD0005 with KVK's text, an invalid one ``400`` IPD0004, an
unknown vestigingsnummer ``404`` IPD0007, an invalid ``400`` IPD0006, a ``geoData`` other
than true/false ``400`` IPD1999, ``failing`` ``503`` IPD1003. Other query parameters are ignored
(they are kept in ``requests``: a test can check them with the document). The API key goes in ``apikey``; missing or another
key gives ``401`` with code ``401`` - KVK's own 401 body was not found in any recording.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from typing import Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from infra.local.registers.base import StandIn, fixture, json_response

HAL = "application/hal+json"
JSON = "application/json"
_KVK_NUMMER = re.compile(r"^[0-9]{8}$")
_VESTIGINGSNUMMER = re.compile(r"^[0-9]{12}$")
# Fields KVK leaves out of the hoofdvestiging it embeds in a basisprofiel.
_NOT_EMBEDDED = (
    "rsin",
    "handelsnamen",
    "indNonMailing",
    "voltijdWerkzamePersonen",
    "deeltijdWerkzamePersonen",
    "websites",
    "sbiActiviteiten",
    "statutaireNaam",
)
_VESTIGING_BASIS = (
    "vestigingsnummer",
    "kvkNummer",
    "eersteHandelsnaam",
    "indHoofdvestiging",
    "indAdresAfgeschermd",
    "indCommercieleVestiging",
    "volledigAdres",
)


class _Fout(Exception):
    def __init__(self, status: int, code: str, omschrijving: str) -> None:
        super().__init__(status)
        self.status = status
        self.body = {"fout": [{"code": code, "omschrijving": omschrijving}]}


class KvkStandIn(StandIn):
    """The WSGI app of the Basisprofiel and Vestigingsprofiel APIs; ``ondernemingen`` maps
    KVK-nummer to the company as the fixture stores it (unless a test gives its own).

    ``testreeks``: a prefix of KVK-nummers for which the stand-in makes a company up, as a test
    environment hands out test numbers: a test gets a company nobody else in the run has, with
    two vestigingen (:func:`vestigingsnummer_van_test`). Off unless given.
    """

    def __init__(
        self,
        api_key: str | None = None,
        ondernemingen: dict[str, dict] | None = None,
        testreeks: str | None = None,
    ) -> None:
        super().__init__(api_key)
        self.testreeks = testreeks
        self.ondernemingen = (
            ondernemingen
            if ondernemingen is not None
            else fixture("kvk-basisprofielen.json")["ondernemingen"]
        )
        self._map = Map(
            [
                Rule(path, endpoint=endpoint, methods=["GET"])
                for path, endpoint in (
                    ("/v1/basisprofielen/<kvk_nummer>", "basisprofiel"),
                    ("/v1/basisprofielen/<kvk_nummer>/hoofdvestiging", "hoofdvestiging"),
                    ("/v1/basisprofielen/<kvk_nummer>/vestigingen", "vestigingen"),
                    ("/v1/basisprofielen/<kvk_nummer>/eigenaar", "eigenaar"),
                    ("/v1/vestigingsprofielen/<vestigingsnummer>", "vestigingsprofiel"),
                )
            ],
            strict_slashes=True,
            merge_slashes=False,
            redirect_defaults=False,
        )

    def respond(self, request: Request) -> Response:
        # KVK sends errors as application/json (recorded); the Vestigingsprofiel document
        # lists only application/hal+json for its answers, so there that.
        error_type = HAL if request.path.startswith("/v1/vestigingsprofielen/") else JSON
        try:
            try:
                endpoint, arguments = self._map.bind_to_environ(request.environ).match(
                    method=request.method
                )
            except NotFound:
                raise _Fout(404, "IPD0001", "Het gevraagde product bestaat niet.") from None
            except MethodNotAllowed:
                raise _Fout(405, "IPD1998", "Algemene invoer parameter fout.") from None
            self.remember({"path": request.path, "query": request.args.to_dict()})
            if self.failing:
                raise _Fout(
                    503,
                    "IPD1003",
                    "De gegevens zijn tijdelijk niet leverbaar. "
                    "Probeer het over 5 minuten nog een keer.",
                )
            if self.key_problem(request, "apikey"):
                raise _Fout(401, "401", "Er is geen geldige API-key meegestuurd.")
            geo = self._geo(request, endpoint)
            links = _Links(request.host_url.rstrip("/") + request.script_root)
            if endpoint == "vestigingsprofiel":
                body = self._vestigingsprofiel(arguments["vestigingsnummer"], links)
            else:
                onderneming = self._onderneming(arguments["kvk_nummer"])
                body = getattr(self, f"_{endpoint}")(onderneming, links)
            if not geo:
                _strip_geo(body)
            return json_response(200, body, HAL)
        except _Fout as fout:
            return json_response(fout.status, fout.body, error_type)

    @staticmethod
    def _geo(request: Request, endpoint: str) -> bool:
        value = request.args.get("geoData", "false")
        if value not in ("true", "false"):
            raise _Fout(
                400, "IPD1999", "De volgende opgegeven parameter(s) is(zijn) ongeldig: geoData."
            )
        return value == "true" and endpoint != "vestigingen"

    def _onderneming(self, kvk_nummer: str) -> dict[str, Any]:
        if not _KVK_NUMMER.match(kvk_nummer):
            raise _Fout(400, "IPD0004", f"Het KVK-nummer {kvk_nummer} is niet valide.")
        onderneming = self.ondernemingen.get(kvk_nummer)
        if onderneming is None and self.testreeks and kvk_nummer.startswith(self.testreeks):
            onderneming = _testonderneming(kvk_nummer)
        if onderneming is None:
            raise _Fout(
                404,
                "IPD0005",
                f"Op basis van het KVK-nummer {kvk_nummer} kan het product niet worden geleverd.",
            )
        return copy.deepcopy(onderneming)

    def _basisprofiel(self, onderneming: dict[str, Any], links: _Links) -> dict[str, Any]:
        kvk_nummer = onderneming["basisprofiel"]["kvkNummer"]
        body = dict(onderneming["basisprofiel"])
        body["_links"] = links.basisprofiel(kvk_nummer, bool(onderneming["vestigingen"]))
        embedded: dict[str, Any] = {}
        hoofdvestiging = _hoofdvestiging(onderneming)
        if hoofdvestiging:
            embedded["hoofdvestiging"] = {
                **{k: v for k, v in hoofdvestiging.items() if k not in _NOT_EMBEDDED},
                "_links": links.hoofdvestiging(kvk_nummer, hoofdvestiging["vestigingsnummer"]),
            }
        embedded["eigenaar"] = self._eigenaar(onderneming, links)
        body["_embedded"] = embedded
        return body

    def _hoofdvestiging(self, onderneming: dict[str, Any], links: _Links) -> dict[str, Any]:
        kvk_nummer = onderneming["basisprofiel"]["kvkNummer"]
        hoofdvestiging = _hoofdvestiging(onderneming)
        if hoofdvestiging is None:
            raise _Fout(
                404,
                "IPD0005",
                f"Op basis van het KVK-nummer {kvk_nummer} kan het product niet worden geleverd.",
            )
        return {
            **hoofdvestiging,
            "_links": links.hoofdvestiging(kvk_nummer, hoofdvestiging["vestigingsnummer"]),
        }

    def _vestigingen(self, onderneming: dict[str, Any], links: _Links) -> dict[str, Any]:
        kvk_nummer = onderneming["basisprofiel"]["kvkNummer"]
        vestigingen = onderneming["vestigingen"]
        commercieel = sum(1 for v in vestigingen if v.get("indCommercieleVestiging") == "Ja")
        return {
            "kvkNummer": kvk_nummer,
            "aantalCommercieleVestigingen": commercieel,
            "aantalNietCommercieleVestigingen": len(vestigingen) - commercieel,
            "totaalAantalVestigingen": len(vestigingen),
            "vestigingen": [_basis(vestiging, links) for vestiging in vestigingen],
            "_links": links.vestigingen(kvk_nummer),
        }

    @staticmethod
    def _eigenaar(onderneming: dict[str, Any], links: _Links) -> dict[str, Any]:
        kvk_nummer = onderneming["basisprofiel"]["kvkNummer"]
        return {**onderneming["eigenaar"], "_links": links.eigenaar(kvk_nummer)}

    def _vestigingsprofiel(self, vestigingsnummer: str, links: _Links) -> dict[str, Any]:
        if not _VESTIGINGSNUMMER.match(vestigingsnummer):
            raise _Fout(400, "IPD0006", f"Het vestigingsnummer {vestigingsnummer} is niet valide.")
        for onderneming in self.ondernemingen.values():
            for vestiging in onderneming["vestigingen"]:
                if vestiging["vestigingsnummer"] == vestigingsnummer:
                    return {
                        **copy.deepcopy(vestiging),
                        "_links": links.vestigingsprofiel(vestiging),
                    }
        raise _Fout(
            404,
            "IPD0007",
            f"Op basis van het vestigingsnummer {vestigingsnummer} kan "
            "het product niet worden geleverd.",
        )


# The recorded company a made-up one is a copy of, with its own numbers and names.
_VOORBEELD = "69599084"
_VOORBEELD_VESTIGINGEN = ("000038509504", "000038509520")


def vestigingsnummer_van_test(kvk_nummer: str, volgnummer: int = 0) -> str:
    """The vestigingsnummer of a made-up company's hoofdvestiging (0) or other vestiging (1):
    twelve digits from a hash, as unrelated to the KVK-nummer as a real one."""
    digest = hashlib.sha256(f"{kvk_nummer}/{volgnummer}".encode()).digest()
    return f"{int.from_bytes(digest[:8]) % 10**12:012d}"


def _testonderneming(kvk_nummer: str) -> dict[str, Any]:
    text = json.dumps(fixture("kvk-basisprofielen.json")["ondernemingen"][_VOORBEELD])
    for volgnummer, vestigingsnummer in enumerate(_VOORBEELD_VESTIGINGEN):
        text = text.replace(vestigingsnummer, vestigingsnummer_van_test(kvk_nummer, volgnummer))
    text = text.replace(_VOORBEELD, kvk_nummer).replace("Test EMZ Dagobert", f"Test {kvk_nummer}")
    return json.loads(text)


def _hoofdvestiging(onderneming: dict[str, Any]) -> dict[str, Any] | None:
    return next((v for v in onderneming["vestigingen"] if v.get("indHoofdvestiging") == "Ja"), None)


def _basis(vestiging: dict[str, Any], links: _Links) -> dict[str, Any]:
    """A vestiging as an item of ``VestigingList``: its numbers, name and one address line."""
    adressen = vestiging.get("adressen") or []
    adres = next((a for a in adressen if a.get("type") == "bezoekadres"), None) or (
        adressen[0] if adressen else {}
    )
    basis = {key: vestiging[key] for key in _VESTIGING_BASIS if key in vestiging}
    if adres:
        basis["indAdresAfgeschermd"] = adres.get("indAfgeschermd", "Nee")
        basis["volledigAdres"] = adres.get("volledigAdres")
    basis["_links"] = {
        "vestigingsprofiel": {
            "href": links.url(f"/v1/vestigingsprofielen/{vestiging['vestigingsnummer']}")
        }
    }
    return basis


def _strip_geo(value: Any) -> None:
    if isinstance(value, dict):
        value.pop("geoData", None)
        for item in value.values():
            _strip_geo(item)
    elif isinstance(value, list):
        for item in value:
            _strip_geo(item)


class _Links:
    """HAL links of KVK's answers, under the stand-in's own base URL."""

    def __init__(self, base: str) -> None:
        self.base = base

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def _link(self, path: str) -> dict[str, str]:
        return {"href": self.url(path)}

    def basisprofiel(self, kvk_nummer: str, met_vestigingen: bool) -> dict[str, Any]:
        links = {"self": self._link(f"/v1/basisprofielen/{kvk_nummer}")}
        if met_vestigingen:
            links["vestigingen"] = self._link(f"/v1/basisprofielen/{kvk_nummer}/vestigingen")
        return links

    def hoofdvestiging(self, kvk_nummer: str, vestigingsnummer: str) -> dict[str, Any]:
        return {
            "self": self._link(f"/v1/basisprofielen/{kvk_nummer}/hoofdvestiging"),
            "vestigingen": self._link(f"/v1/basisprofielen/{kvk_nummer}/vestigingen"),
            "basisprofiel": self._link(f"/v1/basisprofielen/{kvk_nummer}"),
            "vestigingsprofiel": self._link(f"/v1/vestigingsprofielen/{vestigingsnummer}"),
        }

    def vestigingen(self, kvk_nummer: str) -> dict[str, Any]:
        return {
            "self": self._link(f"/v1/basisprofielen/{kvk_nummer}/vestigingen"),
            "basisprofiel": self._link(f"/v1/basisprofielen/{kvk_nummer}"),
        }

    def eigenaar(self, kvk_nummer: str) -> dict[str, Any]:
        return {
            "self": self._link(f"/v1/basisprofielen/{kvk_nummer}/eigenaar"),
            "basisprofiel": self._link(f"/v1/basisprofielen/{kvk_nummer}"),
        }

    def vestigingsprofiel(self, vestiging: dict[str, Any]) -> dict[str, Any]:
        return {
            "self": self._link(f"/v1/vestigingsprofielen/{vestiging['vestigingsnummer']}"),
            "basisprofiel": self._link(f"/v1/basisprofielen/{vestiging['kvkNummer']}"),
        }
