"""What an upload must be before it is kept (DESIGN §13): not empty, within DOCUMENT_MAX_MB, one of the
accepted types read from its content (never its name), photos without their EXIF and GPS data, and a
SHA-256 of exactly the bytes that are stored. Nothing here touches the database or the storage."""

import hashlib
import io
import unicodedata
import uuid
import warnings
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Phone cameras write 12 to 50 megapixels; beyond that a small file may unpack into gigabytes.
MAX_IMAGE_PIXELS = 50_000_000
# How much of the file the type is read from (filetype reads no more).
HEAD_BYTES = 8192


@dataclass(frozen=True)
class FileType:
    mime: str
    extension: str
    label: str
    inline: bool = False  # the browser may show it in place of downloading it
    image_format: str = ""  # Pillow's name: the file is re-encoded without its metadata
    ooxml_part: str = ""  # the part an Office Open XML package of this kind must hold


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED = {
    file_type.mime: file_type
    for file_type in [
        FileType("application/pdf", "pdf", "PDF", inline=True),
        FileType("image/jpeg", "jpg", "JPEG", inline=True, image_format="JPEG"),
        FileType("image/png", "png", "PNG", inline=True, image_format="PNG"),
        FileType("image/webp", "webp", "WebP", inline=True, image_format="WEBP"),
        FileType(DOCX, "docx", "DOCX", ooxml_part="word/document.xml"),
        FileType(XLSX, "xlsx", "XLSX", ooxml_part="xl/workbook.xml"),
    ]
}
BY_EXTENSION = {file_type.extension: file_type for file_type in ACCEPTED.values()} | {
    "jpeg": ACCEPTED["image/jpeg"]
}
IMAGE_MIMES = [mime for mime, file_type in ACCEPTED.items() if file_type.image_format]
# What the file inputs offer (the server decides by content all the same).
ACCEPT_ATTRIBUTE = ",".join([*ACCEPTED, *(f".{extension}" for extension in BY_EXTENSION)])


@dataclass(frozen=True)
class CheckedFile:
    """An upload that may be stored: `content` holds exactly the bytes to keep."""

    content: File
    file_type: FileType
    size: int
    sha256: str
    file_name: str


def max_bytes() -> int:
    return settings.DOCUMENT_MAX_MB * 1024 * 1024


def accepted_labels() -> str:
    return ", ".join(file_type.label for file_type in ACCEPTED.values())


def check_upload(upload: File) -> CheckedFile:
    """The upload as it will be stored, or a ValidationError saying in the officer's language what is
    wrong with it: empty, too large, a type not accepted (with what the name claimed), a damaged image or
    package, a macro. Photos come back re-encoded without metadata, turned as the camera meant."""
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > max_bytes():
        raise ValidationError(
            _("The file is larger than %(max)s MB.") % {"max": settings.DOCUMENT_MAX_MB}, code="too_large"
        )
    file_type = _type_of(upload)
    if file_type.image_format:
        content = _without_metadata(upload, file_type)
    else:
        if file_type.ooxml_part:
            _check_package(upload, file_type)
        content = upload
    size, sha256 = _measure(content)
    return CheckedFile(content, file_type, size, sha256, clean_file_name(upload.name, file_type.extension))


def _type_of(upload: File) -> FileType:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    guessed = filetype.guess(head)
    mime = guessed.mime if guessed else None
    if mime == "application/zip":  # an Office package whose first part is not the one filetype looks for
        mime = _package_type(upload)
    if mime in ACCEPTED:
        return ACCEPTED[mime]
    claimed = BY_EXTENSION.get((upload.name or "").rsplit(".", 1)[-1].lower()) if upload.name else None
    if claimed:
        message = _(
            "The content of this file is not %(claimed)s, although its name ends in .%(extension)s. "
            "Accepted: %(accepted)s."
        ) % {"claimed": claimed.label, "extension": claimed.extension, "accepted": accepted_labels()}
    else:
        found = guessed.extension.upper() if guessed else _("unknown")
        message = _("This kind of file (%(found)s) is not accepted. Accepted: %(accepted)s.") % {
            "found": found,
            "accepted": accepted_labels(),
        }
    raise ValidationError(message, code="type")


def _package_type(upload: File) -> str | None:
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return next((mime for mime, t in ACCEPTED.items() if t.ooxml_part and t.ooxml_part in names), None)


def _check_package(upload: File, file_type: FileType) -> None:
    """An Office Open XML package: a ZIP whose directory names the parts of its kind and no macros.
    Only the directory is read; nothing is unpacked."""
    try:
        with zipfile.ZipFile(upload) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(_("The file is damaged or incomplete."), code="damaged") from None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or file_type.ooxml_part not in names:
        raise ValidationError(_("The file is damaged or incomplete."), code="damaged")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError(_("Documents with macros are not accepted."), code="macro")


def _without_metadata(upload: File, file_type: FileType) -> ContentFile:
    """The photo re-encoded in its own format with its orientation applied, keeping only its colour
    profile: EXIF (GPS, camera, time), XMP and comments are gone."""
    try:
        with warnings.catch_warnings():
            # Pillow warns from 89 megapixels; the limit below is ours, and lower.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload)
        if image.format != file_type.image_format:
            raise UnidentifiedImageError
        _check_dimensions(image.width * image.height, getattr(image, "n_frames", 1))
        image.load()
        upright = ImageOps.exif_transpose(image)
    except Image.DecompressionBombError:
        _check_dimensions(Image.MAX_IMAGE_PIXELS * 2 + 1, 1)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("The image is damaged or incomplete."), code="damaged") from None
    finally:
        upload.seek(0)
    kept = {key: upright.info[key] for key in ("icc_profile", "transparency") if key in upright.info}
    upright.info = kept
    out = io.BytesIO()
    options = {"JPEG": {"quality": 95}, "WEBP": {"quality": 95}, "PNG": {}}[file_type.image_format]
    upright.save(out, file_type.image_format, exif=b"", **kept, **options)
    return ContentFile(out.getvalue())


def _check_dimensions(pixels: int, frames: int) -> None:
    if pixels > MAX_IMAGE_PIXELS:
        raise ValidationError(
            _("The image is too large (%(megapixels)s megapixels; at most %(limit)s).")
            % {"megapixels": pixels // 1_000_000, "limit": MAX_IMAGE_PIXELS // 1_000_000},
            code="too_many_pixels",
        )
    if frames > 1:
        raise ValidationError(_("Moving images (animations) are not accepted."), code="animated")


def _measure(content: File) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    content.seek(0)
    for chunk in content.chunks():
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    return size, digest.hexdigest()


def clean_file_name(name: str | None, extension: str) -> str:
    """The client's file name as a label to show: its last path part only, without control, format or
    bidirectional characters (a "right-to-left override" can disguise .exe as .pdf), spaces tidied, at
    most 100 characters before the extension, which is the type actually found."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if char.isspace() else char for char in name if not _is_control(char))
    stem = " ".join(name.split())
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    stem = stem[:100].strip(" .") or _("document")
    return f"{stem}.{extension}"


def _is_control(char: str) -> bool:
    return unicodedata.category(char).startswith("C") and not char.isspace()


def stored_name_for(file_type: FileType) -> str:
    """A name of our own in the storage: month folders and a random name; never the client's."""
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{file_type.extension}"
