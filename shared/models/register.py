"""The register of organisations and their services: data the platform team manages.

It says which organisations a partij can set preferences for, and lets a portal show, per
organisation, which address and channel it will use. The file format is this model in JSON: a
list of organisations, see ``infra/local/register.json``.
"""

from __future__ import annotations

from pydantic import Field, RootModel, model_validator

from shared.models.base import ApiModel, require_unique
from shared.models.values import Oin, Tekst
from shared.models.voorkeuren import Dienstcode


class Dienst(ApiModel):
    code: str = Dienstcode
    naam: Tekst(100)


class Organisatie(ApiModel):
    oin: Oin
    naam: Tekst(100)
    diensten: tuple[Dienst, ...] = Field(default=(), max_length=50)

    @model_validator(mode="after")
    def _unique_diensten(self) -> Organisatie:
        require_unique((d.code for d in self.diensten), "dienstcode")
        return self

    def dienst(self, code: str) -> Dienst | None:
        return next((d for d in self.diensten if d.code == code), None)


class Register(RootModel[tuple[Organisatie, ...]]):
    @model_validator(mode="after")
    def _unique_oins(self) -> Register:
        require_unique((o.oin for o in self.root), "OIN")
        return self
