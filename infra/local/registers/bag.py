"""A local stand-in for the BAG: Kadaster's BAG API Individuele Bevragingen v2, the address
endpoints (``specs/bag-individuele-bevragingen-v2.openapi.yaml``), seeded with the addresses of
the local test data (``data/bag-adressen.json``, made by ``convert.py``).

A client configured with base URL ``http://127.0.0.1:<port>/bag`` (the real one is
``https://api.bag.acceptatie.kadaster.nl/lvbag/individuelebevragingen/v2``) asks:

- ``GET /adressen?postcode=&huisnummer=[&huisletter=][&huisnummertoevoeging=][&exacteMatch=]``
  - and also ``?adresseerbaarObjectIdentificatie=``, ``?pandIdentificatie=`` and
  ``?woonplaatsNaam=&openbareRuimteNaam=&huisnummer=`` (with the same optional three);
- ``GET /adressen/{nummeraanduidingIdentificatie}``.

Answers are HAL (``application/hal+json``): a collection ``{"_links": {"self": ...},
"_embedded": {"adressen": [...]}}`` of ``AdresIOHal`` with their ``_links``, 20 per page
(``page``, ``pageSize`` 10-100, with first/previous/next/last links where they apply). No match
is not an error: ``200`` with only ``_links.self`` and no ``_embedded`` - the BAG's "de
zoekvraag levert geen resultaten". An unknown identification on ``/adressen/{id}`` is ``404``.

Filtering, as the BAG API's ``exacte_match.feature`` describes it: the postcode (given without a
space: ``3077AW``) and huisnummer must match; a huisletter or huisnummertoevoeging that is given
must match too (no fuzzy search: huisnummer 3 never finds 13, toevoeging B never finds huisletter
B), one that is not given matches any value - so ``postcode=3089KG&huisnummer=20`` finds 20 A,
20 B and 20 C. With ``exacteMatch=true`` a part that is not given must be absent: the same query
finds only a plain 20 (here: nothing). Letters compare without regard to case (a stand-in
choice). The answer carries ``adresregel5``/``adresregel6`` (NEN 5825, as the live API does: the
archived document does not list them).

Errors are ``application/problem+json`` (``Error``, with ``invalid-params``) with the codes and
texts of the BAG API's ``foutafhandeling.feature``; a wrong type (``huisnummer=x``) is reported
alone. The API key goes in ``X-Api-Key``: missing gives 401, another key 403. Not served: the
other resources the ``_links`` point at, ``/adressen/zoek`` (so ``zoekresultaatIdentificatie``
finds nothing), ``expand`` (accepted, nothing is embedded), geconstateerd and inonderzoek.

The archived document requires ``kortNaam`` in ``Adres``, a typo for ``korteNaam`` (the field
it defines and the API delivers); answers have ``korteNaam``.
"""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from infra.local.registers.base import Refusal, StandIn, accepts, fixture, json_response

HAL = "application/hal+json"
PROBLEM = "application/problem+json"
API_VERSION = "2.0.0"
_HEADERS = {"API-Version": API_VERSION}
_NUMMERAANDUIDING = re.compile(r"^[0-9]{16}$")
_PARAMETERS: dict[str, tuple[str, Any]] = {
    # name: (kind, rule)
    "zoekresultaatIdentificatie": ("text", (1, 255)),
    "postcode": ("pattern", re.compile(r"^[1-9]{1}[0-9]{3}[a-zA-Z]{2}$")),
    "huisnummer": ("integer", (1, 99999)),
    "huisnummertoevoeging": ("pattern", re.compile(r"^[0-9a-zA-Z]{1,4}$")),
    "huisletter": ("pattern", re.compile(r"^[a-zA-Z]{1}$")),
    "exacteMatch": ("boolean", None),
    "adresseerbaarObjectIdentificatie": ("pattern", re.compile(r"^[0-9]{4}(01|02|03)[0-9]{10}$")),
    "woonplaatsNaam": ("text", (1, 80)),
    "openbareRuimteNaam": ("text", (1, 80)),
    "pandIdentificatie": ("pattern", re.compile(r"^[0-9]{4}10[0-9]{10}$")),
    "expand": ("text", (0, 1000)),
    "page": ("integer", (1, None)),
    "pageSize": ("integer", (10, 100)),
}
# The searches /adressen supports: the parameters each needs.
_SEARCHES = {
    "postcode": ("postcode", "huisnummer"),
    "adresseerbaarObject": ("adresseerbaarObjectIdentificatie",),
    "openbareRuimte": ("woonplaatsNaam", "openbareRuimteNaam", "huisnummer"),
    "pand": ("pandIdentificatie",),
    "zoekresultaat": ("zoekresultaatIdentificatie",),
}
_REFINEMENTS = ("huisletter", "huisnummertoevoeging", "exacteMatch")
_TYPE_REASONS = {
    "integer": "Waarde is geen geldige integer.",
    "boolean": "Waarde is geen geldige boolean.",
}


def _invalid_params(request: Request, invalid: list[dict[str, str]]) -> Refusal:
    """The BAG's 400 for parameters that are not correct, each named in invalidParams."""
    return _problem(
        request,
        400,
        "Een of meerdere parameters zijn niet correct.",
        "paramsValidation",
        "Zie invalid-params.",
        invalid,
    )


def _problem(
    request: Request,
    status: int,
    title: str,
    code: str,
    detail: str,
    invalid: list[dict[str, str]] | None = None,
) -> Refusal:
    body: dict[str, Any] = {
        "type": f"https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.{_SECTIONS[status]}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url,
        "code": code,
    }
    if invalid:
        body["invalid-params"] = invalid
    return Refusal(status, body)


_SECTIONS = {400: "4.1", 401: "4.2", 403: "4.4", 404: "4.5", 405: "4.6", 406: "4.7", 503: "5.4"}


def _invalid(name: str, code: str, reason: str) -> dict[str, str]:
    return {"name": name, "code": code, "reason": reason}


class BagStandIn(StandIn):
    """The WSGI app of ``/adressen``; ``adressen`` are BAG ``Adres`` objects (the fixture,
    unless a test gives its own)."""

    def __init__(self, api_key: str | None = None, adressen: list[dict] | None = None) -> None:
        super().__init__(api_key)
        self.adressen = (
            adressen if adressen is not None else fixture("bag-adressen.json")["adressen"]
        )
        self._by_id = {adres["nummeraanduidingIdentificatie"]: adres for adres in self.adressen}

    def respond(self, request: Request) -> Response:
        try:
            path = request.path
            if path != "/adressen" and not path.startswith("/adressen/"):
                raise _problem(
                    request,
                    404,
                    "Opgevraagde resource bestaat niet.",
                    "notFound",
                    "Deze stand-in kent alleen adressen.",
                )
            if request.method != "GET":
                raise _problem(
                    request,
                    405,
                    "Deze methode is niet toegestaan",
                    "methodNotAllowed",
                    "Adressen worden gevraagd met GET.",
                )
            self.remember({"path": path, "query": request.args.to_dict()})
            if self.failing:
                raise _problem(
                    request,
                    503,
                    "Bronservice is niet beschikbaar.",
                    "sourceUnavailable",
                    "De BAG is tijdelijk niet beschikbaar.",
                )
            self._authenticate(request)
            if not accepts(request, HAL, "application/json"):
                raise _problem(
                    request,
                    406,
                    "Gevraagde contenttype wordt niet ondersteund.",
                    "notAcceptable",
                    "Het antwoord is alleen beschikbaar als HAL JSON.",
                )
            if path == "/adressen":
                body = self._search(request)
            else:
                body = self._one(request, path.removeprefix("/adressen/"))
            return json_response(200, body, HAL, _HEADERS)
        except Refusal as refusal:
            return json_response(refusal.status, refusal.body, PROBLEM, _HEADERS)

    def _authenticate(self, request: Request) -> None:
        problem = self.key_problem(request, "X-Api-Key")
        if problem == "missing":
            raise _problem(
                request,
                401,
                "Niet correct geauthenticeerd.",
                "authentication",
                "Er is geen X-Api-Key meegestuurd.",
            )
        if problem == "wrong":
            raise _problem(
                request,
                403,
                "U bent niet geautoriseerd voor deze operatie.",
                "autorisation",
                "De meegestuurde X-Api-Key is niet geldig.",
            )

    def _one(self, request: Request, identificatie: str) -> dict[str, Any]:
        unknown = [
            _invalid(name, "unknownParam", "Parameter is niet verwacht.")
            for name in request.args
            if name != "expand"
        ]
        if not _NUMMERAANDUIDING.match(identificatie):
            unknown.insert(
                0,
                _invalid(
                    "nummeraanduidingIdentificatie",
                    "pattern",
                    "Waarde voldoet niet aan patroon ^[0-9]{16}$.",
                ),
            )
        if unknown:
            raise _invalid_params(request, unknown)
        adres = self._by_id.get(identificatie)
        if adres is None:
            raise _problem(
                request,
                404,
                "Opgevraagde resource bestaat niet.",
                "notFound",
                "Er is geen adres met deze nummeraanduidingidentificatie.",
            )
        return _hal(adres, _base(request))

    def _search(self, request: Request) -> dict[str, Any]:
        query = _validated(request)
        found = [adres for adres in self.adressen if _matches(adres, query)]
        page, size = int(query.get("page", 1)), int(query.get("pageSize", 20))
        pages = max(1, math.ceil(len(found) / size))
        if page > pages:
            raise _invalid_params(
                request, [_invalid("page", "page", "De opgegeven pagina bestaat niet.")]
            )
        links: dict[str, Any] = {"self": {"href": request.url}}
        for name, number in (
            ("first", 1),
            ("previous", page - 1),
            ("next", page + 1),
            ("last", pages),
        ):
            if (name in ("first", "previous") and page > 1) or (
                name in ("next", "last") and page < pages
            ):
                links[name] = {"href": _page_url(request, number)}
        body: dict[str, Any] = {"_links": links}
        shown = found[(page - 1) * size : page * size]
        if shown:
            base = _base(request)
            body["_embedded"] = {"adressen": [_hal(adres, base) for adres in shown]}
        return body


def _validated(request: Request) -> dict[str, str]:
    query = request.args.to_dict()
    if not query:
        raise _problem(
            request,
            400,
            "Ten minste één parameter moet worden opgegeven.",
            "paramsRequired",
            "Er is geen parameter opgegeven.",
        )
    type_errors, invalid = [], []
    for name, value in query.items():
        if name not in _PARAMETERS:
            invalid.append(_invalid(name, "unknownParam", "Parameter is niet verwacht."))
            continue
        kind, rule = _PARAMETERS[name]
        if kind == "integer":
            if not re.fullmatch(r"-?[0-9]+", value):
                type_errors.append(_invalid(name, "integer", _TYPE_REASONS["integer"]))
                continue
            low, high = rule
            if int(value) < low:
                invalid.append(_invalid(name, "minimum", f"Waarde is lager dan minimum {low}."))
            elif high is not None and int(value) > high:
                invalid.append(_invalid(name, "maximum", f"Waarde is hoger dan maximum {high}."))
        elif kind == "boolean" and value not in ("true", "false"):
            type_errors.append(_invalid(name, "boolean", _TYPE_REASONS["boolean"]))
        elif kind == "pattern" and not rule.match(value):
            invalid.append(
                _invalid(name, "pattern", f"Waarde voldoet niet aan patroon {rule.pattern}.")
            )
        elif kind == "text" and not rule[0] <= len(value) <= rule[1]:
            code = "minLength" if len(value) < rule[0] else "maxLength"
            invalid.append(_invalid(name, code, "Waarde heeft niet de toegestane lengte."))
    if type_errors or invalid:
        raise _invalid_params(request, type_errors or invalid)
    searches = [name for name, needs in _SEARCHES.items() if all(n in query for n in needs)]
    started = [name for name, needs in _SEARCHES.items() if any(n in query for n in needs)]
    if len(searches) > 1 and not (set(searches) <= {"postcode", "openbareRuimte"}):
        raise _problem(
            request,
            400,
            "De combinatie van opgegeven parameters is niet toegestaan.",
            "unsupportedCombination",
            "Geef één zoekvraag per keer.",
        )
    if not searches:
        raise _problem(
            request,
            400,
            "Minimale combinatie van parameters moet worden opgegeven.",
            "paramsCombination",
            "Geef bijvoorbeeld postcode en huisnummer."
            if started
            else "Er is geen zoekparameter opgegeven.",
        )
    if any(name in query for name in _REFINEMENTS) and not (
        set(searches) & {"postcode", "openbareRuimte"}
    ):
        raise _problem(
            request,
            400,
            "De combinatie van opgegeven parameters is niet toegestaan.",
            "unsupportedCombination",
            "Huisletter, huisnummertoevoeging en exacteMatch horen bij een huisnummer.",
        )
    return query


def _matches(adres: dict[str, Any], query: dict[str, str]) -> bool:
    if "zoekresultaatIdentificatie" in query:
        return False  # /adressen/zoek is not served: no zoekresultaat exists
    if "adresseerbaarObjectIdentificatie" in query:
        return (
            adres.get("adresseerbaarObjectIdentificatie")
            == (query["adresseerbaarObjectIdentificatie"])
        )
    if "pandIdentificatie" in query:
        return query["pandIdentificatie"] in adres.get("pandIdentificaties", [])
    if "postcode" in query and adres["postcode"] != query["postcode"].upper():
        return False
    if "woonplaatsNaam" in query and (
        adres["woonplaatsNaam"].lower() != query["woonplaatsNaam"].lower()
        or adres["openbareRuimteNaam"].lower() != query["openbareRuimteNaam"].lower()
    ):
        return False
    if adres["huisnummer"] != int(query["huisnummer"]):
        return False
    exact = query.get("exacteMatch") == "true"
    for part in ("huisletter", "huisnummertoevoeging"):
        asked, has = query.get(part), adres.get(part)
        if asked is not None and (has or "").lower() != asked.lower():
            return False
        if asked is None and exact and has:
            return False
    return True


def _base(request: Request) -> str:
    return request.host_url.rstrip("/") + request.script_root


def _page_url(request: Request, page: int) -> str:
    query = {**request.args.to_dict(), "page": str(page)}
    return f"{request.base_url}?{urlencode(query)}"


def _hal(adres: dict[str, Any], base: str) -> dict[str, Any]:
    """An address as ``AdresIOHal``: the address with links to what it is made of."""
    return {
        **adres,
        "_links": {
            "self": {"href": f"{base}/adressen/{adres['nummeraanduidingIdentificatie']}"},
            "openbareRuimte": {
                "href": f"{base}/openbareruimten/{adres['openbareRuimteIdentificatie']}"
            },
            "nummeraanduiding": {
                "href": f"{base}/nummeraanduidingen/{adres['nummeraanduidingIdentificatie']}"
            },
            "woonplaats": {"href": f"{base}/woonplaatsen/{adres['woonplaatsIdentificatie']}"},
            "adresseerbaarObject": {
                "href": f"{base}/adresseerbareobjecten/{adres['adresseerbaarObjectIdentificatie']}"
            },
            "panden": [{"href": f"{base}/panden/{pand}"} for pand in adres["pandIdentificaties"]],
        },
    }
