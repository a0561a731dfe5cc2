"""Appending to an audit chain: the cost of one append after 10 and after 10,000 records.

What process-log does per change - ``AuditTrail.append`` of one audit record - timed in this
process against the bench's store:

- **short**: chains of 10 records, one append to each (each measured append is the 11th);
- **long**: one chain of 10,000 records, appended to again and again (the 10,001st onwards).

The chains are seeded straight into the store, linked as the trail links them and each with its
head, in batch writes of 25 (about 5 s): through ``append``, 10,000 would take minutes. Short and
long alternate, so that both see the same store. An append reads the chain's head, not its trail,
so the two should cost the same: goal <= 1.2x. For context, one read of the whole long trail:
what every append cost before the head.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from bench.stack import BenchStack
from bench.stats import Figure, ms, p50, p95, table
from shared.models.audit import Actie, AuditRecord, volgnummer

# Nothing here imports shared.store at module level: the tables take their names from the
# environment when imported, so only after BenchStack.start has set it.

GOAL_RATIO = 1.2
SHORT, LONG = 10, 10_000
WARM_UP = 3


@dataclass
class ChainResult:
    samples: int
    short: list[float]
    long: list[float]
    whole_trail: float  # one read of the long trail
    seeding: float  # seconds to seed every chain

    @property
    def ratio(self) -> float:
        return p50(self.long) / p50(self.short)

    def report(self) -> str:
        rows = [
            [f"append after {SHORT} records", ms(p50(self.short)), ms(p95(self.short)), "1.00x"],
            [
                f"append after {LONG:,} records",
                ms(p50(self.long)),
                ms(p95(self.long)),
                f"{self.ratio:.2f}x",
            ],
            [f"before the head: read the trail of {LONG:,}", ms(self.whole_trail), "", ""],
        ]
        return "\n".join(
            [
                f"Audit chain append: AuditTrail.append of one record, {self.samples} samples per "
                f"chain length, alternating (chains seeded in {self.seeding:.1f} s).",
                table(["append", "p50", "p95", "÷ short"], rows),
            ]
        )

    def figures(self) -> list[Figure]:
        return [
            Figure(
                f"audit chain append after {LONG:,} ÷ after {SHORT} records",
                f"{self.ratio:.2f}x ({ms(p50(self.long))} vs {ms(p50(self.short))})",
                f"<= {GOAL_RATIO}x",
                self.ratio <= GOAL_RATIO,
            )
        ]


def linked_chain(partij: str, count: int, key: bytes) -> list[AuditRecord]:
    """The records of a partij's first ``count`` changes, linked one after the other as
    appending them would link them."""
    chain: list[AuditRecord] = []
    previous: AuditRecord | None = None
    for versie in range(1, count + 1):
        previous = a_change(partij, versie).linked(previous, key)
        chain.append(previous)
    return chain


def a_change(partij: str, versie: int) -> AuditRecord:
    """The audit record, not yet linked, of the change that produced ``versie``."""
    return AuditRecord(
        partij=partij,
        volgnummer=volgnummer(versie),
        actie=Actie.AANGEMAAKT if versie == 1 else Actie.GEWIJZIGD,
        velden=("voorkeuren.correspondentie",),
        versie_voor=versie - 1 or None,
        versie_na=versie,
        actor_rol="burger",
        actor=None,
        tijdstip="2026-11-22T10:00:00+00:00",
        trace_id=uuid.uuid4().hex,
    )


def _seed(chains: list[list[AuditRecord]]) -> None:
    """Every chain's records and its head, in batch writes."""
    from shared.store.audit import audit_item, kop_item
    from shared.store.tables import AuditItem, AuditKopItem

    with AuditItem.batch_write() as records:
        for chain in chains:
            for record in chain:
                records.save(audit_item(record))
    with AuditKopItem.batch_write() as heads:
        for chain in chains:
            heads.save(kop_item(chain[-1]))


def measure(stack: BenchStack, samples: int = 40) -> ChainResult:
    """``samples`` appends to each length, against the stack's store (set up by ``stack``)."""
    from shared.store.audit import AuditTrail, chain_key

    key = chain_key()
    trail = AuditTrail()
    runs = WARM_UP + samples
    short_partijen = [f"bench-chain-{SHORT}-{n}-{uuid.uuid4().hex}" for n in range(runs)]
    long_partij = f"bench-chain-{LONG}-{uuid.uuid4().hex}"

    began = time.perf_counter()
    chains = [linked_chain(p, SHORT, key) for p in short_partijen]
    _seed([*chains, linked_chain(long_partij, LONG, key)])
    seeding = time.perf_counter() - began

    short: list[float] = []
    long: list[float] = []
    for n in range(runs):
        pairs = ((short_partijen[n], SHORT, short), (long_partij, LONG + n, long))
        for partij, length, into in pairs:
            record = a_change(partij, length + 1)
            started = time.perf_counter()
            appended = trail.append(record)
            took = time.perf_counter() - started
            if not appended:
                raise RuntimeError(f"the bench's append to a chain of {length} was refused")
            if n >= WARM_UP:
                into.append(took)

    started = time.perf_counter()
    whole = trail.of(long_partij)
    whole_trail = time.perf_counter() - started
    if len(whole) != LONG + runs:
        raise RuntimeError(f"the long chain holds {len(whole)} records, not {LONG + runs}")
    return ChainResult(samples, short, long, whole_trail, seeding)
