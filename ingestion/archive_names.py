"""The names of ZIP entries: decoded as their maker meant them, made safe, shown, kept unique.

Invariants:

* A name from an archive is used only as :func:`member_path` returns it: relative, with ``/``
  separators, no empty, ``.`` or ``..`` parts, no drive letter, no control characters. An
  entry whose name fails this is refused (``unsafe_path``), never repaired.
* A name shown to a person (:func:`shown`) has its control characters and backslashes
  escaped: an archive cannot forge a line of a message or of a listing.
* Within one archive no two files get the same name (:func:`unique_name`); the second gets
  " (2)" before its extension, and a note saying why.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile

UTF8_NAME = 0x800  # general-purpose flag bit 11: the name is UTF-8
_DRIVE = re.compile(r"^[A-Za-z]:")
_DOTS_ONLY = re.compile(r"^[. ]*\.\.[. ]*$")  # "..", "...", ".. " (Windows drops trailing dots and spaces)


def decoded_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as its maker meant it (``orig_filename``: zipfile's ``filename`` is cut at a NUL).

    Without the UTF-8 flag zipfile decodes names as cp437. Many tools write UTF-8 without setting
    the flag; Windows' own ZIP writes the OEM code page, cp850 on Spanish-language Windows, which
    agrees with cp437 on ñ and lower-case accents but not on capitals (cp437 shows "Ó" as "α").
    """
    name = info.orig_filename
    if info.flag_bits & UTF8_NAME or name.isascii():
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:  # decoded with another metadata_encoding: keep it
        return name
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp850")


def member_path(raw: str) -> tuple[str | None, str]:
    """The entry's path made relative and clean, or ``None`` and why it is unsafe."""
    if any(unicodedata.category(ch) == "Cc" for ch in raw):
        return None, "contains control characters (such as NUL)"
    name = raw.replace("\\", "/")  # a separator to Windows; a trick anywhere else
    if name.startswith("/"):
        return None, "is an absolute path"
    if _DRIVE.match(name):
        return None, "starts with a drive letter"
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if any(_DOTS_ONLY.match(part) for part in parts):
        return None, "leaves the archive's folder ('..')"
    if not parts:
        return None, "has an empty name"
    return "/".join(parts), ""


def shown(raw: str) -> str:
    """A raw entry name made safe to show: control characters and backslashes escaped, quotes dropped."""
    return repr(raw)[1:-1]


def unique_name(name: str, used: set[str]) -> tuple[str, str | None]:
    """``name``, or ``name`` with " (2)" (" (3)"...) before its extension when an earlier entry had it."""
    if name not in used:
        used.add(name)
        return name, None
    folder, slash, base = name.rpartition("/")
    stem, dot, ext = base.rpartition(".")
    if not stem:  # no extension (or a leading dot only)
        stem, dot, ext = base, "", ""
    number = 2
    while (candidate := f"{folder}{slash}{stem} ({number}){dot}{ext}") in used:
        number += 1
    used.add(candidate)
    return candidate, "another entry of the archive has the same name"
