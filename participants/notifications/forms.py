from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from participants.models import Participant
from participants.notifications.services import REMINDER_CHOICES


class NotificationPreferencesForm(forms.ModelForm):
    reminder_minutes_before = forms.TypedChoiceField(
        label=_("How long before a session"),
        choices=[],
        coerce=int,
    )

    class Meta:
        model = Participant
        fields = [
            "wants_daily_digest",
            "wants_session_reminders",
            "reminder_minutes_before",
            "wants_schedule_changes",
            "wants_new_material",
        ]
        labels = {
            "wants_daily_digest": _("The daily digest: your day tomorrow, sent at 18:00"),
            "wants_session_reminders": _("A reminder before each session in my schedule"),
            "wants_schedule_changes": _("When a session in my schedule changes or is cancelled"),
            "wants_new_material": _("When material is published for a session in my schedule"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request, in the reader's language (not once, in English, at import).
        self.fields["reminder_minutes_before"].choices = [
            (m, ngettext("%(minutes)d minute", "%(minutes)d minutes", m) % {"minutes": m})
            for m in REMINDER_CHOICES
        ]
