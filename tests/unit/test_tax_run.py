"""The tax run's correctness checks (``bench/tax_run.py``), read from a store journal written here
as the store server writes it."""

from __future__ import annotations

import json
from pathlib import Path

from bench.tax_run import LookupJournal, Request, TaxRunResult
from shared.opvragen import VERWERKING

LDV = "profiel-ldv"


def record(subject: str, trace: str, moment: str, name: str = VERWERKING) -> dict:
    return {
        "PutRequest": {
            "Item": {
                "betrokkene": {"S": subject},
                "moment": {"S": moment},
                "trace_id": {"S": trace},
                "name": {"S": name},
            }
        }
    }


def journal_line(puts: list[dict], target: str = "DynamoDB_20120810.BatchWriteItem") -> str:
    body = json.dumps({"RequestItems": {LDV: puts}})
    return json.dumps({"headers": {"X-Amz-Target": target}, "body": body}) + "\n"


KEYS = {"111": "k1", "222": "k2", "333": "k3"}


def test_the_journal_is_read_as_it_grows_and_a_partial_line_waits(tmp_path: Path) -> None:
    path = tmp_path / "store.journal"
    path.write_text(json.dumps({"journal": "j"}) + "\n")
    journal = LookupJournal(path, LDV)
    journal.read()
    assert journal.subjects_of("t1") == 0

    line = journal_line([record("k1", "t1", "1-a"), record("k2", "t1", "1-b")])
    with path.open("a") as file:
        file.write(line[:40])  # the store is still writing this line
    journal.read()
    assert journal.subjects_of("t1") == 0
    with path.open("a") as file:
        file.write(line[40:])
    journal.read()
    assert journal.subjects_of("t1") == 2


def test_a_record_counts_as_stored_at_an_answer_only_if_journalled_before_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store.journal"
    path.write_text(journal_line([record("k1", "t1", "1-a")]))
    journal = LookupJournal(path, LDV)
    answered_at = journal.size()
    with path.open("a") as file:  # written after the answer: too late
        file.write(journal_line([record("k2", "t1", "1-b")]))
    journal.read()
    assert journal.subjects_of("t1") == 2
    assert journal.subjects_of("t1", within=answered_at) == 1
    assert journal.subjects_of("t1", within=journal.size()) == 2


def test_only_lookup_records_of_the_ldv_table_count(tmp_path: Path) -> None:
    path = tmp_path / "store.journal"
    path.write_text(
        journal_line([record("k1", "t1", "1-a", name="raadplegen BRP")])
        + journal_line([record("k2", "t1", "1-b")], target="DynamoDB_20120810.PutItem")
        + journal_line([record("k3", "t1", "1-c")])
    )
    journal = LookupJournal(path, LDV)
    journal.read()
    assert dict(journal.records["t1"]) == {"k3": {"1-c"}}


def test_exactly_once_per_subject_per_request(tmp_path: Path) -> None:
    requests = [Request(0, "t1", ["111", "222"]), Request(1, "t2", ["333"])]
    path = tmp_path / "store.journal"
    path.write_text(
        journal_line([record("k1", "t1", "1-a"), record("k2", "t1", "1-b")])
        + journal_line([record("k3", "t2", "2-a")])
    )
    journal = LookupJournal(path, LDV)
    journal.read()
    assert journal.exactly_once(requests, KEYS) == (2, {1: 3})
    assert sorted(journal.sample(10)) == [("k1", "1-a"), ("k2", "1-b"), ("k3", "2-a")]

    # A batch sent again (a timeout after the store had applied it) writes the same items again:
    # the same keys, so still one record each.
    with path.open("a") as file:
        file.write(journal_line([record("k1", "t1", "1-a"), record("k2", "t1", "1-b")]))
    journal.read()
    assert journal.exactly_once(requests, KEYS) == (2, {1: 3})
    assert journal.rewritten == 2

    # A second record for one subject, and one request's record for a subject it did not ask.
    with path.open("a") as file:
        file.write(journal_line([record("k1", "t1", "1-z"), record("k1", "t2", "2-z")]))
    journal.read()
    assert journal.exactly_once(requests, KEYS) == (0, {3: 1, 1: 2})


def result(**changes: object) -> TaxRunResult:
    values: dict = {
        "population": 2000,
        "per_request": 1000,
        "instances": 2,
        "seeded_seconds": 1.0,
        "wall_seconds": 4.0,
        "latencies": [2.0, 2.0],
        "function_cpu_seconds": 1.0,
        "store_cpu_seconds": 3.0,
        "peak_rss_mb": [100.0, 120.0],
        "records_at_answer": [1000, 1000],
        "records_per_subject": {1: 2000},
        "requests_exact": 2,
        "read_back": (1000, 1000),
    }
    return TaxRunResult(**(values | changes))


def test_the_figures_judge_memory_and_exactly_once() -> None:
    good = {f.name: f for f in result().figures()}
    assert good["tax run: subjects/s at 2,000"].value.startswith("500 ")
    assert good["tax run: function CPU per subject"].value == "500 µs"
    assert all(f.met is not False for f in good.values())

    for broken in (
        {"peak_rss_mb": [100.0, 129.0]},
        {"records_at_answer": [1000, 999]},
        {"records_per_subject": {1: 1999, 2: 1}},
        {"requests_exact": 1},
        {"read_back": (999, 1000)},
    ):
        assert any(f.met is False for f in result(**broken).figures()), broken
