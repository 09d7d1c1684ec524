"""Certificates of attendance and invitation letters: my downloads, my letter request,
and the public verification page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.models import Event
from participants.certificates import services
from participants.certificates.forms import LetterRequestForm, VerifyForm
from participants.certificates.pdf import render_pdf
from participants.certificates.selectors import (
    certificate_with_details,
    letter_request_of,
    printed_document,
)
from participants.models import Registration
from participants.registration.selectors import registration_for
from participants.shared_views import signed_in_participant, to_profile_first
from sanjose.i18n import CONTENT_LANGUAGES
from sanjose.ratelimit import rate_limited


def _pdf_response(certificate, language: str, filename: str) -> HttpResponse:
    document = printed_document(
        certificate=certificate_with_details(certificate.pk), language=language
    )
    response = HttpResponse(render_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{language}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """My certificate of attendance for one of my registrations; 404 for anyone else's
    and for a registration never checked in."""
    if language not in CONTENT_LANGUAGES:
        raise Http404
    registration = get_object_or_404(
        Registration.objects.select_related("event"), pk=pk, participant__user=request.user
    )
    try:
        certificate = services.issue_certificate(registration=registration)
    except services.CertificateError as error:
        raise Http404 from error
    return _pdf_response(certificate, language, f"certificate-{registration.event.slug}")


def _my_registration(request: HttpRequest, participant) -> Registration | None:
    return registration_for(participant=participant, event=Event.objects.current())


@login_required
@require_http_methods(["GET", "POST"])
def letter(request: HttpRequest) -> HttpResponse:
    """Ask for an invitation letter (passport name and nationality), see where it stands."""
    participant = signed_in_participant(request)
    if participant is None:
        return to_profile_first(request)
    registration = _my_registration(request, participant)
    letter_request = letter_request_of(registration)
    form = LetterRequestForm(request.POST or None)
    if request.method == "POST" and letter_request is None and form.is_valid():
        try:
            if registration is None:
                raise services.CertificateError(services.NOT_APPROVED)
            letter_request = services.request_letter(registration=registration, **form.cleaned_data)
        except services.CertificateError as error:
            form.add_error(None, str(error))
        else:
            if letter_request.status == letter_request.Status.ISSUED:
                messages.success(request, _("Your invitation letter is ready to download."))
            else:
                messages.success(
                    request, _("Your request is sent: ECPAT staff will prepare your letter.")
                )
            return redirect("participants:letter")
    context = {
        "registration": registration,
        "may_request": services.may_request_letter(registration),
        "letter_request": letter_request,
        "issued": services.issued_letter(registration) if letter_request else None,
        "withdrawn": services.letter_withdrawn(registration) if letter_request else False,
        "form": form,
    }
    return render(request, "participants/certificates/letter.html", context)


@login_required
@require_POST
def letter_delete(request: HttpRequest) -> HttpResponse:
    """Delete my request: passport name, nationality and the letter go."""
    participant = signed_in_participant(request)
    letter_request = letter_request_of(_my_registration(request, participant))
    if letter_request is None:
        raise Http404
    services.delete_letter_request(letter_request=letter_request)
    messages.success(request, _("Your letter request and your passport details are deleted."))
    return redirect("participants:letter")


@login_required
@require_GET
def letter_pdf(request: HttpRequest, language: str) -> HttpResponse:
    if language not in CONTENT_LANGUAGES:
        raise Http404
    participant = signed_in_participant(request)
    registration = _my_registration(request, participant)
    issued = services.issued_letter(registration) if registration else None
    if issued is None:
        raise Http404
    return _pdf_response(issued, language, f"invitation-letter-{registration.event.slug}")


def _verification_page(request: HttpRequest, form: VerifyForm, code: str | None) -> HttpResponse:
    result = services.verify_code(code) if code else None
    response = render(
        request,
        "participants/certificates/verify.html",
        {"form": form, "checked": code is not None, "result": result},
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@never_cache
@rate_limited("verify", methods=("GET",))
def verify(request: HttpRequest) -> HttpResponse:
    """The public verification form; with ?code=, its answer."""
    form = VerifyForm(request.GET if "code" in request.GET else None)
    code = form.cleaned_data["code"] if form.is_bound and form.is_valid() else None
    return _verification_page(request, form, code)


@require_GET
@never_cache
@rate_limited("verify", methods=("GET",))
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """The answer for the code in the URL (the QR code printed on the PDF links here)."""
    return _verification_page(request, VerifyForm(initial={"code": code[:40]}), code[:40])
