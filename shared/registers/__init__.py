"""The registers at the source, as adapters of the ports (``shared.ports``): data bij de bron.

- **BRP** (Haal Centraal BRP Personen Bevragen 2.x, ``brp.BrpClient``, port ``Personen``): per
  BSN, how to address the person (``adressering``: envelope lines, aanhef, aanschrijfwijze),
  whether they died or the BRP stopped keeping them, and whether they asked for secrecy. Read
  so that a burger's profile shows their registered address and a deceased or emigrated person
  is no longer reachable. What the BRP says goes only to the person themselves - never to an
  organisation, which learns at most that someone cannot be reached.
- **KVK Handelsregister** (API Basisprofiel v1, ``kvk.KvkClient``, port ``Handelsregister``):
  a company's name, trade names, postal address and vestigingen. Read so that a company gone
  from the register is no longer reachable, and a representative's branch is the company's own.
- **BAG** (API Individuele Bevragingen v2, ``bag.BagClient``, port ``Adressen``): the addresses
  at a postcode and huisnummer. Read so that a postal address exists and is written as the BAG
  has it.

Nothing read is stored: each process keeps an answer a few minutes (``http.AnswerCache``) and
says so, for the Logboek Dataverwerkingen. ``shared.registers.http`` has what the clients share
(retries, timeouts, circuit breaker, cache, failures as ``RegisterNietBeschikbaar``).

Each client is built once per process, when first asked for: importing this package costs
nothing, and a function that reads no register never imports requests or needs the register
settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import SecretStr

    from shared.config import RegisterSettings
    from shared.models.bronnen import (
        AdresVraag,
        BagAdres,
        Bronlezing,
        Gelezen,
        Onderneming,
        Persoon,
        Vestigingsprofiel,
    )
    from shared.registers.bag import BagClient
    from shared.registers.brp import BrpClient
    from shared.registers.http import CallPolicy
    from shared.registers.kvk import KvkClient
    from shared.registratie import Bronregisters

__all__ = ["adressen", "bronregisters", "handelsregister", "personen"]


@lru_cache(maxsize=1)
def personen() -> BrpClient:
    """This process's BRP client."""
    from shared.config import get_register_settings
    from shared.registers.brp import BrpClient

    settings = get_register_settings()
    return BrpClient(settings.brp_base_url, _key(settings.brp_api_key), _policy(settings))


@lru_cache(maxsize=1)
def handelsregister() -> KvkClient:
    """This process's KVK client."""
    from shared.config import get_register_settings
    from shared.registers.kvk import KvkClient

    settings = get_register_settings()
    return KvkClient(settings.kvk_base_url, _key(settings.kvk_api_key), _policy(settings))


@lru_cache(maxsize=1)
def adressen() -> BagClient:
    """This process's BAG client."""
    from shared.config import get_register_settings
    from shared.registers.bag import BagClient

    settings = get_register_settings()
    return BagClient(settings.bag_base_url, _key(settings.bag_api_key), _policy(settings))


@lru_cache(maxsize=1)
def bronregisters() -> Bronregisters:
    """The registers with the Logboek that records their reads, as the use cases take them.

    Built when a function module is imported, so no client is built here yet: each client,
    and the register settings, at its first read.
    """
    from shared.registratie import Bronregisters
    from shared.store.logboek import Logboek

    return Bronregisters(
        personen=_LazyPersonen(),
        handelsregister=_LazyHandelsregister(),
        adressen=_LazyAdressen(),
        logboek=Logboek(),
    )


def _key(secret: SecretStr | None) -> str | None:
    return secret.get_secret_value() if secret is not None else None


def _policy(settings: RegisterSettings) -> CallPolicy:
    from shared.registers.http import CallPolicy

    return CallPolicy(
        timeout_seconds=settings.timeout_seconds,
        cache_seconds=settings.cache_seconds,
        breaker_failures=settings.breaker_failures,
        breaker_reset_seconds=settings.breaker_reset_seconds,
    )


# The ports for ``bronregisters``, each resolved at its first read: a function module builds its
# use cases when it is imported, before any register is needed.


class _LazyPersonen:
    def raadpleeg(
        self, bsns: Sequence[str], bij_lezen: Bronlezing | None = None
    ) -> dict[str, Gelezen[Persoon | None]]:
        return personen().raadpleeg(bsns, bij_lezen)


class _LazyHandelsregister:
    def onderneming(
        self, kvk_nummer: str, bij_lezen: Bronlezing | None = None
    ) -> Gelezen[Onderneming | None]:
        return handelsregister().onderneming(kvk_nummer, bij_lezen)

    def vestiging(
        self, vestigingsnummer: str, bij_lezen: Bronlezing | None = None
    ) -> Gelezen[Vestigingsprofiel | None]:
        return handelsregister().vestiging(vestigingsnummer, bij_lezen)


class _LazyAdressen:
    def zoek(
        self, vraag: AdresVraag, bij_lezen: Bronlezing | None = None
    ) -> Gelezen[tuple[BagAdres, ...]]:
        return adressen().zoek(vraag, bij_lezen)
