"""Verifying one's own contact detail: what each outcome means for the profile and the answer.

No I/O, no clock: the caller passes the time and the outcome of checking the code.
"""

from __future__ import annotations

from datetime import datetime

from shared.errors import DomainError, Fout, InvalidParam, conflict
from shared.models.profiel import Contactgegeven, Profiel, kalenderdatum
from shared.models.verificatie import (
    Controle,
    Uitkomst,
    Verificatie,
    VerificatiecodeVerzonden,
)


def code_sent(contactgegeven: Contactgegeven, sent: Verificatie, now: datetime) -> dict:
    answer = VerificatiecodeVerzonden(
        soort_digitaal_adres=contactgegeven.soort_digitaal_adres,
        code_geldig_tot=sent.code_geldig_tot,
        nieuwe_code_vanaf=sent.volgende_code_vanaf(now),
    )
    return answer.model_dump(mode="json", by_alias=True)


def require_right_code(controle: Controle) -> None:
    """Nothing when the code was right; otherwise the refusal that says what to do next."""
    if controle.uitkomst is Uitkomst.GOED:
        return
    if controle.uitkomst is Uitkomst.FOUT and controle.resterende_pogingen:
        raise DomainError(
            Fout.CODE_ONJUIST,
            f"Deze code klopt niet. U kunt het nog {controle.resterende_pogingen} keer proberen.",
            (InvalidParam("code", "onjuist", "klopt niet"),),
        )
    if controle.uitkomst in (Uitkomst.FOUT, Uitkomst.GEBLOKKEERD):
        raise DomainError(
            Fout.CODE_GEBLOKKEERD,
            "Er is te vaak een verkeerde code ingevoerd; deze code werkt niet meer. Vraag een "
            "nieuwe code aan.",
        )
    raise DomainError(
        Fout.CODE_ONGELDIG,
        "Voor dit contactgegeven loopt geen geldige code: hij is verlopen, al gebruikt of nooit "
        "verstuurd. Vraag een nieuwe code aan.",
    )


def verified(profiel: Profiel, contactgegeven: Contactgegeven, now: datetime) -> Profiel:
    """The profile with the contact detail verified now, if it still has the verified address."""
    current = profiel.contactgegeven(contactgegeven.id)
    if current is None or current.adres != contactgegeven.adres:
        # Changed or removed since the code was checked: the code proved the old address.
        raise conflict(
            "Het contactgegeven is intussen gewijzigd of verwijderd; de code gold voor het "
            "oude adres."
        )
    # A code that came back proves the address receives again: a bounce reported before is over.
    verified_now = current.model_copy(
        update={"verificatie_datum": kalenderdatum(now), "onbestelbaar_sinds": None}
    )
    contactgegevens = tuple(
        verified_now if c.id == current.id else c for c in profiel.contactgegevens
    )
    return profiel.model_copy(update={"contactgegevens": contactgegevens})
