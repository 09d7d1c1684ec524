"""The San José Dialogue's library for `load_demo`: the documents the organisers' text
names, as small generated files (real one-page PDFs, one PNG), in English and Spanish
where it fits, with every access level, linked to the demo sessions.

The contents are short illustrative summaries, not the real reports. Idempotent: the
files are generated deterministically, so a re-run finds the same checksums and keeps
them; documents are found again by their English title.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from events.models import Event, Session
from participants.models import Group

from . import services
from .models import Category, Document, DocumentFile
from .samples import png_image, text_pdf

DISCLAIMER_EN = "Demo document generated for the San José Dialogue platform; the text is an illustrative summary."
DISCLAIMER_ES = "Documento de demostración generado para la plataforma del Diálogo de San José; el texto es un resumen ilustrativo."
COUNTRIES = [
    ("Bolivia", "Bolivia"),
    ("Colombia", "Colombia"),
    ("Costa Rica", "Costa Rica"),
    ("Ecuador", "Ecuador"),
    ("Mexico", "México"),
    ("Peru", "Perú"),
    ("Dominican Republic", "República Dominicana"),
    ("Uruguay", "Uruguay"),
]
P = Document.Access


@dataclass(frozen=True)
class DemoDocument:
    category: str
    access: str
    title_en: str
    title_es: str
    text_en: str = ""
    text_es: str = ""
    sessions: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    days_before: int = 10
    published: bool = True
    image: bool = False
    files: tuple[str, ...] = field(default=("en", "es"))


LIBRARY = [
    DemoDocument(
        "concept-note",
        P.PUBLIC,
        "Concept note: the San José Dialogue",
        "Nota conceptual: el Diálogo de San José",
        "The five-day San José Dialogue contributes towards a shared understanding of the current trends and dynamics of sexual exploitation and abuse of children in the Americas. For the first time, ECPAT convenes representatives from North America, South America and the Caribbean in a joint conversation from a civil society perspective. Consensus is built through guided plenary discussions and cross-sector working groups, with separate spaces for group meetings, a World Café and a day open to a broader audience.",
        "El Diálogo de San José, de cinco días, contribuye a una comprensión compartida de las tendencias y dinámicas actuales de la explotación y el abuso sexual de niñas, niños y adolescentes en las Américas. Por primera vez, ECPAT reúne a representantes de América del Norte, América del Sur y el Caribe desde la perspectiva de la sociedad civil. El consenso se construye en plenarias guiadas y grupos de trabajo intersectoriales.",
        sessions=("Opening plenary",),
        days_before=30,
    ),
    DemoDocument(
        "agenda",
        P.PUBLIC,
        "Agenda of the San José Dialogue, 3–7 June 2024",
        "Agenda del Diálogo de San José, 3–7 de junio de 2024",
        "Monday: shared understanding. Tuesday: open day on children in travel and tourism, with the Costa Rican Tourism Institute (ICT), host of the 2024 GARA meeting. Wednesday: online exploitation and the national consultations. Thursday: children on the move. Friday: a regional advocacy plan.",
        "Lunes: comprensión compartida. Martes: día abierto sobre la niñez en viajes y turismo, con el Instituto Costarricense de Turismo (ICT), anfitrión de GARA 2024. Miércoles: explotación en línea y consultas nacionales. Jueves: niñez en movilidad. Viernes: un plan regional de incidencia.",
        sessions=("Opening plenary",),
        days_before=21,
    ),
    *[
        DemoDocument(
            "background-report",
            P.PARTICIPANTS,
            f"National consultation findings: {name_en}",
            f"Resultados de la consulta nacional: {name_es}",
            f"Between November 2023 and February 2024, ECPAT held an online consultation in {name_en}. The lack of comprehensive data and inconsistent information about child sexual abuse online are obstacles to effective intervention; a general lack of awareness and contentious discussions around sexual education hinder prevention.",
            f"Entre noviembre de 2023 y febrero de 2024, ECPAT realizó una consulta en línea en {name_es}. La falta de datos completos y la información inconsistente sobre el abuso sexual infantil en línea dificultan la intervención; la falta de conciencia y los debates sobre la educación sexual obstaculizan la prevención. Niñas y adolescentes trabajadoras en el sector informal están especialmente expuestas.",
            sessions=("Findings of the national consultations",),
            days_before=14 - index,
            files=("es", "en") if index % 2 == 0 else ("es",),
        )
        for index, (name_en, name_es) in enumerate(COUNTRIES)
    ],
    DemoDocument(
        "literature-review",
        P.PARTICIPANTS,
        "Sexual exploitation of Venezuelan migrant children in Peru and Colombia: a rapid literature review",
        "Explotación sexual de niñez migrante venezolana en Perú y Colombia: una revisión rápida de literatura",
        "Venezuelan migration is one of the largest migration crises of recent years. Unaccompanied, separated or irregular migrant children are the most vulnerable. This rapid literature review analyses the prevalence and risk factors of sexual exploitation in Peru and Colombia, the mechanisms for prevention and support, and their gaps.",
        "La migración venezolana es una de las mayores crisis migratorias de los últimos años. La niñez no acompañada, separada o en situación irregular es la más vulnerable. Esta revisión rápida de literatura analiza la prevalencia y los factores de riesgo de la explotación sexual en Perú y Colombia, los mecanismos de prevención y atención, y sus brechas.",
        sessions=("Venezuelan migrant children in Peru and Colombia: a rapid literature review",),
        days_before=7,
    ),
    DemoDocument(
        "background-report",
        P.PUBLIC,
        "UN report: the Special Representative of the Secretary-General on Violence against Children on SECTT (2023)",
        "Informe de la ONU: la Representante Especial del Secretario General sobre la Violencia contra los Niños y la ESNNA en viajes y turismo (2023)",
        "Summary of the 2023 report to the UN General Assembly on the status of and challenges in addressing the sexual exploitation of children in travel and tourism (SECTT).",
        "Resumen del informe de 2023 a la Asamblea General de la ONU sobre la situación y los desafíos de la explotación sexual de niñas, niños y adolescentes en viajes y turismo.",
        sessions=("Panel: what the 2023 UN reports say on travel and tourism",),
        days_before=12,
    ),
    DemoDocument(
        "background-report",
        P.PUBLIC,
        "UN report: the Special Rapporteur on the sale and sexual exploitation of children on SECTT (2023)",
        "Informe de la ONU: la Relatora Especial sobre la venta y la explotación sexual de niños y la ESNNA en viajes y turismo (2023)",
        "Summary of the Special Rapporteur's 2023 report: short-term rentals, home-sharing platforms and the role of national tourism authorities and the private sector.",
        "Resumen del informe de 2023 de la Relatora Especial: alquileres de corta estancia, plataformas de alojamiento y el papel de las autoridades nacionales de turismo y del sector privado.",
        sessions=("Panel: what the 2023 UN reports say on travel and tourism",),
        days_before=12,
        files=("en",),
    ),
    DemoDocument(
        "presentation",
        P.PUBLIC,
        "Presentation: short-term rentals and home-sharing platforms",
        "Presentación: alquileres de corta estancia y plataformas de alojamiento",
        "Regulating home-sharing digital platforms used for travel and tourism is a critical challenge for the region. Safeguards for children on digital platforms linked to travel and tourism.",
        "Regular las plataformas digitales de alojamiento usadas en viajes y turismo es un desafío crítico para la región. Salvaguardas para la niñez en plataformas digitales vinculadas a viajes y turismo.",
        sessions=("Panel: short-term rentals and home-sharing platforms",),
        days_before=2,
    ),
    DemoDocument(
        "presentation",
        P.PARTICIPANTS,
        "Presentation: the Down to Zero project in Brazil, Bolivia, Colombia, Guatemala and the Dominican Republic",
        "Presentación: el proyecto Down to Zero en Brasil, Bolivia, Colombia, Guatemala y República Dominicana",
        "The role of the private sector, formal and informal, in preventing the sexual exploitation of children in travel and tourism, in a region with a high rate of labour informality.",
        "El papel del sector privado, formal e informal, en la prevención de la explotación sexual de la niñez en viajes y turismo, en una región con alta informalidad laboral.",
        sessions=("The private sector and informal tourism",),
        days_before=2,
        files=("es",),
    ),
    DemoDocument(
        "presentation",
        P.PARTICIPANTS,
        "Presentation: the data we lack on online child sexual abuse",
        "Presentación: los datos que faltan sobre el abuso sexual infantil en línea",
        "How technology facilitates transnational crimes such as human and child trafficking, and what regional data collection would need.",
        "Cómo la tecnología facilita delitos transnacionales como la trata de personas y de niños, y qué necesitaría una recopilación regional de datos.",
        sessions=("Data we lack: online child sexual abuse in the region",),
        days_before=1,
    ),
    DemoDocument(
        "other",
        P.GROUPS,
        "GARA delegations: briefing for the closed meeting",
        "Delegaciones GARA: nota para la reunión cerrada",
        "Briefing for tourism ministry officials of the GARA delegations (closed meeting).",
        "Nota para funcionarios de ministerios de turismo de las delegaciones GARA (reunión cerrada).",
        sessions=("GARA delegations: closed meeting",),
        groups=("GARA delegations",),
        days_before=3,
    ),
    DemoDocument(
        "other",
        P.GROUPS,
        "ECPAT member organisations: internal briefing",
        "Organizaciones miembro de ECPAT: nota interna",
        "Internal briefing for the ECPAT member organisations of the Americas.",
        "Nota interna para las organizaciones miembro de ECPAT en las Américas.",
        sessions=("ECPAT member organisations: closed meeting",),
        groups=("ECPAT member organisations",),
        days_before=3,
        files=("en",),
    ),
    DemoDocument(
        "other",
        P.STAFF,
        "Staff: logistics and safeguarding plan",
        "Personal: plan de logística y salvaguarda",
        "Staff only: venue logistics, digital access support and the safeguarding focal points.",
        "Solo personal: logística del lugar, apoyo de acceso digital y puntos focales de salvaguarda.",
        days_before=20,
        files=("en",),
    ),
    DemoDocument(
        "other",
        P.PUBLIC,
        "Venue map",
        "Plano del lugar",
        sessions=(),
        days_before=5,
        image=True,
        files=("en",),
    ),
    DemoDocument(
        "outcome-document",
        P.PARTICIPANTS,
        "Outcome document: a regional advocacy plan (draft)",
        "Documento final: un plan regional de incidencia (borrador)",
        "Draft short- and mid-term measures agreed by the working groups.",
        "Borrador de las medidas de corto y mediano plazo acordadas por los grupos de trabajo.",
        sessions=("Report back and synthesis",),
        published=False,
        days_before=0,
    ),
]


@transaction.atomic
def build(*, event: Event) -> None:
    """Create or update the demo library of the event (files stored on commit)."""
    categories = services.ensure_default_categories()
    for item in LIBRARY:
        document = _document(event, item, categories[item.category])
        for language in item.files:
            _ensure_file(document, item, language)
    for document in Document.objects.filter(event=event):
        services.refresh_search_text(document_id=document.pk)


def _document(event: Event, item: DemoDocument, category: Category) -> Document:
    published_at = datetime.combine(
        event.start_date - timedelta(days=item.days_before), time(15, 0), tzinfo=event.zone
    )
    document, _ = Document.objects.update_or_create(
        event=event,
        title_en=item.title_en,
        defaults={
            "title_es": item.title_es,
            "description_en": item.text_en,
            "description_es": item.text_es,
            "category": category,
            "access": item.access,
            "is_published": item.published,
            "published_at": published_at if item.published else None,
        },
    )
    document.sessions.set(
        Session.objects.filter(event=event, title_en__in=item.sessions).order_by("pk")
    )
    document.groups.set(Group.objects.filter(event=event, name_en__in=item.groups))
    return document


def _ensure_file(document: Document, item: DemoDocument, language: str) -> None:
    name, content = _content(item, language)
    existing = DocumentFile.objects.filter(document=document, language=language).first()
    if existing is not None and existing.sha256 == _sha256(content):
        return
    if existing is not None:
        services.remove_document_file(document_file=existing)
    services.add_document_file(
        document=document,
        language=language,
        upload=ContentFile(content, name=name),
    )


def _content(item: DemoDocument, language: str) -> tuple[str, bytes]:
    title = item.title_es if language == "es" else item.title_en
    if item.image:
        return "venue-map.png", png_image(title)
    text = item.text_es if language == "es" else item.text_en
    disclaimer = DISCLAIMER_ES if language == "es" else DISCLAIMER_EN
    slug = slugify(item.title_en)[:60].strip("-")
    return f"{slug}-{language}.pdf", text_pdf(title, [text, disclaimer])


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
