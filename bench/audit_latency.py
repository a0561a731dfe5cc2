"""Audit latency: from an owner's change to its audit record in the audit table.

The change is a ``PATCH /profiel/voorkeuren`` by the burger through update-profile's handler (in
this process); the profile table's stream reaches process-log through the local stream pump
(:class:`pump.stream.StreamPump`, in a thread, as in the test suite), which appends
the audit record. The bench polls the audit table (a consistent ``Query`` for the partij and the
new version) until the record is there.

Latency is measured from the change's acknowledgement (the handler returned 200: the write is
stored) and, for completeness, from the start of the request. A random pause between changes
spreads them over the pump's polling cycle.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from bench.stack import BenchStack, api_event
from bench.stats import Figure, ms, p50, p95, table

GOAL_SECONDS = 1.0  # p95
POLL_SECONDS = 0.005
TIMEOUT_SECONDS = 10.0


@dataclass
class AuditResult:
    samples: int
    from_commit: list[float]
    from_request: list[float]
    missing: int
    dead_letters: int
    pump_interval: float

    def report(self) -> str:
        rows = [
            [
                "from the change's 200",
                ms(p50(self.from_commit)),
                ms(p95(self.from_commit)),
                ms(max(self.from_commit)),
            ],
            [
                "from the change's request",
                ms(p50(self.from_request)),
                ms(p95(self.from_request)),
                ms(max(self.from_request)),
            ],
        ]
        return "\n".join(
            [
                f"Audit latency: {self.samples} changes (PATCH /profiel/voorkeuren) through the "
                f"stream pump (polls every {ms(self.pump_interval)}), audit table polled every "
                f"{ms(POLL_SECONDS)}.",
                table(["latency", "p50", "p95", "max"], rows),
                f"  missing after {TIMEOUT_SECONDS:.0f} s: {self.missing}; "
                f"dead-lettered: {self.dead_letters}",
            ]
        )

    def figures(self) -> list[Figure]:
        worst = p95(self.from_commit)
        return [
            Figure(
                "audit latency p95",
                f"{ms(worst)} (p50 {ms(p50(self.from_commit))})",
                f"<= {GOAL_SECONDS:.0f} s",
                worst <= GOAL_SECONDS and not self.missing,
            ),
        ]


def measure(stack: BenchStack, samples: int = 40, burgers: int = 10) -> AuditResult:
    from pump.stream import POLL_INTERVAL_SECONDS

    handler = stack.handler("update-profile")
    client = stack.client()
    audit = stack.table_name("audit")
    # Burgers nobody else in the bench changes; each starts with correspondentie "digitaal".
    chosen = stack.bsns[200 : 200 + burgers]
    tokens = {bsn: stack.burger_token(bsn) for bsn in chosen}
    current = dict.fromkeys(chosen, "digitaal")
    pauses = random.Random(9)

    stack.start_pump()
    from_commit: list[float] = []
    from_request: list[float] = []
    missing = 0
    try:
        for sample in range(samples):
            bsn = chosen[sample % burgers]
            current[bsn] = "post" if current[bsn] == "digitaal" else "digitaal"
            event = api_event(
                "PATCH",
                "/profiel/voorkeuren",
                tokens[bsn],
                {"correspondentie": current[bsn]},
                {"if-match": "*"},
            )
            time.sleep(pauses.uniform(0, POLL_INTERVAL_SECONDS))
            requested = time.perf_counter()
            response = handler(event, None)
            committed = time.perf_counter()
            if response["statusCode"] != 200:
                raise RuntimeError(f"PATCH /profiel/voorkeuren answered {response['statusCode']}")
            version = response["headers"]["ETag"].strip('"')
            while True:
                found = client.query(
                    TableName=audit,
                    KeyConditionExpression="partij = :p",
                    FilterExpression="versie_na = :v",
                    ExpressionAttributeValues={
                        ":p": {"S": stack.keys[bsn]},
                        ":v": {"N": version},
                    },
                    ConsistentRead=True,
                    Select="COUNT",
                )["Count"]
                now = time.perf_counter()
                if found:
                    from_commit.append(now - committed)
                    from_request.append(now - requested)
                    break
                if now - committed > TIMEOUT_SECONDS:
                    missing += 1
                    break
                time.sleep(POLL_SECONDS)
    finally:
        stack.stop_pump()
    return AuditResult(
        samples,
        from_commit or [float("inf")],
        from_request or [float("inf")],
        missing,
        stack.dead_letters(),
        POLL_INTERVAL_SECONDS,
    )
