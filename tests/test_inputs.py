"""ingestion.inputs: files, folders and ZIPs (nested, hostile, damaged) expanded into single files.

No services: archives are built with zipfile, and the nasty ones by patching their bytes.
"""

from __future__ import annotations

import io
import os
import random
import stat
import struct
import zipfile
from pathlib import Path

import pytest

from ingestion import archive_entries, inputs
from ingestion.inputs import (
    ArchiveClosed,
    ArchiveLimits,
    Incoming,
    LimitExceeded,
    MemberUnreadable,
    Rejected,
    expand,
    expand_paths,
)
from tests.pdfs import text_pdf, zip_of

MiB = 1024 * 1024
PDF_A = b"%PDF-1.4\n% a\n%%EOF\n"
PDF_B = b"%PDF-1.4\n% b\n%%EOF\n"


def random_bytes(n: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)


def settle(results, raw: list | None = None) -> list[tuple[str, str, bytes | None, str | None]]:
    """Read every item as the caller does (each before the next): (name, "ok" or reason, bytes, note).

    ``raw`` collects the items themselves, as yielded.
    """
    out = []
    for item in results:
        if raw is not None:
            raw.append(item)
        if isinstance(item, Rejected):
            assert item.message
            out.append((item.name, item.reason, None, None))
            continue
        try:
            with item.open() as stream:
                data = stream.read()
        except MemberUnreadable as exc:
            assert exc.message
            out.append((item.name, exc.reason, None, item.note))
        except OSError:
            out.append((item.name, "missing_file", None, item.note))
        else:
            out.append((item.name, "ok", data, item.note))
    return out


def expanded(path: Path, limits: ArchiveLimits | None = None, name: str | None = None):
    return settle(expand([Incoming.from_path(path, name or path.name)], limits or ArchiveLimits()))


def outcomes(results) -> dict[str, str]:
    return {name: status for name, status, _, _ in results}


# --- raw ZIP surgery -------------------------------------------------------------------------------

def central_offsets(data: bytes) -> list[int]:
    eocd = data.rindex(b"PK\x05\x06")
    count, _, cd_offset = struct.unpack_from("<HII", data, eocd + 10)
    offsets, at = [], cd_offset
    for _ in range(count):
        assert data[at:at + 4] == b"PK\x01\x02"
        offsets.append(at)
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, at + 28)
        at += 46 + name_len + extra_len + comment_len
    return offsets


def patch(data: bytes, index: int, *, flags_or: int = 0, flags_clear: int = 0, crc: int | None = None,
          compress_size: int | None = None, file_size: int | None = None) -> bytes:
    """Change entry ``index``'s header fields, in the central directory and in its local header alike."""
    buf = bytearray(data)
    central = central_offsets(data)[index]
    local = struct.unpack_from("<I", buf, central + 42)[0]
    for flags_at, crc_at in ((central + 8, central + 16), (local + 6, local + 14)):
        flags = struct.unpack_from("<H", buf, flags_at)[0]
        struct.pack_into("<H", buf, flags_at, (flags | flags_or) & ~flags_clear)
        for value, at in ((crc, crc_at), (compress_size, crc_at + 4), (file_size, crc_at + 8)):
            if value is not None:
                struct.pack_into("<I", buf, at, value)
    return bytes(buf)


def rewrite(path: Path, change) -> Path:
    path.write_bytes(change(path.read_bytes()))
    return path


# --- plain archives --------------------------------------------------------------------------------

def test_zip_with_folders_yields_each_file_under_its_archive_path(tmp_path):
    pdf = text_pdf(tmp_path / "src.pdf", ["Acta fiscal"]).read_bytes()
    archive = zip_of(tmp_path / "carga.zip", {
        "casos/": b"",
        "casos/2019/": b"",
        "casos/2019/acta.pdf": pdf,
        "casos/resumen.pdf": PDF_A,
        "léeme.txt": b"no es un PDF",
    })
    results = expanded(archive)
    assert [(name, status, data) for name, status, data, _ in results] == [
        ("carga.zip/casos/2019/acta.pdf", "ok", pdf),
        ("carga.zip/casos/resumen.pdf", "ok", PDF_A),
        ("carga.zip/léeme.txt", "ok", b"no es un PDF"),  # not a PDF: passed on, the extractor decides
    ]


def test_zip_is_recognised_by_its_bytes_not_its_name(tmp_path):
    disguised = zip_of(tmp_path / "escrito.pdf", {"a.pdf": PDF_A})
    fake = tmp_path / "fake.zip"
    fake.write_bytes(PDF_B)
    items = [Incoming.from_path(disguised, "escrito.pdf"), Incoming.from_path(fake, "fake.zip")]
    assert [(n, s, d) for n, s, d, _ in settle(expand(items, ArchiveLimits()))] == [
        ("escrito.pdf/a.pdf", "ok", PDF_A),
        ("fake.zip", "ok", PDF_B),
    ]


@pytest.mark.parametrize("contents", [PDF_A, b"", b"PK", b"hello"], ids=["pdf", "empty", "short", "text"])
def test_a_file_that_is_not_a_zip_is_passed_through_untouched(tmp_path, contents):
    path = tmp_path / "f"
    path.write_bytes(contents)
    item = Incoming.from_path(path, "f", )
    item.note = "kept"
    assert list(expand([item], ArchiveLimits())) == [item]


def test_missing_file_is_passed_through_for_the_caller_to_report(tmp_path):
    item = Incoming.from_path(tmp_path / "nope.pdf")
    assert list(expand([item], ArchiveLimits())) == [item]
    with pytest.raises(OSError):
        item.open()


def test_office_document_is_one_file_not_an_archive(tmp_path):
    docx = zip_of(tmp_path / "escrito.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    odt = zip_of(tmp_path / "escrito.odt", {"mimetype": b"application/vnd.oasis.opendocument.text",
                                            "content.xml": b"<x/>"}, compression=0)
    outer = zip_of(tmp_path / "outer.zip", {"dentro.docx": docx.read_bytes()})
    items = [Incoming.from_path(docx, "escrito.docx"), Incoming.from_path(odt, "escrito.odt"),
             Incoming.from_path(outer, "outer.zip")]
    assert [(n, s, d) for n, s, d, _ in settle(expand(items, ArchiveLimits()))] == [
        ("escrito.docx", "ok", docx.read_bytes()),
        ("escrito.odt", "ok", odt.read_bytes()),
        ("outer.zip/dentro.docx", "ok", docx.read_bytes()),
    ]


def test_uploaded_zip_from_an_unseekable_stream(tmp_path):
    data = zip_of(tmp_path / "u.zip", {"a.pdf": PDF_A, "b/b.pdf": PDF_B}).read_bytes()

    class Unseekable(io.RawIOBase):
        def __init__(self):
            self._inner = io.BytesIO(data)

        def readable(self):
            return True

        def seekable(self):
            return False

        def readinto(self, buffer):
            chunk = self._inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    results = settle(expand([Incoming("subida.zip", Unseekable)], ArchiveLimits()))
    assert [(n, s, d) for n, s, d, _ in results] == [("subida.zip/a.pdf", "ok", PDF_A),
                                                    ("subida.zip/b/b.pdf", "ok", PDF_B)]


def test_unseekable_upload_larger_than_the_total_limit_is_rejected(tmp_path):
    data = zip_of(tmp_path / "u.zip", {"a.bin": random_bytes(64 * 1024)}, compression=0).read_bytes()

    class Unseekable(io.BytesIO):
        def seekable(self):
            return False

    limits = ArchiveLimits(max_total_bytes=16 * 1024)
    assert outcomes(settle(expand([Incoming("u.zip", lambda: Unseekable(data))], limits))) == {"u.zip": "too_large"}


# --- hostile names -----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, shown", [
    ("../evil.pdf", "../evil.pdf"),
    ("/abs.pdf", "/abs.pdf"),
    ("C:\\win.pdf", "C:\\\\win.pdf"),
    ("C:relative.pdf", "C:relative.pdf"),
    ("a/../../b.pdf", "a/../../b.pdf"),
    ("..\\evil.pdf", "..\\\\evil.pdf"),
    ("\\\\server\\share\\x.pdf", "\\\\\\\\server\\\\share\\\\x.pdf"),
    ("a/.../b.pdf", "a/.../b.pdf"),
    ("line\nbreak.pdf", "line\\nbreak.pdf"),
])
def test_unsafe_member_paths_are_refused_and_the_rest_comes_through(tmp_path, raw, shown):
    archive = zip_of(tmp_path / "x.zip", [("antes.pdf", PDF_A), (raw, PDF_B), ("después.pdf", PDF_A)])
    results = expanded(archive)
    assert [(n, s) for n, s, _, _ in results] == [
        ("x.zip/antes.pdf", "ok"), (f"x.zip/{shown}", "unsafe_path"), ("x.zip/después.pdf", "ok")]


def test_backslashes_as_separators_keep_the_file(tmp_path):
    archive = zip_of(tmp_path / "x.zip", [("carpeta\\acta.pdf", PDF_A)])
    assert [(n, s, d) for n, s, d, _ in expanded(archive)] == [("x.zip/carpeta/acta.pdf", "ok", PDF_A)]


def test_nul_byte_in_a_member_name_is_refused_and_shown_escaped(tmp_path):
    # zipfile cuts names at NUL when writing (and in ZipInfo.filename when reading): patch the bytes.
    archive = rewrite(zip_of(tmp_path / "x.zip", {"evil#.pdf.exe": PDF_A, "ok.pdf": PDF_B}),
                      lambda data: data.replace(b"evil#.pdf.exe", b"evil\x00.pdf.exe"))
    results = expanded(archive)
    assert [(n, s) for n, s, _, _ in results] == [("x.zip/evil\\x00.pdf.exe", "unsafe_path"), ("x.zip/ok.pdf", "ok")]


@pytest.mark.parametrize("kind, words", [(stat.S_IFLNK, "symbolic link"), (stat.S_IFIFO, "special file")])
def test_symlink_and_special_members_are_refused(tmp_path, kind, words):
    entry = zipfile.ZipInfo("enlace.pdf")
    entry.create_system = 3  # Unix: the high 16 bits of external_attr are st_mode
    entry.external_attr = (kind | 0o777) << 16
    archive = zip_of(tmp_path / "x.zip", [(entry, b"/etc/passwd"), ("ok.pdf", PDF_A)])
    results = list(expand([Incoming.from_path(archive, "x.zip")], ArchiveLimits()))
    assert [(r.name, r.reason) for r in results[:1]] == [("x.zip/enlace.pdf", "unsafe_path")]
    assert words in results[0].message
    assert [r.name for r in results[1:]] == ["x.zip/ok.pdf"]


def test_system_clutter_is_skipped_silently_but_other_hidden_files_are_loaded(tmp_path):
    archive = zip_of(tmp_path / "x.zip", {
        "__MACOSX/": b"", "__MACOSX/docs/._a.pdf": b"\x00\x05\x16\x07", ".DS_Store": b"\x00\x00\x00\x01Bud1",
        "docs/": b"", "docs/.oculto.pdf": PDF_B, ".git/config": b"[core]", "docs/a.pdf": PDF_A,
    })
    assert [(n, s) for n, s, _, _ in expanded(archive)] == [("x.zip/docs/.oculto.pdf", "ok"),
                                                           ("x.zip/docs/a.pdf", "ok")]


@pytest.mark.parametrize("encoded", ["Resolución ÑAÑA.pdf".encode("utf-8"), "Resolución ÑAÑA.pdf".encode("cp850")],
                         ids=["utf8", "cp850"])
def test_names_without_the_utf8_flag_are_decoded_as_meant(tmp_path, encoded):
    archive = zip_of(tmp_path / "x.zip", {"Resoluci" + "#" * (len(encoded) - 13) + "n.pdf": PDF_A})

    def unflagged(data: bytes) -> bytes:  # the name as that tool writes it, without the UTF-8 flag
        return patch(data.replace(b"Resoluci" + b"#" * (len(encoded) - 13) + b"n.pdf", encoded), 0,
                     flags_clear=0x800)

    rewrite(archive, unflagged)
    assert [(n, s) for n, s, _, _ in expanded(archive)] == [("x.zip/Resolución ÑAÑA.pdf", "ok")]


def test_duplicate_member_names_are_all_kept_each_with_its_own_bytes(tmp_path):
    # zipfile keeps every entry in infolist() but NameToInfo / open(name) only know the last one.
    archive = zip_of(tmp_path / "x.zip", [("a.pdf", PDF_A), ("a.pdf", PDF_B), ("a.pdf", b"third"),
                                          ("sin_ext", b"1"), ("sin_ext", b"2")])
    assert expanded(archive) == [
        ("x.zip/a.pdf", "ok", PDF_A, None),
        ("x.zip/a (2).pdf", "ok", PDF_B, "another entry of the archive has the same name"),
        ("x.zip/a (3).pdf", "ok", b"third", "another entry of the archive has the same name"),
        ("x.zip/sin_ext", "ok", b"1", None),
        ("x.zip/sin_ext (2)", "ok", b"2", "another entry of the archive has the same name"),
    ]


# --- bombs and limits --------------------------------------------------------------------------------

ZEROS = 50 * MiB


@pytest.fixture(scope="module")
def bomb_zip(tmp_path_factory) -> bytes:
    """50 MiB of zeros deflated to ~50 KB, then a small sibling."""
    path = zip_of(tmp_path_factory.mktemp("bomb") / "bomb.zip", [("ceros.pdf", bytes(ZEROS)), ("ok.pdf", PDF_A)])
    data = path.read_bytes()
    assert len(data) < 100 * 1024
    return data


def test_bomb_declared_by_its_headers_is_rejected_before_reading(tmp_path, bomb_zip):
    path = tmp_path / "b.zip"
    path.write_bytes(bomb_zip)
    raw = []
    assert outcomes(settle(expand([Incoming.from_path(path, "b.zip")], ArchiveLimits()), raw)) == {
        "b.zip/ceros.pdf": "archive_bomb", "b.zip/ok.pdf": "ok"}
    assert isinstance(raw[0], Rejected)


def test_bomb_whose_header_lies_about_compressed_size_is_caught_while_reading(tmp_path):
    # The header claims 50 MiB compressed to 50 MiB (ratio 1): the early check passes. zipfile then
    # reads past the entry's real data, into the large entry after it (without one it would hit the
    # end of the file and fail with EOFError: "corrupt").
    path = zip_of(tmp_path / "b.zip", [("ceros.pdf", bytes(ZEROS)), ("relleno.bin", random_bytes(8 * MiB))])
    rewrite(path, lambda data: patch(data, 0, compress_size=ZEROS))
    results = expand([Incoming.from_path(path, "b.zip")], ArchiveLimits())  # kept: the archive stays open
    item = next(results)
    assert isinstance(item, Incoming) and item.name == "b.zip/ceros.pdf"
    delivered = 0
    with pytest.raises(LimitExceeded) as caught, item.open() as stream:
        while chunk := stream.read(MiB):
            delivered += len(chunk)
    assert caught.value.reason == "archive_bomb"
    assert delivered < 20 * MiB  # stopped by the measured ratio, long before the 50 MiB


@pytest.mark.parametrize("claimed, expected", [(2 * MiB, "archive_bomb"), (1000, "corrupt")])
def test_bomb_whose_header_lies_about_its_size_is_caught(tmp_path, bomb_zip, claimed, expected):
    # The header claims 50 KB inflate to `claimed` bytes, a harmless ratio: the early check passes.
    # zipfile never inflates past the claimed size (then fails the CRC); under the ratio grace that
    # is all that happens, above it the measured ratio stops the read first.
    path = tmp_path / "b.zip"
    path.write_bytes(patch(bomb_zip, 0, file_size=claimed))
    assert outcomes(expanded(path)) == {"b.zip/ceros.pdf": expected, "b.zip/ok.pdf": "ok"}
    results = expand([Incoming.from_path(path, "b.zip")], ArchiveLimits())
    item = next(results)
    if expected == "corrupt":  # read whole when peeked at: refused at once
        assert isinstance(item, Rejected)
        return
    delivered = 0
    with pytest.raises(LimitExceeded), item.open() as stream:
        while chunk := stream.read(MiB):
            delivered += len(chunk)
    assert delivered <= claimed


@pytest.fixture
def no_header_checks(monkeypatch):
    """As if every header lied: only what the stream measures can stop a member."""
    monkeypatch.setattr(archive_entries, "_declared_bomb", lambda *args: None)
    monkeypatch.setattr(archive_entries, "_declared_too_large", lambda *args: None)


@pytest.mark.parametrize("members, limits, expected", [
    ([("ceros.pdf", bytes(ZEROS)), ("ok.pdf", PDF_A)], ArchiveLimits(),
     {"x.zip/ceros.pdf": "archive_bomb", "x.zip/ok.pdf": "ok"}),
    ([("grande.pdf", random_bytes(3 * MiB)), ("ok.pdf", PDF_A)], ArchiveLimits(max_member_bytes=2 * MiB),
     {"x.zip/grande.pdf": "too_large", "x.zip/ok.pdf": "ok"}),
    ([(f"{i}.pdf", random_bytes(3 * MiB // 2, seed=i)) for i in range(3)], ArchiveLimits(max_total_bytes=4 * MiB),
     {"x.zip/0.pdf": "ok", "x.zip/1.pdf": "ok", "x.zip/2.pdf": "archive_bomb"}),
], ids=["ratio", "member_size", "archive_total"])
def test_limits_hold_on_the_bytes_read_even_if_headers_lie(tmp_path, no_header_checks, members, limits, expected):
    raw = []
    assert outcomes(settle(expand([Incoming.from_path(zip_of(tmp_path / "x.zip", members), "x.zip")], limits),
                           raw)) == expected
    assert all(isinstance(item, Incoming) for item in raw)  # nothing rejected early


@pytest.mark.parametrize("members, limits, expected", [
    ([("grande.pdf", random_bytes(3 * MiB)), ("ok.pdf", PDF_A)], ArchiveLimits(max_member_bytes=2 * MiB),
     {"x.zip/grande.pdf": "too_large", "x.zip/ok.pdf": "ok"}),
    ([(f"{i}.pdf", random_bytes(3 * MiB // 2, seed=i)) for i in range(3)], ArchiveLimits(max_total_bytes=4 * MiB),
     {"x.zip/0.pdf": "ok", "x.zip/1.pdf": "ok", "x.zip/2.pdf": "archive_bomb"}),
    ([("blancos.txt", b" " * (512 * 1024))], ArchiveLimits(), {"x.zip/blancos.txt": "ok"}),  # under the ratio grace
], ids=["member_size", "archive_total", "small_but_compressible"])
def test_declared_sizes_reject_early(tmp_path, members, limits, expected):
    raw = []
    assert outcomes(settle(expand([Incoming.from_path(zip_of(tmp_path / "x.zip", members), "x.zip")], limits),
                           raw)) == expected
    assert {r.name: r.reason for r in raw if isinstance(r, Rejected)} == {  # rejected without reading
        name: reason for name, reason in expected.items() if reason != "ok"}


def test_overlapping_entries_bomb_is_refused(tmp_path):
    # One 4 MiB entry listed 10 times in the central directory, all pointing at the same data.
    data = zip_of(tmp_path / "x.zip", {"a.pdf": random_bytes(4 * MiB)}, compression=0).read_bytes()
    eocd = data.rindex(b"PK\x05\x06")
    cd_offset = struct.unpack_from("<I", data, eocd + 16)[0]
    entry = data[cd_offset:eocd]
    bomb = data[:cd_offset] + entry * 10 + data[eocd:eocd + 8] + struct.pack("<HHII", 10, 10, len(entry) * 10,
                                                                             cd_offset) + data[eocd + 20:]
    (tmp_path / "bomb.zip").write_bytes(bomb)
    results = expanded(tmp_path / "bomb.zip")
    assert results[0][:2] == ("bomb.zip/a.pdf", "ok")
    assert [s for _, s, _, _ in results[1:]] == ["archive_bomb"] * 9


def test_too_many_members_stops_with_one_record(tmp_path):
    inner = zip_of(tmp_path / "inner.zip", {"x.pdf": PDF_A, "y.pdf": PDF_B, "z.pdf": PDF_A}).read_bytes()
    archive = zip_of(tmp_path / "x.zip", [("a.pdf", PDF_A), ("inner.zip", inner), ("b.pdf", PDF_B)])
    results = expanded(archive, ArchiveLimits(max_members=3))
    assert [(n, s) for n, s, _, _ in results] == [
        ("x.zip/a.pdf", "ok"), ("x.zip/inner.zip/x.pdf", "ok"), ("x.zip/inner.zip/y.pdf", "ok"),
        ("x.zip", "archive_too_many_files"),
    ]
    flat = zip_of(tmp_path / "flat.zip", {f"{i}.pdf": PDF_A for i in range(5)})
    assert [s for _, s, _, _ in expanded(flat, ArchiveLimits(max_members=5))] == ["ok"] * 5


# --- nesting -----------------------------------------------------------------------------------------

def nest(tmp_path: Path, levels: int) -> Path:
    """level1.zip holding a.pdf and level2.zip, ... down to level{levels}.zip."""
    inner = None
    for level in range(levels, 0, -1):
        members = [(f"a{level}.pdf", PDF_A)]
        if inner is not None:
            members.append((f"carpeta/level{level + 1}.zip", inner))
        inner = zip_of(tmp_path / f"level{level}.zip", members).read_bytes()
    return tmp_path / "level1.zip"


@pytest.mark.parametrize("levels, max_depth, expected", [
    (2, 2, [("level1.zip/a1.pdf", "ok"), ("level1.zip/carpeta/level2.zip/a2.pdf", "ok")]),
    (3, 2, [("level1.zip/a1.pdf", "ok"), ("level1.zip/carpeta/level2.zip/a2.pdf", "ok"),
            ("level1.zip/carpeta/level2.zip/carpeta/level3.zip", "archive_too_deep")]),
    (3, 3, [("level1.zip/a1.pdf", "ok"), ("level1.zip/carpeta/level2.zip/a2.pdf", "ok"),
            ("level1.zip/carpeta/level2.zip/carpeta/level3.zip/a3.pdf", "ok")]),
    (2, 1, [("level1.zip/a1.pdf", "ok"), ("level1.zip/carpeta/level2.zip", "archive_too_deep")]),
])
def test_nested_archives_open_up_to_the_depth_limit(tmp_path, levels, max_depth, expected):
    results = expanded(nest(tmp_path, levels), ArchiveLimits(max_depth=max_depth))
    assert [(n, s) for n, s, _, _ in results] == expected


def test_bomb_inside_a_nested_archive_is_caught(tmp_path, bomb_zip, no_header_checks):
    archive = zip_of(tmp_path / "x.zip", [("dentro.zip", bomb_zip), ("ok.pdf", PDF_A)], compression=0)
    assert outcomes(expanded(archive)) == {
        "x.zip/dentro.zip/ceros.pdf": "archive_bomb", "x.zip/dentro.zip/ok.pdf": "ok", "x.zip/ok.pdf": "ok"}


def test_nested_archive_that_inflates_like_a_bomb_is_stopped_while_spooling(tmp_path, no_header_checks):
    # Starts like a ZIP, so it is spooled to be opened: the spooling is metered like any read.
    archive = zip_of(tmp_path / "x.zip", [("dentro.zip", b"PK\x03\x04" + bytes(ZEROS)), ("ok.pdf", PDF_A)])
    assert outcomes(expanded(archive)) == {"x.zip/dentro.zip": "archive_bomb", "x.zip/ok.pdf": "ok"}


def test_members_cannot_be_opened_once_expand_has_left_their_archive(tmp_path):
    archive = zip_of(tmp_path / "x.zip", {"a.pdf": PDF_A})
    plain = tmp_path / "p.pdf"
    plain.write_bytes(PDF_B)
    items = list(expand([Incoming.from_path(archive, "x.zip"), Incoming.from_path(plain, "p.pdf")], ArchiveLimits()))
    with pytest.raises(ArchiveClosed):
        items[0].open()
    with items[1].open() as stream:
        assert stream.read() == PDF_B


# --- damage ------------------------------------------------------------------------------------------

def test_encrypted_member_is_refused(tmp_path):
    # zipfile cannot write encrypted entries: set the "encrypted" flag bit by hand (pyzipper is not a dependency).
    archive = rewrite(zip_of(tmp_path / "x.zip", {"secreto.pdf": PDF_A, "ok.pdf": PDF_B}),
                      lambda data: patch(data, 0, flags_or=0x1))
    assert outcomes(expanded(archive)) == {"x.zip/secreto.pdf": "encrypted_archive", "x.zip/ok.pdf": "ok"}


@pytest.mark.parametrize("damage", [
    lambda data: b"PK\x03\x04" + random_bytes(2000),
    lambda data: data[: len(data) // 2],
    lambda data: data[:-22] + b"PK\x05\x06" + b"\xff" * 18,  # end record pointing nowhere
], ids=["garbage", "truncated", "bad_end_record"])
def test_corrupt_archive_is_one_record(tmp_path, damage):
    archive = rewrite(zip_of(tmp_path / "x.zip", {f"{i}.pdf": random_bytes(5000, seed=i) for i in range(3)}), damage)
    assert [(n, s) for n, s, _, _ in expanded(archive)] == [("x.zip", "corrupt_archive")]


def test_bad_crc_fails_that_member_only(tmp_path):
    big = random_bytes(300 * 1024)
    archive = rewrite(zip_of(tmp_path / "x.zip", [("pequeño.pdf", PDF_A), ("grande.pdf", big), ("ok.pdf", PDF_B)]),
                      lambda data: patch(patch(data, 0, crc=0xDEADBEEF), 1, crc=0xDEADBEEF))
    results = expand([Incoming.from_path(archive, "x.zip")], ArchiveLimits())
    # A small member is read whole when peeked at, so its CRC fails at once; a large one fails at its end.
    small = next(results)
    assert isinstance(small, Rejected) and (small.name, small.reason) == ("x.zip/pequeño.pdf", "corrupt")
    large = next(results)
    assert isinstance(large, Incoming)
    with pytest.raises(zipfile.BadZipFile):  # MemberCorrupt is one too, for callers that catch that
        with large.open() as stream:
            stream.read()
    assert outcomes(settle(expand([Incoming.from_path(archive, "x.zip")], ArchiveLimits()))) == {
        "x.zip/pequeño.pdf": "corrupt", "x.zip/grande.pdf": "corrupt", "x.zip/ok.pdf": "ok"}


def test_damaged_deflate_stream_fails_that_member_only(tmp_path):
    words = random.Random(3).choices(["fiscal", "acta", "juez", "Lima", "prisión", "evidencia"], k=60_000)
    archive = zip_of(tmp_path / "x.zip", [("a.txt", " ".join(words).encode()), ("ok.pdf", PDF_A)])
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.infolist()[0]
    start = info.header_offset + 30 + len("a.txt") + info.compress_size // 2
    data[start:start + 64] = random_bytes(64)
    archive.write_bytes(bytes(data))
    assert outcomes(expanded(archive)) == {"x.zip/a.txt": "corrupt", "x.zip/ok.pdf": "ok"}


def test_unsupported_compression_method(tmp_path):
    archive = zip_of(tmp_path / "x.zip", {"a.pdf": PDF_A * 10, "ok.pdf": PDF_B})

    def deflate64(data: bytes) -> bytes:
        buf = bytearray(data)
        central = central_offsets(data)[0]
        local = struct.unpack_from("<I", buf, central + 42)[0]
        struct.pack_into("<H", buf, central + 10, 9)
        struct.pack_into("<H", buf, local + 8, 9)
        return bytes(buf)

    rewrite(archive, deflate64)
    assert outcomes(expanded(archive)) == {"x.zip/a.pdf": "unsupported_compression", "x.zip/ok.pdf": "ok"}


@pytest.mark.parametrize("build", [
    lambda path: zip_of(path, {"carpeta/": b"", "otra/": b""}),
    lambda path: zip_of(path, {}),  # the 22 bytes "PK\x05\x06..."
    lambda path: zip_of(path, {".DS_Store": b"x"}),
], ids=["only_folders", "empty", "only_hidden"])
def test_archive_without_files_says_so(tmp_path, build):
    assert expanded(build(tmp_path / "x.zip")) == [("x.zip", "empty_archive", None, None)]


# --- folders -----------------------------------------------------------------------------------------

def test_folder_tree_sorted_skipping_clutter_and_refusing_links_out(tmp_path):
    outside = tmp_path / "fuera"
    outside.mkdir()
    (outside / "secreto.pdf").write_bytes(PDF_B)
    root = tmp_path / "carga"
    (root / "b").mkdir(parents=True)
    (root / "a.pdf").write_bytes(PDF_A)
    (root / "b" / "c.pdf").write_bytes(PDF_B)
    (root / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (root / ".oculta").mkdir()
    (root / ".oculta" / "x.pdf").write_bytes(PDF_A)
    (root / "__MACOSX").mkdir()
    (root / "__MACOSX" / "._a.pdf").write_bytes(b"\0\5\26\7")
    zip_of(root / "b" / "d.zip", {"e.pdf": PDF_A, ".DS_Store": b"x"})
    os.symlink(outside / "secreto.pdf", root / "b" / "enlace_fuera.pdf")
    os.symlink(outside, root / "carpeta_fuera")
    os.symlink(root / "a.pdf", root / "b" / "enlace_dentro.pdf")
    os.symlink(root / "b", root / "enlace_carpeta")
    os.symlink(root / "no-existe.pdf", root / "roto.pdf")
    os.mkfifo(root / "tuberia")

    results = settle(expand_paths([root], ArchiveLimits()))
    assert [(Path(n).relative_to(root).as_posix(), s) for n, s, _, _ in results] == [
        (".oculta/x.pdf", "ok"),
        ("a.pdf", "ok"),
        ("b/c.pdf", "ok"),
        ("b/d.zip/e.pdf", "ok"),
        ("b/enlace_dentro.pdf", "ok"),
        ("b/enlace_fuera.pdf", "unsafe_path"),
        ("carpeta_fuera", "unsafe_path"),
        ("roto.pdf", "missing_file"),
    ]


def test_paths_mix_files_folders_and_zips(tmp_path):
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "uno.pdf").write_bytes(PDF_A)
    single = tmp_path / "suelto.pdf"
    single.write_bytes(PDF_B)
    archive = zip_of(tmp_path / "z.zip", {"dos.pdf": PDF_A})
    results = settle(expand_paths([tmp_path / "f", single, archive, tmp_path / "falta.pdf"], ArchiveLimits()))
    assert [(Path(n).name, s) for n, s, _, _ in results[:3]] == [("uno.pdf", "ok"), ("suelto.pdf", "ok"),
                                                                ("dos.pdf", "ok")]
    assert results[2][0] == f"{archive}/dos.pdf"
    assert results[3][0] == str(tmp_path / "falta.pdf")  # passed on: the caller records missing_file


def test_unreadable_subfolder_is_reported(tmp_path, monkeypatch):
    root = tmp_path / "carga"
    (root / "cerrada").mkdir(parents=True)
    (root / "cerrada" / "x.pdf").write_bytes(PDF_A)
    (root / "z.pdf").write_bytes(PDF_B)
    real_scandir = os.scandir

    def scandir(path):  # as for a folder without read permission (root reads any, so simulate it)
        if Path(path).name == "cerrada":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(inputs.os, "scandir", scandir)
    results = settle(expand_paths([root], ArchiveLimits()))
    assert [(Path(n).name, s) for n, s, _, _ in results] == [("cerrada", "missing_file"), ("z.pdf", "ok")]
