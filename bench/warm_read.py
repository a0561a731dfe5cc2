"""Warm single read: a burger reads the own profile (``GET /api/profiel/v1/profiel``).

- **handler**: get-profile's ``lambda_handler`` called in this process with the API Gateway event
  the gateway would build (token verification, routing, the store read, the response) - the
  function's own cost, without a socket in front of it;
- **raw**: a boto3 ``get_item`` of the same item (consistent, as the repository reads), on the
  same moto server, so both pay the store's HTTP round trip;
- **HTTP**: the same request over HTTP to the local gateway (a werkzeug server in a thread of
  this process), for the full picture.

The samples alternate (handler, raw, HTTP, handler, ...) so that a disturbance hits all three.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import requests

from bench.stack import BenchStack, api_event
from bench.stats import Figure, ms, p50, p95, table

GOAL = 1.2  # x raw at p50 (issue 20; it was 1.3)
P95_GOAL = 1.3  # x raw at p95


@dataclass
class WarmReadResult:
    samples: int
    handler: list[float]
    raw: list[float]
    http: list[float]
    handler_cpu: list[float]  # this thread's CPU time per call: the client side's own work
    raw_cpu: list[float]

    def report(self) -> str:
        raw50, raw95 = p50(self.raw), p95(self.raw)
        rows = [
            ["raw boto3 get_item", ms(raw50), ms(raw95), "1.00x", "1.00x", ms(p50(self.raw_cpu))]
        ]
        for name, values, cpu in (
            ("get-profile handler (in-process)", self.handler, self.handler_cpu),
            ("over HTTP via the local gateway", self.http, []),
        ):
            if values:
                rows.append(
                    [
                        name,
                        ms(p50(values)),
                        ms(p95(values)),
                        f"{p50(values) / raw50:.2f}x",
                        f"{p95(values) / raw95:.2f}x",
                        ms(p50(cpu)) if cpu else "",
                    ]
                )
        overhead = p50(self.handler) - raw50
        return "\n".join(
            [
                f"Warm single read: GET /profiel, {self.samples} samples each, after warm-up.",
                table(["path", "p50", "p95", "p50/raw", "p95/raw", "client CPU p50"], rows),
                f"  the function adds {ms(overhead)} at p50 to the store's round trip; "
                f"client CPU: this process's own work per call (the store's is in moto's process)",
            ]
        )

    def figures(self) -> list[Figure]:
        ratio50 = p50(self.handler) / p50(self.raw)
        ratio95 = p95(self.handler) / p95(self.raw)
        return [
            Figure(
                "warm read p50 (handler/raw)",
                f"{ratio50:.2f}x ({ms(p50(self.handler))})",
                f"<= {GOAL}x",
                ratio50 <= GOAL,
            ),
            Figure(
                "warm read p95 (handler/raw)",
                f"{ratio95:.2f}x ({ms(p95(self.handler))})",
                f"<= {P95_GOAL}x",
                ratio95 <= P95_GOAL,
            ),
        ]


def measure(
    stack: BenchStack, samples: int = 300, warmup: int = 20, over_http: bool = True
) -> WarmReadResult:
    bsn = stack.bsns[0]
    token = stack.burger_token(bsn)
    handler = stack.handler("get-profile")
    event = api_event("GET", "/profiel", token)

    client = stack.client()
    table_name = stack.table_name("profielen")
    key = {"partij": {"S": stack.keys[bsn]}}

    def via_handler() -> None:
        response = handler(event, None)
        if response["statusCode"] != 200:
            raise RuntimeError(f"GET /profiel answered {response['statusCode']}")

    def via_raw() -> None:
        if "Item" not in client.get_item(TableName=table_name, Key=key, ConsistentRead=True):
            raise RuntimeError("the raw get_item found no item")

    paths = [via_handler, via_raw]
    if over_http:
        base_url = stack.start_gateway()
        session = requests.Session()
        headers = {"Authorization": f"Bearer {token}"}

        def via_http() -> None:
            response = session.get(f"{base_url}/profiel", headers=headers, timeout=30)
            if response.status_code != 200:
                raise RuntimeError(f"GET /profiel over HTTP answered {response.status_code}")

        paths.append(via_http)

    timings: list[list[float]] = [[] for _ in paths]
    cpu: list[list[float]] = [[] for _ in paths]
    for sample in range(warmup + samples):
        for path, values, cpu_values in zip(paths, timings, cpu, strict=True):
            cpu_started = time.thread_time()
            started = time.perf_counter()
            path()
            elapsed = time.perf_counter() - started
            cpu_elapsed = time.thread_time() - cpu_started
            if sample >= warmup:
                values.append(elapsed)
                cpu_values.append(cpu_elapsed)
    return WarmReadResult(
        samples, timings[0], timings[1], timings[2] if over_http else [], cpu[0], cpu[1]
    )
