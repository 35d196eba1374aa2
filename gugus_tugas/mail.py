"""E-mail leaves through a background task (DESIGN §18). A request or a command only queues the message;
the worker (`manage.py db_worker`) sends it and, while the mail server fails, tries again later with
growing pauses. Each attempt is a task result that the administrator reads in the admin site; an e-mail
that still fails after the last attempt stays there as failed, with the server's error.

django-tasks retries nothing by itself (it records a failure and stops), so the retry is here: a failed
attempt queues the next one for later, then fails with the server's error. Queuing first means that a
worker stopped at any moment loses no e-mail: the next attempt is already in the database.
"""

import datetime
from functools import partial

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

# Pauses before the second, third, ... attempt: about a day in all, so that a mail server down for an
# hour, or overnight, loses nothing. The eighth failure is final.
RETRY_PAUSES = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=15),
    datetime.timedelta(hours=1),
    datetime.timedelta(hours=3),
    datetime.timedelta(hours=6),
    datetime.timedelta(hours=12),
]


def send_later(*, subject: str, body: str, recipients: list[str]) -> bool:
    """Queue one e-mail to the recipients once the current transaction commits (at once outside one).
    Returns whether there was anyone to write to. The message must name no person (UU 21/2007 Pasal 44):
    it is kept in the task queue, which the administrator reads."""
    if not recipients:
        return False
    transaction.on_commit(
        partial(deliver.enqueue, subject=subject, body=body, recipients=sorted(set(recipients)))
    )
    return True


@task()
def deliver(*, subject: str, body: str, recipients: list[str], attempt: int = 1) -> int:
    """Send the e-mail. If the server fails and the task backend can run work later (the database
    backend; the demo's and the tests' immediate backend cannot), queue the next attempt after its
    pause first, then fail with the server's error."""
    try:
        return send_mail(subject, body, None, recipients, fail_silently=False)
    except Exception:
        if attempt <= len(RETRY_PAUSES) and deliver.get_backend().supports_defer:
            deliver.using(run_after=timezone.now() + RETRY_PAUSES[attempt - 1]).enqueue(
                subject=subject, body=body, recipients=recipients, attempt=attempt + 1
            )
        raise
