"""Anonymise the personal data of events past their retention time, or list what would go."""

from django.conf import settings
from django.core.management.base import BaseCommand

from participants.privacy.services import anonymise_event, events_due, plan_event_anonymisation


class Command(BaseCommand):
    help = (
        "Anonymise the personal data of every event that ended more than "
        "PERSONAL_DATA_RETENTION_MONTHS ago (the beat task does it daily). "
        "--dry-run lists what would go and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")

    def handle(self, *args, dry_run: bool, **options):
        months = settings.PERSONAL_DATA_RETENTION_MONTHS
        due = events_due()
        if not due:
            self.stdout.write(f"No event ended more than {months} months ago.")
            return
        for event in due:
            counts = (
                plan_event_anonymisation(event=event) if dry_run else anonymise_event(event=event)
            )
            verb = "would anonymise" if dry_run else "anonymised"
            self.stdout.write(f"{event.name} (ended {event.end_date}): {verb}")
            for label, count in counts.items():
                self.stdout.write(f"  {label}: {count}")
