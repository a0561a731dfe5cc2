"""Mijn voorkeuren: the default level, per organisation and per service, and sharing.

Every page reads the profile (``GET /profiel``) for its ``ETag`` and the level it edits, and
``GET /profiel/organisaties`` for what applies per organisation. A form sends every field it
shows (``null`` for "no preference"): ``PATCH /profiel/voorkeuren`` for the default level,
``PUT`` (which replaces the level; fields the form does not show are carried over as they were)
for an organisation or service, ``DELETE`` to fall back to the level above, and
``PUT /profiel/delen`` for sharing. The API checks every value; its message is shown next to
the field. A representative of one branch changes that branch's levels: the API decides by the
token, the page says so and shows the branch's own levels.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from portal.api import Answer, ApiProblem
from portal.errors import error_page
from portal.session import api, follow_preference, language, login_required, who
from portal.texts import text

blueprint = Blueprint("preferences", __name__)

CHANNELS = ("email", "sms", "berichtenbox", "portaal", "post")
# The languages offered, each named in itself; a code set elsewhere stays selectable.
LANGUAGES = (
    ("nl", "Nederlands"),
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("pl", "Polski"),
    ("tr", "Türkçe"),
    ("ar", "العربية"),
    ("uk", "Українська"),
)
OIN = re.compile(r"^[0-9]{20}$")
DIENST = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
# The form's answer per channel -> the API's value.
CHANNEL_VALUES = {"ja": True, "nee": False, "": None}


# --- reading ------------------------------------------------------------------------------------


@dataclass
class Profile:
    """What a page needs of the profile: its version, and the levels the person edits."""

    body: dict[str, Any]
    etag: str | None
    vestigingsnummer: str | None = None
    vestigingsnaam: str | None = None
    # The scope the person edits: the profile's own preferences, or their branch's.
    scope: dict[str, Any] = field(default_factory=dict)

    @property
    def read_only(self) -> bool:
        return (self.body.get("registratie") or {}).get("bijgehouden") is False

    @property
    def emails(self) -> list[dict[str, Any]]:
        return [
            c
            for c in self.body.get("contactgegevens") or ()
            if c.get("soortDigitaalAdres") == "email"
        ]

    def organisatie(self, oin: str) -> dict[str, Any]:
        return next((o for o in self.scope.get("organisaties") or () if o.get("oin") == oin), {})

    def dienst(self, oin: str, code: str) -> dict[str, Any]:
        diensten = self.organisatie(oin).get("diensten") or ()
        return next((d for d in diensten if d.get("dienst") == code), {})

    def shared_with(self, oin: str) -> bool:
        delen = self.body.get("delen") or {}
        alleen_met = delen.get("alleenMet")
        return oin not in (delen.get("geweigerd") or ()) and (
            alleen_met is None or oin in alleen_met
        )


def _profile() -> Profile:
    return _profile_from(api().get("/profiel"))


def _profile_from(answer: Answer) -> Profile:
    """The profile as the pages read it, from ``GET /profiel`` or a change's answer (the whole
    new profile)."""
    body = answer.body or {}
    voorkeuren = body.get("voorkeuren") or {}
    profile = Profile(body, answer.etag, scope=voorkeuren)
    soort = who()
    if soort is not None and soort.soort == "vestiging":
        vestiging = (body.get("registratie") or {}).get("vestiging") or {}
        nummer = vestiging.get("vestigingsnummer")
        if not nummer:
            # Which branch the token names, only the Handelsregister tells the page: without
            # it, the page could show (and overwrite) the wrong level.
            abort(make_response(error_page("preferences.vestiging.unavailable", 503)))
        profile.vestigingsnummer = nummer
        profile.vestigingsnaam = vestiging.get("naam")
        profile.scope = next(
            (v for v in voorkeuren.get("vestigingen") or () if v.get("vestigingsnummer") == nummer),
            {},
        )
    return profile


def _organisations() -> list[dict[str, Any]]:
    return (api().get("/profiel/organisaties").body or {}).get("organisaties") or []


def _organisation(organisations: list[dict[str, Any]], oin: str) -> dict[str, Any]:
    if not OIN.match(oin):
        abort(404)
    found = next((o for o in organisations if o.get("oin") == oin), None)
    if found is None:
        abort(404)
    return found


def _service(organisation: dict[str, Any], code: str) -> dict[str, Any]:
    if not DIENST.match(code):
        abort(404)
    found = next((d for d in organisation.get("diensten") or () if d.get("code") == code), None)
    if found is None:
        abort(404)
    return found


# --- the form of one level ----------------------------------------------------------------------


def form_values(level: dict[str, Any]) -> dict[str, str]:
    """One level of the API as the form's values: ``""`` for no preference."""
    kanalen = level.get("kanalen") or {}
    values = {
        "correspondentie": level.get("correspondentie") or "",
        "taal": level.get("taal") or "",
        "weergave.aanhef": (level.get("weergave") or {}).get("aanhef") or "",
        "voorkeursadressen.email": (level.get("voorkeursadressen") or {}).get("email") or "",
    }
    for channel in CHANNELS:
        chosen = kanalen.get(channel)
        values[f"kanalen.{channel}"] = "" if chosen is None else ("ja" if chosen else "nee")
    return values


def posted_values(form: MultiDict) -> dict[str, str]:
    """What the person sent, as it was (shown again when the API refuses it)."""
    names = ["correspondentie", "taal", "weergave.aanhef", "voorkeursadressen.email"]
    names += [f"kanalen.{channel}" for channel in CHANNELS]
    return {name: form.get(name, "").strip() for name in names}


def level_body(
    values: dict[str, str], current: dict[str, Any], with_address: bool
) -> dict[str, Any]:
    """The form's values as one level of the API: every field the form shows, ``None`` for no
    preference. What the form does not show (``weergave.thema``, the preferred phone number)
    is taken over from ``current``, so a ``PUT`` leaves it as it was. A value that is none of
    the choices goes to the API as it came: the API says what is wrong with it."""

    def optional(value: str) -> str | None:
        return value or None

    body: dict[str, Any] = {
        "correspondentie": optional(values["correspondentie"]),
        "kanalen": {
            channel: CHANNEL_VALUES.get(values[f"kanalen.{channel}"], values[f"kanalen.{channel}"])
            for channel in CHANNELS
        },
        "taal": optional(values["taal"]),
        "weergave": {
            **(current.get("weergave") or {}),
            "aanhef": optional(values["weergave.aanhef"]),
        },
    }
    if with_address:
        body["voorkeursadressen"] = {
            **(current.get("voorkeursadressen") or {}),
            "email": optional(values["voorkeursadressen.email"]),
        }
    return body


def _resolved_taal(profile: Profile) -> str | None:
    """The language that applies at the default level (a branch's, else the company's)."""
    return profile.scope.get("taal") or (profile.body.get("voorkeuren") or {}).get("taal")


# --- the pages ----------------------------------------------------------------------------------


@blueprint.get("/voorkeuren")
@login_required
def overview() -> str:
    removed = request.args.get("verwijderd", "")
    return _overview(
        saved="opgeslagen" in request.args,
        removed_oin=removed if OIN.match(removed) else None,
    )


@blueprint.post("/voorkeuren")
@login_required
def save_default() -> str | Response:
    values = posted_values(request.form)
    try:
        answer = api().send(
            "PATCH",
            "/profiel/voorkeuren",
            level_body(values, {}, with_address=False),
            version=request.form.get("versie"),
        )
    except ApiProblem as problem:
        return _refused(problem, _overview, values)
    profile_after = _profile_from(answer)
    follow_preference(_resolved_taal(profile_after))
    return redirect(url_for(".overview", opgeslagen=1), code=303)


def _overview(
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: str | None = None,
    saved: bool = False,
    removed_oin: str | None = None,
) -> str:
    profile = _profile()
    organisations = _organisations()
    removed = next((o["naam"] for o in organisations if o.get("oin") == removed_oin), None)
    return render_template(
        "preferences/overview.html",
        profile=profile,
        organisations=organisations,
        values=values if values is not None else form_values(profile.scope),
        errors=errors or {},
        problem=problem,
        saved=saved,
        removed=removed,
        branches=_branches(profile, organisations),
        languages=LANGUAGES,
        channels=CHANNELS,
    )


def _branches(profile: Profile, organisations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For the whole company: the branches' own levels, read only."""
    soort = who()
    if soort is None or soort.soort != "ondernemer":
        return []
    names = {
        v.get("vestigingsnummer"): v.get("naam")
        for v in (profile.body.get("registratie") or {}).get("vestigingen") or ()
    }
    organisation_names = {o.get("oin"): o.get("naam") for o in organisations}
    return [
        {
            **branch,
            "nummer": branch.get("vestigingsnummer"),
            "naam": names.get(branch.get("vestigingsnummer")),
            "organisatienamen": [
                organisation_names.get(o.get("oin")) or o.get("oin")
                for o in branch.get("organisaties") or ()
            ],
        }
        for branch in (profile.body.get("voorkeuren") or {}).get("vestigingen") or ()
    ]


@blueprint.get("/voorkeuren/organisaties/<oin>")
@login_required
def organisation(oin: str) -> str:
    return _organisation_page(
        oin,
        saved="opgeslagen" in request.args,
        removed_dienst=request.args.get("dienst_verwijderd"),
    )


@blueprint.post("/voorkeuren/organisaties/<oin>")
@login_required
def save_organisation(oin: str) -> str | Response:
    organisations = _organisations()
    _organisation(organisations, oin)
    values = posted_values(request.form)
    current = _profile().organisatie(oin)
    try:
        api().send(
            "PUT",
            f"/profiel/voorkeuren/organisaties/{oin}",
            level_body(values, current, with_address=True),
            version=request.form.get("versie"),
        )
    except ApiProblem as problem:
        return _refused(problem, partial(_organisation_page, oin), values)
    return redirect(url_for(".organisation", oin=oin, opgeslagen=1), code=303)


@blueprint.post("/voorkeuren/organisaties/<oin>/verwijderen")
@login_required
def remove_organisation(oin: str) -> str | Response:
    _organisation(_organisations(), oin)
    try:
        api().send(
            "DELETE", f"/profiel/voorkeuren/organisaties/{oin}", version=request.form.get("versie")
        )
    except ApiProblem as problem:
        # Already gone (a second click, another window): what the person wanted.
        if problem.status != 404:
            return _refused(problem, partial(_organisation_page, oin))
    return redirect(url_for(".overview", verwijderd=oin), code=303)


def _organisation_page(
    oin: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: str | None = None,
    saved: bool = False,
    removed_dienst: str | None = None,
) -> str:
    profile = _profile()
    organisation = _organisation(_organisations(), oin)
    level = profile.organisatie(oin)
    removed = next(
        (d["naam"] for d in organisation.get("diensten") or () if d.get("code") == removed_dienst),
        None,
    )
    return render_template(
        "preferences/organisation.html",
        profile=profile,
        organisation=organisation,
        has_level=bool(level),
        values=values if values is not None else form_values(level),
        errors=errors or {},
        problem=problem,
        saved=saved,
        removed=removed,
        languages=LANGUAGES,
        channels=CHANNELS,
    )


@blueprint.get("/voorkeuren/organisaties/<oin>/diensten/<dienst>")
@login_required
def service(oin: str, dienst: str) -> str:
    return _service_page(oin, dienst, saved="opgeslagen" in request.args)


@blueprint.post("/voorkeuren/organisaties/<oin>/diensten/<dienst>")
@login_required
def save_service(oin: str, dienst: str) -> str | Response:
    _service(_organisation(_organisations(), oin), dienst)
    values = posted_values(request.form)
    current = _profile().dienst(oin, dienst)
    try:
        api().send(
            "PUT",
            f"/profiel/voorkeuren/organisaties/{oin}/diensten/{dienst}",
            level_body(values, current, with_address=True),
            version=request.form.get("versie"),
        )
    except ApiProblem as problem:
        return _refused(problem, partial(_service_page, oin, dienst), values)
    return redirect(url_for(".service", oin=oin, dienst=dienst, opgeslagen=1), code=303)


@blueprint.post("/voorkeuren/organisaties/<oin>/diensten/<dienst>/verwijderen")
@login_required
def remove_service(oin: str, dienst: str) -> str | Response:
    _service(_organisation(_organisations(), oin), dienst)
    try:
        api().send(
            "DELETE",
            f"/profiel/voorkeuren/organisaties/{oin}/diensten/{dienst}",
            version=request.form.get("versie"),
        )
    except ApiProblem as problem:
        if problem.status != 404:
            return _refused(problem, partial(_service_page, oin, dienst))
    return redirect(url_for(".organisation", oin=oin, dienst_verwijderd=dienst), code=303)


def _service_page(
    oin: str,
    dienst: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: str | None = None,
    saved: bool = False,
) -> str:
    profile = _profile()
    organisation = _organisation(_organisations(), oin)
    service = _service(organisation, dienst)
    level = profile.dienst(oin, dienst)
    return render_template(
        "preferences/service.html",
        profile=profile,
        organisation=organisation,
        service=service,
        has_level=bool(level),
        values=values if values is not None else form_values(level),
        errors=errors or {},
        problem=problem,
        saved=saved,
        languages=LANGUAGES,
        channels=CHANNELS,
    )


@blueprint.get("/voorkeuren/delen")
@login_required
def sharing() -> str:
    return _sharing_page(saved="opgeslagen" in request.args)


@blueprint.post("/voorkeuren/delen")
@login_required
def save_sharing() -> str | Response:
    profile = _profile()
    organisations = _organisations()
    listed = {o["oin"] for o in organisations}
    chosen = {oin: request.form.get(f"delen.{oin}") for oin in listed}
    delen = profile.body.get("delen") or {}
    # Organisations the page does not list (no longer in the register) keep their place.
    geweigerd = [oin for oin in delen.get("geweigerd") or () if oin not in listed]
    geweigerd += sorted(oin for oin, keuze in chosen.items() if keuze == "nee")
    alleen_met = delen.get("alleenMet")
    if alleen_met is not None:
        alleen_met = [oin for oin in alleen_met if oin not in listed]
        alleen_met += sorted(oin for oin, keuze in chosen.items() if keuze != "nee")
    try:
        api().send(
            "PUT",
            "/profiel/delen",
            {"geweigerd": geweigerd, "alleenMet": alleen_met},
            version=request.form.get("versie"),
        )
    except ApiProblem as problem:
        if problem.status == 403:
            return _sharing_page(forbidden=True), 403
        return _refused(problem, _sharing_page)
    return redirect(url_for(".sharing", opgeslagen=1), code=303)


def _sharing_page(
    errors: dict[str, str] | None = None,
    problem: str | None = None,
    saved: bool = False,
    forbidden: bool = False,
) -> str:
    profile = _profile()
    organisations = _organisations()
    return render_template(
        "preferences/sharing.html",
        profile=profile,
        organisations=organisations,
        errors=errors or {},
        problem=problem,
        saved=saved,
        forbidden=forbidden,
    )


# --- what the API refused -----------------------------------------------------------------------


def _refused(
    problem: ApiProblem, page: Callable[..., str], values: dict[str, str] | None = None
) -> tuple[str, int]:
    """The same page again: the person's values with the API's message next to each field
    (400); the profile as it is now after a change elsewhere (412); or why nothing can be
    changed (409). Anything else is the app's error page."""
    if problem.status == 400 and problem.fields:
        if values is not None:
            return page(values=values, errors=problem.fields), 400
        return page(errors=problem.fields), 400
    if problem.status in (412, 428):
        return page(problem=_say("error.stale")), 412
    if problem.status == 409:
        if _profile().read_only or not problem.detail:
            return page(problem=_say("error.read.only")), 409
        return page(problem=_say("preferences.conflict", reden=problem.detail)), 409
    raise problem


def _say(key: str, **values: Any) -> str:
    return text(key, language(), **values)
