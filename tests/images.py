"""Small files made on the fly for upload tests: real images, an image with GPS data,
a decompression bomb, impostors."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL.ExifTags import GPS, IFD, Base


def image_bytes(fmt="JPEG", size=(40, 30), color=(200, 30, 30), exif=None) -> bytes:
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, color).save(out, format=fmt, **kwargs)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    """A photo as a phone takes it: camera make, model and the GPS position of 晋城."""
    exif = Image.Exif()
    exif[Base.Make] = "PhoneMaker"
    exif[Base.Model] = "Phone 12"
    exif.get_ifd(IFD.GPSInfo).update(
        {
            GPS.GPSLatitudeRef: "N",
            GPS.GPSLatitude: (35.0, 29.0, 24.0),
            GPS.GPSLongitudeRef: "E",
            GPS.GPSLongitude: (112.0, 51.0, 0.0),
        }
    )
    return image_bytes("JPEG", exif=exif)


def png_bomb(width=50_000, height=50_000) -> bytes:
    """A PNG whose header claims ``width``×``height`` pixels (2.5 gigapixels by default)
    in a few hundred bytes: what a decompression bomb looks like to a server."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    data = zlib.compress(row * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def read_image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def minimal_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
