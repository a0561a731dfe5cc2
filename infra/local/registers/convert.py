"""Regenerates the register stand-ins' fixtures (``data/``) from the vendored official test data.

    python -m infra.local.registers.convert

- ``brp-personen.json``: a fixed selection of RvIG's BRP test personas
  (``specs/brp-testdata/test-data.json``, a GBA-like format: code/omschrijving pairs, dates as
  ``yyyymmdd`` with ``00`` for an unknown part, house numbers as strings), each turned into the
  person of a BRP API v2 answer with every field the stand-in serves, the ``adressering``
  derived (``adressering.py``). Values are trimmed; the omschrijvingen of the v2 value tables
  (geslacht, naamgebruik, opschorting, ...) replace the GBA ones.
- ``bag-adressen.json``: one BAG address (Individuele Bevragingen v2 ``Adres``) for every Dutch
  address of the selected personas, every Dutch street address of the KVK companies and every
  address the repository's demo data uses (``bag_adressen.py``). A persona's BAG ids are kept,
  every other id is made up deterministically in the BAG's format with a ``9`` right after the
  object type code (``<gemeente>20 9...`` for a nummeraanduiding): no real object has such an
  id. A missing woonplaats is the persona's gemeente van inschrijving.
- ``kvk-basisprofielen.json``: the companies of ``specs/kvk-testdata`` (answers recorded from
  KVK's test environment) and the other demo KVK-nummers, constructed in the same shape
  (``kvk_ondernemingen.py``); each company says what is recorded and what is constructed.

Run it after changing the selection or the rules; a test checks that the committed fixtures are
what this module generates, so they cannot drift apart.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from infra.local.registers.adressering import (
    adressering,
    naamgebruik_partner,
    volledige_naam,
    voorletters,
)
from infra.local.registers.bag_adressen import bag_adressen
from infra.local.registers.kvk_ondernemingen import (
    KVK_GEMEENTEN,
    kvk_addresses,
    kvk_companies,
    kvk_fixture,
)

REPOSITORY = Path(__file__).resolve().parents[3]
BRP_SOURCE = REPOSITORY / "specs" / "brp-testdata" / "test-data.json"
DATA = Path(__file__).parent / "data"

# The personas served, and why each is here.
SELECTION: tuple[tuple[str, str], ...] = (
    ("999993653", "Suzanne Moulin, Boterdiep 31 Rotterdam: the burger of the guide"),
    ("100600505", "DigiD test person, address in onderzoek (081100), no woonplaats"),
    ("100600517", "DigiD test person at the same address, in onderzoek"),
    ("999990342", "demo person, Slaghekstraat 5 Rotterdam"),
    ("999970239", "deceased (overlijden 2020, opschorting O)"),
    ("000009957", "emigrated (opschorting E), address abroad: only the land Zwitserland"),
    ("100600220", "geheimhoudingPersoonsgegevens"),
    ("000009908", "briefadres, voorvoegsel, diacritics"),
    ("999970197", "indicatieCurateleRegister, registered partner"),
    ("000009830", "graaf, voorvoegsel, address in onderzoek (080000), no BAG ids"),
    ("999990160", "ridder, curatele, huisletter"),
    ("999992016", "barones with voorvoegsel Van"),
    ("999992922", "graaf, woonplaats Scheveningen in gemeente 's-Gravenhage"),
    ("999994669", "jonkvrouw with a partner and naamgebruik N: no predicaat"),
    ("999993951", "barones with naamgebruik P: no title"),
    ("999995029", "jonkvrouw without partner: predicaat"),
    ("999991103", "hertog with a partner"),
    ("999991073", "markies abroad (opschorting E)"),
    ("999993483", "gravin abroad, geheimhouding"),
    ("100602459", "prins (DigiD test person)"),
    ("999970884", "naamgebruik V"),
    ("999990949", "naamgebruik V, voorvoegsel"),
    ("999991553", "naamgebruik P, partner with voorvoegsel De"),
    ("999995406", "naamgebruik V with a dissolved marriage"),
    ("999971190", "naamgebruik P, deceased"),
    ("999970422", "deceased, voorvoegsel"),
    ("999970847", "deceased, date of death known to the year only"),
    ("999993008", "deceased, date of death known to the month, no BAG ids"),
    ("999990147", "deceased, naamgebruik V"),
    ("999990305", "deceased in the RNI, jonkvrouw, address abroad"),
    ("999992077", "deceased in the RNI, address abroad, no naamgebruik"),
    ("999992855", "opschorting R (RNI), jonkvrouw abroad"),
    ("999994372", "opschorting R with an unknown date"),
    ("999997038", "opschorting R, address abroad in België"),
    ("999993586", "opschorting M (ministerieel besluit), verblijfplaats onbekend"),
    ("999991164", "emigrated, three address lines abroad, date known to the month"),
    ("100600116", "address abroad without opschorting"),
    ("999993422", "baron abroad"),
    ("999990123", "abroad, geheimhouding"),
    ("999991280", "briefadres with BAG ids"),
    ("999994293", "briefadres, Jonkheer van Riemsdijkln"),
    ("999971104", "geheimhouding with BAG ids"),
    ("999993811", "curatele"),
    ("999970392", "Turfmarkt 7 a (huisletter)"),
    ("999998468", "Turfmarkt 7 (the same number without huisletter)"),
    ("999990196", "Eemhavenweg 20 A"),
    ("999994657", "Eemhavenweg 20 B"),
    ("999993446", "Eemhavenweg 20 C"),
    ("999991516", "Eemhavenweg 16, postcode in onderzoek (081160)"),
    ("999991693", "huisletter and toevoeging (555 B73c), deceased, voorvoegsel von"),
    ("999990883", "toevoeging starting with a digit (9-2)"),
    ("000009994", "aanduiding bij huisnummer (t/o), no BAG ids"),
    ("999990482", "aanduiding bij huisnummer (t/o) with BAG ids"),
    ("999997002", "locatie (woonark)"),
    ("999992090", "geslacht onbekend, no voornamen, abroad"),
    ("999992570", "vastgesteld verblijft niet op adres (089999)"),
    ("999992703", "huisnummer in onderzoek (081120)"),
    ("010245741", "huisletter A, Amsterdam"),
)

# Demo addresses used elsewhere in the repository, added to the BAG as they are.
DEMO_ADDRESSES: tuple[dict[str, Any], ...] = (
    {
        "straat": "Kerkstraat",
        "huisnummer": 12,
        "huisletter": "a",
        "postcode": "2511AB",
        "woonplaats": "Den Haag",
        "gemeente": "0518",
        "herkomst": "infra/local/demo.py (postadres of BSN 100600505)",
    },
    {
        "straat": "Marktplein",
        "huisnummer": 3,
        "huisnummertoevoeging": "B",
        "postcode": "3511LM",
        "woonplaats": "Utrecht",
        "gemeente": "0344",
        "herkomst": "infra/local/demo.py (postadres of KVK 69599084)",
    },
    {
        "straat": "Industrieweg",
        "huisnummer": 101,
        "postcode": "9723BA",
        "woonplaats": "Groningen",
        "gemeente": "0014",
        "herkomst": "infra/local/demo.py (postadres of KVK 68750110)",
    },
    {
        "straat": "Lange Voorhout",
        "huisnummer": 9,
        "huisletter": "A",
        "huisnummertoevoeging": "2",
        "postcode": "2514EA",
        "woonplaats": "Den Haag",
        "gemeente": "0518",
        "herkomst": "events/update-profile/postadres-nederlands.json",
    },
)

# The omschrijvingen of the BRP API v2 value tables.
GESLACHT = {"M": "man", "V": "vrouw", "O": "onbekend"}
NAAMGEBRUIK = {
    "E": "gebruik alleen de eigen naam.",
    "N": "gebruik de eigennaam voor de partnernaam.",
    "P": "gebruik alleen de partnernaam.",
    "V": "gebruik de partnernaam voor de eigen naam.",
}
OPSCHORTING = {
    "O": "overlijden",
    "E": "emigratie",
    "M": "ministerieel besluit",
    "R": "pl is aangelegd in de rni",
    "F": "fout",
    ".": "onbekend",
}
FUNCTIE_ADRES = {"W": "woonadres", "B": "briefadres"}
SOORT_VERBINTENIS = {"H": "huwelijk", "P": "geregistreerd partnerschap"}
AANDUIDING_BIJ_HUISNUMMER = {"by": "bij", "to": "tegenover"}
MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
NEDERLAND = "6030"
ONBEKEND_LAND = "0000"


# --- BRP ---------------------------------------------------------------------------------------


def brp_fixture(source: list[dict[str, Any]]) -> dict[str, Any]:
    by_bsn = {persona["burgerservicenummer"]: persona for persona in source}
    personen = {bsn: persoon(_trimmed(by_bsn[bsn])) for bsn, _ in SELECTION}
    return {
        "herkomst": (
            "Converted by infra/local/registers/convert.py from RvIG's BRP API test data, "
            "specs/brp-testdata/test-data.json (EUPL-1.2, (c) RvIG 2022)."
        ),
        "selectie": dict(SELECTION),
        "personen": personen,
    }


def persoon(gba: dict[str, Any]) -> dict[str, Any]:
    """One persona as the person of a BRP API v2 answer, with every field served."""
    result: dict[str, Any] = {}
    _put(result, "aNummer", gba.get("aNummer"))
    result["burgerservicenummer"] = gba["burgerservicenummer"]
    _put(result, "datumEersteInschrijvingGBA", datum(gba.get("datumEersteInschrijvingGBA")))
    _put(result, "geslacht", _waarde(gba.get("geslacht"), GESLACHT))
    result["naam"] = naam(gba["naam"], gba.get("geslacht"))
    _put(result, "geboorte", _plaats_en_datum(gba.get("geboorte")))
    _put(result, "overlijden", _plaats_en_datum(gba.get("overlijden")))
    opschorting = gba.get("opschortingBijhouding")
    if opschorting:
        result["opschortingBijhouding"] = {
            "reden": _waarde(opschorting.get("reden"), OPSCHORTING),
            "datum": datum(opschorting.get("datum")),
        }
    if int(gba.get("geheimhoudingPersoonsgegevens") or 0) > 0:
        result["geheimhoudingPersoonsgegevens"] = True
    if gba.get("indicatieCurateleRegister"):
        result["indicatieCurateleRegister"] = True
    _put(result, "gemeenteVanInschrijving", _waarde(gba.get("gemeenteVanInschrijving")))
    _put(result, "datumInschrijvingInGemeente", datum(gba.get("datumInschrijvingInGemeente")))
    _put(result, "partners", partners(gba.get("partners") or []))
    plaats, onderzoek, vastgesteld = verblijfplaats(gba["verblijfplaats"])
    _put(result, "verblijfplaats", plaats)
    groep = adressering(result)
    if vastgesteld:
        groep["indicatieVastgesteldVerblijftNietOpAdres"] = True
    if onderzoek:
        groep["inOnderzoek"] = onderzoek
    _put(result, "adressering", groep)
    return result


def naam(gba: dict[str, Any], geslacht: dict[str, Any] | None) -> dict[str, Any]:
    result: dict[str, Any] = {}
    _put(result, "voornamen", gba.get("voornamen"))
    titel = gba.get("adellijkeTitelPredicaat")
    if titel:
        result["adellijkeTitelPredicaat"] = {
            "code": titel["code"],
            "omschrijving": titel["omschrijving"][:1].upper() + titel["omschrijving"][1:],
            "soort": titel["soort"],
        }
    _put(result, "voorvoegsel", gba.get("voorvoegsel"))
    _put(result, "geslachtsnaam", gba.get("geslachtsnaam"))
    _put(result, "voorletters", voorletters(gba.get("voornamen")))
    _put(result, "volledigeNaam", volledige_naam({"naam": result, "geslacht": geslacht}))
    _put(result, "aanduidingNaamgebruik", _waarde(gba.get("aanduidingNaamgebruik"), NAAMGEBRUIK))
    return result


def partners(gba: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The current partners, else the last dissolved one (as the v2 API delivers them)."""
    converted = []
    for partner in gba:
        result: dict[str, Any] = {}
        _put(result, "burgerservicenummer", partner.get("burgerservicenummer"))
        _put(result, "geslacht", _waarde(partner.get("geslacht"), GESLACHT))
        _put(
            result, "soortVerbintenis", _waarde(partner.get("soortVerbintenis"), SOORT_VERBINTENIS)
        )
        partner_naam = {
            key: value
            for key, value in naam(partner.get("naam") or {}, None).items()
            if key
            in (
                "voornamen",
                "adellijkeTitelPredicaat",
                "voorvoegsel",
                "geslachtsnaam",
                "voorletters",
            )
        }
        _put(result, "naam", partner_naam)
        _put(result, "geboorte", _plaats_en_datum(partner.get("geboorte")))
        _put(
            result,
            "aangaanHuwelijkPartnerschap",
            _plaats_en_datum(partner.get("aangaanHuwelijkPartnerschap")),
        )
        ontbinding = (partner.get("ontbindingHuwelijkPartnerschap") or {}).get("datum")
        if ontbinding:
            result["ontbindingHuwelijkPartnerschap"] = {"datum": datum(ontbinding)}
        converted.append(result)
    current = [p for p in converted if "ontbindingHuwelijkPartnerschap" not in p]
    if current:
        return current
    last = naamgebruik_partner(converted)
    return [last] if last else []


def verblijfplaats(
    gba: dict[str, Any],
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, bool]:
    """The typed v2 verblijfplaats, the adressering's ``inOnderzoek``, and whether it was found
    that the person no longer lives there (aanduiding in onderzoek 089999)."""
    result: dict[str, Any] = {}
    land = gba.get("land")
    if land and land.get("code") == ONBEKEND_LAND:
        result["type"] = "VerblijfplaatsOnbekend"
        _put(result, "datumVan", datum(gba.get("datumAanvangAdresBuitenland")))
    elif land and land.get("code") != NEDERLAND:
        result["type"] = "VerblijfplaatsBuitenland"
        adres: dict[str, Any] = {}
        for key in ("regel1", "regel2", "regel3"):
            _put(adres, key, gba.get(key))
        adres["land"] = _waarde(land)
        result["verblijfadres"] = adres
        _put(result, "datumVan", datum(gba.get("datumAanvangAdresBuitenland")))
    elif gba.get("locatiebeschrijving"):
        result["type"] = "Locatie"
        _put(result, "functieAdres", _waarde(gba.get("functieAdres"), FUNCTIE_ADRES))
        result["verblijfadres"] = {"locatiebeschrijving": gba["locatiebeschrijving"]}
        _put(result, "datumVan", datum(gba.get("datumAanvangAdreshouding")))
    elif gba.get("straat"):
        result["type"] = "Adres"
        _put(result, "functieAdres", _waarde(gba.get("functieAdres"), FUNCTIE_ADRES))
        adres = {}
        _put(adres, "officieleStraatnaam", gba.get("naamOpenbareRuimte"))
        adres["korteStraatnaam"] = gba["straat"]
        adres["huisnummer"] = int(gba["huisnummer"])
        _put(adres, "huisletter", gba.get("huisletter"))
        _put(adres, "huisnummertoevoeging", gba.get("huisnummertoevoeging"))
        _put(
            adres,
            "aanduidingBijHuisnummer",
            _waarde(gba.get("aanduidingBijHuisnummer"), AANDUIDING_BIJ_HUISNUMMER),
        )
        _put(adres, "postcode", gba.get("postcode"))
        _put(adres, "woonplaats", gba.get("woonplaats"))
        result["verblijfadres"] = adres
        _put(
            result, "adresseerbaarObjectIdentificatie", gba.get("adresseerbaarObjectIdentificatie")
        )
        _put(result, "nummeraanduidingIdentificatie", gba.get("nummeraanduidingIdentificatie"))
        _put(result, "datumVan", datum(gba.get("datumAanvangAdreshouding")))
    else:
        return None, None, False
    _put(result, "datumIngangGeldigheid", datum(gba.get("datumIngangGeldigheid")))
    return _in_onderzoek(result, gba.get("inOnderzoek"))


# Which parts of the verblijfplaats an aanduiding in onderzoek (category 08) concerns: the
# elements of the address (group 11), the address abroad (group 13), or all of it.
_ADRES_ELEMENTEN = {
    "081110": ("korteStraatnaam",),
    "081115": ("officieleStraatnaam",),
    "081120": ("huisnummer",),
    "081130": ("huisletter",),
    "081140": ("huisnummertoevoeging",),
    "081150": ("aanduidingBijHuisnummer",),
    "081160": ("postcode",),
    "081170": ("woonplaats",),
}
_ADRES_IDENTIFICATIES = {
    "081180": "adresseerbaarObjectIdentificatie",
    "081190": "nummeraanduidingIdentificatie",
}
_REGEL_1 = {
    "korteStraatnaam",
    "officieleStraatnaam",
    "huisnummer",
    "huisletter",
    "huisnummertoevoeging",
    "aanduidingBijHuisnummer",
}


def _in_onderzoek(
    plaats: dict[str, Any], onderzoek: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any] | None, bool]:
    if not onderzoek:
        return plaats, None, False
    aanduiding = onderzoek["aanduidingGegevensInOnderzoek"]
    sinds = datum(onderzoek.get("datumIngangOnderzoek"))
    adres = plaats.get("verblijfadres") or {}
    whole = aanduiding in ("080000", "089999")
    if whole or aanduiding in ("081100", "081300"):
        elementen = [key for key in adres if key != "inOnderzoek"]
        regels = ["adresregel1", "adresregel2", "adresregel3", "land"]
    elif aanduiding in _ADRES_ELEMENTEN:
        elementen = [key for key in _ADRES_ELEMENTEN[aanduiding] if key in adres]
        regels = ["adresregel1"] if set(elementen) & _REGEL_1 else ["adresregel2"]
    elif aanduiding.startswith("0813"):
        elementen = [key for key in adres if key != "inOnderzoek"]
        regels = ["adresregel1", "adresregel2", "adresregel3", "land"]
    else:
        elementen, regels = [], []  # gemeente, immigratie, ...: not modelled
    eigen = (
        [key for key in plaats if key not in ("verblijfadres", "inOnderzoek")]
        if whole
        else ([_ADRES_IDENTIFICATIES[aanduiding]] if aanduiding in _ADRES_IDENTIFICATIES else [])
    )
    if aanduiding == "081100":
        eigen = [key for key in _ADRES_IDENTIFICATIES.values() if key in plaats]
    if elementen:
        adres["inOnderzoek"] = {**dict.fromkeys(elementen, True), "datumIngangOnderzoek": sinds}
    if eigen:
        plaats["inOnderzoek"] = {**dict.fromkeys(eigen, True), "datumIngangOnderzoek": sinds}
    adressering_onderzoek = (
        {**dict.fromkeys(regels, True), "datumIngangOnderzoekVerblijfplaats": sinds}
        if regels
        else None
    )
    if aanduiding == "089999":
        plaats["indicatieVastgesteldVerblijftNietOpAdres"] = True
    return plaats, adressering_onderzoek, aanduiding == "089999"


def datum(gba: str | None) -> dict[str, Any] | None:
    """A GBA date (``yyyymmdd``, ``00`` for an unknown part) as a v2 ``AbstractDatum``."""
    if not gba:
        return None
    jaar, maand, dag = int(gba[:4]), int(gba[4:6]), int(gba[6:8])
    if jaar == 0:
        return {"type": "DatumOnbekend", "onbekend": True, "langFormaat": "onbekend"}
    if maand == 0:
        return {"type": "JaarDatum", "jaar": jaar, "langFormaat": str(jaar)}
    if dag == 0:
        return {
            "type": "JaarMaandDatum",
            "jaar": jaar,
            "maand": maand,
            "langFormaat": f"{MAANDEN[maand - 1]} {jaar}",
        }
    return {
        "type": "Datum",
        "datum": date(jaar, maand, dag).isoformat(),
        "langFormaat": f"{dag} {MAANDEN[maand - 1]} {jaar}",
    }


def _plaats_en_datum(gba: dict[str, Any] | None) -> dict[str, Any] | None:
    if not gba:
        return None
    result: dict[str, Any] = {}
    _put(result, "datum", datum(gba.get("datum")))
    _put(result, "land", _waarde(gba.get("land")))
    _put(result, "plaats", _waarde(gba.get("plaats")))
    return result


def _waarde(gba: dict[str, Any] | None, table: dict[str, str] | None = None) -> dict | None:
    if not gba:
        return None
    result = {}
    _put(result, "code", gba.get("code"))
    omschrijving = table.get(gba.get("code", "")) if table else None
    _put(result, "omschrijving", omschrijving or gba.get("omschrijving"))
    return result or None


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, "", {}, []):
        target[key] = value


def _trimmed(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [_trimmed(item) for item in value]
    if isinstance(value, dict):
        return {key: _trimmed(item) for key, item in value.items()}
    return value


# --- all together ------------------------------------------------------------------------------


def generate() -> dict[str, str]:
    """File name in ``data/`` -> the text it should have."""
    source = json.loads(BRP_SOURCE.read_text(encoding="utf-8"))
    brp = brp_fixture(source)
    companies = kvk_companies()
    kvk_adressen = [
        {**adres, "herkomst": herkomst, "gemeente": KVK_GEMEENTEN[adres["plaats"]]}
        for adres, herkomst in kvk_addresses(companies)
    ]
    bag = bag_adressen(brp["personen"], kvk_adressen, DEMO_ADDRESSES)
    kvk = kvk_fixture(companies, bag)
    bag_document = {
        "herkomst": (
            "Made by infra/local/registers/convert.py: the Dutch addresses of the BRP personas "
            "(their nummeraanduiding and adresseerbaar object ids kept), the KVK companies' "
            "street addresses and the repository's demo addresses. Every other id is made up: "
            "a 9 follows the object type code; woonplaats codes 9000-9999."
        ),
        "bronnen": bag.herkomst,
        "adressen": list(bag.adressen.values()),
    }
    return {
        "brp-personen.json": _text(brp),
        "bag-adressen.json": _text(bag_document),
        "kvk-basisprofielen.json": _text(kvk),
    }


def _text(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    DATA.mkdir(exist_ok=True)
    for name, text in generate().items():
        (DATA / name).write_text(text, encoding="utf-8")
        print(f"wrote {DATA / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
