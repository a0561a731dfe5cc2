"""The BRP's derived names and envelope lines (``adressering``, ``naam.voorletters``,
``naam.volledigeNaam``), computed from a person in the BRP API v2 shape.

The rules are those of Haal Centraal BRP Personen Bevragen's feature files (``features/bevragen/
persoon/adressering``: adres-regels, aanhef, aanschrijfwijze, gebruikinlopendetekst, and
``Voorletters.feature``), as far as the local test personas need them:

- ``adresregel1``: ``[korte straatnaam] [bij|t/o] [huisnummer]`` followed by huisletter and
  toevoeging written together - after a hyphen when that starts with a digit, else after a space
  (``Turfmarkt 7 a``, ``Atatürkstraat 9-2``, ``Cronus 555 B73c``); a locatie gives its
  beschrijving. ``adresregel2``: ``1234 AB  WOONPLAATS`` (two spaces, capitals), the gemeente of
  inschrijving where the address has no woonplaats, the gemeente alone for a locatie. Abroad:
  regel 1-3 of the address and ``land``.
- The name follows ``aanduidingNaamgebruik`` (E eigen, P partner, V partner-eigen, N
  eigen-partner) with the partner the BRP uses: the oldest current marriage or partnership, else
  the last dissolved one; without a partner surname the own name. A title or predicate is used in
  the form for the person's sex (baron/barones, jonkheer/jonkvrouw, ...); not with naamgebruik P,
  and a predicate not for a woman who has a current partner or uses a partner's name.
- ``aanhef``: ``Geachte heer|mevrouw <name>``, for sex O ``Geachte <voorletters> <name>``; with
  a title the courtesy form (``Hoogwelgeboren heer``, ``Hooggeboren vrouwe``, ``Hoogheid``).
  ``gebruikInLopendeTekst``: ``de heer|mevrouw <name>`` or ``<titel> <name>``.
  ``aanschrijfwijze``: ``<voorletters> <name>`` with the title or predicate in its place and, with
  one, the ``aanspreekvorm`` line (``De hoogwelgeboren heer``).

Simplified: no hoffelijkheidstitel (a woman using the name of a titled husband), no academic
titles (the BRP has none either), a title without a form for the person's sex (ridder for a
woman, any title for sex O) is left out, and ``inOnderzoek`` of the adressering is set for the
address parts only (not for a name in onderzoek).
"""

from __future__ import annotations

import re
from typing import Any

# (male, female) form of each title and predicate; the code says the registered form.
_TITLES: dict[str, tuple[str, str | None]] = {
    "B": ("baron", "barones"),
    "BS": ("baron", "barones"),
    "G": ("graaf", "gravin"),
    "GI": ("graaf", "gravin"),
    "H": ("hertog", "hertogin"),
    "HI": ("hertog", "hertogin"),
    "M": ("markies", "markiezin"),
    "MI": ("markies", "markiezin"),
    "P": ("prins", "prinses"),
    "PS": ("prins", "prinses"),
    "R": ("ridder", None),
}
_PREDICATES: dict[str, tuple[str, str | None]] = {
    "JH": ("jonkheer", "jonkvrouw"),
    "JV": ("jonkheer", "jonkvrouw"),
}
_HOOGGEBOREN = {"G", "GI"}
_HOOGHEID = {"P", "PS"}
_SPACES = re.compile(r"\s+")


def voorletters(voornamen: str | None) -> str | None:
    """``Anna Özil`` -> ``A.Ö.``; a one-letter name keeps no full stop (``Elise Q`` -> ``E.Q``)."""
    if not voornamen:
        return None
    letters = "".join(
        name[0] + "." if len(name) > 1 else name + " " for name in voornamen.split() if name
    )
    return letters.strip() or None


def _clean(text: str) -> str:
    """No double spaces, none at the ends, none around a hyphen between names."""
    text = _SPACES.sub(" ", text).strip()
    return re.sub(r"\s*-\s*", "-", text) if "-" in text else text


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _surname(naam: dict[str, Any] | None) -> str:
    if not naam:
        return ""
    geslachtsnaam = naam.get("geslachtsnaam") or ""
    if geslachtsnaam in ("", "."):
        return ""
    return _clean(f"{naam.get('voorvoegsel') or ''} {geslachtsnaam}")


def naamgebruik_partner(partners: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    """The partner whose name the BRP uses: the oldest current one, else the last dissolved."""
    partners = partners or []
    current = [p for p in partners if "ontbindingHuwelijkPartnerschap" not in p]
    if current:
        return min(current, key=lambda p: _sortable(p.get("aangaanHuwelijkPartnerschap")))
    if partners:
        return max(partners, key=lambda p: _sortable(p.get("ontbindingHuwelijkPartnerschap")))
    return None


def _sortable(event: dict[str, Any] | None) -> str:
    datum = (event or {}).get("datum") or {}
    if "datum" in datum:
        return datum["datum"]
    return f"{datum.get('jaar', 0):04d}-{datum.get('maand', 0):02d}-00"


class _Name:
    """The name parts one person is addressed by."""

    def __init__(self, persoon: dict[str, Any]) -> None:
        naam = persoon.get("naam") or {}
        self.sex = (persoon.get("geslacht") or {}).get("code")
        self.initials = voorletters(naam.get("voornamen")) or ""
        self.own = _surname(naam)
        partner = naamgebruik_partner(persoon.get("partners"))
        self.has_current_partner = partner is not None and (
            "ontbindingHuwelijkPartnerschap" not in partner
        )
        self.partner = _surname((partner or {}).get("naam"))
        code = (naam.get("aanduidingNaamgebruik") or {}).get("code") or "E"
        # Without a partner surname there is nothing but the own name to use.
        self.use = code if self.partner else "E"
        self.uses_partner_name = code != "E"
        self.title, self.predicate, self.title_code = self._nobility(naam)

    def _nobility(self, naam: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
        code = (naam.get("adellijkeTitelPredicaat") or {}).get("code")
        if code is None or self.use == "P" or self.sex not in ("M", "V"):
            return None, None, None
        if code in _TITLES:
            word = _TITLES[code][0 if self.sex == "M" else 1]
            return (word, None, code) if word else (None, None, None)
        if code in _PREDICATES:
            if self.sex == "V" and (self.has_current_partner or self.uses_partner_name):
                return None, None, None
            return None, _PREDICATES[code][0 if self.sex == "M" else 1], code
        return None, None, None

    @property
    def noble(self) -> bool:
        return self.title is not None or self.predicate is not None

    def combined(self, own: str) -> str:
        """The surname(s) by naamgebruik, ``own`` standing for the person's own name."""
        return {
            "E": own,
            "P": self.partner,
            "V": f"{self.partner}-{own}",
            "N": f"{own}-{self.partner}",
        }[self.use]

    def aanschrijfwijze(self) -> dict[str, str] | None:
        if not self.own and self.use == "E":
            return None
        if self.title:
            naam = f"{self.initials} {self.combined(f'{self.title} {self.own}')}"
        elif self.predicate and self.use in ("E", "N"):
            naam = f"{self.predicate} {self.initials} {self.combined(self.own)}"
        elif self.predicate:
            naam = f"{self.initials} {self.combined(f'{self.predicate} {self.own}')}"
        else:
            naam = f"{self.initials} {self.combined(self.own)}"
        result = {"naam": _capitalised(_clean(naam))}
        if self.noble and self.title_code:
            result["aanspreekvorm"] = self._aanspreekvorm()
        return result

    def _aanspreekvorm(self) -> str:
        if self.title_code in _HOOGHEID:
            return "De hoogheid"
        hoog = "hooggeboren" if self.title_code in _HOOGGEBOREN else "hoogwelgeboren"
        return f"De {hoog} {'heer' if self.sex == 'M' else 'vrouwe'}"

    def aanhef(self) -> str | None:
        if self.noble and self.title_code:
            return _capitalised(self._aanspreekvorm()[3:])  # "Hoogwelgeboren heer"
        surname = self.combined(self.own)
        if not _clean(surname.strip("-")):
            return None
        if self.sex == "M":
            return _clean(f"Geachte heer {_capitalised(_clean(surname))}")
        if self.sex == "V":
            return _clean(f"Geachte mevrouw {_capitalised(_clean(surname))}")
        if self.initials:
            return _clean(f"Geachte {self.initials} {surname}")
        return _clean(f"Geachte {_capitalised(_clean(surname))}")

    def gebruik_in_lopende_tekst(self) -> str | None:
        noble = self.title or self.predicate
        own = f"{noble} {self.own}" if noble else self.own
        surname = _clean(self.combined(own))
        if not surname.strip("-"):
            return None
        if noble and self.use in ("E", "N"):
            return surname  # "barones van den Aedel-de Boer"
        if self.sex == "M":
            return f"de heer {_capitalised(surname)}"
        if self.sex == "V":
            return f"mevrouw {_capitalised(surname)}"
        return _clean(f"{self.initials} {surname}") if self.initials else _capitalised(surname)


def volledige_naam(persoon: dict[str, Any]) -> str | None:
    """Predicaat, voornamen, titel, voorvoegsel and geslachtsnaam, without a partner's name."""
    naam = persoon.get("naam") or {}
    sex = (persoon.get("geslacht") or {}).get("code")
    code = (naam.get("adellijkeTitelPredicaat") or {}).get("code")
    title = predicate = ""
    if code and sex in ("M", "V"):
        form = _TITLES.get(code) or _PREDICATES.get(code)
        word = form[0 if sex == "M" else 1] if form else None
        if word and code in _PREDICATES:
            predicate = word
        elif word:
            title = word
    parts = (
        predicate,
        naam.get("voornamen"),
        title,
        naam.get("voorvoegsel"),
        naam.get("geslachtsnaam"),
    )
    text = _clean(" ".join(part or "" for part in parts))
    return text or None


def adresregels(persoon: dict[str, Any]) -> dict[str, Any]:
    """``adresregel1..3`` and ``land`` of the person's verblijfplaats."""
    verblijfplaats = persoon.get("verblijfplaats") or {}
    kind = verblijfplaats.get("type")
    adres = verblijfplaats.get("verblijfadres") or {}
    gemeente = ((persoon.get("gemeenteVanInschrijving") or {}).get("omschrijving") or "").upper()
    regels: dict[str, Any] = {}
    if kind == "Adres":
        regels["adresregel1"] = adresregel1(adres)
        plaats = (adres.get("woonplaats") or "").upper() or gemeente
        postcode = adres.get("postcode")
        if postcode:
            compact = postcode.replace(" ", "").upper()
            regels["adresregel2"] = f"{compact[:4]} {compact[4:]}  {plaats}".rstrip()
        elif plaats:
            regels["adresregel2"] = plaats
    elif kind == "Locatie":
        regels["adresregel1"] = adres.get("locatiebeschrijving")
        if gemeente:
            regels["adresregel2"] = gemeente
    elif kind == "VerblijfplaatsBuitenland":
        for source, target in (
            ("regel1", "adresregel1"),
            ("regel2", "adresregel2"),
            ("regel3", "adresregel3"),
            ("land", "land"),
        ):
            if adres.get(source):
                regels[target] = adres[source]
    return {key: value for key, value in regels.items() if value}


def adresregel1(adres: dict[str, Any]) -> str:
    """``Graan voor Visch bij 15201 L2``: street, aanduiding, number, letter and toevoeging."""
    aanduiding = {"by": "bij", "to": "t/o"}.get(
        (adres.get("aanduidingBijHuisnummer") or {}).get("code", ""), ""
    )
    nummer = huisnummer_tekst(
        adres.get("huisnummer"), adres.get("huisletter"), adres.get("huisnummertoevoeging")
    )
    return _clean(f"{adres.get('korteStraatnaam') or ''} {aanduiding} {nummer}")


def huisnummer_tekst(huisnummer: Any, huisletter: str | None, toevoeging: str | None) -> str:
    """NEN 5825: letter and toevoeging together, after a hyphen if that starts with a digit."""
    suffix = f"{huisletter or ''}{toevoeging or ''}"
    if not suffix:
        return str(huisnummer or "")
    return f"{huisnummer}{'-' if suffix[0].isdigit() else ' '}{suffix}"


def adressering(persoon: dict[str, Any]) -> dict[str, Any]:
    """The ``adressering`` group of a person in the v2 shape (without ``inOnderzoek``)."""
    name = _Name(persoon)
    result: dict[str, Any] = adresregels(persoon)
    for key, value in (
        ("aanhef", name.aanhef()),
        ("aanschrijfwijze", name.aanschrijfwijze()),
        ("gebruikInLopendeTekst", name.gebruik_in_lopende_tekst()),
    ):
        if value:
            result[key] = value
    return result
