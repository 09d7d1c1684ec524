import tarfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.backup import restore_event


class Command(BaseCommand):
    help = (
        "Restore an archive written by backup_event: rows inserted or updated in one "
        "transaction, stored files written back under their names."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        if not archive.is_file():
            raise CommandError(f"{archive} is not a file.")
        try:
            counts = restore_event(path=archive)
        except (tarfile.TarError, KeyError) as error:
            raise CommandError(f"{archive} is not a backup_event archive ({error}).") from None
        self.stdout.write(f"Restored {counts['rows']} rows and {counts['files']} files.")
