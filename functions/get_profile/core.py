"""Reading one's own profile: what of the stored profile the owner gets to see."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from shared.models.profiel import Contactgegeven, Profiel, SoortDigitaalAdres
from shared.models.register import Organisatie
from shared.models.voorkeuren import Voorkeurset, resolve

ContactgegevenView = Callable[[Contactgegeven], dict[str, Any]]


def per_organisatie(
    profiel: Profiel,
    organisaties: Iterable[Organisatie],
    view: ContactgegevenView,
    vestigingsnummer: str | None = None,
) -> list[dict[str, Any]]:
    """Per organisation of the register (and per service): the preferences that apply to it
    and the e-mail address and phone number it would use - and whether that differs from the
    level above, so a portal can show where a change applies."""
    default = resolve(profiel.voorkeuren, vestigingsnummer=vestigingsnummer)
    result = []
    for organisatie in organisaties:
        voor_organisatie = resolve(profiel.voorkeuren, organisatie.oin, None, vestigingsnummer)
        diensten = []
        for dienst in organisatie.diensten:
            voor_dienst = resolve(
                profiel.voorkeuren, organisatie.oin, dienst.code, vestigingsnummer
            )
            diensten.append(
                {
                    "code": dienst.code,
                    "naam": dienst.naam,
                    **_resolved(profiel, voor_dienst, voor_organisatie, view),
                }
            )
        result.append(
            {
                "oin": organisatie.oin,
                "naam": organisatie.naam,
                **_resolved(profiel, voor_organisatie, default, view),
                "diensten": diensten,
            }
        )
    return result


def _resolved(
    profiel: Profiel, voorkeuren: Voorkeurset, above: Voorkeurset, view: ContactgegevenView
) -> dict[str, Any]:
    def adres(soort: SoortDigitaalAdres, of: Voorkeurset) -> Contactgegeven | None:
        return profiel.voorkeursadres(soort, of)

    shown = voorkeuren.model_dump(mode="json", by_alias=True, exclude={"voorkeursadressen"})
    adressen = {soort: adres(soort, voorkeuren) for soort in SoortDigitaalAdres}
    return {
        "afwijkend": voorkeuren != above
        or any(adressen[soort] != adres(soort, above) for soort in SoortDigitaalAdres),
        "voorkeuren": shown,
        **{soort.value: view(c) if c else None for soort, c in adressen.items()},
    }
