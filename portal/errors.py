"""The error page: one message the person can read, in their language, and a way back."""

from __future__ import annotations

from flask import render_template

from portal.session import language
from portal.texts import text


def error_page(message_key: str, status: int) -> tuple[str, int]:
    return render_template("error.html", message=text(message_key, language())), status
