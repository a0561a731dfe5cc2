"""The home page and the language switch."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portal.session import choose_language, safe_return_path, who

blueprint = Blueprint("start", __name__)


@blueprint.get("/")
def home() -> str | Response:
    if who() is not None:
        return redirect(url_for("contact.overview"))
    return render_template("home.html", logged_out="uitgelogd" in request.args)


@blueprint.get("/taal/<code>")
def switch_language(code: str) -> Response:
    # A link, not a form: it works on every page without script, and only changes the display.
    choose_language(code)
    return redirect(safe_return_path(request.args.get("terug")))
