"""Small files made on the fly for upload tests: real images, an image with GPS data,
a decompression bomb, impostors."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin
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


# Text hidden in an image's metadata, each marker in one kind of block: no stored copy
# may contain any of them.
METADATA_MARKERS = {
    "comment": b"<script>alert('COM-MARK')</script>",
    "gps_note": b"GPS-NOTE-MARK 35.49N 112.85E",
    "exif": b"EXIF-MARK",
    "xmp": b"XMP-MARK",
    "text": b"TEXT-MARK",
    "ztxt": b"ZTXT-MARK",
    "itxt": b"ITXT-MARK",
}
# An ICC profile whose description is a marker too (profiles carry free text).
ICC_MARKER = b"sRGB built-in"


def _xmp() -> bytes:
    return (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description>'
        + METADATA_MARKERS["xmp"]
        + b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[Base.Make] = METADATA_MARKERS["exif"].decode()
    exif.get_ifd(IFD.GPSInfo).update({GPS.GPSLatitudeRef: "N", GPS.GPSLatitude: (35.0, 29.0, 24.0)})
    return exif


def image_with_metadata(fmt: str) -> bytes:
    """A small image of ``fmt`` carrying every kind of metadata that format can hold:
    JPEG COM, EXIF, XMP and ICC; PNG tEXt, zTXt, iTXt, XMP, eXIf and iCCP; a GIF comment
    block (a script, a GPS note) and the NETSCAPE application extension; WebP EXIF, XMP
    and ICCP."""
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    comment = METADATA_MARKERS["comment"] + b" " + METADATA_MARKERS["gps_note"]
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    if fmt == "JPEG":
        options = {"comment": comment, "exif": _exif(), "xmp": _xmp(), "icc_profile": icc}
    elif fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", comment.decode())
        info.add_text("Description", METADATA_MARKERS["text"].decode())
        info.add_text("GPS", METADATA_MARKERS["ztxt"].decode(), zip=True)
        info.add_itxt("Title", METADATA_MARKERS["itxt"].decode(), lang="zh", tkey="标题")
        info.add_itxt("XML:com.adobe.xmp", _xmp().decode())
        options = {"pnginfo": info, "exif": _exif(), "icc_profile": icc}
    elif fmt == "GIF":
        image = image.convert("P")
        options = {"comment": comment, "loop": 0, "duration": 100}
    else:
        options = {"exif": _exif(), "xmp": _xmp(), "icc_profile": icc}
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


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
