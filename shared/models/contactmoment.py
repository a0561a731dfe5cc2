"""A contact moment: that an organisation contacted a partij - by which channel, about what
subject, when, and whether it reached them.

Made from the write-backs of an organisation's existing client (Klantinteracties' klantcontact,
which NotifyNL's OMC records after each message it sends); the partij reads them in its own
history (``GET /profiel/contactmomenten``). Never the message itself: Open Klant's ``inhoud`` and
``reactie`` are left out before anything is stored. The subject is what the person would see on
the envelope; the content is the organisation's to keep, not this service's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Contactmoment:
    klantcontact: str  # the klantcontact's UUID, as the organisation's client knows it
    oin: str  # the organisation that recorded it
    kanaal: str
    onderwerp: str
    tijdstip: datetime  # when it took place (``plaatsgevondenOp``), with a time zone
    gelukt: bool | None  # ``indicatieContactGelukt``: None when the organisation did not say
