"""W3C Trace Context: the trace a request belongs to, carried into the store and the audit trail.

Parsing ``traceparent`` is a dozen lines; the OpenTelemetry propagator would add ~70 ms to every
cold start for the same result. When the service exports spans, this moves to OpenTelemetry.
"""

from __future__ import annotations

import random
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass

_TRACEPARENT = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")
_INVALID_TRACE_ID = "0" * 32
_INVALID_SPAN_ID = "0" * 16


@dataclass(frozen=True)
class TraceContext:
    trace_id: str
    span_id: str  # this request's span
    parent_span_id: str | None  # the caller's span, if it sent one

    @property
    def traceparent(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-01"


def trace_context(headers: Mapping[str, str]) -> TraceContext:
    """Continue the caller's trace when it sent a valid ``traceparent``, else start a new one."""
    match = _TRACEPARENT.fullmatch((headers.get("traceparent") or "").strip())
    if match:
        version, trace_id, parent_id, _flags = match.groups()
        if version != "ff" and trace_id != _INVALID_TRACE_ID and parent_id != _INVALID_SPAN_ID:
            return TraceContext(trace_id, new_span_id(), parent_id)
    return TraceContext(secrets.token_hex(16), new_span_id(), None)


def new_span_id() -> str:
    """A span id: unique, not secret. From the process's PRNG, as OpenTelemetry's id generator
    does, not the system's: a bulk lookup makes one per LDV record, and a system call each cost
    more than the record itself. (After a SnapStart restore the PRNG is seeded anew:
    ``shared.snapstart``.)"""
    while True:
        span_id = random.getrandbits(64)
        if span_id:  # all zeroes is W3C's invalid span id
            return f"{span_id:016x}"


def now_ms() -> int:
    """The time now as a span's start and end are given: milliseconds since the epoch."""
    return time.time_ns() // 1_000_000
