"""Side effects of notifications, run by the task worker (`manage.py db_worker`).

Each task is safe to run again. E-mail re-reads what it needs and is delivered at least once: a
worker that dies after the server accepted a message sends it again on retry. An SMS goes to a
citizen's phone and is sent at most once: its `SmsDispatch` row is claimed (committed) before the
gateway is called, so a second run of the same task — a retry after the worker was killed in the
middle, or the same task queued twice — sends nothing; a gateway that refuses gives the claim back.
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django_tasks import task

from jingmin.notify.dispatch import sms_dispatch_claim, sms_dispatch_release, sms_dispatch_sent
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
def send_sms(*, phone: str, text: str, dispatch_key: str = "") -> None:
    # Tasks queued before dispatch rows existed carry no key and are sent as they were.
    if dispatch_key and not sms_dispatch_claim(key=dispatch_key):
        logger.warning("SMS %s was attempted before; not sent again", dispatch_key)
        return
    try:
        get_sms_backend().send(phone, text)
    except Exception:
        if dispatch_key:
            sms_dispatch_release(key=dispatch_key)
        raise
    if dispatch_key:
        sms_dispatch_sent(key=dispatch_key)
