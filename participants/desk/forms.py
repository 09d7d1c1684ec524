"""The check-in desk's two inputs: a badge code (scanned or typed) and a name search.

The filters of the organisers' exports, read from query parameters.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from events.models import Event, EventDay, Session
from participants.desk.selectors.exports import (
    ATTENDEE_COLUMNS,
    DEFAULT_COLUMNS,
    AttendeeFilters,
    Listing,
    attendee_listing,
    group_listing,
    session_listing,
)
from participants.models import Group, Registration, RegistrationType, Sector, Subregion
from sanjose.dates import long_day_year


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Badge code"),
        max_length=200,
        help_text=_("Scan the badge's QR code, or type the 8-character code under it."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class CheckInSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, email or organisation"),
        min_length=2,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class CheckInPickForm(forms.Form):
    """A registration picked from the name search's results."""

    registration = forms.ModelChoiceField(
        queryset=Registration.objects.select_related("participant", "type", "event"),
        widget=forms.HiddenInput,
    )


def _blank(label: str, choices) -> list:
    return [("", label), *choices]


class EventChoiceForm(forms.Form):
    """`?event=<id>` on staff pages: an unknown or malformed id is invalid, not a crash."""

    event = forms.ModelChoiceField(
        label=_("Event"), queryset=Event.objects.all(), required=False, empty_label=_("Any event")
    )


class EventFilterForm(EventChoiceForm):
    """Event and day: the filters every ready-made list shares."""

    day = forms.DateField(
        label=_("Day"),
        required=False,
        widget=forms.Select,
        help_text=_("For the lists that go by day."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = EventDay.objects.order_by("date").values_list("date", flat=True).distinct()
        self.fields["day"].widget.choices = _blank(
            _("Any day"), [(d.isoformat(), long_day_year(d)) for d in days]
        )

    @property
    def event_id(self) -> int | None:
        event = self.cleaned_data.get("event")
        return event.pk if event else None


class AttendeeExportForm(EventFilterForm):
    type = forms.ModelChoiceField(
        label=_("Registration type"),
        queryset=RegistrationType.objects.all(),
        required=False,
        empty_label=_("Any type"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(_("Any status"), Registration.Status.choices),
    )
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=Group.objects.all(), required=False, empty_label=_("Any group")
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    subregion = forms.ChoiceField(
        label=_("Sub-region"),
        required=False,
        choices=_blank(_("Any sub-region"), Subregion.choices),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=_blank(_("Any sector"), Sector.choices)
    )
    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        choices=[(column.key, column.label) for column in ATTENDEE_COLUMNS],
        initial=DEFAULT_COLUMNS,
        help_text=_("None chosen: the usual columns."),
    )

    field_order = ["event", "type", "status", "day", "group", "country", "subregion", "sector"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].help_text = _("People whose registration covers this day.")
        self.fields["country"].choices = _blank(_("Any country"), list(countries))

    def filters(self) -> AttendeeFilters:
        data = self.cleaned_data
        return AttendeeFilters(
            event_id=self.event_id,
            type_id=data["type"].pk if data.get("type") else None,
            status=data.get("status", ""),
            day=data.get("day"),
            group_id=data["group"].pk if data.get("group") else None,
            country=data.get("country", ""),
            subregion=data.get("subregion", ""),
            sector=data.get("sector", ""),
        )

    def listing(self) -> Listing:
        return attendee_listing(filters=self.filters(), columns=self.cleaned_data["columns"])


class SessionListForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("Session"),
        queryset=Session.objects.order_by("starts_at"),
    )

    def listing(self) -> Listing:
        return session_listing(session=self.cleaned_data["session"])


class GroupListForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.order_by("name_en"))

    def listing(self) -> Listing:
        return group_listing(group_id=self.cleaned_data["group"].pk)
