"""Writes of the accounts app."""

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gugus_tugas.accounts.models import AccessLog, Agency, Role, User
from gugus_tugas.accounts.selectors import client_ip


@transaction.atomic
def officer_create(
    *, username: str, agency_code: str, role: str, password: str, email: str = "", full_name: str = ""
) -> User:
    """Create an account of one agency with one role; refuses an unknown agency or role, a taken
    username and a weak password, each with a message that names the problem."""
    errors = {}
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        known = ", ".join(Agency.objects.values_list("code", flat=True))
        errors["agency"] = _("Unknown agency “%(code)s”. Known agencies: %(known)s.") % {
            "code": agency_code,
            "known": known,
        }
    if role not in Role.values:
        errors["role"] = _("Unknown role “%(role)s”. Choose one of: %(roles)s.") % {
            "role": role,
            "roles": ", ".join(Role.values),
        }
    if not username.strip():
        errors["username"] = _("A username is required.")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("The username “%(username)s” is already taken.") % {"username": username}
    if errors:
        raise ValidationError(errors)

    first_name, _sep, last_name = full_name.strip().partition(" ")
    user = User(
        username=username, agency=agency, role=role, email=email, first_name=first_name, last_name=last_name
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def identity_view_record(
    *, request, record_type: str, record_id: object = "", person_ids: Iterable[int]
) -> None:
    """Log that this response shows these persons in full (DESIGN §6). Every page and endpoint that
    shows an identity calls this; a response that shows none logs nothing. Only the path is kept: a
    query string may hold a name or NIK that was searched for."""
    person_ids = list(person_ids)
    if person_ids:
        access_log_record(
            request=request,
            action=AccessLog.Action.VIEW,
            record_type=record_type,
            record_id=record_id,
            person_ids=person_ids,
            detail=request.path,
        )


def access_log_record(
    *,
    request,
    action: str,
    record_type: str,
    record_id: object = "",
    person_ids: Iterable[int] = (),
    detail: str = "",
) -> AccessLog:
    """Write one access-log row for a view of full identities or an export, with the account, its
    agency and the client's address. Called by every page, endpoint and export that shows them."""
    user = request.user
    return AccessLog.objects.create(
        user=user,
        agency_id=user.agency_id,
        action=action,
        record_type=AccessLog.RecordType(record_type),  # a new kind of record is named there first
        record_id=str(record_id or ""),
        person_ids=sorted(set(person_ids)),
        detail=detail[:300],
        ip_address=client_ip(request),
    )
