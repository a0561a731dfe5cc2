"""A local stand-in for the BRP: Haal Centraal BRP Personen Bevragen 2.x (``POST /personen``,
``specs/brp-personen-bevragen.openapi.yaml``), seeded with RvIG's test personas.

Served at its own root, as ``https://proefomgeving.haalcentraal.nl/haalcentraal/api/brp`` is: a
client configured with base URL ``http://127.0.0.1:<port>/brp`` posts to ``<base>/personen``.
The API key, when the stand-in has one, goes in ``X-API-KEY``: missing gives 401, another key
403.

Only ``RaadpleegMetBurgerservicenummer`` is served, with the real API's rules:

- ``burgerservicenummer``: a list of 1 to 20 BSNs (9 digits); ``fields``: 1 to 130 paths; an
  optional ``gemeenteVanInschrijving`` (4 digits) leaves out persons registered elsewhere. Any
  other parameter is refused (400 ``unknownParam``) - also ``inclusiefOverledenPersonen``, which
  only the searches (``ZoekMet...``) have.
- Deceased persons ARE delivered: raadplegen with a BSN always includes them (RvIG: "Dit kunnen
  ook personen zijn die zijn overleden"). Such a person has ``overlijden`` when asked and always
  carries ``opschortingBijhouding`` with reden ``O`` ("overlijden"). For a person of the RNI
  (gemeente 1999) the opschorting may be ``R`` instead, so a client must also look at
  ``overlijden`` (ask for ``overlijden``; it is only there when the person died).
- ``fields``: a path selects that field with everything under it, a dotted path only that part
  (``naam``, ``naam.voornamen``, ``adressering.adresregel1``). A path to a field that does not
  exist is refused (400, code ``fields``), and so is one to a field the API delivers by itself:
  ``opschortingBijhouding`` and ``geheimhoudingPersoonsgegevens`` (delivered when they apply:
  opschorting when there is one, geheimhouding only when true), ``inOnderzoek``, ``rni``,
  ``verificatie``. ``inOnderzoek`` comes with the asked fields it concerns.
- A BSN the BRP does not know is simply absent from ``personen``; a person whose record was
  removed (opschorting ``F`` or ``W``) likewise.

What is served per person (``data/brp-personen.json``, made by ``convert.py``): aNummer,
burgerservicenummer, geslacht, naam (with voorletters and volledigeNaam), geboorte, overlijden,
verblijfplaats (Adres, VerblijfplaatsBuitenland, Locatie or VerblijfplaatsOnbekend),
adressering (see ``adressering.py`` for its rules and simplifications), gemeenteVanInschrijving,
datumInschrijvingInGemeente, indicatieCurateleRegister, partners, opschortingBijhouding,
geheimhoudingPersoonsgegevens, and ``leeftijd`` (computed when asked). Paths under the other
fields of the document's ``Persoon`` (nationaliteiten, kinderen, ouders, verblijfstitel, ...)
are accepted and give nothing, as for a person without them. Not modelled: the searches,
shortened field paths (``aanhef`` for ``adressering.aanhef``), authorisation per field,
``inOnderzoek`` outside verblijfplaats and adressering.

Errors are ``application/problem+json`` with ``invalidParams`` as the document defines. The real
API's texts name an item as ``fields[1]`` and quote the pattern in ``reason``; both break the
document's own patterns for ``name``, ``reason`` and ``detail``, so here the name is the
parameter (``fields``), the reason says the same without the pattern, and the detail has no
colon. A client must not parse these texts anyway.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from typing import Any

from werkzeug.wrappers import Request, Response

from infra.local.registers.base import Refusal, StandIn, accepts, fixture, json_response

QUERY_TYPE = "RaadpleegMetBurgerservicenummer"
MAX_BSNS = 20
MAX_FIELDS = 130
JSON = "application/json; charset=utf-8"
PROBLEM = "application/problem+json"
_BSN = re.compile(r"^[0-9]{9}$")
_GEMEENTE = re.compile(r"^[0-9]{4}$")
_FIELD = re.compile(r"^[a-zA-Z0-9\._]{1,200}$")
_PARAMETER_NAME = re.compile(r"^[a-zA-Z0-9\._]{1,30}$")
_PARAMETERS = ("type", "burgerservicenummer", "fields", "gemeenteVanInschrijving")
_INSTANCE = "/personen"
_NOT_DELIVERED = ("F", "W")  # reden opschorting: fout, wissen

# The fields a path may name. A leaf ({}) is a value; ANY accepts any path beneath (the fields
# of the document's Persoon this stand-in has no data for).
ANY: dict[str, Any] = {}
_WAARDETABEL: dict[str, Any] = {"code": {}, "omschrijving": {}}


def _leaves(*names: str) -> dict[str, Any]:
    return {name: {} for name in names}


_DATUM = _leaves("type", "datum", "jaar", "maand", "onbekend", "langFormaat")
_PLAATS_EN_DATUM: dict[str, Any] = {"datum": _DATUM, "land": _WAARDETABEL, "plaats": _WAARDETABEL}
_NAAM_BASIS: dict[str, Any] = {
    "voornamen": {},
    "adellijkeTitelPredicaat": {**_WAARDETABEL, "soort": {}},
    "voorvoegsel": {},
    "geslachtsnaam": {},
    "voorletters": {},
}
FIELD_TREE: dict[str, Any] = {
    "aNummer": {},
    "burgerservicenummer": {},
    "datumEersteInschrijvingGBA": _DATUM,
    "geslacht": _WAARDETABEL,
    "leeftijd": {},
    "naam": {**_NAAM_BASIS, "volledigeNaam": {}, "aanduidingNaamgebruik": _WAARDETABEL},
    "geboorte": _PLAATS_EN_DATUM,
    "overlijden": _PLAATS_EN_DATUM,
    "verblijfplaats": {
        "type": {},
        "datumVan": _DATUM,
        "datumIngangGeldigheid": _DATUM,
        "functieAdres": _WAARDETABEL,
        "adresseerbaarObjectIdentificatie": {},
        "nummeraanduidingIdentificatie": {},
        "indicatieVastgesteldVerblijftNietOpAdres": {},
        "verblijfadres": {
            **_leaves(
                "officieleStraatnaam",
                "korteStraatnaam",
                "huisnummer",
                "huisletter",
                "huisnummertoevoeging",
                "postcode",
                "woonplaats",
                "regel1",
                "regel2",
                "regel3",
                "locatiebeschrijving",
            ),
            "aanduidingBijHuisnummer": _WAARDETABEL,
            "land": _WAARDETABEL,
        },
    },
    "adressering": {
        **_leaves(
            "adresregel1",
            "adresregel2",
            "adresregel3",
            "aanhef",
            "gebruikInLopendeTekst",
            "indicatieVastgesteldVerblijftNietOpAdres",
        ),
        "land": _WAARDETABEL,
        "aanschrijfwijze": {"naam": {}, "aanspreekvorm": {}},
    },
    "gemeenteVanInschrijving": _WAARDETABEL,
    "datumInschrijvingInGemeente": _DATUM,
    "indicatieCurateleRegister": {},
    "partners": {
        "burgerservicenummer": {},
        "geslacht": _WAARDETABEL,
        "soortVerbintenis": _WAARDETABEL,
        "naam": _NAAM_BASIS,
        "geboorte": _PLAATS_EN_DATUM,
        "aangaanHuwelijkPartnerschap": _PLAATS_EN_DATUM,
        "ontbindingHuwelijkPartnerschap": {"datum": _DATUM},
    },
    **dict.fromkeys(
        (
            "nationaliteiten",
            "kinderen",
            "ouders",
            "verblijfstitel",
            "immigratie",
            "europeesKiesrecht",
            "uitsluitingKiesrecht",
            "gezag",
            "indicatieGezagMinderjarige",
        ),
        ANY,
    ),
}
# Delivered unasked where they apply; naming them in fields is an error.
AUTOMATIC = ("geheimhoudingPersoonsgegevens", "opschortingBijhouding", "rni", "verificatie")
_ALL = object()  # a selection that takes a value with everything under it


def _problem(
    status: int, title: str, detail: str, code: str, invalid: list[dict[str, str]] | None = None
) -> Refusal:
    body: dict[str, Any] = {
        "type": _PROBLEM_TYPES[status],
        "title": title,
        "status": status,
        "detail": detail,
        "instance": _INSTANCE,
        "code": code,
    }
    if invalid:
        body["invalidParams"] = invalid
    return Refusal(status, body)


_PROBLEM_TYPES = {
    400: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1",
    401: "https://datatracker.ietf.org/doc/html/rfc7235#section-3.1",
    403: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.3",
    404: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.4",
    405: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.5",
    406: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.6",
    415: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.13",
    503: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.6.4",
}


def _invalid(name: str, code: str, reason: str) -> dict[str, str]:
    return {"name": name, "code": code, "reason": reason}


class BrpStandIn(StandIn):
    """The WSGI app of ``POST /personen``. ``personen`` maps BSN to the person in the v2 shape
    with every field it has (the fixture, unless a test gives its own)."""

    def __init__(
        self, api_key: str | None = None, personen: dict[str, dict[str, Any]] | None = None
    ) -> None:
        super().__init__(api_key)
        self.personen = (
            personen if personen is not None else fixture("brp-personen.json")["personen"]
        )

    def respond(self, request: Request) -> Response:
        try:
            if request.path != _INSTANCE:
                raise _problem(
                    404,
                    "Opgevraagde resource bestaat niet.",
                    "Alleen personen is hier beschikbaar.",
                    "notFound",
                )
            if request.method != "POST":
                raise _problem(
                    405,
                    "Methode niet toegestaan.",
                    "Personen worden gevraagd met POST.",
                    "methodNotAllowed",
                )
            raw = request.get_data()
            self.remember(_parsed(raw))
            if self.failing:
                raise _problem(
                    503,
                    "Bronservice BRP is tijdelijk niet beschikbaar.",
                    "De BRP is tijdelijk niet beschikbaar.",
                    "notAvailable",
                )
            self._authenticate(request)
            if request.mimetype != "application/json":
                raise _problem(
                    415,
                    "Unsupported Media Type",
                    "Stuur de vraag als application json.",
                    "unsupported",
                )
            if not accepts(request, "application/json"):
                raise _problem(
                    406,
                    "Gevraagde contenttype wordt niet ondersteund.",
                    "Het antwoord is alleen beschikbaar als application json.",
                    "notAcceptable",
                )
            try:
                body = json.loads(raw or b"null")
            except ValueError:
                raise _problem(
                    400,
                    "Een of meerdere parameters zijn niet correct.",
                    "De vraag is geen geldige JSON.",
                    "paramsValidation",
                ) from None
            return json_response(200, self.answer(body), JSON)
        except Refusal as refusal:
            return json_response(refusal.status, refusal.body, PROBLEM)

    def answer(self, query: Any) -> dict[str, Any]:
        """The ``200`` answer to a valid query; raises ``Refusal`` for an invalid one."""
        bsns, tree, gemeente = _validated(query)
        today = date.today()
        personen = []
        for bsn in dict.fromkeys(bsns):
            persoon = self.personen.get(bsn)
            if persoon is None or _removed(persoon):
                continue
            if gemeente and (persoon.get("gemeenteVanInschrijving") or {}).get("code") != gemeente:
                continue
            personen.append(_delivered(persoon, tree, today))
        return {"type": QUERY_TYPE, "personen": personen}

    def _authenticate(self, request: Request) -> None:
        problem = self.key_problem(request, "X-API-KEY")
        if problem == "missing":
            raise _problem(
                401,
                "Niet correct geauthenticeerd.",
                "Er is geen API-key meegestuurd.",
                "authentication",
            )
        if problem == "wrong":
            raise _problem(
                403,
                "U bent niet geautoriseerd voor deze operatie.",
                "De meegestuurde API-key is niet geldig.",
                "autorisation",
            )


def _parsed(raw: bytes) -> Any:
    """A request body as a test would want to check it: parsed, else as text."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")


def _validated(query: Any) -> tuple[list[str], dict[str, Any], str | None]:
    if not isinstance(query, dict) or not query:
        raise _problem(
            400,
            "Ten minste één parameter moet worden opgegeven.",
            "Er is geen parameter opgegeven.",
            "paramsRequired",
        )
    if query.get("type") != QUERY_TYPE:
        reason = (
            "Parameter is verplicht." if "type" not in query else "Waarde is geen geldig zoek type."
        )
        raise _problem(
            400,
            "Een of meerdere parameters zijn niet correct.",
            "De foutieve parameter(s) zijn type.",
            "paramsValidation",
            [_invalid("type", "required" if "type" not in query else "value", reason)],
        )
    missing = [name for name in ("burgerservicenummer", "fields") if name not in query]
    if missing:
        raise _problem(
            400,
            "Minimale combinatie van parameters moet worden opgegeven.",
            f"De foutieve parameter(s) zijn {', '.join(missing)}.",
            "paramsCombination",
            [_invalid(name, "required", "Parameter is verplicht.") for name in missing],
        )
    # A name the document's InvalidParam.name pattern cannot hold is reported as "parameter".
    invalid = [
        _invalid(
            name if _PARAMETER_NAME.match(name) else "parameter",
            "unknownParam",
            "Parameter is niet verwacht.",
        )
        for name in query
        if name not in _PARAMETERS
    ]
    invalid += _list_problems(
        "burgerservicenummer",
        query["burgerservicenummer"],
        MAX_BSNS,
        lambda value: bool(_BSN.match(value)),
    )
    invalid += _list_problems(
        "fields", query["fields"], MAX_FIELDS, lambda value: bool(_FIELD.match(value))
    )
    gemeente = query.get("gemeenteVanInschrijving")
    if gemeente is not None and not (isinstance(gemeente, str) and _GEMEENTE.match(gemeente)):
        invalid.append(
            _invalid("gemeenteVanInschrijving", "pattern", "Waarde voldoet niet aan patroon.")
        )
    tree: dict[str, Any] = {}
    if not invalid:
        for path in query["fields"]:
            problem = _select(tree, path)
            if problem:
                invalid.append(_invalid("fields", "fields", problem))
    if invalid:
        names = ", ".join(dict.fromkeys(item["name"] for item in invalid))
        raise _problem(
            400,
            "Een of meerdere parameters zijn niet correct.",
            f"De foutieve parameter(s) zijn {names}.",
            "paramsValidation",
            invalid,
        )
    return query["burgerservicenummer"], tree, gemeente


def _list_problems(name: str, value: Any, maximum: int, valid: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        return [_invalid(name, "array", "Parameter is geen array.")]
    if not value:
        return [_invalid(name, "minItems", "Array bevat minder dan 1 items.")]
    if len(value) > maximum:
        return [_invalid(name, "maxItems", f"Array bevat meer dan {maximum} items.")]
    return [
        _invalid(name, "pattern", "Waarde voldoet niet aan patroon.")
        for item in value
        if not (isinstance(item, str) and valid(item))
    ]


def _select(tree: dict[str, Any], path: str) -> str | None:
    """Adds ``path`` to the selection ``tree``; the reason it cannot be asked, if so."""
    parts = path.split(".")
    if parts[0] in AUTOMATIC or "inOnderzoek" in parts:
        return "Parameter bevat een niet toegestane veldnaam."
    known: dict[str, Any] = FIELD_TREE
    node = tree
    for depth, part in enumerate(parts):
        if known is not ANY:
            if part not in known:
                return "Parameter bevat een niet bestaande veldnaam."
            known = known[part]
        if node.get(part) is _ALL:
            return None  # already asked with everything under it
        if depth == len(parts) - 1:
            node[part] = _ALL
        else:
            node = node.setdefault(part, {})
    return None


def _removed(persoon: dict[str, Any]) -> bool:
    reden = ((persoon.get("opschortingBijhouding") or {}).get("reden") or {}).get("code")
    return reden in _NOT_DELIVERED


def _delivered(persoon: dict[str, Any], tree: dict[str, Any], today: date) -> dict[str, Any]:
    """The asked part of one person, with what the BRP delivers unasked."""
    full = copy.deepcopy(persoon)
    leeftijd = _leeftijd(full, today)
    if leeftijd is not None:
        full["leeftijd"] = leeftijd
    result = _pick(full, tree)
    if "opschortingBijhouding" in full:
        result["opschortingBijhouding"] = full["opschortingBijhouding"]
    if full.get("geheimhoudingPersoonsgegevens"):
        result["geheimhoudingPersoonsgegevens"] = True
    return result


def _pick(value: Any, selection: Any) -> Any:
    if selection is _ALL:
        return value
    if isinstance(value, list):
        picked = [_pick(item, selection) for item in value]
        return [item for item in picked if item not in ({}, None)]
    if not isinstance(value, dict):
        return None
    if "langFormaat" in value:
        return value  # a date is one value: asked in part, it comes whole
    result: dict[str, Any] = {}
    for key, below in selection.items():
        if key in value:
            picked = _pick(value[key], below)
            if picked not in ({}, [], None):
                result[key] = picked
    if result and "type" in value:
        result = {"type": value["type"], **result}  # says which schema the rest follows
    if result and value.get("indicatieVastgesteldVerblijftNietOpAdres"):
        result["indicatieVastgesteldVerblijftNietOpAdres"] = True  # comes with any part
    if result and isinstance(value.get("inOnderzoek"), dict):
        onderzoek = {
            key: flag
            for key, flag in value["inOnderzoek"].items()
            if key in result or key.startswith("datumIngangOnderzoek")
        }
        if any(not key.startswith("datumIngangOnderzoek") for key in onderzoek):
            result["inOnderzoek"] = onderzoek
    return result


def _leeftijd(persoon: dict[str, Any], today: date) -> int | None:
    """Age in whole years today, for a living person with a full date of birth."""
    if "overlijden" in persoon:
        return None
    geboren = ((persoon.get("geboorte") or {}).get("datum") or {}).get("datum")
    if not geboren:
        return None
    born = date.fromisoformat(geboren)
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
