from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import current_event


def home(request: HttpRequest) -> HttpResponse:
    event = current_event()
    return render(request, "events/home.html", {"event": event})
