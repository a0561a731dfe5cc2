"""The portal's texts in Dutch (plain language, B1) and English, one catalogue per page group.

A key names its page group (``contact.add.title``); each module holds ``TEXTS``: key -> (Dutch,
English). A key missing in the catalogue fails the page (and its test), never shows a key.
"""

from __future__ import annotations

from importlib import import_module

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
_MODULES = ("common", "contact", "preferences", "inzage", "rights")

CATALOGUE: dict[str, tuple[str, str]] = {}
for _name in _MODULES:
    _texts = import_module(f"{__name__}.{_name}").TEXTS
    _twice = CATALOGUE.keys() & _texts.keys()
    if _twice:
        raise RuntimeError(f"texts defined twice: {sorted(_twice)}")
    CATALOGUE.update(_texts)


def text(key: str, language: str, **values: object) -> str:
    dutch, english = CATALOGUE[key]
    chosen = english if language == "en" else dutch
    return chosen.format(**values) if values else chosen
