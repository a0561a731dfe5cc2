"""What the stream pump keeps on disk: its checkpoint and its dead letters.

Both are small JSON files, written atomically and readable by their owner only: a dead letter
holds a stream record, and with it the profile's contents (personal data). On Knative they live
on the pump's persistent volume (``--state``), locally in ``.local/``.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, atomically: a crash leaves the old file or the new
    one, never half of one. (The local stack writes its files with it too.)"""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(text)
    os.replace(temporary, path)


def write_checkpoint(path: Path, stream_arn: str, positions: dict[str, str]) -> None:
    """The last sequence number delivered per shard of the stream ``stream_arn``."""
    write_private(path, json.dumps({"streamArn": stream_arn, "positions": positions}))


def read_checkpoint(path: Path | None, stream_arn: str) -> dict[str, str]:
    """The positions per shard a checkpoint holds for ``stream_arn``; none without one."""
    if path is None or not path.exists():
        return {}
    try:
        checkpoint = json.loads(path.read_text())
    except ValueError:
        return {}
    # A checkpoint of another stream (the embedded store started afresh) says nothing here.
    return dict(checkpoint["positions"]) if checkpoint.get("streamArn") == stream_arn else {}


def write_dead_letter(
    folder: Path,
    stream_arn: str,
    shard_id: str,
    sequence_number: str,
    attempts: int,
    event: dict[str, Any],
) -> None:
    """``<folder>/<sequence number>.json``: a record the handler kept failing, with ``event`` -
    the Lambda event as the handler got it - for ``profiel audit replay`` to hand over again."""
    letter = {
        "streamArn": stream_arn,
        "shardId": shard_id,
        "sequenceNumber": sequence_number,
        "attempts": attempts,
        "deadLetteredAt": datetime.now(UTC).isoformat(),
        "event": event,
    }
    write_private(folder / f"{sequence_number}.json", json.dumps(letter, default=str))


def read_dead_letter(path: Path) -> dict[str, Any]:
    """The Lambda event of a dead-lettered record, to hand to process-log again."""
    event: dict[str, Any] = json.loads(path.read_text())["event"]
    return event
