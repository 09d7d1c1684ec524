#!/usr/bin/env python
"""Django's command-line utility; a bad environment value is reported in one line."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanjose.settings")
    from django.core.management import execute_from_command_line

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - loads the settings, where the checks are
    except Exception as error:
        if type(error).__name__ == "ConfigurationError":
            sys.stderr.write(f"Configuration error: {error}\n")
            sys.exit(2)
        raise
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
