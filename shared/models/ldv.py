"""Logboek Dataverwerkingen: one record of one processing action on one data subject.

The record follows the LDV standard: a span of a W3C trace (``trace_id``, ``span_id``,
``parent_span_id``), its ``name``, ``status``, ``start_time`` and ``end_time`` in milliseconds,
and the ``dpl.core`` attributes (``specs/ldv-attributes.schema.json``). The data subject
is the keyed pseudonym the store uses, never the BSN or KVK-nummer. Every lookup is recorded:
nothing is sampled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from shared.models.partij import SoortIdentificator, ldv_id_type

if TYPE_CHECKING:
    from shared.models.register import Doel
    from shared.tracing import TraceContext

# A change of one's own profile (processing activity "own profile maintenance").
EIGEN_PROFIELBEHEER = "eigen-profielbeheer"


@dataclass(frozen=True)
class Verwijzing:
    """A partij's UUID for the organisation that looked it up (the Klantinteracties surface),
    with its identifier encrypted for that UUID (``shared.identity.verwijzing``)."""

    uuid: str
    versleuteld: str


@dataclass(frozen=True)
class Verwerking:
    trace_id: str
    span_id: str
    parent_span_id: str | None
    name: str
    status: Literal["Ok", "Error"]
    start_time: int  # ms since the epoch
    end_time: int
    processing_activity_id: str  # the purpose's processing activity (a URI)
    data_subject_id: str  # the pseudonym
    data_subject_id_type: str
    # Who asked, for which purpose: what the data subject's inzage shows. No organisation: the
    # partij's own change of its profile.
    oin: str | None
    doel: str
    # The application outside the service that took part: a register read at the source.
    processor: str | None = None
    # Not part of the record: the data subject's identifier sealed for a key rotation, stored
    # beside it so that a rotation can move the record (shared.identity.sealing).
    sealed_identifier: str | None = None
    # Not part of the record either: what the organisation was given to find the partij by again.
    verwijzing: Verwijzing | None = None

    @property
    def attributes(self) -> dict[str, str]:
        attributes = {
            "dpl.core.processing_activity_id": self.processing_activity_id,
            "dpl.core.data_subject_id": self.data_subject_id,
            "dpl.core.data_subject_id_type": self.data_subject_id_type,
        }
        if self.processor is not None:
            attributes["dpl.core.foreign_operation.processor"] = self.processor
        return attributes


def organisatie_verwerking(
    *,
    name: str,
    trace: TraceContext,
    span_id: str,
    start_time: int,
    end_time: int,
    oin: str,
    doel: Doel,
    partij: str,
    soort: SoortIdentificator,
    sealed_identifier: str | None,
    verwijzing: Verwijzing | None = None,
) -> Verwerking:
    """The record of an organisation's processing of one partij's data under one of its purposes
    (a lookup, a report, a write-back): in the caller's trace, under the purpose's processing
    activity."""
    return Verwerking(
        trace_id=trace.trace_id,
        span_id=span_id,
        parent_span_id=trace.parent_span_id,
        name=name,
        status="Ok",
        start_time=start_time,
        end_time=end_time,
        processing_activity_id=str(doel.verwerkingsactiviteit),
        data_subject_id=partij,
        data_subject_id_type=ldv_id_type(soort),
        oin=oin,
        doel=doel.code,
        sealed_identifier=sealed_identifier,
        verwijzing=verwijzing,
    )
