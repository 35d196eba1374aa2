"""The one way a document's bytes leave the system, for the pages and the API alike: the access log
first, then the stored file as a download that no browser guesses about, caches or runs."""

import logging

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _

from documents.models import Document
from documents.selectors import persons_concerned
from documents.services import document_storage
from gugus_tugas.accounts.models import AccessLog
from gugus_tugas.accounts.services import access_log_record

logger = logging.getLogger(__name__)

# Nothing in a served file may run, load or frame anything: a PDF or image with a script inside stays
# inert. Chromium's PDF viewer does not open in a sandboxed document, so a PDF shown in place goes
# without the sandbox (its other restrictions stay).
_CSP = "; ".join(
    [
        "default-src 'none'",
        "img-src 'self'",
        "style-src 'unsafe-inline'",  # the browser's own image and PDF viewers style themselves
        "frame-ancestors 'none'",
        "form-action 'none'",
        "base-uri 'none'",
    ]
)
CSP_FILE = f"{_CSP}; sandbox"
CSP_PDF_IN_PLACE = f"{_CSP}; object-src 'self'"


def file_response(request, document: Document, *, inline: bool = False) -> HttpResponse:
    """The document's stored bytes, logged as a download. In place (`inline`) only for the types a
    browser shows safely (PDF, images); everything else is an attachment."""
    inline = inline and document.opens_in_browser
    try:
        handle = document_storage().open(document.stored_name, "rb")
    except OSError:
        logger.exception("Document %s: stored file %s cannot be read", document.pk, document.stored_name)
        return HttpResponse(
            _("The file cannot be read from the storage now. Please tell the administrator."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    access_log_record(
        request=request,
        action=AccessLog.Action.DOWNLOAD,
        record_type=AccessLog.RecordType.DOCUMENT,
        record_id=document.pk,
        person_ids=persons_concerned(document),
        detail=request.path,
    )
    response = FileResponse(
        handle, as_attachment=not inline, filename=document.file_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    pdf_in_place = inline and document.content_type == "application/pdf"
    response["Content-Security-Policy"] = CSP_PDF_IN_PLACE if pdf_in_place else CSP_FILE
    return response
