"""What an upload must be before it is kept (documents.files): the type read from the content, photos
without EXIF and GPS, the SHA-256 of the stored bytes, a clean display name."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from documents.files import DOCX, XLSX, check_upload, clean_file_name
from tests.documents.samples import ELF, EXE, HTML, PDF, SVG, docx, has_gps, photo, plain_zip, upload, xlsx


@pytest.fixture(autouse=True)
def _english():
    # The messages' words are checked in the source language; the pages' tests check the Indonesian.
    with translation.override("en"):
        yield


def refusal(data: bytes, name: str = "berkas.pdf") -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(data, name))
    return refused.value


@pytest.mark.parametrize(
    ("data", "name", "mime", "extension"),
    [
        (PDF, "LP-12.pdf", "application/pdf", "pdf"),
        (photo("JPEG"), "IMG_2041.JPG", "image/jpeg", "jpg"),
        (photo("PNG"), "scan.png", "image/png", "png"),
        (photo("WEBP"), "foto.webp", "image/webp", "webp"),
        (docx(), "BAP saksi.docx", DOCX, "docx"),
        (xlsx(), "barang bukti.xlsx", XLSX, "xlsx"),
        # The name does not decide: a PDF called .jpg is a PDF, and is named so.
        (PDF, "foto.jpg", "application/pdf", "pdf"),
    ],
)
def test_it_accepts_the_six_types_by_their_content(data, name, mime, extension):
    checked = check_upload(upload(data, name))
    assert checked.file_type.mime == mime
    assert checked.file_name.endswith(f".{extension}")
    stored = checked.content.read()
    assert checked.sha256 == hashlib.sha256(stored).hexdigest()
    assert checked.size == len(stored)


def test_the_sha256_of_a_pdf_is_that_of_the_file_as_uploaded():
    assert check_upload(upload(PDF)).sha256 == hashlib.sha256(PDF).hexdigest()


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (HTML, "LP.pdf", "is not PDF, although its name ends in .pdf"),
        (SVG, "gambar.svg", "(unknown) is not accepted"),
        (EXE, "surat.exe", "(EXE) is not accepted"),
        (ELF, "program", "(ELF) is not accepted"),
        (plain_zip(), "arsip.zip", "(ZIP) is not accepted"),
        (b"GIF89a" + b"\x00" * 40, "animasi.gif", "(GIF) is not accepted"),
    ],
)
def test_it_refuses_what_is_not_one_of_them_whatever_its_name(data, name, says):
    error = refusal(data, name)
    assert error.code == "type"
    assert says in error.messages[0]


def test_it_refuses_an_empty_file():
    assert refusal(b"", "kosong.pdf").code == "empty"


def test_it_refuses_a_file_over_the_limit(settings):
    settings.DOCUMENT_MAX_MB = 1
    assert refusal(PDF + b"0" * 1024 * 1024, "besar.pdf").code == "too_large"


def test_a_photo_loses_its_gps_and_exif_and_keeps_its_orientation():
    original = photo("JPEG", size=(40, 20), orientation=6)
    assert has_gps(original)
    checked = check_upload(upload(original, "IMG.jpg"))
    stored = Image.open(io.BytesIO(checked.content.read()))
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info and "xmp" not in stored.info
    # Orientation 6 ("turn 90° clockwise to view") is applied to the pixels: 40x20 becomes 20x40.
    assert stored.size == (20, 40)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_lose_their_exif_too(fmt):
    checked = check_upload(upload(photo(fmt), f"foto.{fmt.lower()}"))
    stored = Image.open(io.BytesIO(checked.content.read()))
    assert dict(stored.getexif()) == {}
    assert b"GPS" not in checked.content.read() and b"PhoneMaker" not in checked.content.open().read()


def test_a_damaged_photo_is_refused():
    assert refusal(photo("JPEG")[:200], "IMG.jpg").code == "damaged"


def test_an_image_of_too_many_pixels_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(out, "PNG")  # a few kilobytes that unpack to 60 megapixels
    assert refusal(out.getvalue(), "bom.png").code == "too_many_pixels"


def test_an_animation_is_refused():
    out = io.BytesIO()
    frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "blue")]
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:])
    assert refusal(out.getvalue(), "gerak.webp").code == "animated"


def test_office_files_with_macros_are_refused():
    assert refusal(docx(macro=True), "surat.docx").code == "macro"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\polisi\\Desktop\\LP 12.pdf", "LP 12.pdf"),
        ("lp\x00.exe.pdf", "lp.exe.pdf"),
        ("tagihan\u202efdp.exe", "tagihanfdp.pdf"),  # a right-to-left override hiding .exe
        ("..", "document.pdf"),
        ("", "document.pdf"),
        ("  surat   penahanan\t.pdf ", "surat penahanan.pdf"),
        ("a" * 300 + ".pdf", "a" * 100 + ".pdf"),
    ],
)
def test_the_client_name_is_only_a_cleaned_label(name, shown):
    assert clean_file_name(name, "pdf") == shown
