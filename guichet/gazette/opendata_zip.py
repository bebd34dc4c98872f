"""The zip archives of the open data: written so that the same content gives the same bytes, and
assembled from other archives by copying their members' compressed bytes (no inflate, no deflate).

The full archive (`textes.zip`, `numeros.zip`) is made of the per-year parts' members: copying
them raw makes it cost a copy of the bytes, not a new rendering and compression of every text, and
gives exactly the bytes a compression of the same members would give.
"""

from __future__ import annotations

import hashlib
import struct
import tempfile
import zipfile

from django.core.files import File
from django.core.files.storage import default_storage

# A fixed date in every member: the same content gives the same archive bytes.
MEMBER_DATE = (1980, 1, 1, 0, 0, 0)
# zlib's default level, as before; compression is ≈ 18 % of a full build's CPU (docs/benchmarks.md,
# « Incremental build »), and an incremental build compresses one year only.
COMPRESS_LEVEL = 6
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # PKZIP local file header, 30 bytes


class Spool:
    """A zip archive written into a temporary file (in memory up to 32 MB, then on disk)."""

    def __init__(self) -> None:
        self.file = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
        self.zip = zipfile.ZipFile(self.file, "w")

    def write(self, name: str, data: bytes) -> None:
        info = zipfile.ZipInfo(name, date_time=MEMBER_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zip.writestr(info, data, compresslevel=COMPRESS_LEVEL)

    def copy_from(self, source: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        """Add `source`'s member as it is stored there: its compressed bytes and CRC, copied."""
        if info.flag_bits & 0x01:
            raise ValueError(f"{info.filename}: encrypted member")
        handle = source.fp
        handle.seek(info.header_offset)
        header = _LOCAL_HEADER.unpack(handle.read(_LOCAL_HEADER.size))
        if header[0] != zipfile.stringFileHeader:
            raise zipfile.BadZipFile(f"{info.filename}: bad local header")
        handle.seek(info.header_offset + _LOCAL_HEADER.size + header[9] + header[10])
        raw = handle.read(info.compress_size)
        copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
        copy.compress_type = info.compress_type
        copy.create_system, copy.external_attr = info.create_system, info.external_attr
        copy.flag_bits = info.flag_bits & ~0x08  # sizes in the header, no data descriptor
        copy.CRC, copy.compress_size, copy.file_size = info.CRC, info.compress_size, info.file_size
        # What ZipFile.writestr does around its compressor, with the bytes already compressed
        # (zipfile has no public call for it; gazette/tests/test_opendata.py checks it with
        # testzip() and against members written by writestr).
        target = self.zip
        target.fp.seek(target.start_dir)
        copy.header_offset = target.fp.tell()
        target.fp.write(copy.FileHeader())
        target.fp.write(raw)
        target.start_dir = target.fp.tell()
        target.filelist.append(copy)
        target.NameToInfo[copy.filename] = copy
        target._didModify = True

    def store(self, path: str) -> dict:
        """Close the archive, save it at `path` unless a file is there already (paths are named
        after the content), and return its manifest entry (SHA-256 and size)."""
        self.zip.close()
        self.file.seek(0)
        digest, size = hashlib.sha256(), 0
        for chunk in iter(lambda: self.file.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
        entry = {"sha256": digest.hexdigest(), "size": size}
        target = path.format(sha256=entry["sha256"])
        if not default_storage.exists(target):
            self.file.seek(0)
            saved = default_storage.save(target, File(self.file, name=target.rsplit("/", 1)[1]))
            if saved != target:  # written concurrently by another build: same content
                default_storage.delete(saved)
        self.file.close()
        return entry
