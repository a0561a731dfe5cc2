"""The audit chain and its retention: records the store removed because they passed their
retention leave a chain that still verifies; records removed before that break it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from shared.models.audit import (
    Actie,
    AuditRecord,
    first_broken_link,
    first_missing_version,
    volgnummer,
)

KEY = b"k" * 32
START = datetime(2019, 1, 1, tzinfo=UTC)


def chain(times: list[datetime]) -> list[AuditRecord]:
    """One partij's records, one change a time, linked as the trail links them."""
    records: list[AuditRecord] = []
    for version, moment in enumerate(times, start=1):
        record = AuditRecord(
            "p",
            volgnummer(version),
            Actie.AANGEMAAKT if version == 1 else Actie.GEWIJZIGD,
            ("voorkeuren.taal",),
            version - 1 or None,
            version,
            "burger",
            None,
            moment.isoformat(),
            None,
        )
        records.append(record.linked(records[-1] if records else None, KEY))
    return records


TIMES = [
    START,
    START + timedelta(days=400),
    START + timedelta(days=2600),
    START + timedelta(days=2700),
]


def test_a_whole_chain_verifies_with_or_without_a_retention() -> None:
    records = chain(TIMES)
    assert first_broken_link(records, KEY) is None
    assert first_broken_link(records, KEY, kept_since=START + timedelta(days=500)) is None
    assert first_missing_version(records, 4, START + timedelta(days=500)) is None


def test_the_oldest_records_gone_after_their_retention_leave_a_chain_that_verifies() -> None:
    records = chain(TIMES)[2:]  # versions 1 and 2 expired and were removed
    kept_since = START + timedelta(days=1000)  # what is older may be gone
    assert first_broken_link(records, KEY, kept_since) is None
    assert first_missing_version(records, 4, kept_since) is None
    # Without the retention, or when the one before was not that old, it is broken.
    assert first_broken_link(records, KEY) == records[0]
    assert first_missing_version(records, 4) == 1
    too_young = START + timedelta(days=300)
    assert first_broken_link(records, KEY, too_young) == records[0]
    assert first_missing_version(records, 4, too_young) == 1


def test_a_recent_record_removed_breaks_the_chain_whatever_the_retention() -> None:
    records = chain(TIMES)
    without_third = [records[0], records[1], records[3]]
    assert first_broken_link(without_third, KEY, START + timedelta(days=1000)) == records[3]
    assert first_missing_version(without_third, 4, START + timedelta(days=1000)) == 3


def test_the_predecessors_time_is_under_the_hmac() -> None:
    records = chain(TIMES)[2:]
    # Claiming the one before was old enough to be gone, without the key, breaks the record.
    forged = replace(records[0], vorige_tijdstip=START.isoformat())
    assert forged.hash != forged.expected_hash(KEY)
    assert first_broken_link([forged, records[1]], KEY, START + timedelta(days=100)) == forged


def test_records_hashed_before_the_predecessors_time_was_kept_still_verify() -> None:
    first, second = chain(TIMES[:2])
    # The second as it was linked before it carried its predecessor's time.
    legacy = replace(second, vorige_tijdstip=None, hash="")
    legacy = replace(legacy, hash=legacy.expected_hash(KEY))
    assert first_broken_link([first, legacy], KEY, START + timedelta(days=5000)) is None
    # Such a record cannot begin a chain after a retention: nothing says how old its
    # predecessor was.
    assert first_broken_link([legacy], KEY, START + timedelta(days=5000)) == legacy
