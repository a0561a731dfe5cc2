from collections.abc import Iterable
from typing import Any

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


def api_schema(title: str | None = None, description: str | None = None, **more: Any) -> ConfigDict:
    """A model's config as the OpenAPI document shows the model: the component's name (``title``,
    else the class name), its description in Dutch for the API's readers - never the docstring,
    which is for developers - and more keywords (``example``). Subclasses inherit it: give each
    model in the document its own."""

    def document(schema: dict[str, Any]) -> None:
        schema.pop("description", None)
        schema.update({"title": title} if title else {})
        schema.update({"description": description} if description else {})
        schema.update(more)

    return ConfigDict(json_schema_extra=document)


def require_unique(keys: Iterable[str], what: str) -> None:
    """For a model validator: each of ``keys`` once, or a ValueError saying which kind doubled."""
    seen = list(keys)
    if len(seen) != len(set(seen)):
        raise ValueError(f"elke {what} mag maar een keer voorkomen")
