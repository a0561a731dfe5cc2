"""The registers as the functions use them: the use cases' ``Bronregisters`` over the real
clients and the Logboek in the store.

Each client is built at its first use, not at import: its configuration is read, and a missing
one reported, when a request first needs the register - as the other adapters do.
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.models.bronnen import AdresVraag, BagAdres, Gelezen, Onderneming, Persoon
from shared.registratie import Bronregisters


class _Personen:
    def raadpleeg(self, bsns: Sequence[str]) -> dict[str, Gelezen[Persoon | None]]:
        from shared.registers import personen

        return personen().raadpleeg(bsns)


class _Handelsregister:
    def onderneming(self, kvk_nummer: str) -> Gelezen[Onderneming | None]:
        from shared.registers import handelsregister

        return handelsregister().onderneming(kvk_nummer)


class _Adressen:
    def zoek(self, vraag: AdresVraag) -> Gelezen[tuple[BagAdres, ...]]:
        from shared.registers import adressen

        return adressen().zoek(vraag)


def bronregisters() -> Bronregisters:
    from shared.store.logboek import Logboek

    return Bronregisters(_Personen(), _Handelsregister(), _Adressen(), Logboek())
