from django import forms
from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from events.models import Session
from sanjose.access import Viewer
from sanjose.templatetags.sanjose_tags import event_local

from .models import Category
from .selectors import LibraryFilters, session_choices


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        return f"{formats.date_format(event_local(obj.starts_at), 'D j M')} · {obj.title}"


class LibraryFilterForm(forms.Form):
    """The library's search box and filters (GET). An unknown choice is ignored,
    with a message, rather than failing the page."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("All languages")), *settings.LANGUAGES],
        required=False,
    )
    session = SessionChoiceField(
        label=_("Session"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=_("All sessions"),
    )

    def __init__(self, *args, viewer: Viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = session_choices(viewer=viewer)

    def filters(self) -> LibraryFilters:
        self.is_valid()
        data = self.cleaned_data
        return LibraryFilters(
            query=(data.get("q") or "").strip(),
            category=data.get("category"),
            language=data.get("language") or "",
            session=data.get("session"),
        )
