"""The directory's search form and the form to be listed in it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participants.models import Sector, Subregion


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Name or organisation"), required=False, max_length=100)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )
    subregion = forms.ChoiceField(
        label=_("Sub-region"),
        required=False,
        choices=[("", _("All sub-regions")), *Subregion.choices],
    )


class DirectoryListingForm(forms.Form):
    listed = forms.BooleanField(
        label=_(
            "List me in the participant directory: other approved participants of this "
            "event see my name, organisation, sector, country and languages, and what I add "
            "below."
        ),
        required=False,
    )
    bio = forms.CharField(
        label=_("Short bio (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact = forms.CharField(
        label=_("Contact to show (optional)"),
        required=False,
        max_length=200,
        help_text=_(
            "For example a work email or a phone number. Your account email is never shown."
        ),
    )
