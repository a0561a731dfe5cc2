"""The person's rights under the AVG (GDPR): download everything (art. 15 and 20) and erasure
(art. 17).

- ``GET /rechten``: what the rights are, in plain words; a download link and the way to erasure.
- ``GET /rechten/download``: the API's ``GET /profiel/export`` handed to the browser as a file,
  ``mijn-profiel.json`` - never a name or an identifier in the file name.
- ``GET /rechten/verwijderen``: what erasure deletes and what stays (the Logboek's records of
  who looked, as the law requires), a checkbox the person must tick, and the profile's ETag
  (``versie``) the erasure is bound to.
- ``POST /rechten/verwijderen`` (``versie``, ``begrepen=ja``): ``DELETE /profiel`` with
  ``If-Match``. Without the tick nothing is sent (400); a stale page (412), a role that may not
  erase (403: a gemachtigde, a bewindvoerder) and nothing to erase (a profile never stored,
  ETag ``"0"``; 404) are said on the page.
- ``GET /rechten/verwijderd``: the confirmation, once, right after the erasure. The person stays
  logged in: their profile is now empty.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, session, url_for

from portal.api import ApiProblem
from portal.session import api, language, login_required
from portal.texts import text

blueprint = Blueprint("rights", __name__)

EXPORT_FILE_NAME = "mijn-profiel.json"
UNDERSTOOD = "begrepen"
# Set by a successful erasure, taken by the confirmation page: shown once, and only then.
ERASED = "rechten.verwijderd"
NEVER_STORED = '"0"'


@blueprint.get("/rechten")
@login_required
def overview() -> str:
    return render_template("rights/overview.html")


@blueprint.get("/rechten/download")
@login_required
def download() -> Response:
    answer = api().get("/profiel/export")
    return Response(
        answer.content,
        status=200,
        headers={
            "Content-Type": "application/json",
            "Content-Disposition": f'attachment; filename="{EXPORT_FILE_NAME}"',
            "Cache-Control": "no-store",
        },
    )


@blueprint.get("/rechten/verwijderen")
@login_required
def confirm() -> str:
    etag = api().get("/profiel").etag
    if _never_stored(etag):
        return _confirm_page(None, notice=("rights.confirm.nothing", "info"))
    return _confirm_page(etag)


@blueprint.post("/rechten/verwijderen")
@login_required
def erase() -> Any:
    versie = request.form.get("versie", "")
    if request.form.get(UNDERSTOOD) != "ja":
        missing = text("rights.confirm.check.missing", language())
        return _confirm_page(versie, errors={UNDERSTOOD: missing}), 400
    client = api()
    try:
        client.send("DELETE", "/profiel", version=versie or None)
    except ApiProblem as problem:
        if problem.status in (412, 428):
            # Changed since the page was made (or a page without a version): the person
            # confirms again, against what the profile is now.
            etag = client.get("/profiel").etag
            if _never_stored(etag):
                return _confirm_page(None, notice=("rights.confirm.nothing", "info")), 404
            return _confirm_page(etag, stale=True), 409
        if problem.status == 403:
            return _confirm_page(None, notice=("rights.confirm.forbidden", "error")), 403
        if problem.status == 404:
            return _confirm_page(None, notice=("rights.confirm.nothing", "info")), 404
        raise
    session[ERASED] = True
    return redirect(url_for("rights.erased"))


@blueprint.get("/rechten/verwijderd")
@login_required
def erased() -> Any:
    if not session.pop(ERASED, False):
        return redirect(url_for("rights.overview"))
    return render_template("rights/erased.html")


def _never_stored(etag: str | None) -> bool:
    # The API's version of a profile that was never stored: there is nothing to erase (and
    # an erasure against it would only ever be refused as stale).
    return (etag or "").removeprefix("W/") == NEVER_STORED


def _confirm_page(
    versie: str | None,
    *,
    errors: dict[str, str] | None = None,
    stale: bool = False,
    notice: tuple[str, str] | None = None,
) -> str:
    """The confirmation page; with ``notice`` (text key, alert kind) only that message, no
    form: there is nothing this person can erase here."""
    return render_template(
        "rights/erase.html",
        versie=versie,
        errors=errors or {},
        stale=stale,
        notice=notice,
    )
