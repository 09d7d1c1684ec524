from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.backup import backup_event
from events.models import Event


class Command(BaseCommand):
    help = (
        "Back up one event (its rows, the people and accounts they name, its stored files) "
        "into a .tar.gz readable by its owner only: it holds personal data."
    )

    def add_arguments(self, parser):
        parser.add_argument("event", help="the event's slug")
        parser.add_argument("archive", type=Path, help="where to write the .tar.gz")

    def handle(self, *args, event: str, archive: Path, **options):
        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"No event with the slug {event!r}.")
        counts = backup_event(event=found, path=archive)
        self.stdout.write(f"Backed up {found.slug}: {counts['rows']} rows, {counts['files']} files")
        self.stdout.write(f"into {archive}")
