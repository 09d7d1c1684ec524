"""The staff dashboard's numbers: one grouped query per chart, whatever the event's size."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from events.models import Event
from participants.models import CheckIn, Registration, RegistrationType, Sector, Subregion
from sanjose.i18n import translated_value


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: int  # of the chart's largest bar, for the bar's width


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: list[Bar]

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)


def _chart(key: str, title: str, pairs: list[tuple[str, int]]) -> Chart:
    top = max((count for _label, count in pairs), default=0)
    bars = [
        Bar(str(label), count, round(100 * count / top) if top else 0) for label, count in pairs
    ]
    return Chart(key, str(title), bars)


def _grouped(registrations: QuerySet, field: str) -> list[tuple[object, int]]:
    rows = registrations.order_by().values(field).annotate(n=Count("pk")).order_by("-n", field)
    return [(row[field], row["n"]) for row in rows]


def registration_charts(event: Event) -> list[Chart]:
    """Registrations of `event` by status, type, country, sub-region and sector."""
    registrations = Registration.objects.filter(event=event)
    statuses = dict(Registration.Status.choices)
    types = dict(
        RegistrationType.objects.filter(event=event).values_list("pk", translated_value("name"))
    )
    subregions, sectors = dict(Subregion.choices), dict(Sector.choices)
    return [
        _chart(
            "status",
            _("By status"),
            [(statuses.get(s, s), n) for s, n in _grouped(registrations, "status")],
        ),
        _chart(
            "type",
            _("By registration type"),
            [(types.get(t, t), n) for t, n in _grouped(registrations, "type_id")],
        ),
        _chart(
            "country",
            _("By country"),
            [
                (countries.name(c) or c, n)
                for c, n in _grouped(registrations, "participant__country")
            ],
        ),
        _chart(
            "subregion",
            _("By sub-region"),
            [
                (subregions.get(s, s), n)
                for s, n in _grouped(registrations, "participant__subregion")
            ],
        ),
        _chart(
            "sector",
            _("By sector"),
            [(sectors.get(s, s), n) for s, n in _grouped(registrations, "participant__sector")],
        ),
    ]


def check_in_chart(event: Event) -> Chart:
    """Check-ins on each day of `event` (days without any show as 0)."""
    counts = dict(
        CheckIn.objects.filter(registration__event=event)
        .order_by()
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    return _per_day_chart(event, "check_ins", _("Check-ins per day"), counts)


def expected_chart(event: Event) -> Chart:
    """Approved registrations whose type covers each day: the headcount to expect."""
    counts = dict(
        RegistrationType.days.through.objects.filter(
            eventday__event=event,
            registrationtype__registrations__in=Registration.objects.approved(),
        )
        .order_by()
        .values("eventday__date")
        .annotate(n=Count("registrationtype__registrations"))
        .values_list("eventday__date", "n")
    )
    return _per_day_chart(event, "expected", _("Expected per day (approved)"), counts)


def _per_day_chart(event: Event, key: str, title: str, counts: dict) -> Chart:
    """One bar per day of the event, in order; days without a count show 0."""
    days = event.days.order_by("date").values_list("date", flat=True)
    return _chart(key, title, [(formats.date_format(d, "D j M"), counts.get(d, 0)) for d in days])
