from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from sanjose.access import viewer_for
from sanjose.pagecache import public_page

from . import previews
from .forms import LibraryFilterForm
from .models import DocumentFile
from .selectors import document_detail, library_documents

PAGE_SIZE = 20
# A downloaded file is never run as a page of this site, whatever a browser guesses.
DOWNLOAD_CSP = "default-src 'none'; sandbox"


@require_safe
@public_page
def library(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    form = LibraryFilterForm(request.GET, viewer=viewer)
    filters = form.filters()
    documents = library_documents(viewer=viewer, filters=filters)
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "filters": filters, "page": page, "documents": page.object_list}
    return render(request, "documents/library.html", context)


@require_safe
def detail(request: HttpRequest, document_id: int) -> HttpResponse:
    document = document_detail(viewer=viewer_for(request.user), document_id=document_id)
    if document is None:
        raise Http404
    return render(request, "documents/detail.html", {"document": document})


@require_safe
def download(request: HttpRequest, document_id: int, language: str) -> HttpResponse:
    document_file = _permitted_file(request, document_id, language)
    response = _private_file_response(
        document_file.file,
        content_type=document_file.content_type,
        download_name=document_file.original_name,
        as_attachment=True,
    )
    if request.method == "GET":  # counted once the file is there to send
        DocumentFile.objects.filter(pk=document_file.pk).update(
            download_count=F("download_count") + 1
        )
    return response


@require_safe
def thumbnail(request: HttpRequest, document_id: int, language: str) -> HttpResponse:
    document_file = _permitted_file(request, document_id, language)
    if not document_file.thumbnail:
        raise Http404
    # Thumbnails made before WebP are PNGs; the stored name says which.
    png = document_file.thumbnail.name.endswith(".png")
    suffix = ".png" if png else previews.THUMBNAIL_SUFFIX
    return _private_file_response(
        document_file.thumbnail,
        content_type="image/png" if png else previews.THUMBNAIL_CONTENT_TYPE,
        download_name=f"preview-{document_id}-{language}{suffix}",
        as_attachment=False,
    )


def _permitted_file(request: HttpRequest, document_id: int, language: str) -> DocumentFile:
    """The file, if the access rule lets this viewer have it; otherwise 404, the same
    answer as for a document that does not exist."""
    document_file = (
        DocumentFile.objects.select_related("document")
        .filter(document_id=document_id, language=language)
        .first()
    )
    if document_file is None or not document_file.document.can_download(viewer_for(request.user)):
        raise Http404
    return document_file


def _private_file_response(
    field_file: FieldFile, *, content_type: str, download_name: str, as_attachment: bool
) -> HttpResponse:
    """nginx sends the file when PRIVATE_MEDIA_ACCEL_PREFIX names its internal location
    for the private root; otherwise Django streams it (development)."""
    if settings.PRIVATE_MEDIA_SIGNED_URLS and as_attachment:
        return _signed_redirect(field_file, content_type=content_type, download_name=download_name)
    prefix = settings.PRIVATE_MEDIA_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(field_file.name)}"
    else:
        try:
            handle = field_file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment, download_name)
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response


def _signed_redirect(field_file: FieldFile, *, content_type: str, download_name: str):
    """The object store sends the file, through a URL signed for a short while, handed
    out only after the permission check (thumbnails still stream through here)."""
    url = field_file.storage.url(
        field_file.name,
        parameters={
            "ResponseContentDisposition": content_disposition_header(True, download_name),
            "ResponseContentType": content_type,
        },
        expire=settings.PRIVATE_MEDIA_SIGNED_URL_SECONDS,
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"
    return response
