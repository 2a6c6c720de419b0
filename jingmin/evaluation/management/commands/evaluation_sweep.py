from typing import Any

from django.core.management.base import BaseCommand

from jingmin.evaluation.services import survey_close_due


class Command(BaseCommand):
    help = "Close the open surveys whose closing time has passed (answers are refused from then anyway)."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = survey_close_due()
        self.stdout.write(f"{closed} surveys closed")
