"""The profile form and the registration form."""

from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from documents.uploads import too_many_pixels_message
from participants.models import Participant, RegistrationType
from participants.registration.services.profiles import PHOTO_MAX_BYTES, PhotoError, clean_photo
from sanjose.i18n import active_content_language

LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("fr", _("French")),
]
PHOTO_ERRORS = {
    "too_big": _("The photo is too big: at most %(mb)s MB."),
    "format": _("Upload a JPEG, PNG or WebP photo."),
    "invalid": _("This file is not an image we can read. Upload a JPEG, PNG or WebP photo."),
}


# The texts behind the consent boxes, linked once their pages exist (the `pages` app).
CONSENT_LINKS = [
    ("accepts_privacy", "pages:privacy", _("Read the privacy notice")),
    ("accepts_conduct", "pages:code_of_conduct", _("Read the code of conduct")),
]


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


class ProfileForm(forms.ModelForm):
    languages_spoken = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 5 MB. Only you and ECPAT staff can see it."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    accepts_privacy = forms.BooleanField(
        label=_("I have read and accept the privacy notice."), required=False
    )
    accepts_conduct = forms.BooleanField(
        label=_("I have read and accept the code of conduct and the safeguarding policy."),
        required=False,
    )

    class Meta:
        model = Participant
        fields = [
            "badge_name",
            "organisation",
            "sector",
            "country",
            "preferred_language",
            "languages_spoken",
            "accessibility_needs",
            "dietary_needs",
        ]
        widgets = {
            "accessibility_needs": forms.Textarea(attrs={"rows": 2}),
            "dietary_needs": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "preferred_language": _("We write to you in this language."),
            "accessibility_needs": _("Anything that would help you take part fully."),
        }

    def __init__(self, *args, needs_consent: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # A new profile speaks the language the person is browsing in.
            self.initial["preferred_language"] = active_content_language()
        self.needs_consent = needs_consent
        if needs_consent:
            self.fields["accepts_privacy"].required = True
            self.fields["accepts_conduct"].required = True
            for field, url_name, text in CONSENT_LINKS:
                url = _url_or_none(url_name)
                if url:
                    self.fields[field].help_text = format_html(
                        '<a href="{}" target="_blank" rel="noopener">{}</a>'
                        '<span class="visually-hidden"> ({})</span>',
                        url,
                        text,
                        _("opens in a new tab"),
                    )
        else:
            del self.fields["accepts_privacy"]
            del self.fields["accepts_conduct"]
        self.fields["country"].choices = [("", _("Choose your country"))] + list(
            self.fields["country"].choices
        )[1:]
        self.fields["sector"].choices = [("", _("Choose your sector"))] + list(
            self.fields["sector"].choices
        )[1:]

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            return clean_photo(upload)
        except PhotoError as error:
            if error.code == "too_many_pixels":
                raise forms.ValidationError(too_many_pixels_message(error.image_format)) from None
            message = PHOTO_ERRORS[error.code] % {"mb": PHOTO_MAX_BYTES // (1024 * 1024)}
            raise forms.ValidationError(message) from None


class RegistrationForm(forms.Form):
    type = forms.ModelChoiceField(
        label=_("How do you take part?"),
        queryset=RegistrationType.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    motivation = forms.CharField(
        label=_("Why you want to take part (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = RegistrationType.objects.filter(pk__in=[t.pk for t in types])
        self.fields["type"].label_from_instance = lambda t: t.name
