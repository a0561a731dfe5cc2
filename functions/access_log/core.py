"""The inzage: the Logboek Dataverwerkingen of one partij, as its owner reads it.

Each record in the shape of the LDV read extension's ``ProcessingActivity``
(``specs/ldv-extensie-lezen.openapi.json``), with the organisation's name and the
purpose's description and legal basis resolved from the register.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from shared.models.audit import AuditRecord
from shared.models.contactmoment import Contactmoment
from shared.models.ldv import Verwerking
from shared.models.register import Organisatie

MAXIMUM_PAGE = 100
DEFAULT_PAGE = 20


def change(record: AuditRecord) -> dict[str, Any]:
    """One change of the profile as its owner reads it: what, when, by whom in role terms."""
    return {
        "tijdstip": record.tijdstip,
        "actie": record.actie.value,
        "velden": list(record.velden),
        "door": record.actor_rol,
        "versie": record.versie_na,
        "traceId": record.trace_id,
    }


def contactmoment(moment: Contactmoment, register: Iterable[Organisatie]) -> dict[str, Any]:
    """One contact moment as its partij reads it: which organisation (named from the register),
    when, by which channel, about what, and whether it reached them - never a message."""
    organisatie = next((o for o in register if o.oin == moment.oin), None)
    return {
        "tijdstip": moment.tijdstip.isoformat(),
        # An organisation that left the register is still named by its OIN.
        "organisatie": {"oin": moment.oin, "naam": organisatie.naam if organisatie else None},
        "kanaal": moment.kanaal,
        "onderwerp": moment.onderwerp,
        "gelukt": moment.gelukt,
    }


def processing_activity(verwerking: Verwerking, register: Iterable[Organisatie]) -> dict[str, Any]:
    organisatie = next((o for o in register if o.oin == verwerking.oin), None)
    doel = organisatie.doel(verwerking.doel) if organisatie else None
    # The read extension's parentSpanId is a span id or absent, never null: a lookup without a
    # caller's traceparent has no parent span.
    parent = {"parentSpanId": verwerking.parent_span_id} if verwerking.parent_span_id else {}
    return {
        "traceId": verwerking.trace_id,
        "spanId": verwerking.span_id,
        **parent,
        "name": verwerking.name,
        "status": verwerking.status,
        "startTime": verwerking.start_time,
        "endTime": verwerking.end_time,
        "attributes": verwerking.attributes,
        "organisatie": {
            "oin": verwerking.oin,
            # An organisation that left the register is still named by its OIN.
            "naam": organisatie.naam if organisatie else None,
        },
        "doel": {
            "code": verwerking.doel,
            "omschrijving": doel.omschrijving if doel else None,
            "grondslag": doel.grondslag if doel else None,
        },
    }
