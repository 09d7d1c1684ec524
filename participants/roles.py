"""Staff roles: Django groups with the least privilege each job needs.

A staff account (is_staff) reaches the admin and the /staff/ pages, but every page and
admin action also asks for a permission, so an account in no group can do nothing.
The groups are created and kept in step by data migrations that call `sync_roles`;
a migration that adds a permission a role should have calls it again.

Custom permissions, where a model permission does not say it:
- participants.view_dashboard: the staff dashboard (counts and charts, no names);
- participants.export_attendees: every list of people out of the site (CSV, XLSX,
  admin exports of registrations, groups and World Café plans);
- participants.use_checkin_desk: the check-in desk (search people, check them in);
- documents.view_staff_documents: documents whose audience is "staff only".
"""

ORGANISER = "Organiser"
REGISTRATION_DESK = "Registration desk"
CONTENT_EDITOR = "Content editor"
VIEWER = "Viewer"

ALL = ("add", "change", "delete", "view")

EVENT_MODELS = ("event", "eventday", "room", "session", "speaker", "sessionspeaker")
DOCUMENT_MODELS = ("category", "document", "documentfile")
PEOPLE_MODELS = (
    "participant",
    "registrationtype",
    "registration",
    "invitation",
    "group",
    "membership",
    "topicpreference",
    "countryregion",
    "worldcafe",
    "worldcafetable",
    "worldcafeseat",
    "checkin",
    "sessionsignup",
)
# Announcements and the wording of certificates and letters are content: the content
# editor writes them too.
CONTENT_MODELS = ("announcement", "certificatetemplate")
# Issued certificates and letters, and letter requests (passport name and nationality,
# asked for that letter only): organisers alone, not even the viewer reads them.
LETTER_MODELS = ("certificate", "letterrequest")
CUSTOM = (
    "participants.view_dashboard",
    "participants.export_attendees",
    "participants.use_checkin_desk",
    "documents.view_staff_documents",
)


def _model_permissions(app: str, models: tuple[str, ...], actions: tuple[str, ...]) -> set[str]:
    return {f"{app}.{action}_{model}" for model in models for action in actions}


def _role_permissions() -> dict[str, frozenset[str]]:
    events = _model_permissions("events", EVENT_MODELS, ALL)
    documents = _model_permissions("documents", DOCUMENT_MODELS, ALL)
    people = _model_permissions("participants", PEOPLE_MODELS, ALL)
    content = _model_permissions("participants", CONTENT_MODELS, ALL)
    letters = _model_permissions("participants", LETTER_MODELS, ("view", "change"))
    # Records: read-only for everybody (the admin refuses changes to them anyway).
    records = {
        "participants.view_registrationchange",
        "participants.view_exportlog",
    }
    reading = (
        _model_permissions("events", EVENT_MODELS, ("view",))
        | _model_permissions("documents", DOCUMENT_MODELS, ("view",))
        | _model_permissions("participants", PEOPLE_MODELS + CONTENT_MODELS, ("view",))
    )
    return {
        # Everything for running an event; not users, groups or permissions (no way to
        # raise one's own privileges), and the outbox only to read and resend.
        ORGANISER: frozenset(
            events
            | documents
            | people
            | content
            | letters
            | records
            | set(CUSTOM)
            | {
                "outbox.view_outboxmessage",
                "outbox.change_outboxmessage",
                "outbox.view_sessionnotice",
                "auth.view_user",
            }
        ),
        # Decide registrations and check people in.
        REGISTRATION_DESK: frozenset(
            {
                "participants.view_participant",
                "participants.view_registrationtype",
                "participants.view_registration",
                "participants.change_registration",
                "participants.view_registrationchange",
                "participants.view_invitation",
                "participants.view_checkin",
                "participants.add_checkin",
                "participants.use_checkin_desk",
                "participants.view_dashboard",
            }
        ),
        # The agenda and the library.
        CONTENT_EDITOR: frozenset(
            events
            | documents
            | content
            | {"documents.view_staff_documents", "participants.view_group"}
        ),
        # Read everything an event shows staff, export nothing, change nothing.
        VIEWER: frozenset(
            reading | {"participants.view_dashboard", "documents.view_staff_documents"}
        ),
    }


ROLES: dict[str, frozenset[str]] = _role_permissions()


def sync_roles(apps, schema_editor=None) -> None:
    """Create the role groups and give each exactly its permissions (a data migration
    step; `apps` is the migration's app registry). Creates any permission not yet
    written, since Django writes them only after `migrate` has finished."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        found = []
        for label in sorted(wanted):
            app_label, codename = label.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:  # a later migration adds it, then syncs again
                found.append(permission)
        group.permissions.set(found)
