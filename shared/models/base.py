from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    """Base of every model that crosses the API: camelCase Dutch names outside, snake_case inside.

    Unknown fields are refused rather than ignored, so a typo in a client never silently drops
    data.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        # Each function validates a few of the models it imports: their validators are built
        # when first used, not at every cold start.
        defer_build=True,
    )


def require_unique(keys: Iterable[str], what: str) -> None:
    """For a model validator: each of ``keys`` once, or a ValueError saying which kind doubled."""
    seen = list(keys)
    if len(seen) != len(set(seen)):
        raise ValueError(f"elke {what} mag maar een keer voorkomen")
