"""`{% session_card session %}`: one session's card on the agenda, the open day and the
personal schedule.

Written in Python rather than as an included template: the agenda shows up to hundreds of
cards, and Django's template engine spent about 180 µs on each (some 60 variable lookups
and conditions), which was most of the agenda's first rendering after a change (README,
"Load benchmark"). Every value from the database goes through `escape`; the labels are
the same messages as in the template before, so the catalogue holds them.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from events.models import Session
from sanjose.templatetags.sanjose_tags import event_time

register = template.Library()

_PK = 2_147_483_647  # stands for the session id in the one reversed session URL


@register.simple_tag(takes_context=True)
def session_card(context, session: Session) -> SafeString:
    """The card; a closed meeting the viewer may not see (`is_visible` False) is a bare
    slot: time, room and "Closed meeting", no title, no link. `working_group` from the
    context names the viewer's own group's room on a working-groups session."""
    words = _words(context)
    where = f" · {escape(session.room.name)}" if session.room else ""
    times = f"{event_time(session.starts_at)}–{event_time(session.ends_at)}"
    if getattr(session, "is_visible", True) is False:
        return mark_safe(  # noqa: S308 (every value escaped above)
            '<article class="card session-card kind-closed"><div class="card-body py-2">'
            f'<div class="small text-body-secondary time-label">{times}{where}</div>'
            f'<div class="fw-semibold text-body-secondary">{words["closed"]}</div>'
            "</div></article>"
        )
    if not where and session.kind == Session.Kind.WORKING_GROUPS:
        where = _working_group_room(context.get("working_group"), words)
    classes = f"kind-{escape(session.kind)}"
    classes += " is-public" if session.audience == Session.Audience.PUBLIC else ""
    classes += " is-cancelled" if session.is_cancelled else ""
    url = words["url"].replace(str(_PK), str(session.pk))
    return mark_safe(  # noqa: S308 (every value escaped above)
        f'<article class="card session-card {classes}"><div class="card-body py-2">'
        f'<div class="small text-body-secondary time-label">{times}{where}</div>'
        f'<h3 class="h6 mb-1"><a class="stretched-link session-title" href="{url}">'
        f"{escape(session.title)}</a></h3>"
        f'<div class="d-flex flex-wrap gap-1 small">{_badges(session, words)}</div>'
        f"{_speakers(session, words)}</div></article>"
    )


def _words(context) -> dict[str, str]:
    """The labels in the active language and the session URL, made once per rendering."""
    key = ("session_card", get_language())
    words = context.render_context.get(key)
    if words is None:
        labels = {
            "closed": _("Closed meeting"),
            "cancelled": _("Cancelled"),
            "public": _("Public"),
            "signup": _("Sign-up"),
            "moderator": _("moderator"),
            "group_room": _("in your working group's room"),
        }
        words = {name: escape(label) for name, label in labels.items()}
        words["url"] = escape(reverse("events:session_detail", args=[_PK]))
        context.render_context[key] = words
    return words


def _working_group_room(working_group, words: dict[str, str]) -> str:
    if not working_group:
        return f" · {words['group_room']}"
    room = f", {escape(working_group.room.name)}" if working_group.room else ""
    return f' · <span class="working-group">{escape(working_group.name)}{room}</span>'


def _badges(session: Session, words: dict[str, str]) -> str:
    badges = []
    if session.is_cancelled:
        badges.append(("text-bg-danger", words["cancelled"]))
    if session.kind not in (Session.Kind.BREAK, Session.Kind.CLOSED_MEETING):
        badges.append(("text-bg-light border", escape(session.kind_label)))
    if session.audience == Session.Audience.GROUPS:
        badges.append(("text-bg-secondary", words["closed"]))
    elif session.audience == Session.Audience.PUBLIC and not session.day.is_public:
        badges.append(("badge-open-day", words["public"]))
    if session.signup_required:
        badges.append(("text-bg-info", words["signup"]))
    return "".join(f'<span class="badge {css}">{label}</span>' for css, label in badges)


def _speakers(session: Session, words: dict[str, str]) -> str:
    speakers = getattr(session, "speaker_names", None)  # events.selectors.with_speaker_names
    if not speakers:
        return ""
    names = ", ".join(
        escape(speaker.name) + (f" ({words['moderator']})" if speaker.is_moderator else "")
        for speaker in speakers
    )
    return f'<p class="small mb-0 mt-1 speakers">{names}</p>'
