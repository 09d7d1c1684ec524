"""My data: download everything held about me, or delete my account."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from participants.privacy.services import erase_account, export_as_json
from sanjose import clock


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything the site holds about me, as a JSON file."""
    response = HttpResponse(
        export_as_json(user=request.user), content_type="application/json; charset=utf-8"
    )
    filename = f"san-jose-dialogue-my-data-{clock.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        erase_account(user=request.user, by=request.user)
        logout(request)
        messages.success(request, _("Your account and your personal data are deleted."))
        return redirect("events:home")
    return render(request, "participants/delete_account.html", {"form": form})
