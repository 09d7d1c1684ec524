"""Feedback pages: my evaluations, one evaluation form, and the organisers' results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from events.models import Event, Session
from participants.feedback.forms import FeedbackForm
from participants.feedback.selectors import (
    Evaluation,
    feedback_closes_at,
    feedback_is_open,
    feedback_results,
    my_evaluations,
)
from participants.feedback.services import FeedbackRefused, give_feedback
from participants.models import Participant
from participants.shared_views import chosen_event, staff_permission_required
from sanjose.access import viewer_for


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _me_and_event(request: HttpRequest, event: Event | None = None) -> tuple[Participant, Event]:
    participant = get_object_or_404(Participant, user=request.user)
    event = event or Event.objects.current()
    if event is None:
        raise Http404(_("No event is open at the moment."))
    return participant, event


@login_required
@require_GET
def my_feedback(request: HttpRequest) -> HttpResponse:
    participant, event = _me_and_event(request)
    evaluations = my_evaluations(
        participant=participant, event=event, viewer=viewer_for(request.user)
    )
    context = {
        "event": event,
        "evaluations": evaluations,
        "is_open": feedback_is_open(event),
        "closes_at": feedback_closes_at(event),
    }
    return _private(render(request, "participants/feedback/mine.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def event_feedback(request: HttpRequest) -> HttpResponse:
    participant, event = _me_and_event(request)
    return _evaluation_page(request, participant, event, session=None)


@login_required
@require_http_methods(["GET", "POST"])
def session_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    # A session the viewer may not see does not exist for them (404), like everywhere.
    session = get_object_or_404(
        Session.objects.visible_to(viewer_for(request.user)).select_related("event"), pk=pk
    )
    participant, event = _me_and_event(request, session.event)
    return _evaluation_page(request, participant, event, session=session)


def _evaluation_page(request, participant, event, *, session) -> HttpResponse:
    """The form for one evaluation the person may give; 404 for one they may not (they
    did not attend), so it does not exist for them either."""
    mine = my_evaluations(participant=participant, event=event, viewer=viewer_for(request.user))
    evaluation = next((e for e in mine if e.session == session), None)
    if evaluation is None:
        raise Http404(_("Only those who attended can give feedback."))
    form = FeedbackForm(request.POST or None, initial=_initial(evaluation))
    if request.method == "POST" and evaluation.editable and form.is_valid():
        try:
            give_feedback(
                participant=participant,
                event=event,
                session=session,
                language=get_language() or "",
                **form.cleaned_data,
            )
        except FeedbackRefused as refused:
            form.add_error(None, refused.messages[0])
        else:
            messages.success(request, _("Thank you: your feedback is recorded."))
            return redirect("participants:my_feedback")
    status = 400 if request.method == "POST" else 200
    context = {"event": event, "evaluation": evaluation, "form": form}
    return _private(render(request, "participants/feedback/answer.html", context, status=status))


def _initial(evaluation: Evaluation) -> dict:
    if evaluation.answer is None:
        return {"anonymous": True}
    answer = evaluation.answer
    return {"rating": answer.rating, "comment": answer.comment, "anonymous": False}


@staff_permission_required("participants.view_dashboard")
@require_GET
def feedback_results_page(request: HttpRequest) -> HttpResponse:
    event = chosen_event(request)
    context = {"event": event, "results": feedback_results(event=event) if event else []}
    return render(request, "participants/staff/feedback.html", context)
