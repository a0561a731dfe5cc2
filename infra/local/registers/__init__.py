"""Local stand-ins for the three base registers the service reads: the BRP (persons), the KVK
Handelsregister (companies) and the BAG (addresses).

Each speaks its register's real API as the official OpenAPI document in ``specs/`` defines it -
paths, parameters, answer shapes, error shapes, API-key header - so that pointing the service at
the real acceptance environments is configuration only; the tests check every answer against
those documents. They are seeded from official test data (``data/``, made by ``convert.py``).

On one port, ``RegisterStandIns`` mounts them under ``/brp``, ``/kvk`` and ``/bag``; the base
URLs a client is configured with are then:

- BRP: ``http://127.0.0.1:<port>/brp`` (posts to ``<base>/personen``),
- KVK: ``http://127.0.0.1:<port>/kvk`` (gets ``<base>/v1/basisprofielen/...``),
- BAG: ``http://127.0.0.1:<port>/bag`` (gets ``<base>/adressen...``),

and ``GET /healthz`` answers whether the port is up. Each stand-in counts what it answered
(``calls``), keeps the last request bodies or queries (``requests``), and answers as its register
does when it is down while ``failing`` is set. None of them logs anything: persons, addresses
and what the service asks are personal data. Only for local use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.wrappers import Request, Response

from infra.local.registers.bag import BagStandIn
from infra.local.registers.brp import BrpStandIn
from infra.local.registers.kvk import KvkStandIn

__all__ = [
    "BagStandIn",
    "BrpStandIn",
    "KvkStandIn",
    "RegisterStandIns",
    "StandIns",
    "register_stand_ins",
]


@dataclass(frozen=True)
class StandIns:
    brp: BrpStandIn
    kvk: KvkStandIn
    bag: BagStandIn

    def reset(self) -> None:
        for stand_in in (self.brp, self.kvk, self.bag):
            stand_in.reset()


def register_stand_ins(api_keys: Mapping[str, str] | None = None) -> StandIns:
    """The three stand-ins; ``api_keys`` by register (``"brp"``, ``"kvk"``, ``"bag"``): a
    register with a key refuses requests without it, one without accepts any."""
    keys = api_keys or {}
    return StandIns(
        brp=BrpStandIn(keys.get("brp")),
        kvk=KvkStandIn(keys.get("kvk")),
        bag=BagStandIn(keys.get("bag")),
    )


def _health(environ: dict, start_response: Callable) -> Iterable[bytes]:
    request = Request(environ)
    if request.path == "/healthz":
        response = Response('{"status": "UP"}', content_type="application/json")
    else:
        response = Response('{"status": 404}', status=404, content_type="application/json")
    return response(environ, start_response)


class RegisterStandIns:
    """The WSGI app that serves the three stand-ins on one port."""

    def __init__(
        self, stand_ins: StandIns | None = None, api_keys: Mapping[str, str] | None = None
    ) -> None:
        self.stand_ins = stand_ins or register_stand_ins(api_keys)
        self._app = DispatcherMiddleware(
            _health,
            {"/brp": self.stand_ins.brp, "/kvk": self.stand_ins.kvk, "/bag": self.stand_ins.bag},
        )

    @property
    def brp(self) -> BrpStandIn:
        return self.stand_ins.brp

    @property
    def kvk(self) -> KvkStandIn:
        return self.stand_ins.kvk

    @property
    def bag(self) -> BagStandIn:
        return self.stand_ins.bag

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        return self._app(environ, start_response)
