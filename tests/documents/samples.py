"""Files as officers' phones and scanners make them, built in memory: a PDF, photos with GPS tags and a
turned orientation, Office packages, and the hostile ones (HTML dressed as a PDF, an SVG, a program)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import ExifTags, Image

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def photo(fmt: str = "JPEG", *, size=(40, 20), gps: bool = True, orientation: int = 6) -> bytes:
    """A photo whose EXIF holds a GPS position in Kupang and says "turn me 90°" (as phones write)."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # left half blue: the turn is visible
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    if gps:
        position = exif.get_ifd(ExifTags.IFD.GPSInfo)
        position[ExifTags.GPS.GPSLatitudeRef] = "S"
        position[ExifTags.GPS.GPSLatitude] = (10.0, 9.0, 30.0)
        position[ExifTags.GPS.GPSLongitudeRef] = "E"
        position[ExifTags.GPS.GPSLongitude] = (123.0, 35.0, 0.0)
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def has_gps(data: bytes) -> bool:
    return bool(Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo))


def docx(*, macro: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        package.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        if macro:
            package.writestr("word/vbaProject.bin", b"\x00" * 64)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("readme.txt", "hello")
    return out.getvalue()


def xlsx() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "Daftar barang bukti"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "berkas.pdf", content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
