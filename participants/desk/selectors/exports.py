"""The lists organisers export: one query each, read row by row, never one query per row.

Each list is a `Listing`: its headers, a lazy iterator of rows (plain strings and
numbers) and a `count()` for the export log. The services in
`participants.desk.services` turn a listing into CSV or XLSX.
"""

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

from django.db.models import Aggregate, CharField, Exists, OuterRef, QuerySet, Subquery, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from events.models import Session
from participants.models import (
    CheckIn,
    Membership,
    Registration,
    RegistrationType,
    Sector,
    SessionSignup,
    Subregion,
    WorldCafeSeat,
)
from sanjose.i18n import translated_value
from sanjose.templatetags.sanjose_tags import event_local

CHUNK_SIZE = 2000
SEPARATOR = "; "


class Joined(Aggregate):
    """Text values joined with "; " in one column, sorted: STRING_AGG on PostgreSQL,
    GROUP_CONCAT on SQLite (the development default)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, '; ' ORDER BY %(expressions)s)"
    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        # The expression appears twice (value and ORDER BY): so do its parameters.
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return sql, (*params, *params)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "%(function)s(%(expressions)s, '; ')"
        return super().as_sql(
            compiler, connection, function="GROUP_CONCAT", template=template, **extra_context
        )


def _joined(queryset: QuerySet, key: str, value: str) -> Subquery:
    """One text column from many related rows, as a correlated subquery."""
    return Subquery(
        queryset.order_by().values(key).annotate(joined=Joined(value)).values("joined")[:1],
        output_field=TextField(),
    )


@dataclass(frozen=True)
class AttendeeFilters:
    """The filters of the attendee export; each empty one means "any"."""

    event_id: int | None = None
    type_id: int | None = None
    status: str = ""
    day: date | None = None
    group_id: int | None = None
    country: str = ""
    subregion: str = ""
    sector: str = ""

    def as_log(self) -> dict:
        """What the export log records: the filters chosen, never the data."""
        return {name: str(value) for name, value in asdict(self).items() if value}


def filtered_registrations(filters: AttendeeFilters) -> QuerySet[Registration]:
    registrations = Registration.objects.all()
    exact = {
        "event_id": filters.event_id,
        "type_id": filters.type_id,
        "status": filters.status,
        "participant__country": filters.country,
        "participant__subregion": filters.subregion,
        "participant__sector": filters.sector,
    }
    registrations = registrations.filter(**{key: value for key, value in exact.items() if value})
    if filters.day:
        attends = RegistrationType.days.through.objects.filter(
            registrationtype_id=OuterRef("type_id"), eventday__date=filters.day
        )
        registrations = registrations.filter(Exists(attends))
    if filters.group_id:
        member = Membership.objects.filter(
            participant_id=OuterRef("participant_id"), group_id=filters.group_id
        )
        registrations = registrations.filter(Exists(member))
    return registrations


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    source: str
    render: Callable[[object], object] = str


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _choice(choices) -> Callable[[object], str]:
    labels = dict(choices)
    return lambda value: str(labels.get(value, value or ""))


def _country(code: object) -> str:
    return countries.name(code) if code else ""


def _event_moment(value: object) -> str:
    local = event_local(value)
    return local.strftime("%Y-%m-%d %H:%M") if local else ""


def _languages(value: object) -> str:
    return ", ".join(value) if isinstance(value, list) else _text(value)


ATTENDEE_COLUMNS = [
    Column("name", _("Name"), "participant__badge_name", _text),
    Column("email", _("Email"), "participant__user__email", _text),
    Column("organisation", _("Organisation"), "participant__organisation", _text),
    Column("sector", _("Sector"), "participant__sector", _choice(Sector.choices)),
    Column("country", _("Country"), "participant__country", _country),
    Column("subregion", _("Sub-region"), "participant__subregion", _choice(Subregion.choices)),
    Column("type", _("Registration type"), "type_name", _text),
    Column("status", _("Status"), "status", _choice(Registration.Status.choices)),
    Column("days", _("Days attending"), "attending_days", _text),
    Column("groups", _("Groups"), "group_names", _text),
    Column("language", _("Preferred language"), "participant__preferred_language", _text),
    Column("languages", _("Languages spoken"), "participant__languages_spoken", _languages),
    Column("dietary", _("Dietary needs"), "participant__dietary_needs", _text),
    Column("accessibility", _("Accessibility needs"), "participant__accessibility_needs", _text),
    Column("registered_at", _("Registered at"), "created_at", _event_moment),
    Column("checked_in", _("Checked in on"), "checked_in_days", _text),
]
COLUMNS_BY_KEY = {column.key: column for column in ATTENDEE_COLUMNS}
DEFAULT_COLUMNS = ["name", "email", "organisation", "sector", "country", "type", "status"]


@dataclass
class Listing:
    """A list ready to write: headers, and rows read lazily from one query."""

    kind: str
    headers: list[str]
    queryset: QuerySet
    render_row: Callable[[Sequence], Sequence] = tuple
    filters: dict = field(default_factory=dict)

    def count(self) -> int:
        return self.queryset.count()

    def rows(self) -> Iterator[Sequence]:
        for values in self.queryset.iterator(chunk_size=CHUNK_SIZE):
            yield self.render_row(values)


def _with_sources(registrations: QuerySet[Registration], sources: set[str]) -> QuerySet:
    if "type_name" in sources:
        registrations = registrations.annotate(type_name=translated_value("type__name"))
    if "attending_days" in sources:
        registrations = registrations.annotate(
            attending_days=_joined(
                RegistrationType.days.through.objects.filter(
                    registrationtype_id=OuterRef("type_id")
                ).order_by("eventday__date"),
                "registrationtype_id",
                Cast("eventday__date", CharField()),
            )
        )
    if "group_names" in sources:
        registrations = registrations.annotate(
            group_names=_joined(
                Membership.objects.filter(
                    participant_id=OuterRef("participant_id"), group__event_id=OuterRef("event_id")
                ),
                "participant_id",
                translated_value("group__name"),
            )
        )
    if "checked_in_days" in sources:
        registrations = registrations.annotate(
            checked_in_days=_joined(
                CheckIn.objects.filter(registration_id=OuterRef("pk")),
                "registration_id",
                Cast("day", CharField()),
            )
        )
    return registrations


def attendee_listing(
    *,
    filters: AttendeeFilters,
    columns: Sequence[str],
    registration_ids: Collection[int] | None = None,
) -> Listing:
    """The full attendee list, filtered (and limited to `registration_ids`, a selection
    made in the admin, when given), with the columns chosen in the order given."""
    chosen = [COLUMNS_BY_KEY[key] for key in columns if key in COLUMNS_BY_KEY] or [
        COLUMNS_BY_KEY[key] for key in DEFAULT_COLUMNS
    ]
    sources = [column.source for column in chosen]
    registrations = filtered_registrations(filters)
    logged = {**filters.as_log(), "columns": [column.key for column in chosen]}
    if registration_ids is not None:
        registrations = registrations.filter(pk__in=registration_ids)
        logged["selected"] = len(registration_ids)
    registrations = _with_sources(registrations, set(sources))
    renderers = [column.render for column in chosen]
    return Listing(
        kind="attendees",
        headers=[str(column.label) for column in chosen],
        queryset=registrations.order_by("participant__badge_name", "pk").values_list(*sources),
        render_row=lambda values: [render(v) for render, v in zip(renderers, values, strict=True)],
        filters=logged,
    )


def _approved(event_id: int | None) -> QuerySet[Registration]:
    if event_id:
        return Registration.objects.approved_for(event_id)
    return Registration.objects.approved()


def attendance_listing(*, event_id: int | None, day: date | None) -> Listing:
    """Who was checked in at the desk, day by day (from CheckIn)."""
    check_ins = CheckIn.objects.all()
    if event_id:
        check_ins = check_ins.filter(registration__event_id=event_id)
    if day:
        check_ins = check_ins.filter(day=day)
    queryset = check_ins.order_by("day", "registration__participant__badge_name").values_list(
        "day",
        "checked_in_at",
        "registration__participant__badge_name",
        "registration__participant__organisation",
        "registration__participant__country",
        translated_value("registration__type__name"),
    )
    return Listing(
        kind="attendance",
        headers=[
            str(_("Day")),
            str(_("Checked in at")),
            str(_("Name")),
            str(_("Organisation")),
            str(_("Country")),
            str(_("Registration type")),
        ],
        queryset=queryset,
        render_row=lambda r: [str(r[0]), _event_moment(r[1]), r[2], r[3], _country(r[4]), r[5]],
        filters=_log(event=event_id, day=day),
    )


def _log(**filters) -> dict:
    return {name: str(value) for name, value in filters.items() if value}


PERSON_HEADERS = [_("Name"), _("Organisation"), _("Country"), _("Email")]


def _person_row(values: Sequence) -> list:
    name, organisation, country, email, *rest = values
    return [name, organisation, _country(country), email, *rest]


def session_listing(*, session: Session) -> Listing:
    """Who is expected in a session: its sign-ups where it takes sign-ups, its groups'
    members for a closed meeting, otherwise the approved registrations for its day."""
    person = ["badge_name", "organisation", "country", "user__email"]
    if session.signup_required:
        return signup_listing(session=session)
    elif session.audience == Session.Audience.GROUPS:
        members = Membership.objects.filter(group__sessions=session).order_by(
            "participant__badge_name", "participant_id"
        )
        queryset = members.values_list(*(f"participant__{name}" for name in person)).distinct()
    else:
        attends = RegistrationType.days.through.objects.filter(
            registrationtype_id=OuterRef("type_id"), eventday_id=session.day_id
        )
        queryset = (
            _approved(session.event_id)
            .filter(Exists(attends))
            .order_by("participant__badge_name")
            .values_list(*(f"participant__{name}" for name in person))
        )
    return Listing(
        kind="session",
        headers=[str(label) for label in PERSON_HEADERS],
        queryset=queryset,
        render_row=_person_row,
        filters=_log(session=session.pk),
    )


def signup_listing(*, session: Session) -> Listing:
    """A sign-up session's list: the seats, then the waiting list in its order."""
    status = _choice(SessionSignup.Status.choices)
    queryset = (
        SessionSignup.objects.filter(session=session)
        .order_by("-status", "waitlist_position", "participant__badge_name")
        .values_list(
            "participant__badge_name",
            "participant__organisation",
            "participant__country",
            "participant__user__email",
            "status",
            "waitlist_position",
            "created_at",
        )
    )

    def render_row(values: Sequence) -> list:
        *who, state, position, signed_up_at = values
        return [*_person_row(who), status(state), position or "", _event_moment(signed_up_at)]

    return Listing(
        kind="session",
        headers=[
            *(str(label) for label in PERSON_HEADERS),
            str(_("Sign-up")),
            str(_("Waiting list position")),
            str(_("Signed up at")),
        ],
        queryset=queryset,
        render_row=render_row,
        filters=_log(session=session.pk),
    )


def group_listing(*, group_id: int) -> Listing:
    """A group's members with their role."""
    role = _choice(Membership.Role.choices)
    queryset = (
        Membership.objects.filter(group_id=group_id)
        .order_by("participant__badge_name")
        .values_list(
            "participant__badge_name",
            "participant__organisation",
            "participant__country",
            "participant__user__email",
            translated_value("group__name"),
            "role",
        )
    )
    return Listing(
        kind="group",
        headers=[str(label) for label in [*PERSON_HEADERS, _("Group"), _("Role")]],
        queryset=queryset,
        render_row=lambda values: [*_person_row(values[:5]), role(values[5])],
        filters=_log(group=group_id),
    )


def catering_listing(*, event_id: int | None, day: date | None) -> Listing:
    """Dietary needs per day: each approved person with a need, on each day they attend."""
    through = RegistrationType.days.through.objects.filter(
        registrationtype__registrations__in=Registration.objects.approved(),
        registrationtype__registrations__participant__dietary_needs__gt="",
    )
    if event_id:
        through = through.filter(eventday__event_id=event_id)
    if day:
        through = through.filter(eventday__date=day)
    person = "registrationtype__registrations__participant__"
    queryset = through.order_by("eventday__date", f"{person}badge_name").values_list(
        "eventday__date", f"{person}badge_name", f"{person}organisation", f"{person}dietary_needs"
    )
    return Listing(
        kind="catering",
        headers=[str(_("Day")), str(_("Name")), str(_("Organisation")), str(_("Dietary needs"))],
        queryset=queryset,
        render_row=lambda r: [str(r[0]), r[1], r[2], r[3]],
        filters=_log(event=event_id, day=day),
    )


def accessibility_listing(*, event_id: int | None) -> Listing:
    """Approved people who told us of an accessibility need, with the days they attend."""
    registrations = _with_sources(
        _approved(event_id).filter(participant__accessibility_needs__gt=""), {"attending_days"}
    )
    queryset = registrations.order_by("participant__badge_name").values_list(
        "participant__badge_name",
        "participant__organisation",
        "participant__country",
        "participant__user__email",
        "attending_days",
        "participant__accessibility_needs",
    )
    return Listing(
        kind="accessibility",
        headers=[str(label) for label in [*PERSON_HEADERS, _("Days attending"), _("Needs")]],
        queryset=queryset,
        render_row=lambda values: [*_person_row(values[:4]), _text(values[4]), values[5]],
        filters=_log(event=event_id),
    )


def badge_listing(*, event_id: int | None) -> Listing:
    """What goes on each approved person's badge."""
    queryset = (
        _approved(event_id)
        .order_by("participant__badge_name")
        .values_list(
            "participant__badge_name",
            "participant__organisation",
            "participant__country",
            translated_value("type__name"),
        )
    )
    return Listing(
        kind="badges",
        headers=[str(_("Name")), str(_("Organisation")), str(_("Country")), str(_("Type"))],
        queryset=queryset,
        render_row=lambda r: [r[0], r[1], _country(r[2]), r[3]],
        filters=_log(event=event_id),
    )


def world_cafe_listing(*, event_id: int | None) -> Listing:
    """The World Café plan: who sits at which table in each round (the seats that count,
    as on /me/ and the host's list)."""
    seats = WorldCafeSeat.objects.counting()
    if event_id:
        seats = seats.filter(cafe__session__event_id=event_id)
    queryset = seats.order_by(
        "cafe__session__starts_at", "round_number", "table__number", "participant__badge_name"
    ).values_list(
        translated_value("cafe__session__title"),
        "round_number",
        "table__number",
        translated_value("table__topic"),
        "table__host__badge_name",
        "participant__badge_name",
        "participant__organisation",
    )
    return Listing(
        kind="world-cafe",
        headers=[
            str(_("Session")),
            str(_("Round")),
            str(_("Table")),
            str(_("Topic")),
            str(_("Host")),
            str(_("Name")),
            str(_("Organisation")),
        ],
        queryset=queryset,
        render_row=lambda r: [r[0], r[1], r[2], r[3], _text(r[4]), r[5], r[6]],
        filters=_log(event=event_id),
    )
