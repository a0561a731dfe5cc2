"""The contact moments in the store (``ContactmomentItem``): a klantcontact until a betrokkene
links it to a partij, then the partij's contact moment.

The times are the store's clock, not the caller's: the TTL removes an item late (DynamoDB) or
never (the embedded store), so every read leaves out what has passed ``bewaren_tot``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import DoesNotExist, PynamoDBException

from shared.config import get_settings
from shared.models.contactmoment import Contactmoment
from shared.store.errors import store_unavailable
from shared.store.tables import ContactmomentItem

# How long a klantcontact waits for the betrokkene that links it to a partij. NotifyNL's OMC
# sends it right after the klantcontact; one that never comes leaves a klantcontact of nobody.
ONGEKOPPELD_BEWAREN = timedelta(days=1)
_ONGEKOPPELD_MOMENT = "klantcontact"
# What the key of a klantcontact not linked yet starts with; a partij's key is hex.
ONGEKOPPELD_PREFIX = "klantcontact:"


def ongekoppeld_sleutel(oin: str, klantcontact: str) -> str:
    """The key of a klantcontact not linked yet: per organisation, so one organisation can never
    link (or even find) another's."""
    return f"{ONGEKOPPELD_PREFIX}{oin}:{klantcontact}"


class ContactmomentRepository:
    def bewaar_klantcontact(self, moment: Contactmoment, now: datetime) -> None:
        """Keep a klantcontact for the betrokkene that will name its partij."""
        item = _item(
            ongekoppeld_sleutel(moment.oin, moment.klantcontact),
            _ONGEKOPPELD_MOMENT,
            moment,
            now + ONGEKOPPELD_BEWAREN,
        )
        _save(item)

    def klantcontact(self, oin: str, klantcontact: str, now: datetime) -> Contactmoment | None:
        """The organisation's klantcontact by its UUID; None if it made none such, or long ago."""
        try:
            item = ContactmomentItem.get(
                ongekoppeld_sleutel(oin, klantcontact), _ONGEKOPPELD_MOMENT, consistent_read=True
            )
        except DoesNotExist:
            return None
        except PynamoDBException:
            raise store_unavailable() from None
        return _moment(item) if item.bewaren_tot > now else None

    def koppel(self, partij: str, moment: Contactmoment) -> None:
        """The partij's contact moment, kept as long as the Logboek's records from when it took
        place. Linking it again (a second betrokkene) writes the same item again."""
        retention = timedelta(days=get_settings().ldv_retention_days)
        _save(_item(partij, sortering(moment), moment, moment.tijdstip + retention))

    def van(self, partij: str, now: datetime) -> list[Contactmoment]:
        """The partij's contact moments, newest first."""
        try:
            items = list(
                ContactmomentItem.query(
                    partij,
                    filter_condition=ContactmomentItem.bewaren_tot > now,
                    scan_index_forward=False,
                    consistent_read=True,
                )
            )
        except PynamoDBException:
            raise store_unavailable() from None
        return [_moment(item) for item in items]

    def vergeet(self, partij: str) -> None:
        """Remove every contact moment of the partij (its profile is erased)."""
        try:
            with ContactmomentItem.batch_write() as batch:
                for item in ContactmomentItem.query(partij, consistent_read=True):
                    batch.delete(item)
        except PynamoDBException:
            raise store_unavailable() from None


def sortering(moment: Contactmoment) -> str:
    """The range key of a linked contact moment: when it took place, then which one."""
    millis = max(0, int(moment.tijdstip.timestamp() * 1000))
    return f"{millis:013d}-{moment.klantcontact}"


def _item(partij: str, sort: str, moment: Contactmoment, until: datetime) -> ContactmomentItem:
    return ContactmomentItem(
        partij,
        sort,
        klantcontact=moment.klantcontact,
        oin=moment.oin,
        kanaal=moment.kanaal,
        onderwerp=moment.onderwerp,
        tijdstip=moment.tijdstip.isoformat(),
        gelukt=moment.gelukt,
        bewaren_tot=until.astimezone(UTC),
    )


def _save(item: ContactmomentItem) -> None:
    try:
        item.save()
    except PynamoDBException:
        raise store_unavailable() from None


def _moment(item: ContactmomentItem) -> Contactmoment:
    return Contactmoment(
        klantcontact=item.klantcontact,
        oin=item.oin,
        kanaal=item.kanaal,
        onderwerp=item.onderwerp,
        tijdstip=datetime.fromisoformat(item.tijdstip),
        gelukt=item.gelukt,
    )
