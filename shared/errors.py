"""What a use case can refuse, in the domain's words; the HTTP edge turns each kind into its
problem (``shared.http.errors``).

The domain and the use cases raise :class:`DomainError`; they know nothing of status codes. The
``detail`` is Dutch, for the person who reads it, and never carries personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class InvalidParam:
    """One rejected input, named as the client sent it (a dotted path into the body or a header)."""

    name: str
    code: str
    reason: str


class Fout(StrEnum):
    NIET_GEVONDEN = "niet-gevonden"  # not in your profile, not in the register
    CONFLICT = "conflict"  # contradicts the profile as it is: a duplicate, a full list
    ONGELDIGE_INVOER = "ongeldige-invoer"
    VERSIE_VEROUDERD = "versie-verouderd"  # the version the client saw is not the current one
    GEEN_TOEGANG = "geen-toegang"  # e.g. a purpose the organisation has no grant for
    NIET_BESCHIKBAAR = "niet-beschikbaar"  # a store, the Logboek or NotifyNL cannot be reached
    TE_VEEL_VERZOEKEN = "te-veel-verzoeken"  # a limit on codes sent
    CODE_ONJUIST = "verificatiecode-onjuist"
    CODE_GEBLOKKEERD = "verificatiecode-geblokkeerd"
    CODE_ONGELDIG = "verificatiecode-ongeldig"
    GELIJKTIJDIG = "gelijktijdige-pogingen"  # another attempt on the same code at the same time
    # The source (BRP, Handelsregister) no longer keeps the partij: its profile can only be read.
    ALLEEN_LEZEN = "alleen-lezen"


class DomainError(Exception):
    def __init__(
        self,
        fout: Fout,
        detail: str,
        invalid_params: tuple[InvalidParam, ...] = (),
        retry_after_seconds: int | None = None,
    ) -> None:
        super().__init__(fout.value)  # the kind only: no detail in a traceback's first line
        self.fout = fout
        self.detail = detail
        self.invalid_params = tuple(invalid_params)
        self.retry_after_seconds = retry_after_seconds


def niet_gevonden(detail: str = "Deze bron bestaat niet.") -> DomainError:
    return DomainError(Fout.NIET_GEVONDEN, detail)


def conflict(detail: str) -> DomainError:
    return DomainError(Fout.CONFLICT, detail)


def ongeldige_invoer(params: tuple[InvalidParam, ...] | list[InvalidParam]) -> DomainError:
    names = ", ".join(p.name for p in params)
    return DomainError(Fout.ONGELDIGE_INVOER, f"De invoer klopt niet voor: {names}.", tuple(params))


def versie_verouderd() -> DomainError:
    return DomainError(
        Fout.VERSIE_VEROUDERD,
        "Het profiel is gewijzigd sinds u het ophaalde. Haal het opnieuw op en probeer het "
        "opnieuw met de nieuwe ETag.",
    )


def niet_beschikbaar(detail: str) -> DomainError:
    return DomainError(Fout.NIET_BESCHIKBAAR, detail)


def alleen_lezen() -> DomainError:
    return DomainError(
        Fout.ALLEEN_LEZEN,
        "Dit profiel kan niet meer worden gewijzigd: volgens de basisregistratie wordt de "
        "persoon of onderneming daar niet meer bijgehouden.",
    )


def register_niet_beschikbaar(
    register: str, gevolg: str = "daarom is er niets vastgelegd"
) -> DomainError:
    """``register``: its name as the start of a Dutch sentence ("De BRP")."""
    return niet_beschikbaar(
        f"{register} is even niet bereikbaar; {gevolg}. Probeer het zo opnieuw."
    )
