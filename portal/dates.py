"""Days and moments as a person reads them, in the page's language and the Dutch time zone
(Babel's CLDR data: "30 november 2026", "30 November 2026, 14:05")."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime, get_timezone

NETHERLANDS = get_timezone("Europe/Amsterdam")


def day(value: date, language: str) -> str:
    return format_date(value, "d MMMM y", locale=language)


def moment(value: datetime, language: str) -> str:
    return format_datetime(value, "d MMMM y, HH:mm", tzinfo=NETHERLANDS, locale=language)
