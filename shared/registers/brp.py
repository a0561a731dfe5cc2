"""The BRP, read with Haal Centraal BRP Personen Bevragen 2.x (``POST /personen``,
``RaadpleegMetBurgerservicenummer``): how to address a person, and whether the BRP still keeps
them.

Per BSN asked, the person's ``adressering`` (the envelope lines, aanhef, aanschrijfwijze, name in
running text), whether they died, why the BRP stopped keeping them (``opschortingBijhouding``) and
whether they asked for secrecy (``geheimhoudingPersoonsgegevens``). What the specification says
that shapes the request:

- at most 20 BSNs per request: more are asked in several;
- ``fields`` names only what is read (``burgerservicenummer`` too, or the answer could not be
  told apart); ``opschortingBijhouding`` and ``geheimhoudingPersoonsgegevens`` are delivered
  unasked and must not be named (400);
- deceased persons are in the answer: unlike the searches, ``RaadpleegMetBurgerservicenummer``
  has no ``inclusiefOverledenPersonen`` (and refuses unknown parameters) - a deceased person has
  ``overlijden`` and opschortingBijhouding reden "O";
- a BSN the BRP does not know is simply absent from ``personen``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from shared.models.bronnen import Bron, Bronlezing, Gelezen, Persoon, RegistratieAdres
from shared.registers.http import AnswerCache, CallPolicy, RegisterConnection

MAX_BSNS_PER_REQUEST = 20
QUERY_TYPE = "RaadpleegMetBurgerservicenummer"
FIELDS = ("burgerservicenummer", "adressering", "overlijden")
_BSN = re.compile(r"[0-9]{9}")
_NEDERLAND = "6030"  # Tabel 34 Landen


# The part of the answer that is read (``RaadpleegMetBurgerservicenummerResponse``); the rest is
# ignored.


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Waardetabel(_Answer):
    code: str | None = None
    omschrijving: str | None = None


class _Aanschrijfwijze(_Answer):
    naam: str | None = None


class _Adressering(_Answer):
    adresregel1: str | None = None
    adresregel2: str | None = None
    adresregel3: str | None = None
    land: _Waardetabel | None = None
    aanhef: str | None = None
    aanschrijfwijze: _Aanschrijfwijze | None = None
    gebruikInLopendeTekst: str | None = None


class _Overlijden(_Answer):
    pass  # that it is there says it all


class _OpschortingBijhouding(_Answer):
    reden: _Waardetabel | None = None


class _Persoon(_Answer):
    burgerservicenummer: str
    adressering: _Adressering | None = None
    overlijden: _Overlijden | None = None
    opschortingBijhouding: _OpschortingBijhouding | None = None
    geheimhoudingPersoonsgegevens: bool = False


class _PersonenAntwoord(_Answer):
    type: Literal["RaadpleegMetBurgerservicenummer"]
    personen: list[_Persoon] = []


def persoon(antwoord: _Persoon) -> Persoon:
    adressering = antwoord.adressering or _Adressering()
    reden = antwoord.opschortingBijhouding.reden if antwoord.opschortingBijhouding else None
    return Persoon(
        adressering=_registratie_adres(adressering),
        aanhef=adressering.aanhef,
        aanschrijfwijze=adressering.aanschrijfwijze.naam if adressering.aanschrijfwijze else None,
        gebruik_in_lopende_tekst=adressering.gebruikInLopendeTekst,
        overleden=antwoord.overlijden is not None,
        opschorting_reden=reden.code if reden else None,
        geheimhouding=antwoord.geheimhoudingPersoonsgegevens,
    )


def _registratie_adres(adressering: _Adressering) -> RegistratieAdres | None:
    regels = (adressering.adresregel1, adressering.adresregel2, adressering.adresregel3)
    if not any(regels):
        return None
    land = adressering.land
    abroad = land is not None and land.code != _NEDERLAND and bool(land.omschrijving)
    return RegistratieAdres(*regels, land=land.omschrijving if abroad and land else None)


def personen_by_bsn(answer: Any) -> dict[str, Persoon]:
    """The persons of a ``RaadpleegMetBurgerservicenummer`` answer, by BSN."""
    parsed = _PersonenAntwoord.model_validate(answer)
    return {p.burgerservicenummer: persoon(p) for p in parsed.personen}


def chunks(items: Sequence[str], size: int) -> list[Sequence[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


class BrpClient:
    """The ``Personen`` port (``shared.ports``) on the BRP."""

    def __init__(
        self, base_url: str, api_key: str | None = None, policy: CallPolicy | None = None
    ) -> None:
        policy = policy or CallPolicy()
        headers = {"Accept": "application/json", "Content-Type": "application/json; charset=utf-8"}
        if api_key:
            headers["X-API-KEY"] = api_key
        # POST /personen is a read: the query is in the body (no BSN in a URL or an access log),
        # and asking twice changes nothing, so it is retried like a GET.
        self._connection = RegisterConnection(Bron.BRP, base_url, headers, policy, ("POST",))
        self._cache: AnswerCache[str, Persoon | None] = AnswerCache(policy.cache_seconds)

    def raadpleeg(
        self, bsns: Sequence[str], bij_lezen: Bronlezing | None = None
    ) -> dict[str, Gelezen[Persoon | None]]:
        result: dict[str, Gelezen[Persoon | None]] = {}
        to_read: list[str] = []
        for bsn in dict.fromkeys(bsns):  # each once, in order
            kept = self._cache.get(bsn)
            if kept is not None:
                result[bsn] = kept
            elif not _BSN.fullmatch(bsn):
                result[bsn] = Gelezen(None, uit_bron=False)  # not a BSN: the BRP cannot know it
            else:
                to_read.append(bsn)
        if to_read and bij_lezen is not None:
            bij_lezen(to_read)
        for chunk in chunks(to_read, MAX_BSNS_PER_REQUEST):
            found = self._connection.post("/personen", _query(chunk), personen_by_bsn)
            for bsn in chunk:
                result[bsn] = self._cache.put(bsn, found.get(bsn))
        return result


def _query(bsns: Sequence[str]) -> dict[str, Any]:
    return {"type": QUERY_TYPE, "burgerservicenummer": list(bsns), "fields": list(FIELDS)}
