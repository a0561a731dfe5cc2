"""The one mapping from what a use case refuses (``shared.errors``) to the problem it answers."""

from __future__ import annotations

from shared.errors import DomainError, Fout
from shared.problems import Problem, forbidden, invalid_input, not_found, service_unavailable

# The kinds the problems module already has a problem for: the same problem, whoever raises it.
_COMMON = {
    Fout.NIET_GEVONDEN: lambda error: not_found(error.detail),
    Fout.ONGELDIGE_INVOER: lambda error: invalid_input(error.invalid_params),
    Fout.GEEN_TOEGANG: lambda error: forbidden(error.detail),
    Fout.NIET_BESCHIKBAAR: lambda error: service_unavailable(error.detail),
}
# The others: the status and the title of its problem (the type is the kind's slug).
_PROBLEMS: dict[Fout, tuple[int, str]] = {
    Fout.CONFLICT: (409, "Conflict met het profiel"),
    Fout.VERSIE_VEROUDERD: (412, "Profiel is intussen gewijzigd"),
    Fout.TE_VEEL_VERZOEKEN: (429, "Te veel verzoeken"),
    Fout.CODE_ONJUIST: (400, "Code klopt niet"),
    Fout.CODE_GEBLOKKEERD: (409, "Code geblokkeerd"),
    Fout.CODE_ONGELDIG: (409, "Geen geldige code"),
    Fout.GELIJKTIJDIG: (409, "Gelijktijdige pogingen"),
    Fout.ALLEEN_LEZEN: (409, "Profiel kan alleen worden gelezen"),
}


def problem_of(error: DomainError) -> Problem:
    if error.fout in _COMMON:
        return _COMMON[error.fout](error)
    status, title = _PROBLEMS[error.fout]
    headers = {}
    if error.retry_after_seconds is not None:
        headers["Retry-After"] = str(error.retry_after_seconds)
    return Problem(status, title, error.detail, error.fout.value, error.invalid_params, headers)
