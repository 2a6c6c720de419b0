"""Side effects of notifications, run by the task worker (`manage.py db_worker`).

Each task is safe to run again: it writes nothing to the database and re-reads what it needs, so
a retry after a failure repeats only the send that failed. Delivery is therefore at least once: a
worker that dies after the gateway accepted a message but before the result is stored sends it a
second time on retry, which is the lesser harm for a reminder than never sending it.
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django_tasks import task

from jingmin.notify.sms import get_sms_backend
from jingmin.org.models import User

logger = logging.getLogger(__name__)


@task()
def send_email(*, user_id: int, subject: str, body: str) -> None:
    # The address is read now, not when the task was queued: an account deactivated or an address
    # changed in between gets nothing, or the message goes to the current address. The task row
    # therefore holds no e-mail address.
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        logger.info("E-mail to user %s skipped: inactive, removed or without an address", user_id)
        return
    # `None` as the sender means settings.DEFAULT_FROM_EMAIL. A failure raises, so the task result
    # records it as failed and it can be retried.
    send_mail(subject, body, None, [user.email], fail_silently=False)


@task()
def send_sms(*, phone: str, text: str) -> None:
    get_sms_backend().send(phone, text)
