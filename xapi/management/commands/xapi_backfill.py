"""Send the learning history to the LRS: every record owed a statement that was not sent yet."""

from django.core.management.base import BaseCommand, CommandError

from xapi.backfill import backfill_run
from xapi.services import BATCH_SIZE, deliveries_send, xapi_enabled
from xapi.tasks import deliveries_enqueue, delivery_reschedule


class Command(BaseCommand):
    help = (
        "Send the xAPI statements of past learning records, verified non-classical development "
        "records and package launches to the LRS (LENTERA_XAPI_ENDPOINT). Batched, idempotent "
        "and resumable: run it again after a stop and it goes on; nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="Records read and sent at a time."
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Hand the batches to the task worker instead of sending them from here.",
        )

    def handle(self, *args, batch_size: int, queue: bool, **options):
        if not xapi_enabled():
            raise CommandError("LENTERA_XAPI_ENDPOINT is empty: no LRS to send to.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")

        def handle_batch(pending: list[int]) -> dict[str, int]:
            if queue:
                deliveries_enqueue(pending)
                return {"queued": len(pending)}
            return deliveries_send(delivery_ids=pending, reschedule=delivery_reschedule)

        def report(source: str, records: int, counts: dict[str, int]) -> None:
            if options["verbosity"] > 1:
                done = ", ".join(f"{key} {value}" for key, value in sorted(counts.items()))
                self.stdout.write(f"{source}: {done}")

        totals = backfill_run(batch_size=batch_size, handle=handle_batch, report=report)
        summary = ", ".join(f"{key}: {value}" for key, value in sorted(totals.items()))
        self.stdout.write(self.style.SUCCESS(f"xAPI backfill done. {summary or 'nothing to do'}."))
