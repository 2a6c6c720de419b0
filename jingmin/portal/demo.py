"""Demo notices (宣传) for the public portal, published through the service like a chief or a
leader would, so that their history and audit rows are there too."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from jingmin.org.demo import DemoOrg
from jingmin.portal.models import Notice, NoticeKind, NoticeRevision
from jingmin.portal.services import notice_publish

# (account, kind, title, text, days ago)
NOTICES = [
    (
        "leader",
        NoticeKind.SAFETY,
        "警惕冒充“公检法”电话诈骗",
        "近期多发冒充公安机关、检察院、法院工作人员的电话诈骗。\n\n"
        "公安机关不会通过电话办案，不会要求您把钱转到“安全账户”，也不会索要短信验证码。\n\n"
        "接到此类电话请立即挂断，拨打96110或到就近派出所咨询。",
        2,
    ),
    (
        "chief",
        NoticeKind.ANNOUNCEMENT,
        "户籍窗口周六上午照常办公",
        "为方便上班族办理户口、居住证等业务，本所户籍窗口每周六上午9:00至12:00照常办公。\n"
        "请携带本人身份证件及相关材料。",
        6,
    ),
    (
        "leader",
        NoticeKind.SAFETY,
        "冬季用火用电安全提示",
        "天气转冷，请勿在楼道、室内为电动自行车充电；使用取暖器时远离窗帘、被褥等易燃物。\n\n"
        "家中有独居老人的，请邻里多关照。发现火情请立即拨打119。",
        15,
    ),
    (
        "chief",
        NoticeKind.ANNOUNCEMENT,
        "开门评警：欢迎群众参加本所座谈会",
        "本所将于本月最后一个周五下午在社区服务中心召开开门评警座谈会，\n"
        "欢迎辖区群众参加，对我们的工作提出意见和建议。",
        30,
    ),
]


def seed_notices(*, org: DemoOrg) -> int:
    """Publish the demo notices, dated back over the past month; returns how many."""
    now = timezone.now()
    count = 0
    for account, kind, title, body, days in NOTICES:
        actor = org.accounts.get(account)
        if actor is None:
            continue
        notice = notice_publish(actor=actor, kind=kind, title=title, body=body)
        # Dated back so the list reads like a month of work; the history row keeps the same time.
        when = now - timedelta(days=days, hours=count)
        Notice.objects.filter(pk=notice.pk).update(published_at=when, updated_at=when)
        NoticeRevision.objects.filter(notice=notice).update(at=when)
        count += 1
    return count


# Portal appeals sent without a station this morning ("不确定"): they wait on the command centre's
# desk for the demo's `centre` clerk. (category, type, urgency, title, text, address, hours ago)
DESK_ARRIVALS = [
    (
        "help-elderly",
        "help",
        "urgent",
        "我家老人早上出门买菜一直没回来",
        "我父亲78岁，有点糊涂，早上7点出门买菜到现在没回家，手机也没带，穿灰色棉袄。",
        "人民路菜市场附近",
        1,
    ),
    (
        "safety-facility",
        "help",
        "general",
        "小区门口路灯坏了好几天",
        "小区门口那盏路灯坏了一个多星期，晚上很黑，老人孩子走路不安全。",
        "幸福里小区南门",
        3,
    ),
    (
        "order-noise",
        "complaint",
        "general",
        "烧烤店油烟噪音到半夜",
        "楼下烧烤店每天营业到凌晨两点，噪音和油烟很大，打电话投诉过没人管。",
        "建设路88号",
        5,
    ),
]


def seed_desk_arrivals(*, org: DemoOrg) -> int:
    """Submit the portal appeals that name no station, through the service the portal uses, so
    they land on the command centre's desk like real ones; returns how many."""
    from jingmin.appeals.models import Appeal, AppealEvent, Category
    from jingmin.appeals.services import AppealInput, appeal_register

    now = timezone.now()
    for category, kind, urgency, title, text, address, hours in DESK_ARRIVALS:
        appeal, _ = appeal_register(
            actor=None,
            data=AppealInput(
                channel="web",
                type=kind,
                category=Category.objects.get(code=category),
                title=title,
                content=text,
                urgency=urgency,
                address=address,
                received_at=now - timedelta(hours=hours),
                consent_at=now - timedelta(hours=hours),
            ),
            intake_unit=org.bureau,
        )
        when = now - timedelta(hours=hours)
        Appeal.objects.filter(pk=appeal.pk).update(created_at=when)
        AppealEvent.objects.filter(appeal=appeal).update(at=when)
    return len(DESK_ARRIVALS)
