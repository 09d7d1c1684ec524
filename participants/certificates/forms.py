"""The invitation-letter request and the public verification form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participants.models import LetterRequest


class LetterRequestForm(forms.ModelForm):
    class Meta:
        model = LetterRequest
        fields = ["passport_name", "nationality"]
        widgets = {"passport_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def clean_passport_name(self) -> str:
        name = " ".join(self.cleaned_data["passport_name"].split())
        if not name:
            raise forms.ValidationError(_("Please give your name as in your passport."))
        return name


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("As printed on the certificate or letter, e.g. ABCD-EFGH-IJKL-MNOP."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
