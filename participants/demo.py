"""Demo data about people for `load_demo`: groups now; profiles as the issues land.

Every name here is invented; emails use example.org.
"""

from django.db import transaction

from events.models import Event, Session

from .models import Group

CLOSED_GROUPS = [
    (
        "GARA delegations",
        "Tourism ministry officials of the GARA delegations.",
        "Funcionarios de ministerios de turismo de las delegaciones GARA.",
        "GARA delegations: closed meeting",
    ),
    (
        "ECPAT member organisations",
        "ECPAT member organisations of the Americas.",
        "Organizaciones miembro de ECPAT en las Américas.",
        "ECPAT member organisations: closed meeting",
    ),
    (
        "Youth advisory panel",
        "Young advisers to the Dialogue.",
        "Jóvenes asesores del Diálogo.",
        "Youth advisory panel: closed meeting",
    ),
    (
        "Government delegates",
        "Delegates of governments of the region.",
        "Delegados de los gobiernos de la región.",
        "Government delegates: closed meeting",
    ),
]


@transaction.atomic
def build(*, event: Event) -> None:
    """Create the closed groups and open their closed meetings to them."""
    for name, topic_en, topic_es, session_title in CLOSED_GROUPS:
        group, _ = Group.objects.update_or_create(
            event=event,
            name=name,
            defaults={"kind": Group.Kind.CLOSED, "topic_en": topic_en, "topic_es": topic_es},
        )
        for session in Session.objects.filter(event=event, title_en=session_title):
            session.groups.add(group)
