"""The demo's data files (`demo/*.toml`, read with the standard library's tomllib) and
the one error `load_demo` reports for an entry the services refuse.

The apps' demo loaders (`events/demo.py`, `participants/demo.py`, `documents/demo.py`)
read their file here and apply each entry through their services inside `entry(...)`,
so a refusal names the file and the entry, and the command's transaction writes nothing.
"""

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError


class DemoDataError(Exception):
    """An entry of a demo data file that cannot be laid; the message names it."""


def default_folder() -> Path:
    return Path(settings.BASE_DIR) / "demo"


def read(name: str, *, folder: Path | None = None) -> dict:
    """The parsed `<folder>/<name>.toml` (DemoDataError if missing or not TOML)."""
    path = (folder or default_folder()) / f"{name}.toml"
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        raise DemoDataError(f"{path}: no such file.") from None
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{path}: {error}") from None


def describe(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, KeyError):
        return f"missing {error.args[0]!r}"
    return str(error)


@contextmanager
def entry(label: str, *, refusals: tuple[type[Exception], ...] = ()) -> Iterator[None]:
    """Report a ValidationError (or one of `refusals`, a service's own errors), a missing
    key or a bad value raised while laying one entry as a DemoDataError naming it."""
    try:
        yield
    except (ValidationError, KeyError, ValueError, *refusals) as error:
        raise DemoDataError(f"{label}: {describe(error)}") from error
