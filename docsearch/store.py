"""Content-addressed store of original files: the path of a file is its sha256.

Writes go to a temporary file in the same directory tree and are renamed into
place, so a crash never leaves a half-written original under its final name,
and two writers of the same bytes cannot corrupt each other.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from docsearch.settings import Settings

CHUNK = 1024 * 1024


class TooLarge(Exception):
    def __init__(self, size_seen: int):
        super().__init__(f"more than {size_seen} bytes")
        self.size_seen = size_seen


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    created: bool = False  # this write put the object in place (it was not stored before)


class FileStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    @classmethod
    def of(cls, settings: Settings) -> FileStore:
        """The store a deployment's settings name (``store_dir``, by default under ``data_dir``)."""
        assert settings.store_dir is not None  # Settings fills it in when it is not given
        return cls(settings.store_dir)

    def path_for(self, sha256: str) -> Path:
        return self.root / "objects" / sha256[:2] / sha256[2:4] / sha256

    def put_stream(self, stream: BinaryIO, max_bytes: int) -> Stored:
        """Copy a stream into the store; raise :class:`TooLarge` past ``max_bytes`` (nothing is kept)."""
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(max_bytes)
                    digest.update(chunk)
                    out.write(chunk)
            sha = digest.hexdigest()
            final = self.path_for(sha)
            created = not final.exists()
            if created:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp_name, final)
            else:
                os.unlink(tmp_name)
            return Stored(sha, size, created)
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise

    def discard(self, sha256: str) -> bool:
        """Remove a stored original (the caller has made sure nothing needs it); False when it was not there."""
        # Its folders stay: removing one could race with a write of other bytes into it.
        try:
            self.path_for(sha256).unlink()
        except FileNotFoundError:
            return False
        return True
