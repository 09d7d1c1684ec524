"""Signing up for a session with limited seats, and withdrawing (POST only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.models import Session
from participants.models import SessionSignup
from participants.shared_views import signed_in_participant
from participants.signups import services
from participants.signups.selectors import clashes_for, waitlist_rank
from sanjose.access import viewer_for


def _back(request: HttpRequest, session: Session) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(session.get_absolute_url())


def _visible_session(request: HttpRequest, pk: int) -> Session:
    """The session if the viewer may see it; 404 otherwise (it does not exist for them)."""
    return get_object_or_404(Session.objects.visible_to(viewer_for(request.user)), pk=pk)


@login_required
@require_POST
def sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    session = _visible_session(request, pk)
    participant = signed_in_participant(request)
    if participant is None:
        raise Http404
    try:
        signup = services.sign_up(participant=participant, session=session)
    except services.SignupError as error:
        messages.error(request, str(error))
        return _back(request, session)
    if signup.status == SessionSignup.Status.CONFIRMED:
        messages.success(request, _("You have a seat. The session is now in your schedule."))
    else:
        messages.info(
            request,
            _(
                "All seats are taken: you are number %(rank)s on the waiting list. If a seat "
                "becomes free you move up automatically and we email you."
            )
            % {"rank": waitlist_rank(signup)},
        )
    clashes = clashes_for(participant=participant, viewer=viewer_for(request.user), session=session)
    if clashes:
        messages.warning(
            request,
            _("It overlaps with %(sessions)s in your schedule.")
            % {"sessions": ", ".join(f"“{s.title}”" for s in clashes)},
        )
    return _back(request, session)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _visible_session(request, pk)
    signup = get_object_or_404(SessionSignup, session=session, participant__user=request.user)
    services.cancel_signup(signup=signup)
    messages.success(request, _("Your sign-up is cancelled."))
    return _back(request, session)
