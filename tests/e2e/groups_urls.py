"""The project's URLs plus a preview of the /me/ groups section, for the browser test only.

/me/ itself belongs to the registration area; this renders the same template with just
the groups section, so the section's layout is checked on a phone before the merge.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from events.models import Event
from participants.selectors.groups import me_groups_section
from sanjose.urls import urlpatterns as project_urlpatterns


@login_required
def me_groups_preview(request):
    event = Event.objects.current()
    section = me_groups_section(participant=request.user.participant, event_id=event.pk)
    return render(request, "participants/me.html", {"sections": {"groups": section}})


urlpatterns = [path("preview/me-groups/", me_groups_preview), *project_urlpatterns]
