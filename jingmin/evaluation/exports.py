"""The Excel export of every answer of a survey: one row per sheet, one column per question."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from jingmin.evaluation.models import QuestionKind, Survey
from jingmin.evaluation.selectors import survey_answer_sheets


def survey_answers_xlsx(*, survey: Survey) -> tuple[bytes, int]:
    """The workbook's bytes and the number of sheets in it."""
    questions, sheets = survey_answer_sheets(survey=survey)
    book = Workbook(write_only=True)
    table = book.create_sheet(_("Answers"))
    table.append([_("No."), _("Submitted at"), *[f"{q.position}. {q.text}" for q in questions]])
    for number, (response, answers) in enumerate(sheets, start=1):
        row: list[object] = [number, timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M")]
        for q in questions:
            given = answers.get(q.pk, [])
            if q.kind == QuestionKind.SCALE:
                row.append(given[0].value if given else None)
            elif q.kind == QuestionKind.TEXT:
                row.append(given[0].text if given else "")
            else:
                row.append("；".join(a.option.text for a in given if a.option is not None))
        table.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue(), len(sheets)
