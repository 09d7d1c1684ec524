"""What a participant's digital badge shows."""

from dataclasses import dataclass

import segno
from django.utils.safestring import SafeString, mark_safe

from participants.desk.services import check_in_code, desk_code_display
from participants.models import Registration


@dataclass(frozen=True)
class Badge:
    registration: Registration
    code: str
    qr_svg: SafeString
    desk_code: str


def badge_registration(user) -> Registration | None:
    """The user's approved registration for the current event, else their latest approved one."""
    return (
        Registration.objects.approved()
        .filter(participant__user=user)
        .select_related("participant", "event", "type")
        .order_by("-event__is_current", "-event__start_date")
        .first()
    )


def badge_for(user) -> Badge | None:
    """The badge of an approved registration: its signed check-in code as an inline SVG QR."""
    registration = badge_registration(user)
    if registration is None:
        return None
    code = check_in_code(registration)
    qr = segno.make(code, error="m")
    # segno writes the SVG itself from the code's characters (escaped): no user text in it.
    svg = qr.svg_inline(scale=4, border=2, dark="#111", light="#fff", omitsize=True)
    return Badge(
        registration=registration,
        code=code,
        qr_svg=mark_safe(svg),  # noqa: S308
        desk_code=desk_code_display(registration.desk_code),
    )
