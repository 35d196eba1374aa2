"""Pages of the documents: a record's papers with the upload form, one document with its versions, the
download, a new version, a withdrawal, and the printable referral letter. Who sees what comes from
documents.selectors; every change from documents.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from documents import services
from documents.downloads import file_response
from documents.files import max_bytes
from documents.forms import ReplaceForm, UploadForm, WithdrawForm, kind_initial
from documents.models import DocumentKind
from documents.selectors import (
    current,
    document_for,
    documents_of,
    may_change,
    owner_for,
    owner_type_of,
    persons_concerned,
    persons_of,
    versions_of,
)
from documents.uploads import body_too_large, too_large_message
from gugus_tugas.accounts.services import identity_view_record
from gugus_tugas.errors import Conflict
from gugus_tugas.forms import add_errors


def takes_upload(view):
    """For a page that receives a file: a body larger than a document may be is refused before it is
    read, and the CSRF check (which reads the body) comes after that. Outside the request's
    transaction, so that the service's own is the outermost and a stored file never outlives a row
    that was rolled back (documents.services)."""
    protected = csrf_protect(view)

    @csrf_exempt
    @login_required
    @transaction.non_atomic_requests
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and body_too_large(request):
            message = _("The file is larger than %(max)s MB.") % too_large_message()
            return render(request, "documents/too_large.html", {"message": message}, status=413)
        return protected(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _back(request, default: str) -> str:
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def owner_url(owner) -> str:
    return reverse(f"documents:{owner_type_of(owner)}", kwargs={"pk": owner.pk})


def _owner_context(request, owner) -> dict:
    owner_type = owner_type_of(owner)
    if owner_type == "case":
        return {"heading": owner.number, "back": reverse("cases:case_detail", args=[owner.pk])}
    if owner_type == "referral":
        return {"heading": owner.number, "back": reverse("referrals:detail", args=[owner.pk])}
    return {"heading": owner.full_name, "back": _back(request, reverse("cases:case_list"))}


@takes_upload
def owner_documents(request, owner_type, pk):
    """A case's, person's or referral's papers, every version listed, and the form that adds one."""
    owner = owner_for(request.user, owner_type, pk)
    initial = {"kind": kind_initial(request.GET.get("kind")), "dated_on": timezone.localdate()}
    form = UploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_upload(
                actor=request.user,
                owner=owner,
                upload=data["upload"],
                kind=data["kind"],
                title=data["title"],
                dated_on=data["dated_on"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("“%(title)s” saved.") % {"title": document.title})
            return redirect(f"{request.path}#dokumen-{document.pk}")
    documents = list(documents_of(owner))
    identity_view_record(
        request=request,
        record_type="document_list",
        record_id=f"{owner_type}:{owner.pk}",
        person_ids=persons_of(owner),
    )
    context = {
        **_owner_context(request, owner),
        "owner": owner,
        "owner_type": owner_type,
        "documents": _with_earlier_versions(documents),
        "form": form,
        "max_bytes": max_bytes(),
        "too_large": _("The file is larger than %(max)s MB.") % too_large_message(),
    }
    return render(request, "documents/owner.html", context)


def _with_earlier_versions(documents) -> list:
    """The current documents, each with `earlier`: its earlier versions, newest first (from the rows
    already read)."""
    by_pk = {document.pk: document for document in documents}
    current_ones = [document for document in documents if document.is_current]
    for document in current_ones:
        document.earlier = []
        earlier = by_pk.get(document.replaces_id)
        while earlier is not None:
            document.earlier.append(earlier)
            earlier = by_pk.get(earlier.replaces_id)
    return current_ones


@login_required
def document_detail(request, pk):
    document = document_for(request.user, pk)
    identity_view_record(
        request=request, record_type="document", record_id=document.pk, person_ids=persons_concerned(document)
    )
    versions = versions_of(document)
    context = {
        "document": document,
        "versions": versions,
        "is_current": versions[-1].pk == document.pk,
        "newest": versions[-1],
        "may_change": may_change(request.user, document),
        "owner_url": owner_url(document.owner),
    }
    return render(request, "documents/detail.html", context)


@login_required
def document_download(request, pk):
    return file_response(request, document_for(request.user, pk))


@login_required
def document_view(request, pk):
    return file_response(request, document_for(request.user, pk), inline=True)


def _document_to_change(request, pk):
    """A document this account sees and whose agency uploaded it (the others read it: 403)."""
    document = document_for(request.user, pk)
    if not may_change(request.user, document):
        raise PermissionDenied(_("Only the agency that uploaded a document replaces or withdraws it."))
    return document


@takes_upload
def document_replace(request, pk):
    """A new version of a document; the old one stays listed."""
    document = _document_to_change(request, pk)
    form = ReplaceForm(request.POST or None, request.FILES or None, initial={"dated_on": document.dated_on})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.document_replace(
                actor=request.user,
                document=document,
                upload=data["upload"],
                title=data["title"],
                dated_on=data["dated_on"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except Conflict as conflict:
            messages.error(request, str(conflict))
            return redirect("documents:detail", pk=document.pk)
        else:
            messages.success(request, _("New version of “%(title)s” saved.") % {"title": new.title})
            return redirect("documents:detail", pk=new.pk)
    context = {
        "document": document,
        "form": form,
        "title": _("New version of “%(title)s”") % {"title": document.title},
        "submit": _("Save the new version"),
        "multipart": True,
        "max_bytes": max_bytes(),
        "too_large": _("The file is larger than %(max)s MB.") % too_large_message(),
    }
    return render(request, "documents/form_page.html", context)


@login_required
def document_withdraw(request, pk):
    document = _document_to_change(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_withdraw(
                actor=request.user, document=document, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        except Conflict as conflict:
            messages.error(request, str(conflict))
            return redirect("documents:detail", pk=document.pk)
        else:
            messages.success(request, _("“%(title)s” withdrawn.") % {"title": document.title})
            return redirect("documents:detail", pk=document.pk)
    context = {
        "document": document,
        "form": form,
        "title": _("Withdraw “%(title)s”") % {"title": document.title},
        "submit": _("Withdraw the document"),
        "danger": True,
    }
    return render(request, "documents/form_page.html", context)


@login_required
def referral_letter(request, pk):
    """The printable referral letter ("Surat Rujukan"): to be signed by the person (or guardian) and the
    officers, and attached back to the referral as its consent form."""
    referral = owner_for(request.user, "referral", pk)
    identity_view_record(
        request=request, record_type="referral_letter", record_id=referral.pk, person_ids=persons_of(referral)
    )
    context = {
        "referral": referral,
        "person": referral.person,
        "today": timezone.localdate(),
        "upload_url": f"{owner_url(referral)}?kind={DocumentKind.CONSENT_FORM}#unggah",
        "current_consent_forms": current(documents_of(referral))
        .filter(kind=DocumentKind.CONSENT_FORM)
        .count(),
    }
    return render(request, "documents/referral_letter.html", context)
