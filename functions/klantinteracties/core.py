"""The Klantinteracties surface's own rules: which partij a query names, and the answer in Open
Klant 2's shapes (``specs/openklant-klantinteracties.openapi.yaml``). No I/O.

What is released is decided elsewhere, the same as for every organisation
(:mod:`shared.models.verstrekking`); here it is only put in the shapes Open Klant's clients read,
so that their own selection picks the address that rule gives. NotifyNL's OMC picks the address
whose ``referentie`` is the case (we give none), then ``voorkeursDigitaalAdres``, then the first
e-mail address, then the first phone number: so the list holds only the addresses the rule gives
this organisation on a channel the partij did not refuse, preferred first, and
``voorkeursDigitaalAdres`` is the first of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from shared.errors import InvalidParam
from shared.identity.verwijzing import Verwezen, adres_uuid
from shared.models.partij import SoortIdentificator
from shared.models.profiel import Contactgegeven, SoortDigitaalAdres
from shared.models.register import Doel, Veld
from shared.models.values import normalise_bsn, normalise_kvk_nummer, normalise_vestigingsnummer
from shared.models.verstrekking import verstrekking
from shared.opvragen import Gevonden

# Open Klant's codes of a partij's identifier: (codeSoortObjectId, codeRegister, codeObjecttype).
BSN = ("bsn", "brp", "natuurlijk_persoon")
KVK_NUMMER = ("kvk_nummer", "hr", "niet_natuurlijk_persoon")
VESTIGINGSNUMMER = ("vestigingsnummer", "hr", "vestiging")

_NORMALISE = {
    "bsn": normalise_bsn,
    "kvk_nummer": normalise_kvk_nummer,
    "vestigingsnummer": normalise_vestigingsnummer,
}
_SOORT_DIGITAAL_ADRES = {
    SoortDigitaalAdres.EMAIL: "email",
    SoortDigitaalAdres.TELEFOONNUMMER: "telefoonnummer",
}
_VELD = {
    SoortDigitaalAdres.EMAIL: Veld.EMAIL,
    SoortDigitaalAdres.TELEFOONNUMMER: Veld.TELEFOONNUMMER,
}


def identificator(query: Mapping[str, str], prefix: str) -> Verwezen | None:
    """The partij a query's filters ``<prefix>partijIdentificator__*`` (and for a branch
    ``<prefix>subIdentificatorVan__*``) name; None if they name none this service keeps - an
    RSIN, a value that is no valid number, a register or object type that does not go with the
    kind of number. Open Klant answers such a filter with an empty list, and so does this."""
    code = _codes(query, f"{prefix}partijIdentificator__")
    if code is None:
        return None
    soort, value = code
    if soort == "bsn":
        return Verwezen(SoortIdentificator.BSN, value)
    if soort == "kvk_nummer":
        return Verwezen(SoortIdentificator.KVK_NUMMER, value)
    parent = _codes(query, f"{prefix}subIdentificatorVan__")
    if parent is None or parent[0] != "kvk_nummer":
        return None  # a branch is found below its company
    return Verwezen(SoortIdentificator.KVK_NUMMER, parent[1], value)


def _codes(query: Mapping[str, str], prefix: str) -> tuple[str, str] | None:
    soort = query.get(f"{prefix}codeSoortObjectId")
    object_id = query.get(f"{prefix}objectId")
    if soort not in _NORMALISE or object_id is None:
        return None
    _, register, objecttype = {"bsn": BSN, "kvk_nummer": KVK_NUMMER}.get(soort, VESTIGINGSNUMMER)
    if query.get(f"{prefix}codeRegister", register) != register:
        return None
    if query.get(f"{prefix}codeObjecttype", objecttype) != objecttype:
        return None
    try:
        return soort, _NORMALISE[soort](object_id)
    except ValueError:
        return None


@dataclass(frozen=True)
class Urls:
    """The absolute URLs of this surface's resources, as Open Klant gives them."""

    base: str  # scheme, host and base path

    def partij(self, uuid: str) -> str:
        return f"{self.base}/partijen/{uuid}"

    def digitaal_adres(self, uuid: str) -> str:
        return f"{self.base}/digitaleadressen/{uuid}"


@dataclass(frozen=True)
class Antwoord:
    """What may be told of one partij found, for one organisation under one purpose."""

    gevonden: Gevonden
    verwezen: Verwezen
    partij_uuid: str
    oin: str
    doel: Doel
    now: datetime

    def adressen(self) -> tuple[Contactgegeven, ...]:
        """The addresses this organisation may write to, preferred first (see the module)."""
        assert self.gevonden.profiel is not None
        gegeven = verstrekking(
            self.gevonden.profiel, self.oin, None, self.now, self.verwezen.vestigingsnummer
        )
        return tuple(
            c for c in gegeven.per_kanaal if _VELD[c.soort_digitaal_adres] in self.doel.velden
        )


def partij(antwoord: Antwoord, urls: Urls, expand: set[str]) -> dict[str, Any]:
    """A partij (``persoon``, or ``organisatie`` for a company or one of its branches)."""
    profiel = antwoord.gevonden.profiel
    assert profiel is not None
    adressen = [digitaal_adres(c, antwoord, urls) for c in antwoord.adressen()]
    references = [{"uuid": a["uuid"], "url": a["url"]} for a in adressen]
    naam = profiel.contactnaam if Veld.CONTACTNAAM in antwoord.doel.velden else None
    persoon = antwoord.verwezen.soort is SoortIdentificator.BSN
    shown: dict[str, Any] = {
        "uuid": antwoord.partij_uuid,
        "url": urls.partij(antwoord.partij_uuid),
        "betrokkenen": [],
        "categorieRelaties": [],
        "digitaleAdressen": references,
        "voorkeursDigitaalAdres": references[0] if references else None,
        "vertegenwoordigden": [],
        "rekeningnummers": [],
        "voorkeursRekeningnummer": None,
        # The fields Open Klant always gives (and Maykin's client types as always there), empty:
        # nothing of them is released here.
        "nummer": None,
        "interneNotitie": "",
        "voorkeurstaal": "",
        "indicatieGeheimhouding": None,
        "correspondentieadres": None,
        "bezoekadres": None,
        "soortPartij": "persoon" if persoon else "organisatie",
        "indicatieActief": True,
        "partijIdentificatie": (
            {
                # The name the partij chose to be addressed by, where the purpose allows it:
                # whole, as a portal shows it - it is no split BRP name.
                "contactnaam": {"achternaam": naam} if naam else None,
                "volledigeNaam": naam or "",
            }
            if persoon
            else ({"naam": naam} if naam else {})
        ),
    }
    if "digitaleAdressen" in expand:
        shown["_expand"] = {"digitaleAdressen": adressen}
    return shown


def digitaal_adres(
    contactgegeven: Contactgegeven, antwoord: Antwoord, urls: Urls
) -> dict[str, Any]:
    uuid = adres_uuid(antwoord.oin, contactgegeven.id)
    return {
        "uuid": uuid,
        "url": urls.digitaal_adres(uuid),
        "verstrektDoorBetrokkene": None,
        "verstrektDoorPartij": {
            "uuid": antwoord.partij_uuid,
            "url": urls.partij(antwoord.partij_uuid),
        },
        "adres": contactgegeven.adres,
        "soortDigitaalAdres": _SOORT_DIGITAAL_ADRES[contactgegeven.soort_digitaal_adres],
        # Always there in Open Klant (and in Maykin's client's type), empty: the owner's own
        # description of an address is not released. No ``referentie``: the OMC would pick an
        # address by it before the one the rule gives.
        "omschrijving": "",
        # The one this organisation is to use for its kind: a list holds one of each at most.
        "isStandaardAdres": True,
        "verificatieDatum": (
            contactgegeven.verificatie_datum.isoformat()
            if contactgegeven.verificatie_datum
            else None
        ),
    }


def pagina(results: list[dict[str, Any]]) -> dict[str, Any]:
    """A list as Open Klant pages it: here never more than one page."""
    return {"count": len(results), "next": None, "previous": None, "results": results}


# The filters of ``GET /digitaleadressen`` this surface applies to the addresses of the partij
# named; any other filter of Open Klant's (a date range, a betrokkene) matches none of them.
_ADRES_FILTERS = {
    "soortDigitaalAdres": lambda a, v: a["soortDigitaalAdres"] == v,
    "adres": lambda a, v: a["adres"] == v,
    "adres__icontains": lambda a, v: v.lower() in a["adres"].lower(),
    # Every address given is the standard one of its kind, and verified.
    "isStandaardAdres": lambda a, v: boolean(v) is True,
    "isGeverifieerd": lambda a, v: boolean(v) is True,
    "verstrektDoorPartij__uuid": lambda a, v: a["verstrektDoorPartij"]["uuid"] == v,
    "verstrektDoorPartij__url": lambda a, v: a["verstrektDoorPartij"]["url"] == v,
    "verstrektDoorPartij__soortPartij": None,  # checked with the partij
}
# The filters that name the partij, and those that only page or expand.
_NAMING = ("verstrektDoorPartij__partijIdentificator__", "verstrektDoorPartij__uuid")
_NEUTRAL = ("page", "pageSize", "expand")


def partij_matches(shown: dict[str, Any], query: Mapping[str, str]) -> bool:
    """Whether a partij found by its identificator is of the kind ``soortPartij`` asks for, and
    as active as ``indicatieActief`` asks (every partij given is)."""
    soort = query.get("soortPartij")
    actief = query.get("indicatieActief")
    return (soort is None or soort == shown["soortPartij"]) and (
        actief is None or boolean(actief) is shown["indicatieActief"]
    )


def filtered_adressen(
    adressen: list[dict[str, Any]], query: Mapping[str, str], soort_partij: str
) -> list[dict[str, Any]]:
    """The addresses of the partij named that every other filter of the query matches."""
    for name, value in query.items():
        if name.startswith(_NAMING[0]) or name in _NEUTRAL:
            continue
        if name == "verstrektDoorPartij__soortPartij":
            if value != soort_partij:
                return []
            continue
        check = _ADRES_FILTERS.get(name)
        if check is None:
            return []
        adressen = [a for a in adressen if check(a, value)]
    return adressen


# The filters of these reads that Open Klant's document types (all others are strings): a value
# not of its type is refused (400 naming each), as Open Klant's own filters refuse it; a value of
# the right type that names nobody only matches nothing. Any integer is a page or page size (the
# document sets no bounds): a page other than the first is empty, and a page size changes nothing
# where a list never holds more than one partij. An ``expand`` is a comma-separated list
# (``style: form``, ``explode: false``) of the document's names, as Maykin's client sends it.
_SOORT_PARTIJ = frozenset({"contactpersoon", "organisatie", "persoon"})
_PAGINA = {"page": "integer", "pageSize": "integer"}
PARTIJ_FILTERS: dict[str, str | frozenset[str]] = {
    "expand": frozenset(
        {"betrokkenen", "betrokkenen.hadKlantcontact", "categorieRelaties", "digitaleAdressen"}
    ),
}
PARTIJEN_FILTERS: dict[str, str | frozenset[str]] = {
    **PARTIJ_FILTERS,
    **_PAGINA,
    "indicatieActief": "boolean",
    "indicatieGeheimhouding": "boolean",
    "soortPartij": _SOORT_PARTIJ,
    "vertegenwoordigdePartij__url": "uri",
    "vertegenwoordigdePartij__uuid": "uuid",
}
DIGITALE_ADRESSEN_FILTERS: dict[str, str | frozenset[str]] = {
    **_PAGINA,
    "expand": frozenset(
        {
            "verstrektDoorBetrokkene",
            "verstrektDoorBetrokkene.hadKlantcontact",
            "verstrektDoorBetrokkene.hadKlantcontact.leiddeTotInterneTaken",
        }
    ),
    "isGeverifieerd": "boolean",
    "isStandaardAdres": "boolean",
    "soortDigitaalAdres": frozenset({"email", "overig", "telefoonnummer"}),
    **{
        f"verificatieDatum{suffix}": "date"
        for suffix in ("", "__gt", "__gte", "__lt", "__lte")
    },
    "verstrektDoorBetrokkene__rol": frozenset({"klant", "vertegenwoordiger"}),
    "verstrektDoorBetrokkene__url": "uri",
    "verstrektDoorBetrokkene__uuid": "uuid",
    "verstrektDoorPartij__soortPartij": _SOORT_PARTIJ,
    "verstrektDoorPartij__url": "uri",
    "verstrektDoorPartij__uuid": "uuid",
}
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# An absolute URI (RFC 3986): a scheme, then no space or control character.
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s\x00-\x1f\x7f]*")
_BOOLEAN = {"true": True, "false": False, "1": True, "0": False}
_REASON = {
    "integer": "een geheel getal",
    "boolean": "true of false",
    "date": "een datum (JJJJ-MM-DD)",
    "uri": "een absolute URL",
    "uuid": "een UUID",
}


def invalid_filters(
    query: Mapping[str, str], types: Mapping[str, str | frozenset[str]]
) -> list[InvalidParam]:
    """The typed filters of the query whose value is not of the type the document gives."""
    invalid = []
    for name, kind in types.items():
        value = query.get(name)
        if value is None or _of_type(value, kind, is_list=name == "expand"):
            continue
        reason = (
            f"een van: {', '.join(sorted(kind))}" if isinstance(kind, frozenset) else _REASON[kind]
        )
        invalid.append(InvalidParam(name, "ongeldig", reason))
    return invalid


def _of_type(value: str, kind: str | frozenset[str], is_list: bool) -> bool:
    if isinstance(kind, frozenset):
        # A list: empty, or names of the enum between commas (an empty list is sent empty).
        return value == "" or all(part in kind for part in value.split(",")) if is_list else (
            value in kind
        )
    if kind == "integer":
        return value.isascii() and _INTEGER.fullmatch(value) is not None
    if kind == "boolean":
        return boolean(value) is not None
    if kind == "date":
        return _date(value)
    if kind == "uri":
        return _URI.fullmatch(value) is not None
    return canonical_uuid(value) is not None


def _date(value: str) -> bool:
    if not (value.isascii() and _DATE.fullmatch(value)):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def boolean(value: str) -> bool | None:
    """A boolean filter's value as Open Klant's filters read it; None for no boolean."""
    return _BOOLEAN.get(value.lower()) if value.isascii() else None


def _parts(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def canonical_uuid(value: str) -> str | None:
    """A UUID as the partij UUIDs are given (lower case, with hyphens); None for a value that is
    no UUID. Open Klant's UUID fields take the same spellings (``uuid.UUID``)."""
    try:
        return str(UUID(value))
    except ValueError:
        return None


def page_number(query: Mapping[str, str]) -> int | None:
    """The page asked for (1 when none); None for a page that is no positive number."""
    value = query.get("page", "1")
    number = int(value) if value.isascii() and _INTEGER.fullmatch(value) else 0
    return number if number >= 1 else None


def expanded(query: Mapping[str, str]) -> set[str]:
    return set(_parts(query.get("expand", "")))
