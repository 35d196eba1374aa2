"""No notification is lost while the mail server is down (DESIGN §18): the e-mail waits in the task queue,
the real worker (`manage.py db_worker`) tries again with growing pauses, and the administrator sees every
failed attempt. A real SMTP exchange on a local port: nothing listens there while the server is "down"."""

import datetime
import signal

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gugus_tugas.mail import RETRY_PAUSES
from tests.smtp_sink import SmtpSink, free_port

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
NOW = datetime.datetime(2026, 11, 25, 1, 0, tzinfo=datetime.UTC)


@pytest.fixture
def mail_port(settings):
    """Production's set-up: the database task backend and the SMTP backend, to a port of our own."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 5
    return settings.EMAIL_PORT


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def run_worker():
    """The worker as production runs it, until nothing is due. It takes over SIGINT, SIGTERM and SIGQUIT
    for a graceful stop and leaves them so; the test run gets its own back."""
    handlers = {
        number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def attempts():
    """(attempt, status) of every attempt at an e-mail, in order."""
    return sorted(
        (row.args_kwargs["kwargs"].get("attempt", 1), row.status) for row in DBTaskResult.objects.all()
    )


def test_a_notification_sent_while_the_mail_server_is_down_arrives_when_it_is_back(
    mail_port, clock, send, service_officer
):
    referral = send()
    assert attempts() == [(1, TaskResultStatus.READY)]  # queued, nothing sent in the request

    run_worker()  # the server is down
    assert attempts() == [(1, TaskResultStatus.FAILED), (2, TaskResultStatus.READY)]
    run_worker()  # the second attempt waits for its pause
    assert attempts()[-1] == (2, TaskResultStatus.READY)

    clock.shift(RETRY_PAUSES[0])
    run_worker()  # still down
    assert attempts()[-2:] == [(2, TaskResultStatus.FAILED), (3, TaskResultStatus.READY)]

    clock.shift(RETRY_PAUSES[1])
    with SmtpSink(mail_port) as server:
        run_worker()
    assert attempts() == [
        (1, TaskResultStatus.FAILED),
        (2, TaskResultStatus.FAILED),
        (3, TaskResultStatus.SUCCESSFUL),
    ]
    [message] = server.received
    assert referral.number in message["Subject"]
    assert message["To"] == service_officer.email


def test_an_email_that_never_gets_through_stays_failed_in_the_admin_site(
    mail_port, clock, send, client_for, admin_user
):
    referral = send()
    for pause in [*RETRY_PAUSES, datetime.timedelta(days=1)]:
        run_worker()
        clock.shift(pause)
    final = len(RETRY_PAUSES) + 1
    assert attempts() == [(attempt, TaskResultStatus.FAILED) for attempt in range(1, final + 1)]
    run_worker()
    assert DBTaskResult.objects.count() == final  # gave up: nothing more is queued

    page = client_for(admin_user).get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"), {"status__exact": "FAILED"}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert referral.number in text  # the e-mail's subject
    assert "ConnectionRefusedError" in text  # the mail server's error
    assert f">{final}<" in text  # the attempt
