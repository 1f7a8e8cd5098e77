from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from dtv.accounts.matrix import render_markdown

DEFAULT = Path(settings.BASE_DIR) / "docs" / "permissions.md"


class Command(BaseCommand):
    help = "Write the permission matrix (docs/permissions.md) from ROLE_PERMISSIONS and access.py."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail when the file differs.")
        parser.add_argument("--output", default=str(DEFAULT))

    def handle(self, *args, check=False, output=str(DEFAULT), **options):
        with translation.override("en"):
            text = render_markdown()
        path = Path(output)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(f"{path} is out of date: run manage.py permission_matrix")
            self.stdout.write(f"{path} is up to date.")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
