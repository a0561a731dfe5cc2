"""Existing clients' reads (issue 18): what a read through another standard's contract costs
against the same lookup through ``POST /opvragingen``.

One seeded burger with a verified e-mail address, looked up by the local register's municipality
for "notificatie", each path through its function's handler in this process, the store over
HTTP (moto):

- **/opvragingen**: the service's own lookup of one BSN (an access token);
- **Klantinteracties**: ``GET /partijen?partijIdentificator__...&expand=digitaleAdressen`` as
  NotifyNL's OMC reads it (the municipality's API key);
- **MOZa**: ``POST /partij`` as MOZa's notification component reads it (the same key), where
  the function is there.

Each writes its LDV record before it answers; the Klantinteracties read also encrypts what its
partij UUID refers to. The samples alternate so that a disturbance hits every path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bench.registers import _alternate
from bench.stack import GEMEENTE_OIN, LOOKUP_DOEL, BenchStack, api_event
from bench.stats import Figure, ms, p50, p95, table

GOAL = 1.2  # x the same lookup through /opvragingen, at p50


@dataclass
class KoppelingResult:
    samples: int
    timings: dict[str, list[float]]

    def ratio(self, name: str) -> float:
        return p50(self.timings[name]) / p50(self.timings["/opvragingen"])

    def report(self) -> str:
        rows = [
            [name, ms(p50(values)), ms(p95(values)), f"{self.ratio(name):.2f}x"]
            for name, values in self.timings.items()
        ]
        return "\n".join(
            [
                "Existing clients: one burger looked up by the municipality for "
                f"'{LOOKUP_DOEL}', each function's handler in-process, {self.samples} samples "
                "each, alternating.",
                table(["path", "p50", "p95", "p50 / opvragingen"], rows),
            ]
        )

    def figures(self) -> list[Figure]:
        return [
            Figure(
                f"{name} read / the same lookup through /opvragingen (p50)",
                f"{self.ratio(name):.2f}x ({ms(p50(self.timings[name]))})",
                f"<= {GOAL}x",
                self.ratio(name) <= GOAL,
            )
            for name in self.timings
            if name != "/opvragingen"
        ]


def measure(stack: BenchStack, samples: int = 300, warmup: int = 20) -> KoppelingResult:
    from functions.registry import FUNCTIONS, KLANTINTERACTIES, MOZA_PROFIELSERVICE
    from infra.local.demo import GEMEENTE_API_KEY

    bsn = stack.bsns[0]
    api_key = f"Token {GEMEENTE_API_KEY}"
    paths: dict[str, Callable[[], None]] = {
        "/opvragingen": _call(
            stack.handler("lookup-preferences"),
            api_event(
                "POST",
                "/opvragingen",
                stack.organisation_token(GEMEENTE_OIN),
                {"doel": LOOKUP_DOEL, "betrokkenen": [{"bsn": bsn}]},
            ),
            lambda body: body["resultaten"][0]["beschikbaar"],
        ),
        "Klantinteracties GET /partijen": _call(
            stack.handler("klantinteracties"),
            api_event(
                "GET",
                "/partijen",
                api_key,
                base=KLANTINTERACTIES.base,
                query=urlencode(
                    {
                        "partijIdentificator__codeSoortObjectId": "bsn",
                        "partijIdentificator__objectId": bsn,
                        "expand": "digitaleAdressen",
                    }
                ),
            ),
            lambda body: body["results"][0]["_expand"]["digitaleAdressen"],
        ),
    }
    if any(f.name == "moza-profielservice" for f in FUNCTIONS):
        paths["MOZa POST /partij"] = _call(
            stack.handler("moza-profielservice"),
            api_event(
                "POST",
                "/partij",
                api_key,
                {"identificatieType": "BSN", "identificatieNummer": bsn},
                base=MOZA_PROFIELSERVICE.base,
            ),
            lambda body: body["contactgegevens"],
        )
    timings = _alternate(list(paths.values()), samples, warmup)
    return KoppelingResult(samples, dict(zip(paths, timings, strict=True)))


def _call(
    handler: Any, event: dict[str, Any], found: Callable[[dict[str, Any]], object]
) -> Callable[[], None]:
    import json

    def call() -> None:
        response = handler(event, None)
        if response["statusCode"] != 200 or not found(json.loads(response["body"])):
            raise RuntimeError(f"{event['routeKey']}: {response['statusCode']} {response['body']}")

    return call
