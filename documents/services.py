"""Writes of the documents (DESIGN §13). A file and its row land together or not at all: the file is
written first and deleted again if the row is not committed, so a failed file write leaves no row and a
failed database write leaves no file. This holds when the service's transaction is the outermost one,
which is why the views that upload are not wrapped in the request's transaction."""

import datetime
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Person
from documents.files import CheckedFile, check_upload, stored_name_for
from documents.models import Document
from documents.selectors import may_change, owner_type_of
from gugus_tugas.accounts.models import User
from gugus_tugas.errors import Conflict, NotPermitted
from referrals.models import Referral


def document_storage():
    """The storage named "documents" (settings.STORAGES): a private folder, or an S3-compatible bucket."""
    return storages["documents"]


@contextmanager
def _stored(checked: CheckedFile):
    """The checked file written under a new name of ours; deleted again if the block does not complete
    (the row was refused, or its transaction did not commit)."""
    storage = document_storage()
    name = storage.save(stored_name_for(checked.file_type), checked.content)
    try:
        yield name
    except BaseException:
        storage.delete(name)
        raise


def _checked(upload: File) -> CheckedFile:
    try:
        return check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None


def _document(*, actor: User, checked: CheckedFile, stored_name: str, **fields) -> Document:
    document = Document(
        **fields,
        file_name=checked.file_name,
        stored_name=stored_name,
        content_type=checked.file_type.mime,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        agency=actor.agency,
    )
    document.full_clean(exclude=["replaces"])
    document.save()
    return document


def _title(title: str, checked: CheckedFile) -> str:
    return title.strip() or checked.file_name.rsplit(".", 1)[0]


def _check_date(dated_on: datetime.date) -> None:
    if dated_on > timezone.localdate():
        raise ValidationError({"dated_on": _("This date is in the future.")})


def document_upload(
    *,
    actor: User,
    owner: Case | Person | Referral,
    upload: File,
    kind: str,
    title: str,
    dated_on: datetime.date,
) -> Document:
    """Attach a new document to a case, a person or a referral the actor's agency sees (the caller found
    `owner` through documents.selectors.owner_for). Refuses, as ValidationError on `file`: an empty
    file, one over DOCUMENT_MAX_MB, a type not accepted by its content; on `dated_on`: a future date.
    Photos are stored without metadata; the SHA-256 is that of the stored bytes. The title defaults to
    the file's name."""
    if not actor.is_officer:
        raise NotPermitted(_("Only officers add documents."))
    _check_date(dated_on)
    checked = _checked(upload)
    with _stored(checked) as stored_name, transaction.atomic():
        return _document(
            actor=actor,
            checked=checked,
            stored_name=stored_name,
            kind=kind,
            title=_title(title, checked),
            dated_on=dated_on,
            **{owner_type_of(owner): owner},
        )


def _lock_current(document: Document, actor: User) -> Document:
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if not may_change(actor, locked):
        raise NotPermitted(_("Only the agency that uploaded a document replaces or withdraws it."))
    if Document.objects.filter(replaces=locked).exists():
        raise Conflict(_("This document has already been replaced by a newer version."))
    if locked.is_withdrawn:
        raise Conflict(_("This document has been withdrawn."))
    return locked


def document_replace(
    *, actor: User, document: Document, upload: File, title: str = "", dated_on: datetime.date | None = None
) -> Document:
    """A new version of a document: same record and kind, a new file; the old version stays, listed
    and downloadable. Only the uploading agency replaces (NotPermitted); a version already replaced or
    withdrawn is a Conflict, also when two officers replace it at the same moment. The file is checked
    as on upload."""
    if not may_change(actor, document):
        raise NotPermitted(_("Only the agency that uploaded a document replaces or withdraws it."))
    dated_on = dated_on or document.dated_on
    _check_date(dated_on)
    checked = _checked(upload)
    try:
        with _stored(checked) as stored_name, transaction.atomic():
            old = _lock_current(document, actor)
            return _document(
                actor=actor,
                checked=checked,
                stored_name=stored_name,
                kind=old.kind,
                title=title.strip() or old.title,
                dated_on=dated_on,
                replaces=old,
                **{owner_type_of(old.owner): old.owner},
            )
    except IntegrityError:  # the other replacement committed first (one successor per version)
        raise Conflict(_("This document has already been replaced by a newer version.")) from None


def document_withdraw(*, actor: User, document: Document, reason: str) -> Document:
    """Withdraw a document with a reason: it stays listed, marked withdrawn, and is never deleted. Only
    the uploading agency withdraws (NotPermitted); a reason is required (ValidationError); a document
    already replaced or withdrawn is a Conflict."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the document is withdrawn.")})
    with transaction.atomic():
        locked = _lock_current(document, actor)
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = actor
        locked.withdrawal_reason = reason.strip()
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    return locked
