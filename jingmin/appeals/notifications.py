"""Who hears of a step, and what they read.

In-app rows are written in the step's transaction; e-mail and SMS leave only after commit
(`jingmin.notify` queues them as tasks).
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.appeals.models import Action, Appeal, AppealEvent, Urgency
from jingmin.notify.services import notify_staff, public_link, sms_notify
from jingmin.org.models import Unit, User
from jingmin.org.roles import CAPABILITIES, Cap
from jingmin.org.scope import chain_q


def _roles_with(cap: Cap) -> list[str]:
    return [role for role, caps in CAPABILITIES.items() if cap in caps]


def members(unit: Unit | None, cap: Cap) -> QuerySet[User]:
    if unit is None:
        return User.objects.none()
    return User.objects.filter(unit=unit, is_active=True, role__in=_roles_with(cap))


def supervising_unit(appeal: Appeal) -> Unit | None:
    """The nearest unit above the holder where someone can supervise (督办)."""
    unit = Unit.objects.filter(pk=appeal.unit_id).first()
    while unit is not None and unit.parent_id is not None:
        unit = Unit.objects.get(pk=unit.parent_id)
        if members(unit, Cap.APPEAL_SUPERVISE).exists():
            return unit
    return None


def _reviewers(appeal: Appeal) -> QuerySet[User]:
    # Reviewers whose scope holds the appeal: their unit's path is a prefix of the appeal's.
    above = chain_q("unit__path", appeal.unit_path)
    return User.objects.filter(above, is_active=True, role__in=_roles_with(Cap.APPEAL_REVIEW))


def _handlers(appeal: Appeal) -> QuerySet[User]:
    if appeal.handler_id is not None:
        return User.objects.filter(pk=appeal.handler_id, is_active=True)
    return members(Unit.objects.filter(pk=appeal.unit_id).first(), Cap.APPEAL_HANDLE)


def after_step(appeal: Appeal, action: str, event: AppealEvent) -> None:
    url = reverse("appeals:detail", args=[appeal.pk])
    code = appeal.tracking_code
    title = appeal.title
    recipients: QuerySet[User] | None = None
    subject = ""
    if action in (Action.DISPATCH, Action.TRANSFER):
        recipients = members(appeal.unit, Cap.APPEAL_HANDLE)
        subject = _("New appeal to sign for: %(title)s") % {"title": title}
        if action == Action.DISPATCH:
            assisting = User.objects.filter(
                unit__in=appeal.assist_units.all(), is_active=True, role__in=_roles_with(Cap.APPEAL_HANDLE)
            )
            notify_staff(
                recipients=assisting,
                kind="appeal.assist",
                title=_("Your unit assists with: %(title)s") % {"title": title},
                body=code,
                url=url,
                dedupe_key=f"appeal:{appeal.pk}:{event.seq}:assist",
            )
    elif action == Action.RETURN:
        recipients = members(appeal.unit, Cap.APPEAL_INTAKE)
        subject = _("Appeal returned: %(title)s") % {"title": title}
    elif action in (Action.SUPERVISE, Action.REOPEN, Action.REMIND):
        recipients = _handlers(appeal)
        subject = {
            Action.SUPERVISE: _("Under supervision: %(title)s"),
            Action.REOPEN: _("Reopened, report within the new deadline: %(title)s"),
            Action.REMIND: _("Deadline approaching: %(title)s"),
        }[Action(action)] % {"title": title}
    elif action == Action.ESCALATE:
        recipients = members(event.unit, Cap.APPEAL_SUPERVISE)
        subject = _("Overdue, escalated to your unit: %(title)s") % {"title": title}
    elif action == Action.FOLLOW_UP and event.data.get("resolved") is not None:
        from jingmin.appeals.models import FollowUp, ReviewOutcome

        if FollowUp.objects.filter(appeal=appeal, review=ReviewOutcome.PENDING).exists():
            recipients = _reviewers(appeal)
            subject = _("A dissatisfied answer awaits your review: %(title)s") % {"title": title}
    if recipients is None or not subject:
        return
    deadline = appeal.due_at
    body = code
    if deadline is not None:
        body = _("%(code)s, due %(time)s") % {
            "code": code,
            "time": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
        }
    notify_staff(
        recipients=recipients,
        kind=f"appeal.{action}",
        title=subject,
        body=body,
        url=url,
        dedupe_key=f"appeal:{appeal.pk}:{event.seq}",
    )


def follow_up_link(appeal: Appeal, token: str) -> None:
    """Send the citizen the follow-up link by SMS when a phone number is known."""
    if not appeal.citizen_phone:
        return
    path = public_link(reverse("appeals:citizen_follow_up", args=[token]))
    sms_notify(
        phone=appeal.citizen_phone,
        text=_("[Jingmin] Your appeal %(code)s has been concluded. Was it resolved? Tell us: %(path)s")
        % {"code": appeal.tracking_code, "path": path},
    )


def arrival(appeal: Appeal) -> None:
    """Queue the notice of an appeal that came in with no clerk present (portal, Open311):
    the receiving unit's clerks hear of it in the app as soon as it is committed."""
    from jingmin.appeals.tasks import appeal_arrival_notify

    transaction.on_commit(partial(appeal_arrival_notify.enqueue, appeal_id=appeal.pk))


def arrival_notify(appeal: Appeal) -> int:
    """The in-app notice of a new appeal to the clerks of the unit that received it; run by a task,
    deduplicated so that a retry notifies nobody twice."""
    urgent = Urgency.EMERGENCY in (appeal.urgency, appeal.urgency_suggested) or Urgency.URGENT in (
        appeal.urgency,
        appeal.urgency_suggested,
    )
    title = (_("Urgent appeal arrived: %(title)s") if urgent else _("New appeal to accept: %(title)s")) % {
        "title": appeal.title
    }
    return notify_staff(
        recipients=members(appeal.intake_unit, Cap.APPEAL_INTAKE),
        kind="appeal.arrival",
        title=title,
        body=appeal.tracking_code,
        url=reverse("appeals:detail", args=[appeal.pk]),
        dedupe_key=f"appeal:{appeal.pk}:arrival",
        email=False,
    )


def unattended_alert(appeals: list[Appeal], *, day: str) -> int:
    """Tell the command centre's clerks and the bureau's supervisors that these appeals owe a step
    nobody can take (the nightly sweep); once a day at most, whatever the sweep's retries."""
    if not appeals:
        return 0
    from jingmin.org.selectors import intake_desk

    bureau = Unit.objects.filter(parent__isnull=True).first()
    recipients = list(members(intake_desk(), Cap.APPEAL_INTAKE)) + list(members(bureau, Cap.APPEAL_SUPERVISE))
    codes = "、".join(a.tracking_code for a in appeals[:20])
    url = (
        reverse("appeals:detail", args=[appeals[0].pk])
        if len(appeals) == 1
        else reverse("appeals:supervision")
    )
    return notify_staff(
        recipients=recipients,
        kind="appeal.unattended",
        title=_("%(count)d appeals wait where no one can take their next step") % {"count": len(appeals)},
        body=codes,
        url=url,
        dedupe_key=f"appeals:unattended:{day}",
    )
