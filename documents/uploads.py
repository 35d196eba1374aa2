"""An upload's size is refused before its body is read (DESIGN §13, DOCUMENT_MAX_MB).

Django spools a file part to a temporary file past FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), so no upload
sits in memory whole; DATA_UPLOAD_MAX_MEMORY_SIZE bounds the other fields only. What is left is not to
read (or spool to disk) a body far larger than a document may be: the declared Content-Length is checked
first, and Django never reads past it. The CSRF check reads the body, so the views that take an upload
are exempt from the middleware's check and run it themselves after this one (csrf_protect)."""

from django.conf import settings

from documents.files import max_bytes

# The form's other fields and the multipart framing around the file.
MULTIPART_ALLOWANCE = 64 * 1024


def body_too_large(request) -> bool:
    """Whether the request announces a body larger than a document and its form can be."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > max_bytes() + MULTIPART_ALLOWANCE


def too_large_message() -> dict:
    return {"max": settings.DOCUMENT_MAX_MB}
