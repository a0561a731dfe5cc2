"""Mijn gegevens (``/gegevens``): the registration, contact details, correspondence address and
contactnaam.

One page shows everything; every form posts to its own path, which calls the API and then
redirects back (Post/Redirect/Get) with a status message named in the query (``melding``, and
for a contact detail its UUID - never an address or anything else personal). When the API
refuses what the person typed (400 with ``invalidParams``), the same page is rendered again with
status 400, the API's message next to the field it names and the typed values kept; the API has
stored nothing. A change carries the profile's ETag the page was built from (hidden ``versie``)
as ``If-Match``: 412 (or a contact detail gone meanwhile, 404) shows the page as it is now with
``error.stale``.

The correspondence address is one of three kinds, each with its own form: a Dutch address
(postcode and huisnummer, completed from the BAG in a confirmation step), a postbus, and an
address abroad (its lines and a country from a list, named in the page's language). A person
logged in with eIDAS most likely lives abroad and sees that form first.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import pycountry
from babel import Locale
from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portal import dates
from portal.api import Answer, ApiProblem
from portal.session import api, language, login_required, who
from portal.texts import text

blueprint = Blueprint("contact", __name__)

# Status messages after a change, by the query's ``melding``; the first set concerns one
# contact detail and is shown in its card.
ITEM_NOTICES = {
    "toegevoegd": "contact.done.toegevoegd",
    "code": "contact.done.code",
    "geverifieerd": "contact.done.geverifieerd",
    "standaard": "contact.done.standaard",
}
PAGE_NOTICES = {
    "verwijderd": "contact.done.verwijderd",
    "postadres": "contact.done.postadres",
    "postadres-verwijderd": "contact.done.postadres.verwijderd",
    "contactnaam": "contact.done.contactnaam",
    "contactnaam-verwijderd": "contact.done.contactnaam.verwijderd",
}
# The fields of each form by the API's names (each field's id on the page), with their labels.
ADD_FIELDS = {
    "soortDigitaalAdres": "contact.add.kind",
    "adres": "contact.add.address",
    "omschrijving": "contact.add.description",
}
POSTADRES_FIELDS = {
    "postcode": "contact.postadres.postcode",
    "huisnummer": "contact.postadres.huisnummer",
    "huisletter": "contact.postadres.huisletter",
    "huisnummertoevoeging": "contact.postadres.toevoeging",
}
POSTBUS_FIELDS = {
    "postbusnummer": "contact.postbus.nummer",
    "postcode": "contact.postbus.postcode",
    "woonplaats": "contact.postbus.woonplaats",
}
BUITENLAND_FIELDS = {
    "adresregel1": "contact.buitenland.regel1",
    "adresregel2": "contact.buitenland.regel2",
    "adresregel3": "contact.buitenland.regel3",
    "land": "contact.buitenland.land",
}
NAAM_FIELDS = {"contactnaam": "contact.naam.label"}
# A field whose id on the page is not its name: the Dutch form has a "postcode" too.
FIELD_IDS = {"postbus": {"postcode": "postbus-postcode"}}
# The correspondence address's forms in the order the page shows them: who logged in with
# eIDAS most likely lives abroad.
POSTADRES_FORMS = ("nederlands", "postbus", "buitenland")
POSTADRES_FORMS_EIDAS = ("buitenland", "nederlands", "postbus")


@dataclass
class Outcome:
    """What the page says besides the profile: a form's errors and typed values, a message."""

    # "toevoegen", "postadres", "postbus", "buitenland", "contactnaam", "code-<id>", "item-<id>"
    form: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # API field name -> message
    values: dict[str, str] = field(default_factory=dict)
    general: str = ""  # a message for the form that names no field
    page_error: str = ""  # stale, read-only
    status: int = 200


@blueprint.get("/gegevens")
@login_required
def overview() -> tuple[str, int]:
    return _page(Outcome())


@blueprint.get("/gegevens/<path:rest>")
@login_required
def elsewhere(rest: str) -> Response:
    """The forms' paths only take a POST; opened otherwise (say after switching the language on
    a page a form answered), the person lands on the page itself."""
    return redirect(url_for("contact.overview"))


# --- contact details ---------------------------------------------------------------------------


@blueprint.post("/gegevens/contactgegevens")
@login_required
def add() -> Response | tuple[str, int]:
    values = _form("soortDigitaalAdres", "adres", "omschrijving")
    body: dict[str, Any] = {"adres": values["adres"]}
    if values["soortDigitaalAdres"]:
        body["soortDigitaalAdres"] = values["soortDigitaalAdres"]
    if values["omschrijving"]:
        body["omschrijving"] = values["omschrijving"]
    try:
        answer = _send("POST", "/profiel/contactgegevens", body)
    except ApiProblem as problem:
        return _refused(problem, "toevoegen", values, conflict_field="adres")
    return _to_item("toegevoegd", _new_id(answer))


@blueprint.post("/gegevens/contactgegevens/<uuid:contactgegeven_id>/verificatie")
@login_required
def verify(contactgegeven_id: Any) -> Response | tuple[str, int]:
    values = _form("code")
    # "123 456" as the message may show it: only the digits count.
    code = "".join(values["code"].split())
    try:
        api().send(
            "POST", f"/profiel/contactgegevens/{contactgegeven_id}/verificatie", {"code": code}
        )
    except ApiProblem as problem:
        if problem.status == 400 and "code" in problem.fields:
            problem.fields["code"] = _specific(problem) or problem.fields["code"]
        return _refused(problem, f"code-{contactgegeven_id}", values, conflict_field="code")
    return _to_item("geverifieerd", str(contactgegeven_id))


@blueprint.post("/gegevens/contactgegevens/<uuid:contactgegeven_id>/nieuwe-code")
@login_required
def new_code(contactgegeven_id: Any) -> Response | tuple[str, int]:
    try:
        api().send("POST", f"/profiel/contactgegevens/{contactgegeven_id}/verificatiecode")
    except ApiProblem as problem:
        return _refused(problem, f"item-{contactgegeven_id}", {})
    return _to_item("code", str(contactgegeven_id))


@blueprint.post("/gegevens/contactgegevens/<uuid:contactgegeven_id>/standaard")
@login_required
def make_standard(contactgegeven_id: Any) -> Response | tuple[str, int]:
    try:
        _send("PATCH", f"/profiel/contactgegevens/{contactgegeven_id}", {"isStandaardAdres": True})
    except ApiProblem as problem:
        return _refused(problem, f"item-{contactgegeven_id}", {})
    return _to_item("standaard", str(contactgegeven_id))


@blueprint.post("/gegevens/contactgegevens/<uuid:contactgegeven_id>/verwijderen")
@login_required
def remove(contactgegeven_id: Any) -> Response | tuple[str, int]:
    try:
        _send("DELETE", f"/profiel/contactgegevens/{contactgegeven_id}")
    except ApiProblem as problem:
        return _refused(problem, f"item-{contactgegeven_id}", {})
    return _to_page("verwijderd")


# --- correspondence address --------------------------------------------------------------------


@blueprint.post("/gegevens/postadres/zoeken")
@login_required
def find_address() -> tuple[str, int]:
    """Step 1: the BAG's addresses at the postcode and number; step 2 is the person's choice."""
    values = _form(*POSTADRES_FIELDS)
    try:
        found = api().get(
            "/adressen", {"postcode": values["postcode"], "huisnummer": values["huisnummer"]}
        )
    except ApiProblem as problem:
        return _refused(problem, "postadres", values)
    addresses = (found.body or {}).get("adressen") or []
    if not addresses:
        return _page(
            Outcome(
                "postadres",
                {"huisnummer": _t("contact.postadres.not.found")},
                values,
                status=400,
            )
        )
    chosen = addresses
    for name, key in (
        ("huisletter", "contact.postadres.no.letter"),
        ("huisnummertoevoeging", "contact.postadres.no.addition"),
    ):
        if values[name]:
            chosen = [a for a in chosen if _same(a.get(name), values[name])]
            if not chosen:
                return _page(Outcome("postadres", {name: _t(key)}, values, status=400))
    return (
        render_template(
            "contact/postadres.html",
            addresses=[(_choice(a), a) for a in chosen],
            postcode=values["postcode"],
            huisnummer=values["huisnummer"],
            etag=request.form.get("versie", ""),
            format_address=_format_postadres,
        ),
        200,
    )


@blueprint.post("/gegevens/postadres")
@login_required
def set_address() -> Response | tuple[str, int]:
    values = _form("postcode", "huisnummer", "keuze")
    huisletter, _, toevoeging = values["keuze"].partition("|")
    values |= {"huisletter": huisletter, "huisnummertoevoeging": toevoeging}
    number = values["huisnummer"]
    body = {
        "soort": "nederlands",
        "postcode": values["postcode"],
        # A number as the API wants it; anything else as typed, for the API to name.
        "huisnummer": int(number) if number.isdigit() else number,
        "huisletter": huisletter or None,
        "huisnummertoevoeging": toevoeging or None,
    }
    try:
        _send("PUT", "/profiel/postadres", body)
    except ApiProblem as problem:
        return _refused(problem, "postadres", values)
    return _to_page("postadres")


@blueprint.post("/gegevens/postadres/postbus")
@login_required
def set_postbus() -> Response | tuple[str, int]:
    values = _form(*POSTBUS_FIELDS)
    number = values["postbusnummer"]
    body: dict[str, Any] = {"soort": "postbus"}
    if number:
        # A number as the API wants it; anything else as typed, for the API to name.
        body["postbusnummer"] = int(number) if number.isascii() and number.isdigit() else number
    # A field left empty is not sent: the API then says it is required.
    body |= {name: values[name] for name in ("postcode", "woonplaats") if values[name]}
    try:
        _send("PUT", "/profiel/postadres", body)
    except ApiProblem as problem:
        return _refused(problem, "postbus", values)
    return _to_page("postadres")


@blueprint.post("/gegevens/postadres/buitenland")
@login_required
def set_foreign_address() -> Response | tuple[str, int]:
    values = _form(*BUITENLAND_FIELDS)
    body: dict[str, Any] = {
        "soort": "buitenlands",
        "adresregel2": values["adresregel2"] or None,
        "adresregel3": values["adresregel3"] or None,
    }
    # A required field left empty is not sent: the API then says it is required.
    body |= {name: values[name] for name in ("adresregel1", "land") if values[name]}
    try:
        _send("PUT", "/profiel/postadres", body)
    except ApiProblem as problem:
        return _refused(problem, "buitenland", values)
    return _to_page("postadres")


@blueprint.post("/gegevens/postadres/verwijderen")
@login_required
def remove_address() -> Response | tuple[str, int]:
    try:
        _send("DELETE", "/profiel/postadres")
    except ApiProblem as problem:
        return _refused(problem, "postadres-verwijderen", {})
    return _to_page("postadres-verwijderd")


# --- contactnaam ---------------------------------------------------------------------------------


@blueprint.post("/gegevens/contactnaam")
@login_required
def set_name() -> Response | tuple[str, int]:
    values = _form("contactnaam")
    try:
        _send("PUT", "/profiel/contactnaam", {"contactnaam": values["contactnaam"]})
    except ApiProblem as problem:
        return _refused(problem, "contactnaam", values)
    return _to_page("contactnaam")


@blueprint.post("/gegevens/contactnaam/uit-register")
@login_required
def name_from_register() -> Response | tuple[str, int]:
    try:
        _send("PUT", "/profiel/contactnaam", {"uitRegister": True})
    except ApiProblem as problem:
        return _refused(problem, "contactnaam", {})
    return _to_page("contactnaam")


@blueprint.post("/gegevens/contactnaam/verwijderen")
@login_required
def remove_name() -> Response | tuple[str, int]:
    try:
        _send("DELETE", "/profiel/contactnaam")
    except ApiProblem as problem:
        return _refused(problem, "contactnaam", {})
    return _to_page("contactnaam-verwijderd")


# --- the page ------------------------------------------------------------------------------------


def _page(outcome: Outcome) -> tuple[str, int]:
    answer = api().get("/profiel")
    profiel = answer.body or {}
    registratie = profiel.get("registratie") or {}
    contactgegevens = profiel.get("contactgegevens") or []
    read_only = registratie.get("bijgehouden") is False
    if read_only and outcome.status == 409:
        outcome = Outcome(page_error=_t("error.read.only"), status=409)
    notice, notice_item = _notice(contactgegevens)
    current = who()
    postadres = profiel.get("postadres") or {}

    def values_for(form: str) -> Mapping[str, Any]:
        """What the form shows: what was typed if it was refused; else, for a postbus or
        foreign address, the one stored (to correct one line of it)."""
        if outcome.form == form:
            return outcome.values
        soort = {"postbus": "postbus", "buitenland": "buitenlands"}.get(form)
        return postadres if soort and postadres.get("soort") == soort else {}

    return (
        render_template(
            "contact/overview.html",
            profiel=profiel,
            registratie=registratie,
            contactgegevens=contactgegevens,
            etag=answer.etag,
            read_only=read_only,
            outcome=outcome,
            summary=_summary(outcome, contactgegevens),
            notice=notice,
            notice_item=notice_item,
            errors_for=lambda form: outcome.fields if outcome.form == form else {},
            values_for=values_for,
            postadres_forms=(
                POSTADRES_FORMS_EIDAS if current and current.soort == "eidas" else POSTADRES_FORMS
            ),
            countries=_countries(language()),
            format_date=_format_date,
            format_address=_format_postadres,
            envelope=_envelope,
        ),
        outcome.status,
    )


def _notice(contactgegevens: list[dict[str, Any]]) -> tuple[str, str]:
    """The status message the query names, and the contact detail it belongs in (if any)."""
    melding = request.args.get("melding", "")
    if melding in PAGE_NOTICES:
        return _t(PAGE_NOTICES[melding]), ""
    if melding in ITEM_NOTICES:
        item = next((c for c in contactgegevens if c.get("id") == request.args.get("id")), None)
        if item is not None:
            return _t(ITEM_NOTICES[melding], adres=item.get("adres", "")), item["id"]
    return "", ""


def _summary(outcome: Outcome, contactgegevens: list[dict[str, Any]]) -> dict[str, str]:
    """The error summary at the top: each message linked to its field (or the item's card),
    and saying which field (or which address) it is about."""
    labels: Mapping[str, str] = {
        "toevoegen": ADD_FIELDS,
        "postadres": POSTADRES_FIELDS,
        "postbus": POSTBUS_FIELDS,
        "buitenland": BUITENLAND_FIELDS,
        "contactnaam": NAAM_FIELDS,
    }.get(outcome.form, {})
    ids = FIELD_IDS.get(outcome.form, {})
    summary: dict[str, str] = {}
    for name, message in outcome.fields.items():
        if outcome.form.startswith("code-") and name == "code":
            summary[outcome.form] = f"{_t('contact.code.label')}: {message}"
        elif name in labels:
            summary[ids.get(name, name)] = f"{_t(labels[name])}: {message}"
        else:
            outcome.general = " ".join(filter(None, (outcome.general, message)))
    if outcome.general:
        if outcome.form.startswith(("code-", "item-")):
            cid = outcome.form.split("-", 1)[1]
            adres = next((c.get("adres") for c in contactgegevens if c.get("id") == cid), "")
            summary[f"contactgegeven-{cid}"] = (
                f"{adres}: {outcome.general}" if adres else outcome.general
            )
        else:
            summary[""] = outcome.general
    return summary


def _refused(
    problem: ApiProblem,
    form: str,
    values: dict[str, str],
    *,
    conflict_field: str = "",
) -> tuple[str, int]:
    """The page again, for a refusal the person can act on; anything else is the error page."""
    if problem.status == 400:
        fields = dict(problem.fields)
        general = "" if fields else (problem.detail or _t("error.unavailable"))
        return _page(Outcome(form, fields, values, general, status=400))
    if problem.status in (404, 412):
        return _page(Outcome(form, {}, values, page_error=_t("error.stale"), status=412))
    if problem.status == 409:
        # Read-only (the page then says so), or a conflict with the profile as it is: a
        # duplicate address, a full list, a blocked or expired code - the API's words.
        fields = {conflict_field: problem.detail} if conflict_field else {}
        general = "" if conflict_field else problem.detail
        return _page(Outcome(form, fields, values, general, status=409))
    if problem.status == 429:
        return _page(Outcome(form, {}, values, _t("error.too.many"), status=429))
    raise problem


def _specific(problem: ApiProblem) -> str:
    """The problem's detail when it says more than "this field is wrong" (a wrong code: how many
    attempts are left)."""
    return "" if problem.is_a("ongeldige-invoer") else problem.detail


def _send(method: str, path: str, body: Any = None) -> Answer:
    return api().send(method, path, body, version=request.form.get("versie") or None)


def _form(*names: str) -> dict[str, str]:
    return {name: request.form.get(name, "").strip() for name in names}


def _new_id(answer: Answer) -> str:
    location = answer.headers.get("Location") or answer.headers.get("location") or ""
    return location.rstrip("/").rsplit("/", 1)[-1]


def _to_item(melding: str, contactgegeven_id: str) -> Response:
    return redirect(
        url_for(
            "contact.overview",
            melding=melding,
            id=contactgegeven_id,
            _anchor=f"contactgegeven-{contactgegeven_id}",
        ),
        303,
    )


def _to_page(melding: str) -> Response:
    return redirect(url_for("contact.overview", melding=melding), 303)


def _choice(address: Mapping[str, Any]) -> str:
    """A BAG address as the value of its radio button: huisletter|huisnummertoevoeging (neither
    can hold a "|": one letter, up to four letters or digits)."""
    return f"{address.get('huisletter') or ''}|{address.get('huisnummertoevoeging') or ''}"


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").casefold() == (b or "").casefold()


def _t(key: str, **values: Any) -> str:
    return text(key, language(), **values)


def _format_date(value: str | None) -> str:
    """An ISO date as a person writes it: 1 december 2026."""
    if not value:
        return ""
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return dates.day(day, language())


def _envelope(adres: Mapping[str, Any] | None) -> list[str]:
    """A registered address (BRP adressering, KVK): its lines, and the country abroad."""
    if not adres:
        return []
    names = ("adresregel1", "adresregel2", "adresregel3", "land")
    return [str(adres[name]) for name in names if adres.get(name)]


def _format_postadres(adres: Mapping[str, Any] | None) -> list[str]:
    """The lines of an address of the profile (or of the BAG), as on an envelope."""
    if not adres:
        return []
    soort = adres.get("soort")
    if soort == "postbus":
        return [
            _t("contact.postadres.postbus", nummer=adres.get("postbusnummer", "")),
            f"{adres.get('postcode') or ''}  {adres.get('woonplaats') or ''}".strip(),
        ]
    if soort == "buitenlands":
        lines = [adres.get(f"adresregel{n}") for n in (1, 2, 3)]
        land = adres.get("land")
        return [line for line in (*lines, _country_name(land) if land else "") if line]
    number = f"{adres.get('huisnummer') or ''}{adres.get('huisletter') or ''}"
    if adres.get("huisnummertoevoeging"):
        number += f"-{adres['huisnummertoevoeging']}"
    return [
        f"{adres.get('straat') or ''} {number}".strip(),
        f"{adres.get('postcode') or ''}  {adres.get('woonplaats') or ''}".strip(),
    ]


@lru_cache(maxsize=8)
def _countries(language: str) -> tuple[tuple[str, str], ...]:
    """The countries an address abroad can be in, as (ISO 3166-1 alpha-2 code, name in the
    language), by name: CLDR's territories that are countries (not "EU" or "001"), the
    Netherlands left out."""
    names = Locale.parse(language).territories
    found = [
        (code, name)
        for code, name in names.items()
        if len(code) == 2
        and code.isalpha()
        and code != "NL"
        and pycountry.countries.get(alpha_2=code) is not None
    ]
    return tuple(sorted(found, key=lambda country: _sort_key(country[1])))


def _sort_key(name: str) -> str:
    """The same for every language: without accents and case ("Åland" among the A's)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _country_name(code: str) -> str:
    """A country's name in the page's language (its code where CLDR has none)."""
    return Locale.parse(language()).territories.get(code, code)
