"""The outbox: every message is a file before it is sent, and moves to sent/ after.

out/<date>/outbox/NAME.eml holds the message exactly as it will be sent (no Bcc header);
NAME.json holds its envelope and state: who is still to receive it and why the last try
failed. A message leaves the outbox only when every recipient has been accepted.

Never twice from us: one sender at a time holds the outbox's lock; just before DATA the
recipients are written into the state as `in_doubt`, and cleared once the server has
answered. A send killed in between leaves them in doubt, and they are not sent again
until a person has checked (remove `in_doubt` from NAME.json to send again).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Any

from briefing.deliver.files import write_outputs
from briefing.deliver.mail import Outgoing
from briefing.errors import DeliveryError


@dataclass(frozen=True, slots=True)
class Pending:
    """A message in an outbox."""

    eml: Path
    state: dict[str, Any]

    @property
    def meta(self) -> Path:
        return self.eml.with_suffix(".json")

    @property
    def brief_date(self) -> date:
        return date.fromisoformat(self.state["date"])

    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.eml.read_bytes(), policy=SMTP)
        assert isinstance(parsed, EmailMessage)
        return parsed


def put(outgoing: Outgoing, folder: Path, brief_date: date, *, dry_run: bool) -> Path:
    """Write the message and its envelope into folder (out/<date>/outbox)."""
    name = f"{outgoing.audience}-{hashlib.sha256(outgoing.message_id.encode()).hexdigest()[:12]}"
    if (folder / f"{name}.json").is_file() and (folder / f"{name}.eml").is_file():
        return folder / f"{name}.eml"  # already waiting: its state (in doubt too) is kept
    state = {
        "message_id": outgoing.message_id,
        "audience": outgoing.audience,
        "date": brief_date.isoformat(),
        "sender": outgoing.sender,
        "recipients": list(outgoing.recipients),
        "pending": list(outgoing.recipients),
        "attempts": 0,
        "last_error": None,
        "dry_run": dry_run,
        "pdf_dropped": outgoing.pdf_dropped,
    }
    write_outputs(
        {
            f"{name}.eml": outgoing.message.as_bytes(),
            f"{name}.json": json.dumps(state, indent=2).encode("utf-8"),
        },
        folder,
    )
    return folder / f"{name}.eml"


def pending(out_dir: Path, brief_date: date | None = None) -> list[Pending]:
    """Messages waiting in the outboxes (of one date, or all), dry runs left out."""
    pattern = f"{brief_date.isoformat()}/outbox/*.json" if brief_date else "*/outbox/*.json"
    found = []
    for meta in sorted(out_dir.glob(pattern)):
        try:
            state = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DeliveryError(f"{meta}: unreadable outbox entry: {exc}") from exc
        eml = meta.with_suffix(".eml")
        if not state.get("dry_run") and eml.is_file():
            found.append(Pending(eml, state))
    return found


def update(item: Pending, **changes: Any) -> Pending:
    """Rewrite the envelope state (atomically)."""
    state = {**item.state, **changes}
    write_outputs({item.meta.name: json.dumps(state, indent=2).encode("utf-8")}, item.meta.parent)
    return Pending(item.eml, state)


def move_to_sent(item: Pending) -> Path:
    """Move a fully delivered message to out/<date>/sent/."""
    sent = item.eml.parent.parent / "sent"
    try:
        sent.mkdir(parents=True, exist_ok=True)
        os.replace(item.meta, sent / item.meta.name)
        os.replace(item.eml, sent / item.eml.name)
    except OSError as exc:
        raise DeliveryError(f"cannot move {item.eml} to {sent}: {exc.strerror or exc}") from exc
    return sent / item.eml.name


def reload(item: Pending) -> Pending | None:
    """The item as it is on disk now; None when another send has taken it out."""
    try:
        state = json.loads(item.meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Pending(item.eml, state) if item.eml.is_file() else None


@contextmanager
def locked(folders: Sequence[Path]) -> Iterator[None]:
    """Hold each outbox's lock (waiting for a send in progress), in a fixed order."""
    with ExitStack() as stack:
        for folder in sorted(set(folders)):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                handle = stack.enter_context(open(folder / ".lock", "a+"))
                fcntl.flock(handle, fcntl.LOCK_EX)
            except OSError as exc:
                raise DeliveryError(f"cannot lock {folder}: {exc.strerror or exc}") from exc
        yield
