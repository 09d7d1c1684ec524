"""The evaluation form: a rating from 1 to 5, a comment, and whether to stay anonymous."""

from django import forms
from django.utils.translation import gettext_lazy as _

RATING_CHOICES = [
    (5, _("5 – excellent")),
    (4, _("4 – good")),
    (3, _("3 – fair")),
    (2, _("2 – poor")),
    (1, _("1 – very poor")),
]


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Comments (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _(
                "Keep the comment under %(limit_value)d characters (it has %(show_value)d)."
            )
        },
    )
    anonymous = forms.BooleanField(
        label=_("Answer anonymously (nothing links the answer to you; it cannot be changed later)"),
        required=False,
        initial=True,
    )
