import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from jingmin.appeals.demo import DEFAULT_COUNTS, seed_appeals
from jingmin.appeals.models import Appeal, AppealEvent, FollowUp, State
from jingmin.cases.demo import seed_cases
from jingmin.core.writes import composing
from jingmin.disputes.demo import seed_disputes
from jingmin.evaluation.demo import seed_evaluation
from jingmin.ledger.demo import seed_ledger
from jingmin.metrics import rollup
from jingmin.metrics.demo import seed_metrics
from jingmin.open311.demo import seed_open311
from jingmin.org.demo import SIZES, seed_org
from jingmin.org.models import Unit
from jingmin.portal.demo import seed_desk_arrivals, seed_notices
from jingmin.routing.demo import seed_routing
from jingmin.visits.demo import seed_visits
from jingmin.warnings.demo import seed_warnings


class Command(BaseCommand):
    help = "Load a realistic demo bureau and a year of its appeals (deterministic for a given seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument(
            "--appeals",
            type=int,
            default=None,
            help="how many appeals to load (default: "
            + ", ".join(f"{n} for {size}" for size, n in sorted(DEFAULT_COUNTS.items()))
            + ")",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing, successfully, when the database already holds units",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Unit.objects.exists():
            if options["if_empty"]:
                self.stdout.write("demo data already loaded; nothing to do")
                return
            raise CommandError(
                "the database already holds units; the demo is loaded only into an empty database"
            )
        count = options["appeals"]
        if count is None:
            count = DEFAULT_COUNTS[options["size"]]
        if count < 0:
            raise CommandError("--appeals cannot be negative")
        started = time.monotonic()
        # One transaction: a load that fails half-way leaves nothing that --if-empty would keep.
        with composing():
            org = seed_org(seed=options["seed"], size=options["size"])
            loaded = seed_appeals(seed=options["seed"], org=org, count=count) if count else 0
            seed_routing()
            seed_ledger(seed=options["seed"], org=org)
            seed_visits(seed=options["seed"], org=org)
            disputes = seed_disputes(seed=options["seed"], org=org)
            cases = seed_cases(seed=options["seed"], org=org)
            swept = seed_warnings(seed=options["seed"], org=org)
            seed_notices(org=org)
            seed_desk_arrivals(org=org)
            seed_open311(org=org)
            evaluation = seed_evaluation(seed=options["seed"], org=org)
            seed_metrics(org=org)
            # The demo writes its year in bulk, past the services that keep the indicators'
            # roll-ups, so they are counted once from the records, as after a bulk load in
            # production (`metrics_rollup --rebuild`); from then on the services keep them.
            rollup_seconds = rollup.rebuild()
        self.stdout.write(
            f"demo bureau {org.bureau.name}: {len(org.stations)} stations, {len(org.districts)} police districts, "
            f"{len(org.departments)} departments"
        )
        if loaded:
            states = dict(Appeal.objects.values_list("state").annotate(n=Count("id")).order_by())
            self.stdout.write(
                f"{loaded} appeals over the past year, {AppealEvent.objects.count()} events, "
                f"{FollowUp.objects.count()} follow-ups; by state: "
                + ", ".join(f"{state} {states.get(state, 0)}" for state in State.values)
            )
        self.stdout.write(
            f"{disputes.disputes} disputes, {cases.help} help and {cases.persuasion} persuasion cases, "
            f"{sum(swept.outcomes.values())} early-warning signals; "
            f"open-door evaluation: {evaluation.events} events, {evaluation.opinions} opinions, "
            f"{evaluation.surveys} surveys with {evaluation.sheets} answer sheets"
        )
        self.stdout.write(f"indicator roll-ups counted in {rollup_seconds:.1f} s")
        self.stdout.write(f"loaded in {time.monotonic() - started:.1f} s")
