"""The KVK Handelsregister, read with the KVK API Basisprofiel v1: a company's name, trade names,
postal address and vestigingen - whether it is still registered, and whether a representative's
branch is its own.

Two reads per company, cached together: ``GET /v1/basisprofielen/{kvkNummer}`` (naam,
handelsnamen by ``volgorde``, the hoofdvestiging's addresses) and
``GET /v1/basisprofielen/{kvkNummer}/vestigingen``. A 404 is a company the register does not
(or no longer) have. The postal address is the hoofdvestiging's correspondentieadres, else its
bezoekadres (a legal entity without a company, such as a VvE, has no hoofdvestiging: then the
eigenaar's), written as a Dutch envelope has it (NEN 5825, as the BRP's ``adressering``).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.models.bronnen import (
    Bron,
    Bronlezing,
    Gelezen,
    Onderneming,
    RegistratieAdres,
    Vestiging,
    Vestigingsprofiel,
)
from shared.registers.http import AnswerCache, CallPolicy, RegisterConnection

_KVK_NUMMER = re.compile(r"[0-9]{8}")
_VESTIGINGSNUMMER = re.compile(r"[0-9]{12}")
_POSTCODE = re.compile(r"([1-9][0-9]{3}) ?([A-Za-z]{2})")
_NEDERLAND = "nederland"


# The part of the answers that is read; the rest is ignored.


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Handelsnaam(_Answer):
    naam: str
    volgorde: int = 0


class _Adres(_Answer):
    type: str | None = None  # "correspondentieadres" or "bezoekadres"
    straatnaam: str | None = None
    huisnummer: int | None = None
    huisletter: str | None = None
    huisnummerToevoeging: str | None = None
    postcode: str | None = None
    postbusnummer: int | None = None
    plaats: str | None = None
    straatHuisnummer: str | None = None
    postcodeWoonplaats: str | None = None
    regio: str | None = None
    land: str | None = None


class _MetAdressen(_Answer):
    adressen: list[_Adres] = []


class _Embedded(_Answer):
    hoofdvestiging: _MetAdressen | None = None
    eigenaar: _MetAdressen | None = None


class _Basisprofiel(_Answer):
    naam: str | None = None
    statutaireNaam: str | None = None
    handelsnamen: list[_Handelsnaam] = []
    embedded: _Embedded | None = Field(default=None, alias="_embedded")

    @model_validator(mode="after")
    def _named(self) -> _Basisprofiel:
        if not (self.naam or self.statutaireNaam or self.handelsnamen):
            raise ValueError("a Basisprofiel without a name")
        return self


class _VestigingBasis(_Answer):
    vestigingsnummer: str
    eersteHandelsnaam: str | None = None
    volledigAdres: str | None = None
    indHoofdvestiging: str | None = None


class _VestigingList(_Answer):
    vestigingen: list[_VestigingBasis] = []


def onderneming(kvk_nummer: str, profiel: _Basisprofiel, lijst: _VestigingList) -> Onderneming:
    """The company of a ``Basisprofiel`` and a ``VestigingList`` answer."""
    handelsnamen = tuple(h.naam for h in sorted(profiel.handelsnamen, key=lambda h: h.volgorde))
    return Onderneming(
        kvk_nummer=kvk_nummer,
        naam=profiel.naam or profiel.statutaireNaam or handelsnamen[0],
        handelsnamen=handelsnamen,
        adres=postadres(profiel),
        vestigingen=tuple(_vestiging(v) for v in lijst.vestigingen),
    )


def postadres(profiel: _Basisprofiel) -> RegistratieAdres | None:
    """The hoofdvestiging's correspondentieadres, else its bezoekadres; without a hoofdvestiging
    the eigenaar's."""
    embedded = profiel.embedded or _Embedded()
    return _registered(embedded.hoofdvestiging or embedded.eigenaar or _MetAdressen())


def _registered(houder: _MetAdressen) -> RegistratieAdres | None:
    """Of a vestiging or an eigenaar: its correspondentieadres, else its bezoekadres."""
    by_type = {a.type: a for a in houder.adressen}
    adres = by_type.get("correspondentieadres") or by_type.get("bezoekadres")
    return envelope(adres) if adres else None


class _Vestigingsprofiel(_MetAdressen):
    vestigingsnummer: str
    kvkNummer: str
    eersteHandelsnaam: str | None = None
    handelsnamen: list[_Handelsnaam] = []


def vestigingsprofiel(profiel: _Vestigingsprofiel) -> Vestigingsprofiel:
    """The vestiging of a ``Vestigingsprofiel`` answer."""
    return Vestigingsprofiel(
        vestigingsnummer=profiel.vestigingsnummer,
        kvk_nummer=profiel.kvkNummer,
        naam=profiel.eersteHandelsnaam,
        handelsnamen=tuple(h.naam for h in sorted(profiel.handelsnamen, key=lambda h: h.volgorde)),
        adres=_registered(profiel),
    )


def envelope(adres: _Adres) -> RegistratieAdres | None:
    """An address as the lines of an envelope: "Hizzaarderlaan 3 A" or "Postbus 200", then
    "8823 SJ  LOLLUM"; the country only abroad."""
    land = (adres.land or "").strip()
    abroad = bool(land) and land.casefold() != _NEDERLAND
    if abroad:
        regel1 = adres.straatHuisnummer or _straat_huisnummer(adres)
        regel2 = adres.postcodeWoonplaats or _join(adres.postcode, adres.plaats)
        regel3 = adres.regio
    else:
        regel1 = _straat_huisnummer(adres)
        regel2 = _postcode_plaats(adres.postcode, adres.plaats)
        regel3 = None
    if not (regel1 or regel2):
        return None  # shielded (indAfgeschermd) or empty
    return RegistratieAdres(regel1, regel2, regel3, land=land if abroad else None)


def _straat_huisnummer(adres: _Adres) -> str | None:
    if adres.postbusnummer is not None:
        return f"Postbus {adres.postbusnummer}"
    if not adres.straatnaam:
        return None
    if adres.huisnummer is None:
        return adres.straatnaam
    nummer = huisnummer(adres.huisnummer, adres.huisletter, adres.huisnummerToevoeging)
    return f"{adres.straatnaam} {nummer}"


def huisnummer(nummer: int, letter: str | None, toevoeging: str | None) -> str:
    """NEN 5825: "31", "103 c", "35 III", "9-2", "400 LToe", "555 B73c"."""
    if letter:
        return f"{nummer} {letter}{toevoeging or ''}"
    if toevoeging:
        return f"{nummer}-{toevoeging}" if toevoeging[0].isdigit() else f"{nummer} {toevoeging}"
    return str(nummer)


def _postcode_plaats(postcode: str | None, plaats: str | None) -> str | None:
    match = _POSTCODE.fullmatch((postcode or "").strip())
    code = f"{match[1]} {match[2].upper()}" if match else (postcode or "").strip()
    stad = (plaats or "").strip().upper()
    if code and stad:
        return f"{code}  {stad}"  # two spaces, as PostNL wants it
    return code or stad or None


def _join(*parts: str | None) -> str | None:
    return " ".join(p.strip() for p in parts if p and p.strip()) or None


def _vestiging(vestiging: _VestigingBasis) -> Vestiging:
    adres = " ".join(vestiging.volledigAdres.split()) if vestiging.volledigAdres else None
    return Vestiging(
        vestigingsnummer=vestiging.vestigingsnummer,
        naam=vestiging.eersteHandelsnaam,
        adres=adres,  # KVK pads it with spaces between street and postcode
        hoofdvestiging=vestiging.indHoofdvestiging == "Ja",
    )


class KvkClient:
    """The ``Handelsregister`` port (``shared.ports``) on the KVK APIs Basisprofiel and
    Vestigingsprofiel."""

    def __init__(
        self, base_url: str, api_key: str | None = None, policy: CallPolicy | None = None
    ) -> None:
        policy = policy or CallPolicy()
        headers = {"Accept": "application/json"}
        if api_key:
            headers["apikey"] = api_key
        self._connection = RegisterConnection(Bron.KVK, base_url, headers, policy)
        self._cache: AnswerCache[str, Onderneming | None] = AnswerCache(policy.cache_seconds)
        self._vestigingen: AnswerCache[str, Vestigingsprofiel | None] = AnswerCache(
            policy.cache_seconds
        )

    def onderneming(
        self, kvk_nummer: str, bij_lezen: Bronlezing | None = None
    ) -> Gelezen[Onderneming | None]:
        if not _KVK_NUMMER.fullmatch(kvk_nummer):
            # Not a KVK-nummer: the register cannot have it, and it must not go into a URL.
            return Gelezen(None, uit_bron=False)
        before = (lambda: bij_lezen([kvk_nummer])) if bij_lezen is not None else None
        return self._cache.read_through(kvk_nummer, lambda: self._read(kvk_nummer), before)

    def vestiging(
        self, vestigingsnummer: str, bij_lezen: Bronlezing | None = None
    ) -> Gelezen[Vestigingsprofiel | None]:
        if not _VESTIGINGSNUMMER.fullmatch(vestigingsnummer):
            return Gelezen(None, uit_bron=False)  # no vestigingsnummer: not into a URL
        before = (lambda: bij_lezen([vestigingsnummer])) if bij_lezen is not None else None
        path = f"/v1/vestigingsprofielen/{vestigingsnummer}"
        return self._vestigingen.read_through(
            vestigingsnummer, lambda: self._connection.find(path, _read_vestigingsprofiel), before
        )

    def _read(self, kvk_nummer: str) -> Onderneming | None:
        path = f"/v1/basisprofielen/{kvk_nummer}"
        profiel = self._connection.find(path, _Basisprofiel.model_validate)
        if profiel is None:
            return None
        # A legal entity without a company has no vestigingen: a 404 here is an empty list.
        lijst = self._connection.find(f"{path}/vestigingen", _VestigingList.model_validate)
        return onderneming(kvk_nummer, profiel, lijst or _VestigingList())


def _read_vestigingsprofiel(answer: object) -> Vestigingsprofiel:
    return vestigingsprofiel(_Vestigingsprofiel.model_validate(answer))
