"""Evidence uploads are recognised by their first bytes, never by their name or declared type."""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .errors import PilotCode, PilotError

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
_ARCHIVES = (
    b"PK\x03\x04",  # zip, docx, xlsx, jar
    b"PK\x05\x06",  # empty zip
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",  # gzip
    b"BZh",
    b"\xfd7zXZ\x00",
)
# A zip's central directory ends near the end of the file, so an image with a zip appended
# (a polyglot) is caught by looking at the tail as well as the head.
_ZIP_END_OF_DIRECTORY = b"PK\x05\x06"
_TAIL_BYTES = 64 * 1024


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def _refuse(message: str) -> PilotError:
    return PilotError.for_field("file", message, code=PilotCode.FILE_REFUSED)


def check_evidence_file(upload) -> CheckedFile:
    """Accept a JPEG, PNG or PDF of at most 10 MB; refuse archives and anything else."""
    size = upload.size or 0
    if size == 0:
        raise _refuse(_("The file is empty."))
    if size > MAX_EVIDENCE_BYTES:
        raise _refuse(
            _("The file is %(size).1f MB; the limit is 10 MB.") % {"size": size / 1024 / 1024}
        )
    upload.seek(0)
    head = upload.read(512)
    if any(head.startswith(magic) for magic in _ARCHIVES) or head[257:262] == b"ustar":
        raise _refuse(_("Archives are not accepted; upload each image or PDF on its own."))
    content_type = next((kind for magic, kind in _SIGNATURES if head.startswith(magic)), None)
    if content_type is None:
        raise _refuse(_("Only JPEG or PNG images and PDF documents are accepted."))
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(max(0, size - _TAIL_BYTES))
    if _ZIP_END_OF_DIRECTORY in upload.read(_TAIL_BYTES):
        raise _refuse(_("Archives are not accepted; upload each image or PDF on its own."))
    upload.seek(0)
    return CheckedFile(content_type=content_type, size=size, sha256=digest.hexdigest())
