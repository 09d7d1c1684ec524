"""Profile, registration, invitation acceptance, cancellation and /me/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from events.models import Event
from participants.certificates.selectors import my_attendance
from participants.certificates.services import may_request_letter
from participants.groups.selectors import me_groups_section
from participants.models import Invitation, Participant, Registration
from participants.registration.forms import ProfileForm, RegistrationForm
from participants.registration.selectors import open_types_for, registration_for, waitlist_rank
from participants.registration.services import registration as services
from participants.registration.services.profiles import has_current_consent, update_profile
from participants.schedule.selectors import documents_of_my_sessions
from participants.shared_views import calendar_links, signed_in_participant, to_profile_first
from sanjose import clock
from sanjose.access import forget_viewer, viewer_for
from sanjose.i18n import remember_language
from sanjose.pagecache import digest, get_or_build
from sanjose.ratelimit import rate_limited

PENDING_INVITATION = "pending_invitation"


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    participant = signed_in_participant(request)
    needs_consent = not has_current_consent(participant)
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=participant,
        needs_consent=needs_consent,
    )
    if request.method == "POST" and form.is_valid():
        saved = update_profile(
            user=request.user,
            data=form.cleaned_data,
            photo=form.cleaned_data.get("photo"),
            remove_photo=request.POST.get("remove_photo") == "on",
            accepts_privacy=form.cleaned_data.get("accepts_privacy", False),
            accepts_conduct=form.cleaned_data.get("accepts_conduct", False),
        )
        messages.success(request, _("Your profile is saved."))
        # The site follows the account's language from now on.
        return remember_language(
            redirect(_safe_next(request, reverse("participants:me"))), saved.preferred_language
        )
    return render(
        request,
        "participants/profile.html",
        {"form": form, "participant": participant, "next": _safe_next(request, "")},
    )


@login_required
def me(request: HttpRequest) -> HttpResponse:
    participant = signed_in_participant(request)
    if participant is None:
        return to_profile_first(request)
    pending = request.session.pop(PENDING_INVITATION, None)
    if pending:
        return redirect("participants:accept_invitation", pending)
    event = Event.objects.current()
    content = _me_content(request, participant=participant, event=event)
    return render(request, "participants/me.html", {"event": event, "content": content})


def _me_content(request: HttpRequest, *, participant: Participant, event) -> str:
    """The page's sections, rendered once per person, content version, language and
    minute (policy texts come into force at a time) from the two-tier page cache: every
    row they show is in a content app, so any change to one is a new version. The frame
    around them (navigation, flash messages, the sign-out form's CSRF token) is rendered
    for each request."""

    def render_sections() -> str:
        registration = registration_for(participant=participant, event=event)
        context = {
            **calendar_links(request, participant),
            "participant": participant,
            "event": event,
            "registration": registration,
            "waitlist_rank": waitlist_rank(registration) if registration else None,
            "has_consent": has_current_consent(participant),
            # Other areas (groups, documents, badge, calendar) add their own section here:
            # one key each, filled by their own selector, rendered by their own include.
            "sections": {
                "groups": (
                    me_groups_section(participant=participant, event_id=event.pk) if event else {}
                ),
                **_documents_section(request, participant, event),
                "certificates": {
                    "attendance": my_attendance(participant=participant),
                    "may_request_letter": may_request_letter(registration),
                },
            },
        }
        return render_to_string("participants/me/_content.html", context, request=request)

    minute = clock.now().replace(second=0, microsecond=0).isoformat()
    key = "me:" + digest(
        participant.pk,
        event.pk if event else None,
        get_language(),
        viewer_for(request.user).audience_key(),
        minute,
        request.get_host(),  # the calendar links are absolute
    )
    return mark_safe(get_or_build(key, render_sections))  # noqa: S308 (our own template's output)


ME_DOCUMENTS_SHOWN = 5


def _documents_section(request: HttpRequest, participant: Participant, event) -> dict:
    """The newest few documents of my sessions and how many more there are: a full
    participant's sessions hold most of the library, which /me/ does not list."""
    if event is None:
        return {"documents": [], "documents_more": 0}
    documents = documents_of_my_sessions(
        participant=participant, viewer=viewer_for(request.user), event_id=event.pk
    )
    shown = list(documents[:ME_DOCUMENTS_SHOWN])
    more = documents.count() - len(shown) if len(shown) == ME_DOCUMENTS_SHOWN else 0
    return {"documents": shown, "documents_more": more}


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("register")
def register(request: HttpRequest) -> HttpResponse:
    participant = signed_in_participant(request)
    if participant is None or not has_current_consent(participant):
        return to_profile_first(request)
    event = Event.objects.current()
    existing = registration_for(participant=participant, event=event)
    if existing and existing.status != Registration.Status.CANCELLED:
        messages.info(request, _("You are already registered: here is where things stand."))
        return redirect("participants:me")
    types = open_types_for(event=event)
    preselected = next((t for t in types if t.slug == request.GET.get("type")), None)
    form = RegistrationForm(
        request.POST or None,
        types=types,
        initial={"type": preselected or (types[0] if types else None)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.register(
                participant=participant,
                registration_type=form.cleaned_data["type"],
                motivation=form.cleaned_data["motivation"],
                by=request.user,
            )
        except services.RegistrationError as error:
            form.add_error("type", str(error))
        else:
            forget_viewer(request.user)
            return redirect("participants:me")
    return render(
        request, "participants/register.html", {"form": form, "event": event, "types": types}
    )


@require_http_methods(["GET", "POST"])
@rate_limited("invitation", methods=("GET", "POST"))
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("event", "type"), token=token)
    context = {"invitation": invitation, "problem": services.invitation_problem(invitation)}
    if context["problem"]:
        return render(request, "participants/invitation.html", context, status=410)
    if not request.user.is_authenticated:
        # Signing up goes through an emailed link; remember the invitation so that /me/
        # brings the person back here once the account and profile exist.
        request.session[PENDING_INVITATION] = invitation.token
        return render(request, "participants/invitation.html", context)
    if not services.is_invitee(invitation=invitation, user=request.user):
        context["problem"] = str(services.NOT_YOUR_INVITATION)
        return render(request, "participants/invitation.html", context, status=403)
    participant = signed_in_participant(request)
    if participant is None or not has_current_consent(participant):
        return to_profile_first(request)
    if request.method == "POST":
        try:
            services.accept_invitation(
                invitation=invitation, participant=participant, by=request.user
            )
        except services.RegistrationError as error:
            context["problem"] = str(error)
            return render(request, "participants/invitation.html", context, status=409)
        forget_viewer(request.user)
        return redirect("participants:me")
    return render(request, "participants/invitation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cancel_registration(request: HttpRequest) -> HttpResponse:
    participant = signed_in_participant(request)
    registration = registration_for(participant=participant, event=Event.objects.current())
    if not services.may_become(registration, Registration.Status.CANCELLED):
        raise Http404
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()[:1000]
        services.cancel_registration(registration=registration, by=request.user, reason=reason)
        forget_viewer(request.user)
        messages.success(request, _("Your registration is cancelled."))
        return redirect("participants:me")
    return render(request, "participants/cancel.html", {"registration": registration})


@login_required
def photo(request: HttpRequest, participant_id: int) -> FileResponse:
    """A participant's photo, for whom `photos_visible_to` allows; 404 otherwise."""
    participant = get_object_or_404(
        Participant.objects.photos_visible_to(request.user), pk=participant_id
    )
    response = FileResponse(participant.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
