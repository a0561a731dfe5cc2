"""The BAG fixture (``data/bag-adressen.json``): one BAG ``Adres`` per postcode, huisnummer,
huisletter and toevoeging, with the identifiers of the objects it belongs to.

A persona's ``nummeraanduidingIdentificatie`` and ``adresseerbaarObjectIdentificatie`` are kept.
Every other identifier is made up deterministically in the BAG's format: the gemeente code, the
object type code (01 verblijfsobject, 10 pand, 20 nummeraanduiding, 30 openbare ruimte), a ``9``
and nine digits from a hash of what identifies the object - no real id has that ``9``; made-up
woonplaats codes are 9000-9999. Two addresses with one id, or one address with two, is an error
in the selection, not something to paper over.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from infra.local.registers.adressering import huisnummer_tekst


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, "", {}, []):
        target[key] = value


class BagAdressen:
    """The BAG addresses, one per postcode/huisnummer/huisletter/toevoeging, with their ids."""

    def __init__(self) -> None:
        self.adressen: dict[tuple, dict[str, Any]] = {}
        self.herkomst: dict[str, str] = {}
        self._ids: dict[str, tuple] = {}
        self._woonplaatsen: dict[str, str] = {}

    def add(
        self,
        *,
        straat: str,
        huisnummer: int,
        postcode: str,
        woonplaats: str,
        gemeente: str,
        herkomst: str,
        officieel: str | None = None,
        huisletter: str | None = None,
        toevoeging: str | None = None,
        nummeraanduiding: str | None = None,
        adresseerbaar_object: str | None = None,
    ) -> dict[str, Any]:
        postcode = postcode.replace(" ", "").upper()
        key = (postcode, huisnummer, huisletter or "", toevoeging or "")
        if key in self.adressen:
            adres = self.adressen[key]
            if nummeraanduiding and nummeraanduiding != adres["nummeraanduidingIdentificatie"]:
                raise ValueError(f"{key}: two nummeraanduidingen ({herkomst})")
            self.herkomst[adres["nummeraanduidingIdentificatie"]] += f"; {herkomst}"
            return adres
        woonplaats_id = self._woonplaats(woonplaats)
        openbare_ruimte = officieel or straat
        nummeraanduiding = nummeraanduiding or made_up(gemeente, "20", *key)
        adresseerbaar_object = adresseerbaar_object or made_up(gemeente, "01", *key)
        if nummeraanduiding in self._ids:
            raise ValueError(f"{nummeraanduiding} is the id of two addresses ({herkomst})")
        self._ids[nummeraanduiding] = key
        adres: dict[str, Any] = {
            "openbareRuimteNaam": openbare_ruimte,
            "korteNaam": straat,
            "huisnummer": huisnummer,
        }
        _put(adres, "huisletter", huisletter)
        _put(adres, "huisnummertoevoeging", toevoeging)
        adres.update(
            {
                "postcode": postcode,
                "woonplaatsNaam": woonplaats,
                "nummeraanduidingIdentificatie": nummeraanduiding,
                "openbareRuimteIdentificatie": made_up(gemeente, "30", woonplaats, openbare_ruimte),
                "woonplaatsIdentificatie": woonplaats_id,
                "adresseerbaarObjectIdentificatie": adresseerbaar_object,
                "pandIdentificaties": [made_up(gemeente, "10", adresseerbaar_object)],
                "adresregel5": f"{straat} {huisnummer_tekst(huisnummer, huisletter, toevoeging)}",
                "adresregel6": f"{postcode[:4]} {postcode[4:]}  {woonplaats.upper()}",
            }
        )
        self.adressen[key] = adres
        self.herkomst[nummeraanduiding] = herkomst
        return adres

    def _woonplaats(self, naam: str) -> str:
        if naam not in self._woonplaatsen:
            taken = set(self._woonplaatsen.values())
            number = int(_digest(naam), 16) % 1000
            while f"9{number:03d}" in taken:
                number = (number + 1) % 1000
            self._woonplaatsen[naam] = f"9{number:03d}"
        return self._woonplaatsen[naam]


def _digest(*parts: Any) -> str:
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()


def made_up(gemeente: str, soort: str, *parts: Any) -> str:
    """A BAG id of ``soort`` (01 verblijfsobject, 10 pand, 20 nummeraanduiding, 30 openbare
    ruimte) in ``gemeente``: ``9`` and 9 digits derived from ``parts``."""
    return f"{gemeente}{soort}9{int(_digest(*parts), 16) % 10**9:09d}"


def bag_adressen(
    personen: dict[str, dict[str, Any]],
    kvk_adressen: Iterable[dict[str, Any]],
    demo_adressen: Iterable[dict[str, Any]],
) -> BagAdressen:
    """The BAG of the personas' Dutch addresses, the companies' street addresses and the demo
    addresses; a KVK or demo address says its ``gemeente`` (code) and ``herkomst``."""
    bag = BagAdressen()
    for bsn, persoon_v2 in personen.items():
        plaats = persoon_v2.get("verblijfplaats") or {}
        if plaats.get("type") != "Adres":
            continue
        adres = plaats["verblijfadres"]
        gemeente = persoon_v2["gemeenteVanInschrijving"]
        bag.add(
            straat=adres["korteStraatnaam"],
            officieel=adres.get("officieleStraatnaam"),
            huisnummer=adres["huisnummer"],
            huisletter=adres.get("huisletter"),
            toevoeging=adres.get("huisnummertoevoeging"),
            postcode=adres["postcode"],
            woonplaats=adres.get("woonplaats") or gemeente["omschrijving"],
            gemeente=gemeente["code"],
            nummeraanduiding=plaats.get("nummeraanduidingIdentificatie"),
            adresseerbaar_object=plaats.get("adresseerbaarObjectIdentificatie"),
            herkomst=f"BRP persona {bsn}",
        )
    for kvk_adres in kvk_adressen:
        bag.add(
            straat=kvk_adres["straatnaam"],
            huisnummer=kvk_adres["huisnummer"],
            huisletter=kvk_adres.get("huisletter"),
            toevoeging=kvk_adres.get("huisnummerToevoeging"),
            postcode=kvk_adres["postcode"],
            woonplaats=kvk_adres["plaats"],
            gemeente=kvk_adres["gemeente"],
            herkomst=f"KVK {kvk_adres['herkomst']}",
        )
    for demo in demo_adressen:
        bag.add(
            straat=demo["straat"],
            huisnummer=demo["huisnummer"],
            huisletter=demo.get("huisletter"),
            toevoeging=demo.get("huisnummertoevoeging"),
            postcode=demo["postcode"],
            woonplaats=demo["woonplaats"],
            gemeente=demo["gemeente"],
            herkomst=f"demo address, {demo['herkomst']}",
        )
    return bag
