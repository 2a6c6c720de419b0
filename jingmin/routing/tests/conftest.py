"""A small bureau history to learn from, generated here (tests never read the shared CSV).

Three categories with words of their own (noise, parking, telecom fraud), each appeal in one of
three estates, which decides its police district: 东门小区 is district A1's, 西门花园 A2's, 河滨新村
B1's (station B's). Noise is concluded by the appeal's own district, parking by the traffic police
(交警大队, TD01), fraud by criminal investigation (刑侦大队, TD02). `history` writes them as
concluded appeals, in bulk; `trained` makes a first model of them, the active one.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import Personas
from jingmin.appeals.models import Appeal, Category, Result, State
from jingmin.core.search import index_text
from jingmin.org.models import Unit
from jingmin.routing import model_store, services, training
from jingmin.routing.models import RoutingModel
from jingmin.routing.training import OWN_DISTRICT

TOPICS: dict[str, dict[str, list[str]]] = {
    "order-noise": {
        "titles": [
            "楼上深夜装修噪音扰民",
            "广场舞音响声音太大",
            "烧烤店夜间喧哗扰民",
            "邻居每晚唱卡拉OK噪音",
            "KTV噪音影响休息",
        ],
        "details": [
            "每天晚上11点以后还在敲打",
            "音响开得很大吵得睡不着",
            "老人孩子无法休息",
            "半夜喧哗吵闹不断",
        ],
    },
    "traffic-parking": {
        "titles": [
            "小区门口车辆乱停乱放",
            "消防通道被私家车占用",
            "人行道违停堵塞通行",
            "路口货车长期违停",
            "电动车堵住单元门口",
        ],
        "details": ["车辆长期停在通道上", "救护车和消防车进不来", "行人只能走机动车道", "多次挪车电话打不通"],
    },
    "fraud-telecom": {
        "titles": [
            "接到冒充客服电话被骗",
            "网上刷单返利被骗钱",
            "冒充公检法电话诈骗",
            "网购退款链接被骗",
            "投资理财平台无法提现",
        ],
        "details": [
            "对方让我转账到安全账户",
            "按对方要求下载了软件",
            "被骗了三万多元",
            "对方发来验证码让我报给他",
        ],
    },
}
ESTATES = {"东门小区": "district_a1", "西门花园": "district_a2", "河滨新村": "district_b1"}
# Who concludes each topic: the appeal's own district, or a department (by its unit code).
HANDLED_BY = {"order-noise": OWN_DISTRICT, "traffic-parking": "TD01", "fraud-telecom": "TD02"}
STATIONS = {"district_a1": "station_a", "district_a2": "station_a", "district_b1": "station_b"}
TAILS = ["希望民警尽快处理。", "请派出所帮忙协调。", "已经反映过一次。", "谢谢！"]


def appeal_words(rng: random.Random, code: str, estate: str) -> tuple[str, str, str]:
    topic = TOPICS[code]
    # One in eight is titled like another topic, as real appeals are sometimes filed: the
    # examples are not perfectly separable, so the confidences are not all certainties.
    if rng.random() < 0.125:
        topic = TOPICS[rng.choice([c for c in TOPICS if c != code])] | {"details": topic["details"]}
    title = rng.choice(topic["titles"])
    building = f"{rng.randint(1, 30)}栋"
    content = f"我住在{estate}{building}，{rng.choice(topic['details'])}，{rng.choice(topic['details'])}。{rng.choice(TAILS)}"
    return title, content, f"{estate}{building}{rng.randint(1, 4)}单元"


def add_appeals(
    persona: Personas,
    *,
    count: int,
    seed: int = 1,
    concluded: bool = True,
    codes: tuple[str, ...] = tuple(TOPICS),
    days_ago: int = 60,
) -> list[Appeal]:
    """`count` appeals spread evenly over the topics and estates, written in bulk."""
    rng = random.Random(seed)
    categories = {c.code: c for c in Category.objects.filter(code__in=codes)}
    now = timezone.now()
    rows = []
    for i in range(count):
        code = codes[i % len(codes)]
        estate = list(ESTATES)[(i // len(codes)) % len(ESTATES)]
        district: Unit = getattr(persona, ESTATES[estate])
        station: Unit = getattr(persona, STATIONS[ESTATES[estate]])
        title, content, address = appeal_words(rng, code, estate)
        received = now - timedelta(days=rng.uniform(1, days_ago))
        fields: dict[str, Any] = {
            "channel": "phone",
            "type": "complaint",
            "category": categories[code],
            "title": title,
            "content": content,
            "address": address,
            "district": district,
            "received_at": received,
            "created_at": received,
            "intake_unit": station,
            "intake_unit_path": station.path,
            "accountable_unit": district,
            "search_tokens": index_text(title, content, address),
        }
        if concluded:
            handler = (
                district if HANDLED_BY[code] == OWN_DISTRICT else Unit.objects.get(code=HANDLED_BY[code])
            )
            fields.update(
                state=State.ARCHIVED,
                is_open=False,
                unit=handler,
                unit_path=handler.path,
                dispatcher_unit=station,
                result=Result.SOLVED,
                concluded_at=received + timedelta(days=2),
            )
        else:
            fields.update(state=State.SUBMITTED, is_open=True, unit=station, unit_path=station.path)
        rows.append(Appeal(**fields))
    return Appeal.objects.bulk_create(rows)


@pytest.fixture(autouse=True)
def _fresh_model_cache():
    # Each test's database starts empty: what an earlier test loaded must not answer for it.
    model_store.forget()
    yield
    model_store.forget()


def generated_training_set(count: int = 60, seed: int = 1) -> training.TrainingSet:
    """The same examples `add_appeals` writes, made without a database (the persona fixture's
    station codes are fixed: TA10, TB10)."""
    from jingmin.routing.features import appeal_text, with_meta
    from jingmin.routing.learning import Dataset
    from jingmin.routing.models import Source

    rng = random.Random(seed)
    codes = tuple(TOPICS)
    station_codes = {"station_a": "TA10", "station_b": "TB10"}
    texts, labels, unit_texts, units = [], [], [], []
    for i in range(count):
        code = codes[i % len(codes)]
        estate = list(ESTATES)[(i // len(codes)) % len(ESTATES)]
        title, content, address = appeal_words(rng, code, estate)
        rng.uniform(1, 60)  # the time received, drawn as add_appeals draws it
        texts.append(appeal_text(title, content))
        labels.append(code)
        unit_texts.append(
            with_meta(
                appeal_text(title, content),
                address=address,
                has_district=True,
                intake=station_codes[STATIONS[ESTATES[estate]]],
            )
        )
        units.append(HANDLED_BY[code])
    return training.TrainingSet(
        source=Source.APPEALS,
        description="generated",
        category=Dataset.of(texts, labels),
        unit=Dataset.of(unit_texts, units),
    )


@pytest.fixture(scope="session")
def fitted() -> services.Trained:
    """Classifiers trained once for the whole session on the generated history: tests that are
    about using a model, not about training one, store this one instead of training again."""
    return services.fit(generated_training_set(), folds=3)


@pytest.fixture
def stored(persona, departments, fitted) -> Callable[..., RoutingModel]:
    def store(**kwargs: Any) -> RoutingModel:
        return services.routing_model_store(
            actor=None, training=generated_training_set(), trained=fitted, trained_by="tests", **kwargs
        )

    return store


@pytest.fixture
def active_model(stored) -> RoutingModel:
    """The session's classifiers, stored as version 1 and active."""
    return stored()


@pytest.fixture
def departments(persona: Personas) -> dict[str, Unit]:
    """The traffic police and criminal investigation, at the bureau."""
    from jingmin.org.models import UnitKind
    from jingmin.org.services import unit_create

    return {
        code: unit_create(actor=None, parent=persona.bureau, kind=UnitKind.DEPARTMENT, name=name, code=code)
        for code, name in (("TD01", "交警大队"), ("TD02", "刑侦大队"))
    }


@pytest.fixture
def history(persona: Personas, departments) -> list[Appeal]:
    """60 concluded appeals: 20 per category, spread over the three estates."""
    return add_appeals(persona, count=60)


@pytest.fixture
def train(history) -> Callable[..., RoutingModel]:
    def run(**kwargs: Any) -> RoutingModel:
        kwargs.setdefault("folds", 3)
        return services.routing_model_train(actor=None, training=training.from_appeals(), **kwargs)

    return run


@pytest.fixture
def trained(train) -> RoutingModel:
    return train()
