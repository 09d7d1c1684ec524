"""allauth's sign-up form, made to take the same time whether the email is new or not."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        # For an address that already has an account allauth creates nothing (it emails
        # the owner instead), so it skipped the slow password hash and answered about ten
        # times faster: the delay told who has an account. Hash it here on that path too.
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
