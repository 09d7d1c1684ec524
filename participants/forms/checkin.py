"""The check-in desk's two inputs: a badge code (scanned or typed) and a name search."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Registration


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
