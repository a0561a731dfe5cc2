"""The register of organisations in the store: read by the functions, replaced by the operator.

The register changes rarely and is small; each process keeps it for a minute rather than reading
it on every request.
"""

from __future__ import annotations

import time
from threading import Lock

from pynamodb.exceptions import PynamoDBException

from shared.models.register import Organisatie, Register
from shared.store.errors import store_unavailable
from shared.store.tables import OrganisatieItem

CACHE_SECONDS = 60


class OrganisatieRegister:
    def __init__(self) -> None:
        self._lock = Lock()
        self._cached: tuple[float, tuple[Organisatie, ...]] | None = None

    def all(self) -> tuple[Organisatie, ...]:
        """Every organisation, ordered by name."""
        with self._lock:
            if self._cached is None or time.monotonic() - self._cached[0] > CACHE_SECONDS:
                self._cached = (time.monotonic(), self._read())
            return self._cached[1]

    def get(self, oin: str) -> Organisatie | None:
        return next((o for o in self.all() if o.oin == oin), None)

    def sleutel(self, sha256: str) -> tuple[str, str] | None:
        """The organisation (OIN) and purpose an API key with this SHA-256 is bound to."""
        return next(
            ((o.oin, s.doel) for o in self.all() for s in o.sleutels if s.sha256 == sha256), None
        )

    def replace(self, register: Register) -> tuple[int, int]:
        """Make the stored register exactly ``register``; (organisations written, removed)."""
        wanted = {o.oin: o for o in register.root}
        try:
            stale = [item for item in OrganisatieItem.scan() if item.oin not in wanted]
            with OrganisatieItem.batch_write() as batch:
                for organisatie in wanted.values():
                    stored = organisatie.model_dump(mode="json")
                    batch.save(OrganisatieItem(stored.pop("oin"), **stored))
                for item in stale:
                    batch.delete(item)
        except PynamoDBException:
            raise store_unavailable() from None
        with self._lock:
            self._cached = None
        return len(wanted), len(stale)

    def _read(self) -> tuple[Organisatie, ...]:
        try:
            items = list(OrganisatieItem.scan())
        except PynamoDBException:
            raise store_unavailable() from None
        organisaties = (
            Organisatie(
                oin=item.oin,
                naam=item.naam,
                diensten=_as_dicts(item.diensten),
                doelen=_as_dicts(item.doelen),
                sleutels=_as_dicts(item.sleutels or []),
            )
            for item in items
        )
        return tuple(sorted(organisaties, key=lambda o: (o.naam, o.oin)))


def _as_dicts(values: list) -> list:
    return [v.as_dict() if hasattr(v, "as_dict") else v for v in values]
