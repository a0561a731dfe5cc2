"""The pure parts of a key rotation: sealed identifiers, and a chain linked anew under a new key."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from shared.identity.pseudonym import keyed_pseudonym, pseudonym, pseudonym_input
from shared.identity.sealing import Opener, SealingError, new_key_pair, public_key_of, seal
from shared.models.audit import first_broken_link, first_missing_version, relinked
from tests.unit.test_audit_chain import KEY, START, TIMES, chain

NEW_KEY = b"n" * 32


def test_a_sealed_identifier_opens_with_the_private_key_only() -> None:
    private, public = new_key_pair()
    assert public_key_of(private) == public
    message = pseudonym_input("urn:nl-eid-gdi:1.0:id:BSN", "999993653")
    sealed = seal(message, public)
    assert "999993653" not in sealed
    assert Opener(private).open(sealed) == message
    # Sealed again, it looks different (a new nonce), and opens the same.
    assert seal(message, public) != sealed
    assert Opener(private).open(seal(message, public)) == message
    other_private, _ = new_key_pair()
    with pytest.raises(SealingError):
        Opener(other_private).open(sealed)


def test_a_sealed_identifier_cannot_be_spliced_or_altered() -> None:
    private, public = new_key_pair()
    first = seal("bsn:1", public).split(".")
    second = seal("bsn:2", public).split(".")
    # One process seals with one data key: the halves of two of its seals fit each other...
    assert first[1] == second[1]
    opener = Opener(private)
    assert opener.open(".".join([first[0], first[1], second[2]])) == "bsn:2"
    # ... but a data key sealed for another process does not, nor does a changed byte.
    from shared.identity import sealing

    sealing._data_key.cache_clear()
    third = seal("bsn:3", public).split(".")
    assert third[1] != first[1]
    body = first[2]
    altered = body[:10] + ("A" if body[10] != "A" else "B") + body[11:]
    for forged in (
        ".".join([first[0], third[1], first[2]]),
        ".".join([first[0], first[1], altered]),
        "v2." + ".".join(first[1:]),
        "not sealed at all",
    ):
        with pytest.raises(SealingError):
            opener.open(forged)


def test_what_is_sealed_is_what_the_pseudonym_is_made_of() -> None:
    key = b"s" * 32
    message = pseudonym_input("urn:nl-eid-gdi:1.0:id:KvKnr", "69599084")
    assert keyed_pseudonym(message, key) == pseudonym(
        "urn:nl-eid-gdi:1.0:id:KvKnr", "69599084", key
    )


def _actor(old: str) -> str:
    return keyed_pseudonym(f"vorige-actor:{old}", NEW_KEY)


def test_a_chain_linked_anew_verifies_under_the_new_key_only() -> None:
    records = chain(TIMES)[:1]
    for record in chain(TIMES)[1:]:  # version 2 by a representative
        acted = replace(record, actor="a" * 64) if record.versie == 2 else record
        records.append(acted.linked(records[-1], KEY))
    assert first_broken_link(records, KEY) is None

    moved = relinked(records, "nieuw", NEW_KEY, _actor)
    assert first_broken_link(moved, NEW_KEY) is None
    assert first_broken_link(moved, KEY) is not None
    assert first_missing_version(moved, 4) is None
    assert [r.partij for r in moved] == ["nieuw"] * 4
    assert moved[1].actor == _actor("a" * 64) and moved[0].actor is None
    # Nothing else of a record changes: what was done, by whom in role terms, when.
    strip = lambda r: replace(r, partij="", actor=None, hash="", vorige_hash="")
    assert [strip(r) for r in moved] == [strip(r) for r in records]


def test_a_chain_whose_oldest_records_passed_their_retention_moves_and_still_verifies() -> None:
    records = chain(TIMES)[2:]  # versions 1 and 2 expired and were removed
    kept_since = START + timedelta(days=1000)
    moved = relinked(records, "nieuw", NEW_KEY, _actor)
    assert [r.positie for r in moved] == [3, 4]
    assert first_broken_link(moved, NEW_KEY, kept_since) is None
    assert first_missing_version(moved, 4, kept_since) is None
    # Without the retention it is a chain with its beginning cut off, as it was before.
    assert first_broken_link(moved, NEW_KEY) is not None
