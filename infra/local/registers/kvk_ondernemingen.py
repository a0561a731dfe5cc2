"""The KVK fixture (``data/kvk-basisprofielen.json``): the companies of ``specs/kvk-testdata``
(answers recorded from KVK's test environment) and the other KVK-nummers the demo uses,
constructed in the same shape. Each company's ``herkomst`` says which part is recorded and which
constructed. Links are not stored (the stand-in makes them for its own address); each Dutch
street address gets ``geoData`` with the ids the BAG fixture has for it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from infra.local.registers.bag_adressen import BagAdressen

KVK_SOURCE = Path(__file__).resolve().parents[3] / "specs" / "kvk-testdata"
# The gemeente of each KVK address's plaats (for the made-up BAG ids).
KVK_GEMEENTEN = {
    "Amsterdam": "0363",
    "Lollum": "1949",
    "Dordrecht": "0505",
    "Maastricht": "0935",
    "Lochem": "0262",
    "Utrecht": "0344",
}


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, "", {}, []):
        target[key] = value


def _recorded(name: str) -> dict[str, Any]:
    return json.loads((KVK_SOURCE / name).read_text(encoding="utf-8"))


def _without_links(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: _without_links(item)
            for key, item in value.items()
            if key not in ("links", "_links", "_embedded")
        }
    if isinstance(value, list):
        return [_without_links(item) for item in value]
    return value


def _kvk_adres(
    soort: str,
    straat: str,
    huisnummer: int,
    postcode: str,
    plaats: str,
    huisletter: str | None = None,
    toevoeging: str | None = None,
) -> dict[str, Any]:
    nummer = f"{huisnummer}{' ' + huisletter if huisletter else ''}"
    nummer += f" {toevoeging}" if toevoeging else ""
    adres: dict[str, Any] = {
        "type": soort,
        "indAfgeschermd": "Nee",
        "volledigAdres": f"{straat} {nummer} {postcode} {plaats}",
        "straatnaam": straat,
        "huisnummer": huisnummer,
    }
    _put(adres, "huisletter", huisletter)
    _put(adres, "huisnummerToevoeging", toevoeging)
    adres.update({"postcode": postcode, "plaats": plaats, "land": "Nederland"})
    return adres


def kvk_companies() -> dict[str, dict[str, Any]]:
    """The companies before their BAG ids are known (``geoData`` is added afterwards)."""
    emz = _recorded("basisprofiel-69599084.json")
    zoeken = _recorded("zoeken-kvknummer-69599084.json")
    vve = _recorded("basisprofiel-90000749-vve.json")
    bv = _recorded("vestigingsprofiel-000037178598.json")

    emz_basis = _without_links(emz)
    hoofdvestiging = {
        **_without_links(emz["_embedded"]["hoofdvestiging"]),
        "indNonMailing": emz["indNonMailing"],
        "formeleRegistratiedatum": emz["formeleRegistratiedatum"],
        "materieleRegistratie": emz["materieleRegistratie"],
        "handelsnamen": emz["handelsnamen"],
        "sbiActiviteiten": emz["sbiActiviteiten"],
    }
    neven = next(r for r in zoeken["resultaten"] if r["type"] == "nevenvestiging")
    nevenvestiging = {
        "vestigingsnummer": neven["vestigingsnummer"],
        "kvkNummer": "69599084",
        "indNonMailing": "Ja",
        "eersteHandelsnaam": neven["handelsnaam"],
        "indHoofdvestiging": "Nee",
        "indCommercieleVestiging": "Ja",
        "totaalWerkzamePersonen": 0,
        "handelsnamen": [{"naam": neven["handelsnaam"], "volgorde": 0}],
        "adressen": [_kvk_adres("bezoekadres", neven["straatnaam"], 12, "6211KA", neven["plaats"])],
        "sbiActiviteiten": emz["sbiActiviteiten"][:1],
    }
    bv_vestiging = _without_links(bv)
    bv_basis = {
        "kvkNummer": bv["kvkNummer"],
        "indNonMailing": bv["indNonMailing"],
        "naam": bv["eersteHandelsnaam"],
        "formeleRegistratiedatum": bv["formeleRegistratiedatum"],
        "materieleRegistratie": bv["materieleRegistratie"],
        "totaalWerkzamePersonen": bv["totaalWerkzamePersonen"],
        "statutaireNaam": bv["statutaireNaam"],
        "handelsnamen": bv["handelsnamen"],
        "sbiActiviteiten": bv["sbiActiviteiten"],
    }
    stichting_vestiging = {
        "vestigingsnummer": "000099990680",
        "kvkNummer": "69599068",
        "rsin": "990006909",
        "indNonMailing": "Nee",
        "formeleRegistratiedatum": "20150622",
        "materieleRegistratie": {"datumAanvang": "20150101"},
        "statutaireNaam": "Stichting Bolderbast",
        "eersteHandelsnaam": "Test Stichting Bolderbast",
        "indHoofdvestiging": "Ja",
        "indCommercieleVestiging": "Nee",
        "totaalWerkzamePersonen": 2,
        "handelsnamen": [{"naam": "Test Stichting Bolderbast", "volgorde": 0}],
        "adressen": [_kvk_adres("bezoekadres", "Oosterwal", 11, "7241AR", "Lochem")],
        "sbiActiviteiten": [
            {
                "sbiCode": "94991",
                "sbiOmschrijving": "Ideële organisaties",
                "indHoofdactiviteit": "Ja",
            }
        ],
    }
    return {
        "69599084": {
            "herkomst": {
                "basisprofiel": "recorded: specs/kvk-testdata/basisprofiel-69599084.json",
                "eigenaar": "recorded: specs/kvk-testdata/basisprofiel-69599084.json",
                "000038509504": (
                    "recorded (embedded hoofdvestiging of basisprofiel-69599084"
                    ".json), completed from its basisprofiel"
                ),
                "000038509520": (
                    "constructed from specs/kvk-testdata/zoeken-kvknummer-69599084"
                    ".json (name, street, plaats); house number and postcode made"
                    " up. The demo's branch (infra/local/demo.py)"
                ),
            },
            "basisprofiel": emz_basis,
            "eigenaar": _without_links(emz["_embedded"]["eigenaar"]),
            "vestigingen": [hoofdvestiging, nevenvestiging],
        },
        "90000749": {
            "herkomst": {
                "basisprofiel": "recorded: specs/kvk-testdata/basisprofiel-90000749-vve.json",
                "eigenaar": "recorded: specs/kvk-testdata/basisprofiel-90000749-vve.json",
                "vestigingen": "recorded: a Vereniging van Eigenaars without vestigingen",
            },
            "basisprofiel": _without_links(vve),
            "eigenaar": _without_links(vve["_embedded"]["eigenaar"]),
            "vestigingen": [],
        },
        "68750110": {
            "herkomst": {
                "basisprofiel": (
                    "constructed from specs/kvk-testdata/vestigingsprofiel-000037178598.json"
                ),
                "eigenaar": "constructed (rsin from the recorded vestigingsprofiel)",
                "000037178598": "recorded: specs/kvk-testdata/vestigingsprofiel-000037178598.json",
            },
            "basisprofiel": bv_basis,
            "eigenaar": {
                "rsin": bv["rsin"],
                "rechtsvorm": "Besloten Vennootschap",
                "uitgebreideRechtsvorm": "Besloten Vennootschap",
            },
            "vestigingen": [bv_vestiging],
        },
        "69599068": {
            "herkomst": {
                "basisprofiel": "constructed (KVK test company 'Test Stichting Bolderbast')",
                "eigenaar": "constructed",
                "000099990680": "constructed (vestigingsnummer, rsin and address made up)",
            },
            "basisprofiel": {
                "kvkNummer": "69599068",
                "indNonMailing": "Nee",
                "naam": "Test Stichting Bolderbast",
                "formeleRegistratiedatum": "20150622",
                "materieleRegistratie": {"datumAanvang": "20150101"},
                "totaalWerkzamePersonen": 2,
                "statutaireNaam": "Stichting Bolderbast",
                "handelsnamen": [{"naam": "Test Stichting Bolderbast", "volgorde": 0}],
                "sbiActiviteiten": stichting_vestiging["sbiActiviteiten"],
            },
            "eigenaar": {
                "rsin": "990006909",
                "rechtsvorm": "Stichting",
                "uitgebreideRechtsvorm": "Stichting",
            },
            "vestigingen": [stichting_vestiging],
        },
    }


def kvk_addresses(
    companies: dict[str, dict[str, Any]],
) -> Iterator[tuple[dict[str, Any], str]]:
    """Every Dutch street address of the companies (not a postbus), with where it is from."""
    for kvk_nummer, company in companies.items():
        owners = [("eigenaar", company["eigenaar"])]
        branches = [(v["vestigingsnummer"], v) for v in company["vestigingen"]]
        for label, holder in owners + branches:
            for adres in holder.get("adressen", []):
                if adres.get("huisnummer") and adres.get("land") == "Nederland":
                    yield adres, f"{kvk_nummer} {label} {adres['type']}"


def kvk_fixture(companies: dict[str, dict[str, Any]], bag: BagAdressen) -> dict[str, Any]:
    for adres, _ in kvk_addresses(companies):
        key = (
            adres["postcode"],
            adres["huisnummer"],
            adres.get("huisletter", ""),
            adres.get("huisnummerToevoeging", ""),
        )
        bag_adres = bag.adressen[key]
        adres["geoData"] = {
            "addresseerbaarObjectId": bag_adres["adresseerbaarObjectIdentificatie"],
            "nummerAanduidingId": bag_adres["nummeraanduidingIdentificatie"],
        }
    return {
        "herkomst": (
            "Recorded answers of KVK's test environment (specs/kvk-testdata, via "
            "open-formulieren/open-forms) and constructed companies in the same shape, as "
            "each company's herkomst says. Links are not stored: the stand-in makes them. "
            "geoData holds the ids of the address in bag-adressen.json."
        ),
        "ondernemingen": companies,
    }
