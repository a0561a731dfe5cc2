"""The one mapping from what a use case refuses (``shared.errors``) to the problem it answers."""

from __future__ import annotations

from shared.errors import DomainError, Fout
from shared.problems import Problem

# Per kind of refusal: the status and the title of its problem (the type is the kind's slug).
_PROBLEMS: dict[Fout, tuple[int, str]] = {
    Fout.NIET_GEVONDEN: (404, "Niet gevonden"),
    Fout.CONFLICT: (409, "Conflict met het profiel"),
    Fout.ONGELDIGE_INVOER: (400, "Ongeldige invoer"),
    Fout.VERSIE_VEROUDERD: (412, "Profiel is intussen gewijzigd"),
    Fout.GEEN_TOEGANG: (403, "Geen toegang"),
    Fout.NIET_BESCHIKBAAR: (503, "Tijdelijk niet beschikbaar"),
    Fout.TE_VEEL_VERZOEKEN: (429, "Te veel verzoeken"),
    Fout.CODE_ONJUIST: (400, "Code klopt niet"),
    Fout.CODE_GEBLOKKEERD: (409, "Code geblokkeerd"),
    Fout.CODE_ONGELDIG: (409, "Geen geldige code"),
    Fout.GELIJKTIJDIG: (409, "Gelijktijdige pogingen"),
}
# How long a client waits before it tries again what could not be reached.
_UNAVAILABLE_RETRY_AFTER_SECONDS = 5


def problem_of(error: DomainError) -> Problem:
    status, title = _PROBLEMS[error.fout]
    retry_after = error.retry_after_seconds
    if retry_after is None and error.fout is Fout.NIET_BESCHIKBAAR:
        retry_after = _UNAVAILABLE_RETRY_AFTER_SECONDS
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    return Problem(status, title, error.detail, error.fout.value, error.invalid_params, headers)
