"""The results of a hand-made survey: the number of sheets, and per question the counts per option
or the 1–5 distribution, worked out by hand below."""

from __future__ import annotations

from jingmin.evaluation import services
from jingmin.evaluation.codes import RatingSource
from jingmin.evaluation.selectors import rating_rows, survey_results
from jingmin.evaluation.tests.conftest import open_survey


def test_counts_per_option_and_per_level(persona):
    survey = open_survey(persona)
    scale, multiple, text = survey.questions.order_by("position")
    theft, fraud, noise = multiple.options.order_by("position")
    sheets: list[dict[int, object]] = [
        {scale.pk: 5, multiple.pk: [theft.pk, fraud.pk], text.pk: "多巡逻"},
        {scale.pk: 5, multiple.pk: [fraud.pk]},
        {scale.pk: 3, multiple.pk: [fraud.pk, noise.pk], text.pk: "  "},
        {scale.pk: 1},
    ]
    for n, sheet in enumerate(sheets):
        services.survey_answer(survey=survey, answers=sheet, submission_key=f"sheet-{n}")
    # A second tap on "submit" counts once.
    services.survey_answer(survey=survey, answers=sheets[0], submission_key="sheet-0")

    results = survey_results(survey=survey)
    assert results.responses == 4
    q1, q2, q3 = results.questions
    assert q1.answered == 4
    assert q1.counts == [("1", 1), ("2", 0), ("3", 1), ("4", 0), ("5", 2)]
    assert q1.mean == 3.5  # (1 + 3 + 5 + 5) / 4
    assert q2.answered == 3
    assert q2.counts == [("电动车被盗", 1), ("电信诈骗", 3), ("噪音扰民", 1)]
    assert q3.answered == 1 and q3.texts == ["多巡逻"]
    assert q1.chart()["values"] == [1, 0, 1, 0, 2]

    # The satisfaction question's answers are rating rows of the station's survey.
    rows = rating_rows(actor=persona.chen)
    assert sorted(r.level for r in rows) == [1, 3, 5, 5]
    assert {r.source for r in rows} == {RatingSource.SURVEY} and {r.officer_id for r in rows} == {None}
    assert rating_rows(actor=persona.olga) == []
