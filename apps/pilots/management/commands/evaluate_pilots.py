import json

from django.core.management.base import BaseCommand, CommandError

from apps.pilots.errors import PilotError
from apps.pilots.models import EvaluationRound
from apps.pilots.services import round_evaluation_request


class Command(BaseCommand):
    help = "Queue the evaluation of a pilot-unit round on the Celery workers."

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, required=True, dest="round_id", help="round id")
        parser.add_argument("--wait", action="store_true", help="wait for the result and print it")
        parser.add_argument("--timeout", type=float, default=600, help="seconds to wait (--wait)")

    def handle(self, *args, round_id: int, wait: bool, timeout: float, **options):
        from celery.result import AsyncResult

        round = EvaluationRound.objects.filter(pk=round_id).first()
        if round is None:
            raise CommandError(f"No evaluation round with id {round_id}.")
        try:
            task_id = round_evaluation_request(round=round, actor=None)
        except PilotError as error:
            raise CommandError(error.message) from None
        if not wait:
            self.stdout.write(f"Queued evaluation of round {round_id}: task {task_id}")
            return
        result = AsyncResult(task_id).get(timeout=timeout)
        self.stdout.write(json.dumps(result, ensure_ascii=False))
        if result.get("status") != "evaluated":
            raise CommandError(result.get("message", "The evaluation was refused."))
