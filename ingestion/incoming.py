"""What an input is: a file to take (:class:`Incoming`) or one refused (:class:`Rejected`).

Invariants:

* ``Incoming.open()`` gives a stream from the file's first byte each time it is called:
  :func:`~ingestion.inputs.expand` opens an item to look at its first bytes, and the caller
  opens it again to read it.
* A :class:`Rejected` carries one stable reason code (:class:`~ingestion.states.Reason`) and a
  message a person can read; it becomes a failed file record, never nothing.
* System clutter (:func:`hidden`) is never an input, in a folder or in an archive.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

from ingestion.states import Reason


@dataclass
class Incoming:
    """One file as given: the name the user knows it by and a way to read its bytes."""

    name: str
    open: Callable[[], BinaryIO]
    note: str | None = None  # something the user should know about this file (shown with its record)

    @classmethod
    def from_path(cls, path: Path | str, name: str | None = None) -> "Incoming":
        path = Path(path)
        return cls(name or str(path), lambda: open(path, "rb"))


@dataclass
class Rejected:
    """A file or archive entry that cannot be taken, with a stable reason code and a readable message."""

    name: str
    reason: Reason
    message: str


# System clutter, never documents. Other hidden files and folders are loaded: a lost file costs more.
_JUNK = {"__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini", ".git", ".svn", ".Trashes", ".Spotlight-V100"}


def hidden(component: str) -> bool:
    """Whether one part of a path names system clutter (``__MACOSX``, ``._x``, ``~$x``...)."""
    return component in _JUNK or component.startswith("._") or component.startswith("~$")
