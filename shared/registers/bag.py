"""The BAG, read with the BAG API Individuele Bevragingen v2 (``GET /adressen``): the addresses at
a postcode and huisnummer, so that a postal address the user types is one that exists, completed
with its street, place and nummeraanduiding.

What the specification says that shapes the request: the postcode without a space
(``^[1-9][0-9]{3}[a-zA-Z]{2}$``); answers in HAL (``Accept: application/hal+json``); at most 100
addresses a page (``pageSize``), the next page linked in ``_links.next``. ``exacteMatch`` is not
used: with it, a question without a huisletter gets only the address without one (3, not 3A and
3B), where the port promises every address at the huisnummer unless a letter or toevoeging is
given. Only postcode and huisnummer are sent - the BAG need not learn more of the address, and
its matching of letters and toevoegingen is not promised to ignore case; the answer is filtered
here on the huisletter and toevoeging asked for, ignoring case.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from shared.models.bronnen import (
    AdresVraag,
    BagAdres,
    Bron,
    Bronlezing,
    Gelezen,
    RegisterNietBeschikbaar,
)
from shared.registers.http import AnswerCache, CallPolicy, RegisterConnection

PAGE_SIZE = 100
# More pages than any building has addresses at one huisnummer: beyond it the answer is wrong.
_MAX_PAGES = 20
_POSTCODE = re.compile(r"([1-9][0-9]{3}) ?([A-Za-z]{2})")
_HUISLETTER = re.compile(r"[A-Za-z]")
_TOEVOEGING = re.compile(r"[0-9A-Za-z]{1,4}")

_Key = tuple[str, int]  # postcode "1234 AB", huisnummer


# The part of the answer that is read (``AdresIOHalCollection``); the rest is ignored.


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Adres(_Answer):
    openbareRuimteNaam: str
    huisnummer: int
    huisletter: str | None = None
    huisnummertoevoeging: str | None = None
    postcode: str
    woonplaatsNaam: str
    nummeraanduidingIdentificatie: str


class _Adressen(_Answer):
    adressen: list[_Adres] = []


class _Links(_Answer):
    next: dict[str, object] | None = None


class _AdressenPagina(_Answer):
    embedded: _Adressen = Field(default_factory=_Adressen, alias="_embedded")
    links: _Links = Field(default_factory=_Links, alias="_links")


def postcode(value: str) -> str | None:
    """A Dutch postcode as "1234 AB" (from "1234ab", "1234AB", ...); None for anything else."""
    match = _POSTCODE.fullmatch(value.strip())
    return f"{match[1]} {match[2].upper()}" if match else None


def bag_adres(adres: _Adres) -> BagAdres:
    return BagAdres(
        straat=adres.openbareRuimteNaam,
        huisnummer=adres.huisnummer,
        huisletter=adres.huisletter,
        huisnummertoevoeging=adres.huisnummertoevoeging,
        postcode=postcode(adres.postcode) or adres.postcode,
        woonplaats=adres.woonplaatsNaam,
        nummeraanduiding_identificatie=adres.nummeraanduidingIdentificatie,
    )


def matches(adres: BagAdres, vraag: AdresVraag) -> bool:
    """The huisnummer, and the huisletter and toevoeging when they are asked for."""

    def same(found: str | None, asked: str | None) -> bool:
        return asked is None or (found or "").casefold() == asked.casefold()

    return (
        adres.huisnummer == vraag.huisnummer
        and same(adres.huisletter, vraag.huisletter)
        and same(adres.huisnummertoevoeging, vraag.huisnummertoevoeging)
    )


def _key(vraag: AdresVraag) -> _Key | None:
    """What the BAG is asked, or None for an address that cannot exist."""
    code = postcode(vraag.postcode)
    letter, toevoeging = vraag.huisletter, vraag.huisnummertoevoeging
    if (
        code is None
        or not 1 <= vraag.huisnummer <= 99999
        or (letter is not None and not _HUISLETTER.fullmatch(letter))
        or (toevoeging is not None and not _TOEVOEGING.fullmatch(toevoeging))
    ):
        return None
    return code, vraag.huisnummer


class BagClient:
    """The ``Adressen`` port (``shared.ports``) on the BAG API Individuele Bevragingen."""

    def __init__(
        self, base_url: str, api_key: str | None = None, policy: CallPolicy | None = None
    ) -> None:
        policy = policy or CallPolicy()
        headers = {"Accept": "application/hal+json"}
        if api_key:
            headers["X-Api-Key"] = api_key
        self._connection = RegisterConnection(Bron.BAG, base_url, headers, policy)
        # All addresses at a postcode and huisnummer: the corrected letter or toevoeging of a
        # second question is answered from the first.
        self._cache: AnswerCache[_Key, tuple[BagAdres, ...]] = AnswerCache(policy.cache_seconds)

    def zoek(
        self, vraag: AdresVraag, bij_lezen: Bronlezing | None = None
    ) -> Gelezen[tuple[BagAdres, ...]]:
        key = _key(vraag)
        if key is None:
            return Gelezen((), uit_bron=False)  # the BAG has no such address, and is not asked
        before = (lambda: bij_lezen([key[0]])) if bij_lezen is not None else None
        alle = self._cache.read_through(key, lambda: self._read(*key), before)
        return Gelezen(tuple(a for a in alle.waarde if matches(a, vraag)), alle.uit_bron)

    def _read(self, code: str, huisnummer: int) -> tuple[BagAdres, ...]:
        params = {"postcode": code.replace(" ", ""), "huisnummer": huisnummer}
        found: list[BagAdres] = []
        for page in range(1, _MAX_PAGES + 1):
            answer = self._connection.get(
                "/adressen",
                _AdressenPagina.model_validate,
                {**params, "pageSize": PAGE_SIZE, "page": page},
            )
            found += (bag_adres(a) for a in answer.embedded.adressen)
            if answer.links.next is None or len(answer.embedded.adressen) < PAGE_SIZE:
                return tuple(found)
        raise RegisterNietBeschikbaar(Bron.BAG)
