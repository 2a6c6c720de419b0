"""The demo year of appeals: what a bureau's platform holds after a year of use.

One generator serves the demo loader (`seed_appeals`, Django's `bulk_create`) and the benchmark
(`bench/appeals_bench.py`, PostgreSQL COPY): it yields plain rows keyed by column attribute, and
each writer turns them into what its database path needs.

Why it does not call the services: each step through them locks the row and appends an audit
row under the audit head's lock, which makes a year of appeals take many minutes. Instead each
appeal is planned as a timeline of the steps the services would take (checked against the
transitions table), then replayed, cut at `now`, exactly as the services change the row: the
same clocks (`clocks.deadline`, `clocks.running`, `add_working_days`), the same event data, the
same follow-up rows. Reminders and escalations that the clock tasks would have written appear
where the clock ran out while the appeal waited.

Everything is deterministic for a seed and a `now`: plain values come from `random.Random` and
Faker pools seeded from the seed (Fernet tokens differ between loads, their plain values do not).
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from faker import Faker

from jingmin.appeals import clocks
from jingmin.appeals.models import (
    OPEN_STATES,
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    Action,
    Appeal,
    AppealAssist,
    AppealEvent,
    Category,
    Channel,
    DeadlinePolicy,
    FollowUp,
    FollowUpChannel,
    ReviewOutcome,
    State,
)
from jingmin.appeals.transitions import (
    DISSATISFIED_AT_MOST,
    TRANSITIONS,
    follow_up_due,
    is_dissatisfied,
    reopen_deadline,
    review_of_answer,
)
from jingmin.core.crypto import lookup_hash
from jingmin.core.search import index_text
from jingmin.org.models import UnitKind, User
from jingmin.org.roles import Role
from jingmin.org.scope import Scope, path_within, scope_tokens
from jingmin.worktime.calendar import SHANGHAI, add_working_days, is_workday

if TYPE_CHECKING:
    from jingmin.org.demo import DemoOrg

# Appeals a year for each demo size: enough for full worklists, small enough for a quick `make demo`.
DEFAULT_COUNTS = {"small": 2000, "city": 20000}

# Appeals are planned in chunks of this many, in order of receipt; a duplicate is merged into an
# appeal of its own chunk. Fixed, so that a seed gives the same year whoever writes it.
CHUNK = 5000

# ---------------------------------------------------------------------------------------------
# What citizens write, per category (codes of `taxonomy.DEFAULT_TAXONOMY`)


@dataclass(frozen=True)
class _Texts:
    weight: float
    # (type or "" for the category's mix, title template, content template)
    pairs: tuple[tuple[str, str, str], ...]
    types: tuple[tuple[str, float], ...] = (("complaint", 1.0),)
    urgency: tuple[tuple[str, float], ...] = (
        ("general", 0.85),
        ("urgent", 0.10),
        ("complex", 0.03),
        ("emergency", 0.02),
    )
    # Functional departments that handle some of these (by name in `org.demo.DEPARTMENTS`).
    departments: tuple[tuple[str, float], ...] = ()
    assist: tuple[tuple[str, float], ...] = ()
    vocab: dict[str, tuple[str, ...]] = field(default_factory=dict)
    anonymous: float = 0.04


_TAIL = (
    "希望民警尽快处理。",
    "请派出所帮忙协调解决。",
    "已经反映过一次，至今没有改善，希望尽快解决。",
    "请民警到现场看一下。",
    "希望有关部门重视。",
    "谢谢！",
)
_HABIT = ("每天晚上11点以后", "最近一周每晚", "每天早上6点左右", "周末白天", "连续几个晚上", "每天中午")
_WHEN = ("今天下午3点左右", "刚才", "昨晚10点左右", "今天上午", "前天晚上", "昨天傍晚")
_RELATION = ("父亲", "母亲", "爷爷", "奶奶", "孩子")

TEXTS: dict[str, _Texts] = {
    "order-noise": _Texts(
        11,
        (
            (
                "",
                "{community}{bldg}栋楼上深夜噪音扰民",
                "我住在{addr}，楼上住户{habit}{noise}，噪音很大，家里老人和孩子无法休息。上门沟通过，对方不理会。{tail}",
            ),
            (
                "",
                "{road}{shop}夜间经营噪音扰民",
                "{road}{no}号{shop}{habit}营业，{noise2}，噪音影响周边居民休息。{tail}",
            ),
            (
                "",
                "{community}广场舞音响声音过大",
                "{community}南门广场每晚7点到10点有人跳广场舞，音响开得很大，噪音扰民，附近还有高三学生要复习。{tail}",
            ),
            (
                "",
                "{community}装修施工噪音扰民",
                "{addr}附近一户人家装修，{habit}还在用电钻施工，噪音不断，影响休息。{tail}",
            ),
        ),
        types=(("complaint", 0.6), ("report", 0.25), ("help", 0.15)),
        vocab={
            "noise": ("装修敲打", "大声播放音乐", "聚会喧哗打牌", "拖动家具", "在家唱卡拉OK"),
            "noise2": ("门口音箱声音很大", "顾客喝酒划拳喧哗", "排风机轰鸣"),
        },
    ),
    "order-fight": _Texts(
        3,
        (
            (
                "",
                "{road}{shop}门口有人打架",
                "{when}在{road}{no}号{shop}门口，几名男子因{cause}发生争执并动手，有人受伤，请民警到场处理。",
            ),
            (
                "",
                "{community}居民因琐事发生肢体冲突",
                "{when}{community}{bldg}栋楼下两户居民因{cause}发生口角后互相推搡，现场情绪激动，担心事态扩大。",
            ),
        ),
        types=(("help", 0.5), ("report", 0.5)),
        urgency=(("emergency", 0.25), ("urgent", 0.35), ("general", 0.4)),
        vocab={"cause": ("喝酒后言语不和", "停车问题", "排队插队", "生活琐事", "债务纠纷")},
    ),
    "order-gambling": _Texts(
        1.5,
        (
            (
                "report",
                "举报{road}一带{venue}疑似聚众赌博",
                "{road}{no}号{venue}{habit}有十几人聚集，以打麻将为名赌博，输赢较大，进出人员复杂，希望民警查处。",
            ),
            (
                "report",
                "举报{community}有人在出租屋内组织赌博",
                "{addr}出租屋内经常有人深夜打牌赌钱，人员进出频繁，影响周边安宁。",
            ),
        ),
        departments=(("治安管理大队", 0.3),),
        vocab={"venue": ("棋牌室", "麻将馆", "茶楼")},
        anonymous=0.35,
    ),
    "order-suspicious": _Texts(
        2,
        (
            (
                "",
                "{community}附近有可疑人员徘徊",
                "最近几天{community}附近有陌生人在楼道和停车场徘徊，查看车辆和门锁，居民担心被盗，希望加强巡逻。",
            ),
            (
                "",
                "{road}路边发现无人认领的可疑包裹",
                "{when}在{road}{no}号附近路边发现一个无人认领的行李箱，放置时间较长，担心存在安全问题。",
            ),
        ),
        types=(("report", 0.7), ("help", 0.3)),
        urgency=(("general", 0.6), ("urgent", 0.3), ("emergency", 0.1)),
    ),
    "order-other": _Texts(
        3,
        (
            (
                "",
                "{community}有人散发小广告骚扰住户",
                "{habit}有人在{community}各单元门口张贴和散发小广告，还往门缝里塞卡片，多次劝阻无效。",
            ),
            (
                "",
                "{road}有人强行兜售物品",
                "{road}{no}号附近有人拦住行人强行兜售物品，不买就纠缠辱骂，影响过往群众。{tail}",
            ),
        ),
        types=(("complaint", 0.6), ("report", 0.4)),
    ),
    "traffic-parking": _Texts(
        8,
        (
            (
                "",
                "{road}{no}号门前车辆长期违停占道",
                "{road}{no}号门前经常有车辆违停，占用人行道和非机动车道，行人只能走机动车道，存在安全隐患。车牌号{plate}的车辆停放时间最长。{tail}",
            ),
            (
                "",
                "{community}消防通道被车辆堵塞",
                "{community}{bldg}栋旁边的消防通道长期被私家车占用，车牌号{plate}，万一发生火灾消防车进不来。{tail}",
            ),
            (
                "",
                "{road}学校门口接送车辆乱停乱放",
                "{road}小学门口上下学时段接送车辆随意停放，造成道路拥堵，孩子过马路很危险，建议加强管理。",
            ),
        ),
        types=(("complaint", 0.6), ("report", 0.4)),
        departments=(("交通警察大队", 0.3),),
    ),
    "traffic-accident": _Texts(
        3,
        (
            (
                "help",
                "{road}与{road2}路口发生车辆剐蹭",
                "{when}在{road}与{road2}路口，我的车被一辆{vehicle}剐蹭，对方不愿协商，请求民警处理。",
            ),
            (
                "help",
                "电动车被撞后对方驾车离开",
                "{when}我骑电动车在{road}{no}号附近被一辆小轿车撞倒，对方没有停车直接开走，车牌号可能是{plate}，我腿部受伤。",
            ),
        ),
        urgency=(("urgent", 0.5), ("emergency", 0.1), ("general", 0.4)),
        departments=(("交通警察大队", 0.6),),
        vocab={"vehicle": ("小轿车", "货车", "出租车", "电动车", "网约车")},
    ),
    "traffic-order": _Texts(
        3,
        (
            (
                "suggestion",
                "建议{road}与{road2}交叉口增设信号灯",
                "{road}与{road2}交叉口没有信号灯，早晚高峰车辆和行人混行，经常堵车，也发生过几次事故，建议增设信号灯或安排交警疏导。",
            ),
            (
                "complaint",
                "{road}早晚高峰交通拥堵",
                "{road}早晚高峰拥堵严重，部分车辆加塞、逆行，建议交警加强疏导和执法。",
            ),
        ),
        departments=(("交通警察大队", 0.7),),
    ),
    "household-hukou": _Texts(
        5,
        (
            (
                "",
                "咨询{child}落户需要准备的材料",
                "{child_detail}，想咨询办理落户需要准备哪些材料，到哪个窗口办理，大概多长时间能办好。",
            ),
            (
                "",
                "户口迁移手续咨询",
                "本人因{reason}需要把户口从外地迁到{county}，想了解迁移流程和需要的证明材料。",
            ),
        ),
        types=(("enquiry", 0.7), ("help", 0.3)),
        urgency=(("general", 0.95), ("complex", 0.05)),
        departments=(("户政管理科", 0.35),),
        vocab={
            "child": ("新生儿", "孩子"),
            "child_detail": ("孩子上个月出生，父母双方户口都在本地", "孩子在外地出生，现在随父母回本地生活"),
            "reason": ("工作调动", "结婚", "购房", "投靠子女"),
        },
    ),
    "household-idcard": _Texts(
        5,
        (
            (
                "",
                "身份证丢失补办咨询",
                "本人身份证不慎丢失，想咨询补办流程和费用，能否在{station}直接办理，需要多长时间。",
            ),
            (
                "help",
                "老人行动不便申请上门办理身份证",
                "家里老人{old}岁，身份证过期了，行动不便无法到窗口拍照，请问能否安排民警上门办理。",
            ),
            (
                "",
                "身份证办理进度查询",
                "本人{ago}在{station}办理了身份证，至今还没有收到领证通知，想查询一下办理进度。",
            ),
        ),
        types=(("enquiry", 0.7), ("help", 0.3)),
        urgency=(("general", 0.97), ("urgent", 0.03)),
        departments=(("户政管理科", 0.35),),
        vocab={"ago": ("三周前", "二十多天前", "一个月前")},
    ),
    "household-residence": _Texts(
        2.5,
        (
            (
                "",
                "居住证办理条件咨询",
                "本人在{county}工作{years}，租住在{addr}，想了解办理居住证需要什么条件和材料。",
            ),
            (
                "",
                "居住证签注逾期怎么办",
                "我的居住证签注已经过期{months}，请问现在还能补签吗，会不会影响孩子上学。",
            ),
        ),
        types=(("enquiry", 0.8), ("help", 0.2)),
        urgency=(("general", 1.0),),
        departments=(("户政管理科", 0.35),),
        vocab={"years": ("两年", "三年多", "半年"), "months": ("两个月", "半年", "一个多月")},
    ),
    "household-certificate": _Texts(
        3,
        (
            (
                "",
                "开具无犯罪记录证明咨询",
                "因{purpose}需要开具无犯罪记录证明，想咨询需要带什么材料、多长时间能出证明。",
            ),
            (
                "",
                "开具亲属关系证明",
                "因办理{affair}需要开具亲属关系证明，老户口本已经遗失，请问应该怎么办理。",
            ),
        ),
        types=(("enquiry", 0.8), ("help", 0.2)),
        urgency=(("general", 1.0),),
        departments=(("户政管理科", 0.35),),
        vocab={
            "purpose": ("入职", "出国留学", "申请签证", "报考教师资格"),
            "affair": ("继承手续", "房产过户", "银行业务"),
        },
    ),
    "fraud-telecom": _Texts(
        6,
        (
            (
                "",
                "接到冒充{who}的诈骗电话",
                "{when}接到自称{who}的电话，称{story}，要求我转账到所谓的安全账户。我觉得可疑没有转账，对方电话是{fakephone}，希望警方核查。",
            ),
            (
                "help",
                "网上刷单被骗{amount}元",
                "本人{when}在网上看到兼职刷单广告，按对方要求先后转账{amount}元，之后对方把我拉黑了，请求民警帮助追回损失。",
            ),
            (
                "help",
                "{relation}疑似被冒充客服诈骗",
                "我{relation}{when}接到自称网购平台客服的电话，说要办理退款，已经按对方要求下载了会议软件并共享屏幕，担心银行卡被盗刷，请求帮助。",
            ),
        ),
        types=(("report", 0.5), ("help", 0.5)),
        urgency=(("urgent", 0.3), ("general", 0.7)),
        departments=(("网络安全保卫大队", 0.15), ("刑事侦查大队", 0.1)),
        assist=(("网络安全保卫大队", 0.1),),
        vocab={
            "who": ("公安局民警", "银行客服", "快递公司客服", "社保中心工作人员", "电商平台客服"),
            "story": (
                "我的银行卡涉嫌洗钱",
                "我的快递丢失需要理赔",
                "我的医保卡被冻结",
                "可以帮我提高贷款额度",
            ),
        },
    ),
    "fraud-pyramid": _Texts(
        1.5,
        (
            (
                "report",
                "举报{road}一带有人以高息为诱饵非法集资",
                "{road}{no}号有一家所谓的投资公司，以月息{rate}%的高额回报吸引老年人投资，已有不少老人把养老钱投了进去，怀疑是非法集资。",
            ),
            (
                "report",
                "举报{community}有人组织传销活动",
                "{community}{bldg}栋有一套房子里住了很多外地年轻人，每天上课、喊口号，疑似传销组织。",
            ),
        ),
        urgency=(("complex", 0.4), ("general", 0.6)),
        departments=(("刑事侦查大队", 0.5),),
        anonymous=0.3,
    ),
    "help-missing": _Texts(
        3,
        (
            (
                "help",
                "{relation}走失，请求帮助寻找",
                "我{relation}今年{old}岁，{feature}，{when}从{community}出门后一直没有回家，手机打不通，家人很着急，请求民警帮助寻找。",
            ),
            (
                "help",
                "在{road}遗失{item}",
                "{when}在{road}{no}号附近遗失{item}，里面有身份证等重要证件，请求帮助查看监控寻找。",
            ),
        ),
        urgency=(("emergency", 0.3), ("urgent", 0.4), ("general", 0.3)),
        vocab={
            "feature": ("有轻度老年痴呆", "穿深色外套，个子不高", "身高一米六左右，头发花白"),
            "item": ("钱包", "手机", "背包", "证件包"),
        },
    ),
    "help-elderly": _Texts(
        2,
        (
            (
                "help",
                "{community}独居老人多日未出门，请求上门查看",
                "{addr}住着一位独居老人，已经好几天没有看到他出门，敲门没人应，邻居担心老人出事，请求民警上门查看。",
            ),
            (
                "help",
                "在{road}发现走失儿童",
                "{when}在{road}{no}号附近发现一名五六岁的小孩独自哭泣，说不清家里地址，请求民警帮助联系家人。",
            ),
        ),
        urgency=(("urgent", 0.5), ("emergency", 0.2), ("general", 0.3)),
    ),
    "help-other": _Texts(
        3,
        (
            (
                "help",
                "醉酒人员倒在路边，请求帮助",
                "{when}在{road}{no}号附近有一名男子醉酒倒在路边，天气较冷，担心发生危险，请求民警帮助。",
            ),
            (
                "help",
                "钥匙反锁在家中，请求帮助联系开锁",
                "本人钥匙反锁在{addr}家中，屋里还开着煤气灶，请求帮助联系正规开锁公司。",
            ),
            (
                "help",
                "电动车被盗请求帮助查找",
                "本人停放在{community}楼下的电动车{when}被盗，车是新买的，请求民警调取监控帮助查找。",
            ),
        ),
        urgency=(("urgent", 0.3), ("general", 0.7)),
    ),
    "dispute-neighbour": _Texts(
        6,
        (
            (
                "",
                "与邻居因{cause}发生纠纷",
                "本人住在{addr}，与{side}邻居因{cause}多次发生争执，{detail}，希望民警帮助调解。",
            ),
            (
                "",
                "楼上漏水多次沟通无果",
                "{addr}家中卫生间天花板持续漏水，是楼上住户防水层破损造成的，多次沟通对方不愿维修，双方已经吵了好几次。",
            ),
        ),
        types=(("help", 0.6), ("complaint", 0.4)),
        vocab={
            "cause": ("楼道堆放杂物", "楼上漏水", "争抢停车位", "宠物狗夜间吠叫", "公共区域使用", "装修噪音"),
            "side": ("隔壁", "楼上", "楼下", "对门"),
            "detail": ("对方态度蛮横", "社区调解过一次没有效果", "昨天差点动手"),
        },
    ),
    "dispute-family": _Texts(
        2.5,
        (
            (
                "help",
                "家庭矛盾请求民警调解",
                "本人与{kin}因{cause}长期不和，{when}又发生激烈争吵，对方情绪激动，请求民警上门调解。",
            ),
            (
                "report",
                "夫妻争吵，担心发生家暴",
                "{addr}一户人家夫妻经常吵架，{when}吵得很凶，有摔东西的声音，邻居担心发生家暴。",
            ),
        ),
        urgency=(("urgent", 0.3), ("general", 0.7)),
        vocab={
            "kin": ("丈夫", "妻子", "儿子", "儿媳"),
            "cause": ("赡养老人", "家庭财产分配", "子女教育", "生活琐事"),
        },
    ),
    "dispute-wages": _Texts(
        3,
        (
            (
                "",
                "{company}拖欠{n}名工人工资",
                "本人在{company}做工，公司拖欠我们{n}名工人{months}的工资共计{amount}元，多次讨要没有结果，老板现在不接电话。",
            ),
            (
                "",
                "讨要工资时与包工头发生冲突",
                "在{road}工地干了{months}，包工头一直拖欠工资{amount}元，{when}去讨要时发生冲突，请求民警帮助。",
            ),
        ),
        types=(("help", 0.6), ("complaint", 0.4)),
        urgency=(("complex", 0.25), ("urgent", 0.1), ("general", 0.65)),
        assist=(("治安管理大队", 0.3),),
        vocab={"months": ("两个月", "三个月", "半年")},
    ),
    "dispute-property": _Texts(
        3,
        (
            (
                "",
                "与{community}物业因{cause}发生纠纷",
                "本人是{community}业主，与物业公司因{cause}发生纠纷，物业{act}，请求民警协调。",
            ),
        ),
        types=(("help", 0.5), ("complaint", 0.5)),
        vocab={
            "cause": ("停车收费", "电梯长期维修不好", "门禁卡被停用", "物业费收取"),
            "act": ("锁了我家的车位", "停了我家的门禁卡", "保安与我发生推搡"),
        },
    ),
    "safety-fire": _Texts(
        2.5,
        (
            (
                "",
                "{community}楼道内电动车充电存在火灾隐患",
                "{community}{bldg}栋有住户把电动车推进楼道，从家里拉电线充电，{habit}都在充，存在很大的火灾隐患。",
            ),
            (
                "",
                "{road}{shop}私拉电线存在消防隐患",
                "{road}{no}号{shop}在门口私拉乱接电线，还堆放大量纸箱，消防通道被堵，担心发生火灾。",
            ),
        ),
        types=(("report", 0.6), ("suggestion", 0.2), ("complaint", 0.2)),
        urgency=(("urgent", 0.3), ("general", 0.7)),
    ),
    "safety-facility": _Texts(
        2,
        (
            (
                "",
                "{road}路灯损坏夜间照明不足",
                "{road}{no}号到{road2}路口一段路灯坏了很长时间，晚上一片漆黑，行人和电动车通行很危险，治安也让人担心。",
            ),
            (
                "",
                "{community}门口井盖缺失",
                "{community}东门外人行道上的井盖缺失，只用一个纸箱盖着，老人小孩晚上经过容易掉下去。",
            ),
        ),
        types=(("report", 0.6), ("suggestion", 0.2), ("complaint", 0.2)),
    ),
    "conduct-attitude": _Texts(
        1.5,
        (
            (
                "complaint",
                "反映{station}窗口工作人员服务态度生硬",
                "本人{when}到{station}办理业务，窗口工作人员说话很不耐烦，问了两遍就不理人，希望改进服务态度。",
            ),
            (
                "praise",
                "表扬{station}民警热心帮助群众",
                "{when}我{relation}在{road}走失，{station}民警{officer}接警后很快找到了老人并送回家，特此表扬，感谢人民警察！",
            ),
            (
                "praise",
                "感谢{district}民警帮忙调解纠纷",
                "{district}民警{officer}多次上门调解我们和邻居的矛盾，耐心细致，问题终于解决了，特此表扬。",
            ),
        ),
        departments=(("督察大队", 0.6),),
    ),
    "conduct-inaction": _Texts(
        1,
        (
            (
                "complaint",
                "反映报警后长时间无人处理",
                "本人{ago}就{matter}反映过，至今没有任何人联系我，也没有处理结果，希望给个说法。",
            ),
        ),
        departments=(("督察大队", 0.6),),
        vocab={
            "ago": ("两周前", "十多天前", "一个月前"),
            "matter": ("小区噪音问题", "电动车被盗一事", "邻居纠纷"),
        },
    ),
    "conduct-procedure": _Texts(
        0.7,
        (
            (
                "complaint",
                "对违停处罚程序有异议",
                "本人{when}在{road}停车被贴罚单，当时只是临时停车下车取物，也没有看到禁停标志，对处罚有异议，希望复核。",
            ),
            (
                "complaint",
                "反映办理业务需要重复提交材料",
                "在{station}办理业务时，同样的材料要求提交了两次，来回跑了三趟，希望简化流程。",
            ),
        ),
        departments=(("督察大队", 0.6),),
    ),
    "other-other": _Texts(
        2.5,
        (
            ("enquiry", "咨询{topic}", "想咨询一下{topic}，请工作人员回复。"),
            (
                "suggestion",
                "建议{community}增设警务宣传栏",
                "建议在{community}门口增设警务宣传栏，定期张贴防诈骗知识，方便老年人了解。",
            ),
        ),
        vocab={"topic": ("出租房屋登记流程", "养犬登记需要什么材料", "临时身份证明怎么开", "驾驶证异地换证")},
    ),
}

# What the handling officer writes on concluding, per top-level category: solved, explained,
# cannot be solved for now.
RESULT_NOTES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "order": (
        (
            "民警到场对当事人进行批评教育，当事人承诺不再发生，现场恢复正常。",
            "已联系物业加强巡查，问题已消除，诉求人表示认可。",
        ),
        ("经现场核实，相关行为未违反治安管理规定，已向诉求人解释说明。",),
        ("问题涉及城管、住建等部门职责，已告知诉求人并移送相关部门，暂无法彻底解决。",),
    ),
    "traffic": (
        (
            "交警已到场处理，违停车辆已拖离，并将该路段列入重点巡查。",
            "事故双方已在民警主持下达成协议，车辆已撤离现场。",
        ),
        ("已将建议转交交通管理部门研究，并向诉求人说明情况。",),
        ("肇事车辆暂未查获，案件仍在调查中，已告知诉求人。",),
    ),
    "household": (
        (
            "已电话告知办理流程和所需材料，诉求人已预约窗口办理。",
            "已安排民警上门为老人办理，证件办好后送达。",
        ),
        ("已向诉求人说明相关政策规定和办理条件。",),
        ("诉求人不符合现行办理条件，已说明原因和可选途径。",),
    ),
    "fraud": (
        (
            "已受理立案，及时止付涉案账户，部分资金已冻结。",
            "民警上门开展反诈宣传，帮助诉求人卸载可疑软件并修改密码。",
        ),
        ("经核查为诈骗电话，已提醒诉求人注意防范，号码已上报封停。",),
        ("案件已立案侦查，涉案资金暂无法追回，将持续跟进。",),
    ),
    "help": (
        ("民警调取监控后找到走失人员，已安全送回家中。", "民警到场处置，已将当事人安全送回，并通知家属。"),
        ("已联系相关单位协助，并告知诉求人后续办理途径。",),
        ("经多方查找暂未找到，已录入系统并持续关注。",),
    ),
    "dispute": (
        (
            "民警会同社区调解，双方达成一致意见，签订调解协议。",
            "经调解，对方同意维修并赔偿损失，纠纷已化解。",
        ),
        ("纠纷属于民事争议，已告知诉求人可通过诉讼或人民调解途径解决。",),
        ("双方分歧较大，调解未成，已引导通过法律途径解决。",),
    ),
    "safety": (
        ("已联系社区和物业清理楼道，隐患已消除。", "已通报市政部门，路灯已修复。"),
        ("已将情况通报消防、市政部门，并向诉求人说明。",),
        ("设施权属单位尚未明确，已移交相关部门，暂无法解决。",),
    ),
    "conduct": (
        ("已核实情况并对相关工作人员批评教育，向诉求人当面致歉。",),
        ("经调查，民警执法程序合法，已向诉求人解释说明。", "已将表扬转达当事民警及所在单位。"),
        ("相关情况仍在调查核实中，已告知诉求人。",),
    ),
    "other": (
        ("已答复诉求人，问题已解决。",),
        ("已向诉求人解释说明相关规定。",),
        ("不属于公安机关职责，已告知诉求人向相关部门反映。",),
    ),
}

_CONTACT_NOTES = (
    "已电话联系诉求人，了解具体情况，约定上门核实。",
    "电话联系诉求人，告知已受理并将尽快处理。",
    "已上门与诉求人面谈，记录相关情况。",
    "电话联系诉求人，核实地址和诉求内容。",
)
_VISIT_NOTE = "诉求人未留电话，民警到现场核实情况。"
_REJECT_REASONS = (
    "不属于公安机关职责范围，已告知诉求人向相关部门反映。",
    "诉求内容不明确，多次联系诉求人无法核实。",
    "经核实系恶意骚扰，不予受理。",
)
_DUPLICATE_REASON = "重复诉求，同一事项已在办理中。"
_TRANSFER_REASONS = ("属地不符，转至辖区警务室办理。", "职能交叉，转相关部门办理。")
_RETURN_REASONS = (
    "属地不符，不在本警务区辖区。",
    "权属不清，请重新研判后派单。",
    "职能交叉，不属于本单位职责。",
)
_SUPERVISE_NOTES = (
    "请于今日内联系群众并反馈进展。",
    "该诉求已超期，请抓紧办理。",
    "群众多次来电催促，请加快办理。",
    "重点督办，办结后报督察大队。",
)
_MERGE_NOTE = "与同一诉求人此前反映的事项相同，合并办理。"
_REVIEW_REASONABLE = (
    "经审核，群众诉求合理，责成承办单位重新办理。",
    "办理结果未解决实际问题，诉求合理，重新办理。",
)
_REVIEW_UNREASONABLE = (
    "经审核，已依法依规处理并解释说明，诉求超出合理范围。",
    "诉求人要求超出公安机关职责范围，不予支持。",
)
_ANSWER_NOTES = {
    5: ("问题已解决，感谢民警。", "处理及时，很满意。", ""),
    4: ("处理得不错。", ""),
    3: ("基本解决，希望加强巡查。", ""),
    2: ("问题依旧存在。", "民警只打了电话，没有上门。"),
    1: ("对处理结果不满意，没有人管。", "问题根本没有解决。"),
}

_SHOP_KINDS = ("烧烤店", "大排档", "KTV", "便利店", "麻将馆", "网吧", "足浴店", "超市", "饭店", "酒吧")
_ESTATE_KINDS = ("小区", "花园", "家园", "新村", "苑", "公寓", "嘉园")
_PROVINCES = "京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青"
_PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"

# Channels, and how common each is (published practice: phone and hotline transfers dominate).
_CHANNELS_OFFICE = (
    (Channel.PHONE, 28),
    (Channel.HOTLINE_110, 17),
    (Channel.HOTLINE_12345, 22),
    (Channel.WINDOW, 18),
    (Channel.WEB, 11),
    (Channel.VISIT, 3),
    (Channel.OPEN311, 1),
)
_CHANNELS_NIGHT = (
    (Channel.PHONE, 33),
    (Channel.HOTLINE_110, 30),
    (Channel.HOTLINE_12345, 22),
    (Channel.WEB, 14),
    (Channel.OPEN311, 1),
)
# Submitted by citizens themselves, with no staff account behind the registration.
_SELF_SERVICE = frozenset({Channel.WEB, Channel.OPEN311})
# The share of appeals told in the words of a neighbouring category (`_Planner.words_of`).
_BORDERLINE = 0.12

# Appeals an hour of the day brings (Asia/Shanghai), relative.
_HOURLY = (
    0.25, 0.15, 0.1, 0.08, 0.08, 0.12, 0.3, 0.7, 1.3, 1.7, 1.8, 1.6,
    1.1, 1.2, 1.6, 1.7, 1.6, 1.4, 1.1, 1.0, 1.0, 0.9, 0.7, 0.45,
)  # fmt: skip

_SATISFACTION = ((5, 0.62), (4, 0.24), (3, 0.08), (2, 0.04), (1, 0.02))
_SATISFACTION_REOPENED = ((5, 0.45), (4, 0.35), (3, 0.12), (2, 0.05), (1, 0.03))

_WORK_START, _LUNCH, _AFTERNOON, _WORK_END = time(8, 30), time(12, 0), time(13, 30), time(17, 30)


@dataclass(frozen=True)
class _Pace:
    """Minutes from one step to the next, by urgency: an emergency is worked at once, day or night."""

    accept: tuple[float, float]
    dispatch: tuple[float, float]
    sign: tuple[float, float]
    sign_late: tuple[float, float]
    contact: tuple[float, float]
    contact_late: tuple[float, float]
    night_wait: float  # how likely a step due at night waits for the morning


_PACE = {
    "emergency": _Pace((1, 6), (1, 6), (2, 15), (15, 90), (3, 20), (20, 90), 0.0),
    "urgent": _Pace((3, 20), (3, 20), (5, 40), (60, 240), (10, 180), (180, 900), 0.2),
    "general": _Pace((5, 60), (3, 45), (5, 80), (120, 360), (10, 300), (600, 2400), 0.85),
    "complex": _Pace((5, 60), (3, 45), (5, 80), (120, 360), (10, 300), (600, 2400), 0.85),
}

# ---------------------------------------------------------------------------------------------
# The organisation as the generator sees it: plain values, read once


@dataclass(frozen=True)
class _Unit:
    id: int
    path: str
    name: str
    kind: str
    parent_id: int | None


@dataclass(frozen=True)
class _Person:
    id: int
    name: str
    unit_id: int
    role: str


@dataclass
class _Station:
    unit: _Unit
    districts: list[_Unit]
    clerks: list[_Person]
    chiefs: list[_Person]
    communities: list[str]
    roads: list[str]
    shops: list[str]
    latitude: float
    longitude: float


@dataclass
class DemoWorld:
    """What the generator needs from the database, read once: units, staff, categories, clocks."""

    county: str
    units: dict[int, _Unit]
    stations: list[_Station]
    station_weights: list[float]
    departments: dict[str, _Unit]
    officers: dict[int, list[_Person]]  # by unit id
    reviewers: list[_Person]
    supervisors: list[_Person]  # at the bureau: leader, inspector
    supervising_unit: dict[int, int | None]
    categories: dict[str, int]
    citizens: list[tuple[str, str]]
    named: dict[str, _Person]
    policies: dict[tuple[str, str], DeadlinePolicy] = field(default_factory=dict)

    def policy(self, type_: str, urgency: str) -> DeadlinePolicy:
        key = (type_, urgency)
        policy = self.policies.get(key)
        if policy is None:
            policy = self.policies[key] = clocks.policy_for(type_, urgency)
        return policy

    def station_of(self, unit_id: int) -> _Station | None:
        unit = self.units[unit_id]
        for station in self.stations:
            if path_within(unit.path, station.unit.path):
                return station
        return None


def demo_world(org: DemoOrg, *, seed: int, citizens: int = 2000) -> DemoWorld:
    """Read the organisation `org.demo.seed_org` made (or any bureau of that shape)."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed + 1)
    rng = random.Random(seed + 1)
    bureau = org.bureau
    units = {
        u.pk: _Unit(u.pk, u.path, u.name, u.kind, u.parent_id)
        for u in Scope.under(bureau).units().filter(is_active=True).order_by("path")
    }
    people: dict[int, list[_Person]] = {}
    for user in User.objects.filter(unit_id__in=list(units), is_active=True).order_by("username"):
        people.setdefault(user.unit_id, []).append(_Person(user.pk, user.full_name, user.unit_id, user.role))

    def members(unit_id: int, *roles: str) -> list[_Person]:
        return [p for p in people.get(unit_id, []) if p.role in roles]

    base_lat, base_lon = rng.uniform(28.0, 36.0), rng.uniform(110.0, 120.0)
    stations: list[_Station] = []
    for unit in units.values():
        if unit.kind != UnitKind.STATION:
            continue
        # Place names of the station's area: Faker's streets, with estate and shop suffixes.
        roads = list(dict.fromkeys(fake.street_name() for _ in range(10)))
        stations.append(
            _Station(
                unit=unit,
                districts=[
                    u for u in units.values() if u.parent_id == unit.id and u.kind == UnitKind.DISTRICT
                ],
                clerks=members(unit.id, Role.CLERK),
                chiefs=members(unit.id, Role.CHIEF),
                communities=[
                    fake.street_name().rstrip("路街道巷") + rng.choice(_ESTATE_KINDS) for _ in range(12)
                ],
                roads=roads,
                shops=[fake.last_name() + "记" + rng.choice(_SHOP_KINDS) for _ in range(8)],
                latitude=base_lat + rng.uniform(-0.15, 0.15),
                longitude=base_lon + rng.uniform(-0.15, 0.15),
            )
        )
    officers = {uid: members(uid, Role.OFFICER) for uid in units}
    supervisor_roles = (Role.CHIEF, Role.LEADER, Role.INSPECTOR)

    def supervising(unit_id: int) -> int | None:
        # As `notifications.supervising_unit`: the nearest unit above with someone who supervises.
        parent = units[unit_id].parent_id
        while parent is not None:
            if members(parent, *supervisor_roles):
                return parent
            parent = units[parent].parent_id
        return None

    named: dict[str, _Person] = {}
    for username, user in org.accounts.items():
        named[username] = _Person(user.pk, user.full_name, user.unit_id, user.role)
    first_station = org.stations[0].pk if org.stations else None
    # The first station (the named clerk's and chief's) gets a larger share, so that the
    # named accounts have full lists.
    weights = [2.5 if s.unit.id == first_station else 1.0 for s in stations]
    citizen_pool = [(fake.name(), fake.phone_number()) for _ in range(citizens)]
    return DemoWorld(
        county=bureau.name.removesuffix("公安局"),
        units=units,
        stations=stations,
        station_weights=weights,
        departments={u.name: u for u in units.values() if u.kind == UnitKind.DEPARTMENT},
        officers=officers,
        reviewers=members(bureau.pk, Role.INSPECTOR, Role.LEADER),
        supervisors=members(bureau.pk, Role.INSPECTOR, Role.LEADER),
        supervising_unit={uid: supervising(uid) for uid in units},
        categories=dict(Category.objects.filter(parent__isnull=False).values_list("code", "id")),
        citizens=citizen_pool,
        named=named,
    )


# ---------------------------------------------------------------------------------------------
# Plans: the steps an appeal goes through, before they are cut at `now`


@dataclass
class _Step:
    at: datetime
    action: str
    actor: _Person | None
    to_state: str
    unit: _Unit | None = None
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Plan:
    id: int
    station: _Station
    fields: dict[str, Any]
    steps: list[_Step]
    top: str  # top-level category code, for the result notes

    def state_at(self, at: datetime) -> str:
        state = ""
        for step in self.steps:
            if step.at > at:
                break
            state = step.to_state
        return state

    def insert(self, step: _Step) -> None:
        times = [s.at for s in self.steps]
        self.steps.insert(bisect.bisect_right(times, step.at), step)


@dataclass(frozen=True)
class _Showcase:
    """An appeal placed for a named account, so that every demo login opens onto real work."""

    stop: str  # the last action taken before `now`
    where: str  # named account whose unit receives (clerk) or handles (officers) it
    age: timedelta
    dissatisfied: bool = False
    supervised: bool = False


# Counted in the total; their ages put some past their clocks (overdue), some not.
SHOWCASE: tuple[_Showcase, ...] = (
    _Showcase(Action.REGISTER, "clerk", timedelta(minutes=12)),
    _Showcase(Action.REGISTER, "clerk", timedelta(minutes=45)),
    _Showcase(Action.REGISTER, "clerk", timedelta(hours=2)),
    _Showcase(Action.REGISTER, "clerk", timedelta(hours=27)),
    _Showcase(Action.ACCEPT, "clerk", timedelta(hours=1)),
    _Showcase(Action.ACCEPT, "clerk", timedelta(hours=3)),
    _Showcase(Action.DISPATCH, "officer", timedelta(minutes=35)),
    _Showcase(Action.DISPATCH, "officer", timedelta(minutes=100)),
    _Showcase(Action.DISPATCH, "officer", timedelta(hours=6)),
    _Showcase(Action.SIGN, "officer", timedelta(hours=3)),
    _Showcase(Action.SIGN, "officer", timedelta(days=2)),
    _Showcase(Action.CONTACT, "officer", timedelta(days=1)),
    _Showcase(Action.CONTACT, "officer", timedelta(days=4)),
    _Showcase(Action.CONTACT, "officer", timedelta(days=12)),
    _Showcase(Action.CONTACT, "officer", timedelta(days=16), supervised=True),
    _Showcase(Action.CONCLUDE, "officer", timedelta(days=3)),
    _Showcase(Action.DISPATCH, "officer2", timedelta(hours=4)),
    _Showcase(Action.CONTACT, "officer2", timedelta(days=2)),
    _Showcase(Action.CONTACT, "officer2", timedelta(days=13), supervised=True),
    _Showcase(Action.FOLLOW_UP, "officer", timedelta(days=9), dissatisfied=True),
    _Showcase(Action.FOLLOW_UP, "officer2", timedelta(days=12), dissatisfied=True),
    _Showcase(Action.FOLLOW_UP, "clerk", timedelta(days=15), dissatisfied=True),
    _Showcase(Action.FOLLOW_UP, "clerk", timedelta(days=6)),
    _Showcase(Action.REJECT, "clerk", timedelta(days=5)),
    _Showcase(Action.MERGE, "clerk", timedelta(hours=20)),
    _Showcase(Action.ARCHIVE, "officer", timedelta(days=40)),
)


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, float]]) -> Any:
    total = sum(w for _, w in weighted)
    x = rng.random() * total
    for value, weight in weighted:
        x -= weight
        if x < 0:
            return value
    return weighted[-1][0]


class _Planner:
    def __init__(self, world: DemoWorld, rng: random.Random, now: datetime) -> None:
        self.world = world
        self.rng = rng
        self.now = now
        self.category_weights = [
            (code, texts.weight) for code, texts in TEXTS.items() if code in world.categories
        ]

    # -- time -----------------------------------------------------------------------------

    def _local(self, day: date, minutes: float) -> datetime:
        at = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI) + timedelta(minutes=minutes)
        return at.astimezone(UTC).replace(microsecond=0)

    def office(self, at: datetime) -> datetime:
        """`at`, or the next moment staff are at their desks (working days, 8:30-12:00, 13:30-17:30)."""
        rng = self.rng
        local = at.astimezone(SHANGHAI)
        day, tod = local.date(), local.time()
        if is_workday(day):
            if tod < _WORK_START:
                return self._local(day, 8 * 60 + 30 + rng.uniform(0, 50))
            if _LUNCH <= tod < _AFTERNOON:
                return self._local(day, 13 * 60 + 30 + rng.uniform(0, 40))
            if tod < _WORK_END:
                return at
        day += timedelta(days=1)
        while not is_workday(day):
            day += timedelta(days=1)
        return self._local(day, 8 * 60 + 30 + rng.uniform(0, 90))

    def duty(self, at: datetime, wait: float) -> datetime:
        """`at`, or with probability `wait` the next morning when `at` falls in the night.

        Stations work every day, weekends included, but a general appeal that comes in at night
        usually waits for the morning shift."""
        local = at.astimezone(SHANGHAI)
        hour = local.hour + local.minute / 60
        if (hour >= 22.5 or hour < 7.5) and self.rng.random() < wait:
            day = local.date() + timedelta(days=1) if hour >= 22.5 else local.date()
            return self._local(day, 7 * 60 + 30 + self.rng.uniform(0, 100))
        return at

    def office_on(self, day: date) -> datetime:
        rng = self.rng
        minutes = (
            rng.uniform(9 * 60, 11 * 60 + 50) if rng.random() < 0.5 else rng.uniform(14 * 60, 17 * 60 + 20)
        )
        return self._local(day, minutes)

    # -- people and places --------------------------------------------------------------

    def clerk(self, station: _Station) -> _Person | None:
        rng = self.rng
        if station.chiefs and (not station.clerks or rng.random() < 0.08):
            return rng.choice(station.chiefs)
        return rng.choice(station.clerks) if station.clerks else None

    def officer(self, unit: _Unit, prefer: _Person | None = None) -> _Person | None:
        people = self.world.officers.get(unit.id) or []
        if prefer is not None and prefer.unit_id == unit.id:
            return prefer
        named = [p for p in self.world.named.values() if p.unit_id == unit.id and p.role == Role.OFFICER]
        # The named officers take half of their district's appeals: their lists must not be empty.
        if named and self.rng.random() < 0.5:
            return named[0]
        return self.rng.choice(people) if people else None

    def text(
        self, code: str, station: _Station, district: _Unit | None, address: str, community: str
    ) -> tuple[str, str, str]:
        rng = self.rng
        texts = TEXTS[code]
        type_, title, content = rng.choice(texts.pairs)
        if not type_:
            type_ = _pick(rng, texts.types)
        plate = (
            rng.choice(_PROVINCES)
            + rng.choice("ABCDEFGH")
            + "·"
            + "".join(rng.choice(_PLATE_CHARS) for _ in range(5))
        )
        officers = self.world.officers.get(district.id if district else station.unit.id) or []
        slots: dict[str, Any] = {
            "addr": address,
            "community": community,
            "road": rng.choice(station.roads),
            "road2": rng.choice(station.roads),
            "no": rng.randint(1, 399),
            "bldg": rng.randint(1, 32),
            "shop": rng.choice(station.shops),
            "habit": rng.choice(_HABIT),
            "when": rng.choice(_WHEN),
            "tail": rng.choice(_TAIL),
            "relation": rng.choice(_RELATION),
            "plate": plate,
            "amount": rng.choice((1800, 3500, 6000, 12000, 26800, 48000, 85000)),
            "n": rng.randint(3, 40),
            "old": rng.randint(72, 93),
            "rate": rng.choice((3, 5, 8, 10)),
            "county": self.world.county,
            "station": station.unit.name,
            "district": district.name if district else station.unit.name,
            "officer": rng.choice(officers).name if officers else "值班民警",
            "company": rng.choice(station.roads).rstrip("路街道巷")
            + rng.choice(("建筑劳务公司", "装饰工程公司", "物流公司", "服装厂")),
            "fakephone": "0" + str(rng.randint(10, 99)) + "-" + str(rng.randint(10000000, 99999999)),
        }
        for key, choices in texts.vocab.items():
            slots[key] = rng.choice(choices)
        return type_, title.format_map(slots)[:120], content.format_map(slots)

    def words_of(self, code: str) -> str:
        """The category whose words the citizen uses: usually the one the appeal is filed under,
        sometimes a neighbour's (a shop's noise filed as market order, a scam filed as a theft),
        as clerks do. Without these borderline appeals every category has words of its own and
        the routing page would show a model that is never wrong, which no clerk would believe."""
        if self.rng.random() >= _BORDERLINE:
            return code
        top = code.split("-")[0]
        near = [c for c, _w in self.category_weights if c != code and c.split("-")[0] == top]
        others = near or [c for c, _w in self.category_weights if c != code]
        return self.rng.choice(others) if others else code

    def address(self, station: _Station) -> tuple[str, str]:
        """A standard address of the station's area (road, number, estate, building, unit, room),
        and the estate's name for the text."""
        rng = self.rng
        road = rng.choice(station.roads)
        community = rng.choice(station.communities)
        if rng.random() < 0.3:
            return f"{road}{rng.randint(1, 399)}号", community
        return (
            f"{road}{rng.randint(1, 399)}号{community}"
            f"{rng.randint(1, 32)}栋{rng.randint(1, 4)}单元{rng.randint(1, 28)}{rng.randint(1, 4):02d}室",
            community,
        )

    def tracking_code(self) -> str:
        return "".join(self.rng.choices(TRACKING_ALPHABET, k=TRACKING_LENGTH))

    # -- one appeal -----------------------------------------------------------------------

    def plan(self, appeal_id: int, received: datetime, show: _Showcase | None) -> _Plan:
        world, rng = self.world, self.rng
        named = world.named.get(show.where) if show else None
        station: _Station | None = world.station_of(named.unit_id) if named else None
        if station is None:
            station = rng.choices(world.stations, weights=world.station_weights)[0]
        handling_unit = world.units[named.unit_id] if named and named.role == Role.OFFICER else None
        if handling_unit is not None:
            district: _Unit | None = handling_unit
        else:
            # Within the first station, the named officer's district is the busiest.
            named_districts = {p.unit_id for p in world.named.values() if p.role == Role.OFFICER}
            weights = [2.0 if d.id in named_districts else 1.0 for d in station.districts]
            district = rng.choices(station.districts, weights=weights)[0] if station.districts else None
        code = _pick(rng, self.category_weights)
        texts = TEXTS[code]
        address, community = self.address(station)
        if rng.random() < 0.07:
            address = ""  # the caller would not say
        type_, title, content = self.text(
            self.words_of(code), station, district, address or community, community
        )
        urgency = _pick(rng, texts.urgency)
        local = received.astimezone(SHANGHAI)
        in_office = is_workday(local.date()) and _WORK_START <= local.time() < _WORK_END
        channel = _pick(rng, _CHANNELS_OFFICE if in_office else _CHANNELS_NIGHT)
        anonymous = rng.random() < texts.anonymous
        # A few callers bring many appeals: repeats are part of what the indicators measure.
        pool = world.citizens
        citizen = pool[rng.randrange(max(1, len(pool) // 50))] if rng.random() < 0.12 else rng.choice(pool)
        with_phone = rng.random() < (0.7 if anonymous else 0.99)
        phone = citizen[1] if with_phone else ""
        name = "" if anonymous else citizen[0]
        if show is not None:
            urgency, anonymous, phone, name = "general", False, citizen[1], citizen[0]
            if show.stop == Action.CONTACT and show.where == "officer" and show.age > timedelta(days=10):
                type_ = "complaint"
        located = channel in (Channel.WEB, Channel.OPEN311, Channel.VISIT) or rng.random() < 0.25
        fields: dict[str, Any] = {
            "id": appeal_id,
            "tracking_code": self.tracking_code(),
            "submission_key": None,
            "channel": channel,
            "type": type_,
            "category_id": world.categories[code],
            "urgency": urgency,
            "title": title,
            "content": content,
            "address": address,
            "latitude": Decimal(f"{station.latitude + rng.uniform(-0.02, 0.02):.6f}") if located else None,
            "longitude": Decimal(f"{station.longitude + rng.uniform(-0.02, 0.02):.6f}") if located else None,
            "district_id": district.id if district and rng.random() < 0.85 else None,
            "anonymous": anonymous,
            "citizen_name": name,
            "citizen_phone": phone,
            "citizen_phone_hash": lookup_hash(phone) if phone else "",
            "citizen_name_hash": lookup_hash(name) if name else "",
            "received_at": received,
            "intake_unit_id": station.unit.id,
            "intake_unit_path": station.unit.path,
            "search_tokens": index_text(title, content, address),
        }
        plan = _Plan(appeal_id, station, fields, [], code.split("-")[0])
        _Timeline(self, plan, station, district, texts, code, show, named).build()
        fields["created_at"] = plan.steps[0].at
        fields["created_by_id"] = plan.steps[0].actor.id if plan.steps[0].actor else None
        return plan


class _Timeline:
    """The steps of one appeal, in order, checked against the transitions table as they are added."""

    def __init__(
        self,
        planner: _Planner,
        plan: _Plan,
        station: _Station,
        district: _Unit | None,
        texts: _Texts,
        code: str,
        show: _Showcase | None,
        named: _Person | None,
    ) -> None:
        self.p = planner
        self.rng = planner.rng
        self.plan = plan
        self.station = station
        self.district = district
        self.texts = texts
        self.code = code
        self.show = show
        self.named = named
        self.state = ""
        self.stopped = False
        self.night_wait = 0.0
        self.t = plan.fields["received_at"]

    def add(
        self,
        at: datetime,
        action: str,
        actor: _Person | None,
        *,
        unit: _Unit | None = None,
        note: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        if self.stopped:
            return
        if action != Action.REGISTER:
            transition = TRANSITIONS[action]
            if self.state not in transition.sources:
                raise AssertionError(f"demo plan: {action} from {self.state}")
            to_state = transition.target or self.state
        else:
            to_state = State.SUBMITTED
        steps = self.plan.steps
        at = at.replace(microsecond=0)
        if steps and at <= steps[-1].at:
            at = steps[-1].at + timedelta(seconds=self.rng.randint(20, 240))
        steps.append(_Step(at, action, actor, to_state, unit, note, data or {}))
        self.state = to_state
        self.t = at
        if self.show is not None and action == self.show.stop:
            self.stopped = True

    def minutes(self, low: float, high: float) -> timedelta:
        return timedelta(minutes=self.rng.uniform(low, high))

    def later(self, low: float, high: float) -> datetime:
        """A step `low`-`high` minutes on; at night often the next morning."""
        if self.show is not None:
            # Showcase appeals move briskly, so that each reaches its state well before `now`.
            return self.t + self.minutes(2, 8)
        return self.p.duty(self.t + self.minutes(low, high), self.night_wait)

    def build(self) -> None:
        rng, p, station, show = self.rng, self.p, self.station, self.show
        fields = self.plan.fields
        channel = fields["channel"]
        pace = _PACE[fields["urgency"]]
        self.night_wait = pace.night_wait
        registrar = None if channel in _SELF_SERVICE else p.clerk(station)
        self.add(
            self.t + (timedelta(0) if registrar is None else self.minutes(1, 8)),
            Action.REGISTER,
            registrar,
            data={"channel": channel},
        )
        roll = rng.random()
        if (show is None and roll < 0.02) or (show is not None and show.stop == Action.MERGE):
            # A duplicate: merged into an open appeal of the same station when the chunk is done.
            self.add(self.later(5, 90), Action.MERGE, p.clerk(station), note=_MERGE_NOTE)
            return
        if (show is None and roll < 0.06) or (show is not None and show.stop == Action.REJECT):
            self.add(self.later(5, 60), Action.REJECT, p.clerk(station), note=rng.choice(_REJECT_REASONS))
            if rng.random() < 0.6:
                self.add(
                    p.office(self.t + timedelta(days=rng.uniform(2, 15))), Action.ARCHIVE, p.clerk(station)
                )
            return
        # Citizens' own submissions wait until a clerk reads the queue.
        accept = pace.accept if channel not in _SELF_SERVICE else (20.0, 240.0)
        self.add(self.later(*accept), Action.ACCEPT, p.clerk(station))
        accepted_at = self.t
        lead, right = self.lead_unit()
        assists = self.assists(lead)
        self.add(
            self.later(*pace.dispatch),
            Action.DISPATCH,
            p.clerk(station),
            unit=lead,
            data={"assist_units": [a.id for a in assists]},
        )
        self.plan.fields["_assists"] = [(a, self.t) for a in assists]
        # Some appeals are slow: the officer signs late, or the handling drags past its clock.
        stall = show is None and rng.random() < 0.05
        stall_at = rng.choice((Action.SIGN, Action.CONCLUDE)) if stall else ""
        if right is not None:
            lead = self.hand_off(lead, right, pace)
        handler = p.officer(lead, self.named if self.named and self.named.role == Role.OFFICER else None)
        at = self.later(*(pace.sign if rng.random() < 0.94 else pace.sign_late))
        if stall_at == Action.SIGN:
            at += timedelta(hours=rng.uniform(3, 120))
        self.add(at, Action.SIGN, handler)
        if fields["citizen_phone"] or rng.random() < 0.7:
            note = (
                _CONTACT_NOTES[rng.randrange(len(_CONTACT_NOTES))] if fields["citizen_phone"] else _VISIT_NOTE
            )
            self.add(
                self.later(*(pace.contact if rng.random() < 0.9 else pace.contact_late)),
                Action.CONTACT,
                handler,
                note=note,
            )
        if show is not None and show.stop in (Action.DISPATCH, Action.SIGN, Action.CONTACT):
            if show.supervised:
                self.supervise_at(self.t + timedelta(hours=2), force=True)
            return
        self.conclude(handler, stall_at == Action.CONCLUDE, round_=1)
        if show is None and (rng.random() < 0.03 or (stall and rng.random() < 0.5)):
            # Supervision (督办) of an appeal that was still open at the time.
            self.supervise_between(accepted_at)
        self.follow_up_and_archive(handler, round_=1)

    def lead_unit(self) -> tuple[_Unit, _Unit | None]:
        """The unit dispatched to, and the right one when the dispatcher got it wrong."""
        rng, world = self.rng, self.p.world
        district = self.district
        if self.show is not None and district is not None:
            return district, None
        right: _Unit | None = None
        for name, share in self.texts.departments:
            if name in world.departments and rng.random() < share:
                right = world.departments[name]
                break
        if right is None:
            right = district or (self.station.districts[0] if self.station.districts else None)
        if right is None:
            right = next(iter(world.departments.values()))
        if rng.random() < 0.07:
            # Dispatched to the wrong place: a neighbouring district returns or transfers it.
            others = [d for d in self.station.districts if d.id != right.id]
            if others:
                return rng.choice(others), right
        return right, None

    def assists(self, lead: _Unit) -> list[_Unit]:
        rng, world = self.rng, self.p.world
        out: list[_Unit] = []
        for name, share in self.texts.assist:
            unit = world.departments.get(name)
            if unit is not None and unit.id != lead.id and rng.random() < share:
                out.append(unit)
        if not out and self.show is None and rng.random() < 0.02:
            others = [d for d in self.station.districts if d.id != lead.id]
            if others:
                out.append(rng.choice(others))
        return out

    def hand_off(self, wrong: _Unit, right: _Unit, pace: _Pace) -> _Unit:
        rng, p = self.rng, self.p
        first = p.officer(wrong)
        if rng.random() < 0.55:
            if rng.random() < 0.5:
                self.add(self.later(*pace.sign), Action.SIGN, first)
            self.add(
                self.later(20, 300),
                Action.TRANSFER,
                first,
                unit=right,
                note=_TRANSFER_REASONS[0 if right.kind == UnitKind.DISTRICT else 1],
            )
        else:
            self.add(
                self.later(20, 300),
                Action.RETURN,
                first,
                unit=self.station.unit,
                note=rng.choice(_RETURN_REASONS),
            )
            self.add(
                self.later(*pace.dispatch),
                Action.DISPATCH,
                p.clerk(self.station),
                unit=right,
                data={"assist_units": []},
            )
        return right

    def conclude(self, handler: _Person | None, stalled: bool, round_: int) -> None:
        rng = self.rng
        fields = self.plan.fields
        urgency = fields["urgency"]
        show = self.show
        if show is not None:
            at = self.t + max(timedelta(hours=2), show.age * 0.3)
        elif round_ > 1:
            day = add_working_days(self.t, rng.randint(1, 5)).date()
            at = self.p.office_on(day)
        elif urgency == "emergency":
            at = fields["received_at"] + self.minutes(40, 110 if rng.random() < 0.95 else 300)
        elif urgency == "urgent":
            at = self.t + timedelta(hours=rng.uniform(2, 20) if rng.random() < 0.95 else rng.uniform(24, 48))
        else:
            limit = 7 if urgency == "general" else 15
            low = 0 if urgency == "general" else 4
            days = rng.randint(low, limit - 1) if rng.random() < 0.95 else rng.randint(limit + 1, limit + 5)
            if stalled:
                days = rng.randint(limit + 1, limit + 25)
            at = self.p.office_on(add_working_days(fields["received_at"], days).date())
        if stalled and urgency in ("emergency", "urgent"):
            at += timedelta(days=rng.uniform(1, 10))
        weights = ((0, 0.68), (1, 0.26), (2, 0.06))
        if fields["type"] in ("enquiry", "suggestion", "praise"):
            weights = ((0, 0.3), (1, 0.68), (2, 0.02))
        kind = 0 if show is not None else _pick(rng, weights)
        result = ("solved", "explained", "unsolvable")[kind]
        if fields["type"] == "praise":
            result, note = "explained", "已将表扬转达当事民警及所在单位。"
        else:
            note = rng.choice(RESULT_NOTES[self.plan.top][kind])
        self.add(
            max(at, self.t + self.minutes(5, 30)),
            Action.CONCLUDE,
            handler,
            note=note,
            data={"result": result},
        )

    def follow_up_and_archive(self, handler: _Person | None, round_: int) -> None:
        rng, p, station, show = self.rng, self.p, self.station, self.show
        fields = self.plan.fields
        if not fields["citizen_phone"] or (show is None and rng.random() < 0.015):
            return  # No one to ask, or never reached: the follow-up stays owed.
        concluded = self.t
        due_day = follow_up_due(concluded).date()
        if show is not None:
            at = concluded + max(timedelta(hours=3), show.age * 0.2)
            by_phone = True
        else:
            by_phone = rng.random() < 0.7
            at = p.office_on(due_day) if by_phone else concluded + timedelta(hours=rng.uniform(0.5, 48))
        weights = _SATISFACTION if round_ == 1 else _SATISFACTION_REOPENED
        satisfaction = _pick(rng, weights)
        if show is not None:
            satisfaction = rng.choice((1, 2)) if show.dissatisfied else 5
        result = self.plan.steps[-1].data.get("result")
        if show is None and result == "unsolvable" and satisfaction >= 4 and rng.random() < 0.5:
            satisfaction -= 2
        resolved = satisfaction >= 3 and result != "unsolvable"
        if satisfaction <= DISSATISFIED_AT_MOST:
            resolved = rng.random() < 0.3
        answer = {
            "round": round_,
            "resolved": resolved,
            "satisfaction": satisfaction,
            "channel": FollowUpChannel.PHONE if by_phone else FollowUpChannel.LINK,
        }
        self.add(
            at,
            Action.FOLLOW_UP,
            p.clerk(station) if by_phone else None,
            note=rng.choice(_ANSWER_NOTES[satisfaction]),
            data=answer,
        )
        if is_dissatisfied(resolved, satisfaction):
            reviewer = rng.choice(p.world.reviewers) if p.world.reviewers else None
            at = p.office_on(add_working_days(self.t, rng.randint(1, 5)).date())
            reasonable = round_ == 1 and rng.random() < 0.4
            note = rng.choice(_REVIEW_REASONABLE if reasonable else _REVIEW_UNREASONABLE)
            self.add(at, Action.REVIEW, reviewer, note=note, data={"reasonable": reasonable, "round": round_})
            if reasonable:
                self.add(self.t + timedelta(seconds=1), Action.REOPEN, reviewer, note=note)
                self.conclude(handler, False, round_=2)
                self.follow_up_and_archive(handler, round_=2)
                return
        self.add(p.office(self.t + timedelta(days=rng.uniform(1, 10))), Action.ARCHIVE, p.clerk(station))

    def supervisor(self) -> _Person | None:
        rng, world = self.rng, self.p.world
        if self.station.chiefs and rng.random() < 0.7:
            return rng.choice(self.station.chiefs)
        return rng.choice(world.supervisors) if world.supervisors else None

    def supervise_between(self, start: datetime) -> None:
        concluded = next((s.at for s in self.plan.steps if s.action == Action.CONCLUDE), None)
        if concluded is None or concluded <= start + timedelta(minutes=30):
            return
        at = start + (concluded - start) * self.rng.uniform(0.3, 0.9)
        self.supervise_at(at)

    def supervise_at(self, at: datetime, force: bool = False) -> None:
        plan = self.plan
        at = at.replace(microsecond=0)
        if force:
            at = min(at, self.p.now - timedelta(minutes=10))
        state = plan.state_at(at)
        if state not in OPEN_STATES or at <= plan.steps[0].at:
            return
        plan.insert(
            _Step(at, Action.SUPERVISE, self.supervisor(), state, None, self.rng.choice(_SUPERVISE_NOTES), {})
        )


# ---------------------------------------------------------------------------------------------
# Replay: the steps up to `now`, applied as the services apply them


@dataclass
class DemoBatch:
    """Rows of one chunk, keyed by field attribute name (`category_id`, not `category`)."""

    appeals: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    follow_ups: list[dict[str, Any]] = field(default_factory=list)
    assists: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _ClockView:
    """The fields `clocks.running` and `clocks.refresh_next` read, so the clocks module decides."""

    state: str = ""
    sign_by: datetime | None = None
    contact_by: datetime | None = None
    conclude_by: datetime | None = None
    contacted_at: datetime | None = None
    sign_alert_at: datetime | None = None
    contact_alert_at: datetime | None = None
    conclude_alert_at: datetime | None = None
    due_at: datetime | None = None
    alert_at: datetime | None = None


def _replay(world: DemoWorld, plan: _Plan, now: datetime, rng: random.Random, out: DemoBatch) -> None:
    row = plan.fields
    assists = row.pop("_assists", [])
    assists_from = len(out.assists)
    policy = world.policy(row["type"], row["urgency"])
    intake = world.units[row["intake_unit_id"]]
    units = world.units
    row.update(
        state="",
        is_open=True,
        unit_id=intake.id,
        unit_path=intake.path,
        accountable_unit_id=intake.id,
        dispatcher_unit_id=None,
        handler_id=None,
        sign_by=None,
        contact_by=None,
        conclude_by=None,
        signed_at=None,
        contacted_at=None,
        concluded_at=None,
        due_at=None,
        escalated_at=None,
        alert_at=None,
        sign_alert_at=None,
        contact_alert_at=None,
        conclude_alert_at=None,
        result="",
        result_note="",
        handoffs=0,
        reopen_count=0,
        supervised=False,
        merged_into_id=None,
    )
    view = _ClockView()
    running: dict[str, datetime] = {}
    set_at: dict[str, tuple[datetime, datetime]] = {}  # clock -> (deadline, when to remind)
    alerted: set[tuple[str, str, datetime]] = set()
    events = out.events
    follow_ups: list[dict[str, Any]] = []
    seq = 0
    appeal_id = plan.id

    def event(step_at: datetime, action: str, from_state: str, actor: _Person | None, **extra: Any) -> None:
        nonlocal seq
        seq += 1
        events.append(
            {
                "appeal_id": appeal_id,
                "seq": seq,
                "action": action,
                "from_state": from_state,
                "to_state": row["state"],
                "at": step_at,
                "actor_id": actor.id if actor else None,
                "actor_name": actor.name if actor else "",
                "actor_unit_id": actor.unit_id if actor else None,
                "unit_id": extra.get("unit_id"),
                "note": extra.get("note", ""),
                "data": extra.get("data") or {},
            }
        )

    def sync_clocks(at: datetime) -> None:
        view.state, view.sign_by, view.contact_by = row["state"], row["sign_by"], row["contact_by"]
        view.conclude_by, view.contacted_at = row["conclude_by"], row["contacted_at"]
        running.clear()
        running.update(clocks.running(cast(Appeal, view)))
        for clock, due in running.items():
            if clock not in set_at or set_at[clock][0] != due:
                # As `clocks.refresh`: a clock set or reset now gets its reminder and escalation.
                set_at[clock] = (due, clocks.remind_at(at, due))
        row["due_at"] = min(running.values()) if running else None

    def alerts(until: datetime) -> None:
        # What the clock tasks would have written while the appeal waited for its next step.
        if not running:
            return
        pending: list[tuple[datetime, str, str, datetime]] = []
        for clock, due in running.items():
            remind = set_at[clock][1]
            for stage, when in (("remind", remind), ("escalate", due)):
                if last_at <= when < until and when <= now and (stage == "escalate" or when < due):
                    key = (stage, clock, due)
                    if key not in alerted:
                        alerted.add(key)
                        pending.append((when, stage, clock, due))
        for when, stage, clock, due in sorted(pending):
            data = {"clock": clock, "deadline": due.isoformat()}
            if stage == "remind":
                event(when, Action.REMIND, row["state"], None, data=data)
            else:
                row["escalated_at"] = when
                supervisor = world.supervising_unit.get(row["unit_id"])
                event(when, Action.ESCALATE, row["state"], None, unit_id=supervisor, data=data)

    def move_to(unit: _Unit) -> None:
        row["unit_id"], row["unit_path"] = unit.id, unit.path
        row["handler_id"], row["signed_at"] = None, None

    last_at = plan.steps[0].at
    for step in plan.steps:
        at = step.at
        if at > now:
            break
        if seq:
            alerts(at)
        before = row["state"]
        actor = step.actor
        action = step.action
        data = dict(step.data)
        unit_id = step.unit.id if step.unit else None
        if action == Action.REGISTER:
            if row["citizen_phone"]:
                row["contact_by"] = clocks.deadline(row["received_at"], policy, "contact")
            row["conclude_by"] = clocks.deadline(row["received_at"], policy, "conclude")
        elif action == Action.DISPATCH:
            assert step.unit is not None
            move_to(step.unit)
            row["dispatcher_unit_id"] = actor.unit_id if actor else row["intake_unit_id"]
            row["sign_by"] = clocks.deadline(at, policy, "sign")
            for assist, added in assists:
                if added == at:
                    out.assists.append(
                        {
                            "appeal_id": appeal_id,
                            "unit_id": assist.id,
                            "unit_path": assist.path,
                            "added_at": at,
                        }
                    )
        elif action == Action.SIGN:
            row["handler_id"] = actor.id if actor else None
            row["signed_at"] = at
            row["accountable_unit_id"] = row["unit_id"]
            data["on_time"] = row["sign_by"] is None or at <= row["sign_by"]
        elif action == Action.CONTACT:
            first = row["contacted_at"] is None
            if first:
                row["contacted_at"] = at
            data["first"] = first
            if first and row["contact_by"] is not None:
                data["on_time"] = at <= row["contact_by"]
        elif action == Action.TRANSFER:
            assert step.unit is not None
            move_to(step.unit)
            row["handoffs"] += 1
            row["sign_by"] = clocks.deadline(at, policy, "sign")
        elif action == Action.RETURN:
            back = row["dispatcher_unit_id"] or row["intake_unit_id"]
            move_to(units[back])
            unit_id = back
            row["handoffs"] += 1
            row["sign_by"] = None
        elif action == Action.CONCLUDE:
            row["result"], row["result_note"], row["concluded_at"] = data["result"], step.note, at
            if row["conclude_by"] is not None:
                data["on_time"] = at <= row["conclude_by"]
            token = f"{rng.getrandbits(128):032x}"
            follow_ups.append(
                {
                    "appeal_id": appeal_id,
                    "round": len(follow_ups) + 1,
                    "due_at": follow_up_due(at),
                    "token_hash": lookup_hash(token),
                    "token_expires_at": at + timedelta(days=settings.APPEAL_FOLLOWUP_LINK_DAYS),
                    "answered_at": None,
                    "channel": "",
                    "answered_by_id": None,
                    "resolved": None,
                    "satisfaction": None,
                    "note": "",
                    "review": ReviewOutcome.NONE,
                    "reviewed_at": None,
                    "reviewed_by_id": None,
                    "review_note": "",
                }
            )
        elif action == Action.FOLLOW_UP:
            fu = follow_ups[-1]
            fu.update(
                answered_at=at,
                channel=data["channel"],
                answered_by_id=actor.id if actor else None,
                resolved=data["resolved"],
                satisfaction=data["satisfaction"],
                note=step.note,
            )
            fu["review"] = review_of_answer(data["resolved"], data["satisfaction"])
        elif action == Action.REVIEW:
            fu = follow_ups[-1]
            fu.update(
                review=ReviewOutcome.REASONABLE if data["reasonable"] else ReviewOutcome.UNREASONABLE,
                reviewed_at=at,
                reviewed_by_id=actor.id if actor else None,
                review_note=step.note,
            )
        elif action == Action.REOPEN:
            row["reopen_count"] += 1
            row["concluded_at"], row["result"], row["result_note"] = None, "", ""
            row["conclude_by"] = reopen_deadline(at)
            data["conclude_by"] = row["conclude_by"].isoformat()
        elif action == Action.SUPERVISE:
            row["supervised"] = True
        elif action == Action.MERGE and "into" in data:
            row["merged_into_id"] = data["into"]
        row["state"] = step.to_state
        row["is_open"] = step.to_state in OPEN_STATES
        sync_clocks(at)
        event(at, action, before, actor, unit_id=unit_id, note=step.note, data=data)
        last_at = at
    alerts(now + timedelta(seconds=1))
    assisting = [a["unit_path"] for a in out.assists[assists_from:]]
    row["scope_tokens"] = " ".join(scope_tokens(row["unit_path"], row["intake_unit_path"], *assisting))
    # What the sweep still owes from now on: the alerts not written above.
    for clock in clocks.CLOCKS:
        due = row[f"{clock}_by"]
        if due is None or ("escalate", clock, due) in alerted:
            owed = None
        elif ("remind", clock, due) in alerted:
            owed = due
        elif clock in set_at and set_at[clock][0] == due:
            owed = set_at[clock][1]
        else:
            owed = clocks.remind_at(row["received_at"], due)
        row[f"{clock}_alert_at"] = owed
        setattr(view, f"{clock}_alert_at", owed)
    view.state, view.contacted_at = row["state"], row["contacted_at"]
    clocks.refresh_next(cast(Appeal, view))
    row["alert_at"] = view.alert_at
    out.appeals.append(row)
    out.follow_ups.extend(follow_ups)


# ---------------------------------------------------------------------------------------------
# The year: when appeals arrive, chunk by chunk


def _arrivals(world: DemoWorld, rng: random.Random, count: int, now: datetime) -> list[datetime]:
    """`count` times over the year before `now`: more by day than by night, fewer on rest days,
    a summer peak, and a platform used a little more each month."""
    today = now.astimezone(SHANGHAI).date()
    days = [today - timedelta(days=i) for i in range(365, -1, -1)]
    cumulative: list[float] = []
    slots: list[tuple[date, int]] = []
    total = 0.0
    for i, day in enumerate(days):
        weight = (1.0 if is_workday(day) else 0.8) * (0.9 + 0.2 * i / 365)
        weight *= 1 + 0.12 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 200) / 365)
        for hour, share in enumerate(_HOURLY):
            total += weight * share
            cumulative.append(total)
            slots.append((day, hour))
    start = now - timedelta(days=365)
    out: list[datetime] = []
    while len(out) < count:
        day, hour = slots[bisect.bisect_right(cumulative, rng.random() * total)]
        at = datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI) + timedelta(
            seconds=rng.randrange(3600)
        )
        at = at.astimezone(UTC)
        if start <= at <= now - timedelta(minutes=15):
            out.append(at)
    out.sort()
    return out


@dataclass(frozen=True)
class Schedule:
    """Every appeal's time of receipt, in order, and which are showcase appeals."""

    received: list[datetime]
    showcase: dict[int, _Showcase]

    @property
    def chunks(self) -> int:
        return (len(self.received) + CHUNK - 1) // CHUNK


def schedule(world: DemoWorld, *, seed: int, count: int, now: datetime) -> Schedule:
    rng = random.Random(seed)
    shows = [s for s in SHOWCASE if s.where in world.named]
    shows = shows[: max(0, count // 4)]
    times = _arrivals(world, rng, count - len(shows), now)
    placed = sorted(
        ((now - s.age).replace(microsecond=0), i) for i, s in enumerate(shows)
    )  # showcase arrivals, oldest first
    received: list[datetime] = []
    showcase: dict[int, _Showcase] = {}
    j = 0
    for at in times:
        while j < len(placed) and placed[j][0] <= at:
            showcase[len(received)] = shows[placed[j][1]]
            received.append(placed[j][0])
            j += 1
        received.append(at)
    for at, i in placed[j:]:
        showcase[len(received)] = shows[i]
        received.append(at)
    return Schedule(received, showcase)


def generate_chunk(
    world: DemoWorld, plan_of: Schedule, chunk: int, *, seed: int, now: datetime, first_id: int
) -> DemoBatch:
    """The rows of one chunk; chunks are independent of each other, so they can be made in
    parallel (the benchmark does)."""
    rng = random.Random(seed * 100_003 + chunk)
    planner = _Planner(world, rng, now)
    lo = chunk * CHUNK
    hi = min(lo + CHUNK, len(plan_of.received))
    plans = [planner.plan(first_id + i, plan_of.received[i], plan_of.showcase.get(i)) for i in range(lo, hi)]
    _merge_duplicates(plans, rng)
    out = DemoBatch()
    for plan in plans:
        _replay(world, plan, now, rng, out)
    return out


def _merge_duplicates(plans: list[_Plan], rng: random.Random) -> None:
    """Point each duplicate at an earlier appeal of its station still open when it was merged;
    without one, the duplicate is rejected instead."""
    for index, plan in enumerate(plans):
        step = next((s for s in plan.steps if s.action == Action.MERGE), None)
        if step is None:
            continue
        target = None
        for other in reversed(plans[max(0, index - 400) : index]):
            if (
                other.station is plan.station
                and other.state_at(step.at) in OPEN_STATES
                and all(s.action != Action.MERGE for s in other.steps)
            ):
                target = other
                break
        if target is None:
            step.action, step.to_state, step.note = Action.REJECT, State.REJECTED, _DUPLICATE_REASON
            continue
        step.data = {"into": target.id}
        target.insert(
            _Step(
                step.at,
                Action.MERGE,
                step.actor,
                target.state_at(step.at),
                None,
                step.note,
                {"merged": plan.id, "tracking_code": plan.fields["tracking_code"]},
            )
        )


def generate(
    world: DemoWorld, *, seed: int, count: int, now: datetime, first_id: int = 1
) -> Iterator[DemoBatch]:
    plan_of = schedule(world, seed=seed, count=count, now=now)
    for chunk in range(plan_of.chunks):
        yield generate_chunk(world, plan_of, chunk, seed=seed, now=now, first_id=first_id)


# ---------------------------------------------------------------------------------------------
# The demo loader


def _write(batch: DemoBatch) -> None:
    # Model instances, so that the encrypted fields go through their own get_prep_value.
    Appeal.objects.bulk_create([Appeal(**row) for row in batch.appeals], batch_size=500)
    AppealEvent.objects.bulk_create([AppealEvent(**row) for row in batch.events], batch_size=2000)
    FollowUp.objects.bulk_create([FollowUp(**row) for row in batch.follow_ups], batch_size=2000)
    AppealAssist.objects.bulk_create([AppealAssist(**row) for row in batch.assists], batch_size=2000)


def seed_appeals(*, seed: int, org: DemoOrg, count: int, now: datetime | None = None) -> int:
    """Load a year of appeals for the demo organisation; returns how many were loaded.

    Rows are written in bulk with explicit appeal ids (events refer to them before they exist),
    and the id sequence is moved past them afterwards.
    """
    now = (now or timezone.now()).astimezone(UTC).replace(microsecond=0)
    world = demo_world(org, seed=seed, citizens=max(200, min(count // 3, 20000)))
    loaded = 0
    with transaction.atomic():
        first_id = (Appeal.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        for batch in generate(world, seed=seed, count=count, now=now, first_id=first_id):
            _write(batch)
            loaded += len(batch.appeals)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Appeal]):
                cursor.execute(sql)
    return loaded
