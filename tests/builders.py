"""Building requests and ids for the pure cores' unit tests, short enough to read in a test; and
a stored profile item of an older schema, for the tests of the upgrade on read."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from shared.models.profiel import ContactgegevenToevoegen, ContactgegevenWijzigen


def uid(n: int) -> UUID:
    return UUID(f"00000000-0000-4000-8000-{n:012d}")


def toevoegen(soort: str, adres: str, **extra: Any) -> ContactgegevenToevoegen:
    return ContactgegevenToevoegen.model_validate(
        {"soortDigitaalAdres": soort, "adres": adres, **extra}
    )


def wijzigen(body: dict[str, Any]) -> ContactgegevenWijzigen:
    return ContactgegevenWijzigen.model_validate(body)


def put_old_profiel_item(
    store: Any, key: str, schema_version: int, email: dict[str, Any], **more: Any
) -> Any:
    """A profile item exactly as an older schema stored it: one e-mail address, in DynamoDB's
    own format, written with the raw client (the repository would write the newest shape) to
    the embedded ``store``. The client, to read it back."""
    # Imported here: the unit tests that only build requests need neither.
    import boto3

    from shared.store.tables import ProfielItem

    contactgegeven = {
        "soortDigitaalAdres": {"S": "email"},
        "adres": {"S": "oud@example.nl"},
        "isStandaardAdres": {"BOOL": True},
    } | {name: {"S": value} for name, value in email.items()}
    item = {
        "partij": {"S": key},
        "version": {"N": "3"},
        "schema_version": {"N": str(schema_version)},
        "contactgegevens": {"L": [{"M": contactgegeven}]},
        "changed_by_role": {"S": "burger"},
        "changed_at": {"S": "2026-07-01T00:00:00+00:00"},
        "trace_id": {"S": "0" * 32},
    } | more
    client = boto3.client("dynamodb", endpoint_url=store.endpoint)
    client.put_item(TableName=ProfielItem.Meta.table_name, Item=item)
    return client
