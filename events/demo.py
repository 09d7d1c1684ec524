"""The San José Dialogue's programme for `load_demo`: invented people, real structure.

Laid from any first day (`load_demo --start`), so a rehearsal runs against an event
that is about to happen. Idempotent: re-running updates, never duplicates.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw

from .models import Event, EventDay, Room, Session, SessionSpeaker, Speaker
from .services import agenda_changed

SLUG = "san-jose-2024"
REAL_START = date(2024, 6, 3)
ZONE = ZoneInfo("America/Costa_Rica")

TAGLINE_EN = (
    "Collective Action to End Child Sexual Exploitation and Abuse of Children in the Americas"
)
TAGLINE_ES = (
    "Acción colectiva para poner fin a la explotación y el abuso sexual de niñas, niños y "
    "adolescentes en las Américas"
)
DESCRIPTION_EN = """\
The five-day San José Dialogue contributes towards a shared understanding of the current trends and dynamics of sexual exploitation and abuse of children in the Americas, by fostering a space to share readings of the problem from the perspectives of different countries and sub-regions, civil society, governments and thematic groups.

For the first time in its history, ECPAT convenes representatives from North America, South America and the Caribbean in a joint conversation around the sexual exploitation of children, from a civil society perspective. Consensus is built through guided plenary discussions and cross-sector working groups, with separate spaces for specific group meetings, a World Café, and a day open to a broader audience.

On Tuesday 4 June, an open session on sexual exploitation of children in travel and tourism is co-organised with Costa Rica's tourism authority (Instituto Costarricense de Turismo, ICT), host of the 2024 GARA meeting, with tourism ministry officials from the GARA delegations.

Costa Rica is one of the world's pathfinders in holistic sustainability: this is a zero-paper event. No hard copies are provided; every document and material is on this website."""
DESCRIPTION_ES = """\
El Diálogo de San José, de cinco días, contribuye a una comprensión compartida de las tendencias y dinámicas actuales de la explotación y el abuso sexual de niñas, niños y adolescentes en las Américas, con un espacio para compartir lecturas del problema desde distintos países y subregiones, la sociedad civil, los gobiernos y grupos temáticos.

Por primera vez en su historia, ECPAT reúne a representantes de América del Norte, América del Sur y el Caribe en una conversación conjunta sobre la explotación sexual infantil desde la perspectiva de la sociedad civil. El consenso se construye en plenarias guiadas y grupos de trabajo intersectoriales, con espacios para reuniones de grupos específicos, un World Café y un día abierto a un público más amplio.

El martes 4 de junio, una sesión abierta sobre la explotación sexual de niñas, niños y adolescentes en viajes y turismo se coorganiza con el Instituto Costarricense de Turismo (ICT), anfitrión de la reunión GARA 2024, con funcionarios de los ministerios de turismo de las delegaciones GARA.

Costa Rica es pionera en sostenibilidad integral: este es un evento sin papel. No se entregan copias impresas; todos los documentos y materiales están en este sitio."""

ROOMS = [
    ("Sala Guanacaste", 180, "Ground floor, main hall", "Planta baja, salón principal"),
    ("Sala Arenal", 40, "First floor, left wing", "Primer piso, ala izquierda"),
    ("Sala Tortuguero", 40, "First floor, right wing", "Primer piso, ala derecha"),
    ("Sala Monteverde", 30, "Second floor", "Segundo piso"),
    ("Sala Corcovado", 25, "Second floor, end of the corridor", "Segundo piso, al fondo"),
    ("Terraza", 200, "Garden terrace", "Terraza del jardín"),
]

DAYS = [
    (
        "Shared understanding",
        "Comprensión compartida",
        "Trends and dynamics of sexual exploitation of children in the Americas.",
        "Tendencias y dinámicas de la explotación sexual infantil en las Américas.",
        False,
    ),
    (
        "Open day: children in travel and tourism",
        "Día abierto: niñez en viajes y turismo",
        "Co-organised with the Costa Rican Tourism Institute (ICT), host of the 2024 GARA meeting.",
        "Coorganizado con el Instituto Costarricense de Turismo (ICT), anfitrión de GARA 2024.",
        True,
    ),
    (
        "Online exploitation and the consultations",
        "Explotación en línea y consultas nacionales",
        "What the national consultations found, and the data we lack.",
        "Lo que hallaron las consultas nacionales y los datos que faltan.",
        False,
    ),
    (
        "Children on the move",
        "Niñez en movilidad",
        "Migration, travel and the protection of migrant children.",
        "Migración, viajes y protección de la niñez migrante.",
        False,
    ),
    (
        "A regional advocacy plan",
        "Un plan regional de incidencia",
        "Agreeing short- and mid-term measures for the region.",
        "Acordar medidas de corto y mediano plazo para la región.",
        False,
    ),
]


@dataclass(frozen=True)
class Slot:
    day: int
    start: str
    end: str
    room: str | None
    kind: str
    audience: str
    title_en: str
    title_es: str
    description_en: str = ""
    description_es: str = ""


K, A = Session.Kind, Session.Audience
PROGRAMME = [
    # Monday
    Slot(
        0,
        "08:30",
        "09:00",
        "Terraza",
        K.BREAK,
        A.PARTICIPANTS,
        "Arrival and welcome coffee",
        "Llegada y café de bienvenida",
    ),
    Slot(
        0,
        "09:00",
        "10:30",
        "Sala Guanacaste",
        K.PLENARY,
        A.PARTICIPANTS,
        "Opening plenary",
        "Plenaria de apertura",
        "Welcome, objectives of the Dialogue and how we will work together.",
        "Bienvenida, objetivos del Diálogo y forma de trabajo.",
    ),
    Slot(
        0,
        "10:30",
        "11:00",
        "Terraza",
        K.BREAK,
        A.PARTICIPANTS,
        "Coffee break",
        "Pausa para el café",
    ),
    Slot(
        0,
        "11:00",
        "12:30",
        "Sala Guanacaste",
        K.PLENARY,
        A.PARTICIPANTS,
        "How the pandemic changed exploitation and the response",
        "Cómo la pandemia cambió la explotación y la respuesta",
        "Guided plenary on how perpetrators operate, how children are victimised and how authorities act since the COVID era.",
        "Plenaria guiada sobre cómo operan los agresores, cómo se victimiza a la niñez y cómo actúan las autoridades desde la pandemia.",
    ),
    Slot(0, "12:30", "14:00", "Terraza", K.BREAK, A.PARTICIPANTS, "Lunch", "Almuerzo"),
    Slot(
        0,
        "14:00",
        "16:00",
        None,
        K.WORKING_GROUPS,
        A.PARTICIPANTS,
        "Cross-sector working groups I: reading the problem",
        "Grupos de trabajo intersectoriales I: leer el problema",
        "Each working group meets in its room.",
        "Cada grupo de trabajo se reúne en su sala.",
    ),
    Slot(
        0,
        "16:30",
        "17:30",
        "Sala Guanacaste",
        K.PLENARY,
        A.PARTICIPANTS,
        "Report back from the working groups",
        "Informe de los grupos de trabajo",
    ),
    Slot(
        0,
        "18:30",
        "20:30",
        "Terraza",
        K.SOCIAL,
        A.PARTICIPANTS,
        "Welcome reception",
        "Recepción de bienvenida",
    ),
    # Tuesday: the open day
    Slot(
        1,
        "08:00",
        "09:00",
        "Terraza",
        K.BREAK,
        A.PUBLIC,
        "Open day registration and coffee",
        "Registro del día abierto y café",
    ),
    Slot(
        1,
        "09:00",
        "09:45",
        "Sala Guanacaste",
        K.OPEN_SESSION,
        A.PUBLIC,
        "Opening of the open day with the Costa Rican Tourism Institute",
        "Apertura del día abierto con el Instituto Costarricense de Turismo",
        "Co-organised with ICT as host of the 2024 GARA meeting, with tourism officials of the GARA delegations.",
        "Coorganizado con el ICT como anfitrión de GARA 2024, con funcionarios de turismo de las delegaciones GARA.",
    ),
    Slot(
        1,
        "09:45",
        "11:00",
        "Sala Guanacaste",
        K.PANEL,
        A.PUBLIC,
        "Panel: what the 2023 UN reports say on travel and tourism",
        "Panel: lo que dicen los informes de la ONU de 2023 sobre viajes y turismo",
        "The reports of the Special Representative of the Secretary-General on Violence against Children and of the Special Rapporteur on the sale and sexual exploitation of children.",
        "Los informes de la Representante Especial del Secretario General sobre la Violencia contra los Niños y de la Relatora Especial sobre la venta y la explotación sexual de niños.",
    ),
    Slot(1, "11:00", "11:30", "Terraza", K.BREAK, A.PUBLIC, "Coffee break", "Pausa para el café"),
    Slot(
        1,
        "11:30",
        "13:00",
        "Sala Guanacaste",
        K.PANEL,
        A.PUBLIC,
        "Panel: short-term rentals and home-sharing platforms",
        "Panel: alquileres de corta estancia y plataformas",
        "Regulating home-sharing digital platforms used for travel and tourism.",
        "La regulación de plataformas digitales de alojamiento usadas para viajes y turismo.",
    ),
    Slot(1, "13:00", "14:00", "Terraza", K.BREAK, A.PUBLIC, "Lunch", "Almuerzo"),
    Slot(
        1,
        "14:00",
        "15:30",
        "Sala Guanacaste",
        K.OPEN_SESSION,
        A.PUBLIC,
        "The private sector and informal tourism",
        "El sector privado y el turismo informal",
        "Prevention in formal and informal tourism, in a region with high labour informality.",
        "Prevención en el turismo formal e informal, en una región con alta informalidad laboral.",
    ),
    Slot(
        1,
        "15:30",
        "16:30",
        "Sala Monteverde",
        K.CLOSED_MEETING,
        A.GROUPS,
        "GARA delegations: closed meeting",
        "Delegaciones GARA: reunión cerrada",
    ),
    Slot(
        1,
        "16:30",
        "17:15",
        "Sala Guanacaste",
        K.PLENARY,
        A.PUBLIC,
        "Closing of the open day",
        "Cierre del día abierto",
    ),
    # Wednesday
    Slot(
        2,
        "09:00",
        "10:30",
        "Sala Guanacaste",
        K.PLENARY,
        A.PARTICIPANTS,
        "Findings of the national consultations",
        "Resultados de las consultas nacionales",
        "Online consultations held between November 2023 and February 2024 in Bolivia, Colombia, Costa Rica, Ecuador, México, Perú, República Dominicana and Uruguay.",
        "Consultas en línea realizadas entre noviembre de 2023 y febrero de 2024 en Bolivia, Colombia, Costa Rica, Ecuador, México, Perú, República Dominicana y Uruguay.",
    ),
    Slot(
        2,
        "10:30",
        "11:00",
        "Terraza",
        K.BREAK,
        A.PARTICIPANTS,
        "Coffee break",
        "Pausa para el café",
    ),
    Slot(
        2,
        "11:00",
        "12:30",
        None,
        K.WORKING_GROUPS,
        A.PARTICIPANTS,
        "Cross-sector working groups II: technology and transnational crime",
        "Grupos de trabajo intersectoriales II: tecnología y delitos transnacionales",
    ),
    Slot(2, "12:30", "14:00", "Terraza", K.BREAK, A.PARTICIPANTS, "Lunch", "Almuerzo"),
    Slot(
        2,
        "14:00",
        "15:30",
        "Sala Arenal",
        K.CLOSED_MEETING,
        A.GROUPS,
        "ECPAT member organisations: closed meeting",
        "Organizaciones miembro de ECPAT: reunión cerrada",
    ),
    Slot(
        2,
        "14:00",
        "15:30",
        "Sala Tortuguero",
        K.CLOSED_MEETING,
        A.GROUPS,
        "Youth advisory panel: closed meeting",
        "Panel asesor de jóvenes: reunión cerrada",
    ),
    Slot(
        2,
        "16:00",
        "17:30",
        "Sala Monteverde",
        K.OPEN_SESSION,
        A.PARTICIPANTS,
        "Optional: documentary screening and discussion (sign-up, 30 places)",
        "Opcional: proyección de documental y conversación (inscripción, 30 plazas)",
        "A short documentary made with survivors' organisations, followed by a facilitated discussion. Sign up at the registration desk.",
        "Un documental corto realizado con organizaciones de sobrevivientes, seguido de una conversación facilitada. Inscríbase en el mostrador de registro.",
    ),
    Slot(
        2,
        "16:00",
        "17:30",
        "Sala Guanacaste",
        K.PLENARY,
        A.PARTICIPANTS,
        "Data we lack: online child sexual abuse in the region",
        "Los datos que faltan: abuso sexual infantil en línea en la región",
    ),
    # Thursday
    Slot(
        3,
        "09:00",
        "10:30",
        "Sala Guanacaste",
        K.PLENARY,
        A.PARTICIPANTS,
        "Venezuelan migrant children in Peru and Colombia: a rapid literature review",
        "Niñez migrante venezolana en Perú y Colombia: una revisión rápida de literatura",
    ),
    Slot(
        3,
        "10:30",
        "11:00",
        "Terraza",
        K.BREAK,
        A.PARTICIPANTS,
        "Coffee break",
        "Pausa para el café",
    ),
    Slot(
        3,
        "11:00",
        "12:40",
        "Terraza",
        K.WORLD_CAFE,
        A.PARTICIPANTS,
        "World Café",
        "World Café",
        "Several rounds of short presentations and discussions; participants rotate between the presenters' tables.",
        "Varias rondas de presentaciones breves y debate; los participantes rotan entre las mesas.",
    ),
    Slot(3, "12:40", "14:00", "Terraza", K.BREAK, A.PARTICIPANTS, "Lunch", "Almuerzo"),
    Slot(
        3,
        "14:00",
        "15:30",
        "Sala Corcovado",
        K.CLOSED_MEETING,
        A.GROUPS,
        "Government delegates: closed meeting",
        "Delegados gubernamentales: reunión cerrada",
    ),
    Slot(
        3,
        "14:00",
        "16:00",
        None,
        K.WORKING_GROUPS,
        A.PARTICIPANTS,
        "Cross-sector working groups III: children on the move",
        "Grupos de trabajo intersectoriales III: niñez en movilidad",
    ),
    Slot(
        3,
        "16:30",
        "17:30",
        "Sala Guanacaste",
        K.PLENARY,
        A.PARTICIPANTS,
        "Report back and synthesis",
        "Informe y síntesis",
    ),
    # Friday
    Slot(
        4,
        "09:00",
        "11:00",
        None,
        K.WORKING_GROUPS,
        A.PARTICIPANTS,
        "Cross-sector working groups IV: measures for the short and mid term",
        "Grupos de trabajo intersectoriales IV: medidas de corto y mediano plazo",
    ),
    Slot(
        4,
        "11:00",
        "11:30",
        "Terraza",
        K.BREAK,
        A.PARTICIPANTS,
        "Coffee break",
        "Pausa para el café",
    ),
    Slot(
        4,
        "11:30",
        "13:00",
        "Sala Guanacaste",
        K.PLENARY,
        A.PARTICIPANTS,
        "Towards a coordinated regional advocacy plan",
        "Hacia un plan regional coordinado de incidencia",
    ),
    Slot(4, "13:00", "14:00", "Terraza", K.BREAK, A.PARTICIPANTS, "Lunch", "Almuerzo"),
    Slot(
        4,
        "14:00",
        "15:00",
        "Sala Guanacaste",
        K.PLENARY,
        A.PARTICIPANTS,
        "Closing plenary",
        "Plenaria de clausura",
    ),
]

# Invented people (STYLE: no real person in the demo): name, organisation, bio (en, es).
SPEAKERS = [
    (
        "Ana Ejemplo",
        "Example Child Rights Network",
        "Researcher on trends in sexual exploitation of children.",
        "Investigadora sobre tendencias de la explotación sexual infantil.",
    ),
    (
        "Jordan Sample",
        "Fictional Regional Observatory",
        "Works on data and statistics on violence against children.",
        "Trabaja en datos y estadísticas de violencia contra la niñez.",
    ),
    (
        "Lucía Ficticia",
        "Demo Tourism Board",
        "Leads a child-protection programme in travel and tourism.",
        "Dirige un programa de protección de la niñez en viajes y turismo.",
    ),
    (
        "Tomás Inventado",
        "Placeholder Hotel Association",
        "Works with hotels on codes of conduct.",
        "Trabaja con hoteles en códigos de conducta.",
    ),
    (
        "Grace Example",
        "Sample Online Safety Lab",
        "Studies online child sexual abuse and platform regulation.",
        "Estudia el abuso sexual infantil en línea y la regulación de plataformas.",
    ),
    (
        "Amara Demo",
        "Example Youth Forum",
        "Youth advocate and moderator.",
        "Joven defensora y moderadora.",
    ),
    (
        "Rafael Muestra",
        "Fictional Migration Institute",
        "Researcher on children on the move.",
        "Investigador sobre niñez en movilidad.",
    ),
    (
        "Alex Rivera Ejemplo",
        "ECPAT International (demo)",
        "Facilitates the Dialogue's plenaries.",
        "Facilita las plenarias del Diálogo.",
    ),
]

S, M, P = SessionSpeaker.Role.SPEAKER, SessionSpeaker.Role.MODERATOR, SessionSpeaker.Role.PANELLIST
# Session title (English) -> who speaks in it, in order.
SESSION_SPEAKERS = {
    "Opening plenary": [("Alex Rivera Ejemplo", M), ("Ana Ejemplo", S)],
    "How the pandemic changed exploitation and the response": [
        ("Alex Rivera Ejemplo", M),
        ("Ana Ejemplo", S),
        ("Jordan Sample", S),
    ],
    "Opening of the open day with the Costa Rican Tourism Institute": [
        ("Amara Demo", M),
        ("Lucía Ficticia", S),
    ],
    "Panel: what the 2023 UN reports say on travel and tourism": [
        ("Amara Demo", M),
        ("Ana Ejemplo", P),
        ("Lucía Ficticia", P),
        ("Tomás Inventado", P),
    ],
    "Panel: short-term rentals and home-sharing platforms": [
        ("Jordan Sample", M),
        ("Tomás Inventado", P),
        ("Grace Example", P),
    ],
    "The private sector and informal tourism": [("Tomás Inventado", S), ("Lucía Ficticia", S)],
    "Findings of the national consultations": [("Alex Rivera Ejemplo", M), ("Jordan Sample", S)],
    "Data we lack: online child sexual abuse in the region": [
        ("Grace Example", S),
        ("Jordan Sample", S),
    ],
    "Optional: documentary screening and discussion (sign-up, 30 places)": [("Amara Demo", M)],
    "Venezuelan migrant children in Peru and Colombia: a rapid literature review": [
        ("Rafael Muestra", S)
    ],
    "Towards a coordinated regional advocacy plan": [("Alex Rivera Ejemplo", M)],
    "Closing plenary": [("Alex Rivera Ejemplo", M), ("Amara Demo", S)],
}
SIGNUP_SESSIONS = {"Optional: documentary screening and discussion (sign-up, 30 places)": 30}

PAST_EVENTS = [
    ("nairobi-2023", "Nairobi Dialogue", date(2023, 5, 15), date(2023, 5, 19), "Nairobi", "KE"),
    ("bangkok-2024", "Bangkok Dialogue", date(2024, 3, 11), date(2024, 3, 15), "Bangkok", "TH"),
    ("saly-2024", "Saly Dialogue", date(2024, 5, 13), date(2024, 5, 17), "Saly", "SN"),
]


def local(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=ZONE)


@transaction.atomic
def build(*, start: date = REAL_START) -> Event:
    """Create or update the San José Dialogue, its days, rooms and sessions."""
    for slug, name, first, last, city, country in PAST_EVENTS:
        Event.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "start_date": first,
                "end_date": last,
                "city": city,
                "country": country,
            },
        )
    event = _shift_existing(start)
    Event.objects.exclude(pk=event.pk).filter(is_current=True).update(is_current=False)
    event.is_current = True
    event.save(update_fields=["is_current"])
    days = _build_days(event, start)
    rooms = _build_rooms(event)
    sessions = _build_sessions(event, days, rooms)
    _build_speakers(event, sessions)
    agenda_changed()
    return event


def _shift_existing(start: date) -> Event:
    event = Event.objects.filter(slug=SLUG).first()
    if event is not None and event.start_date != start:
        delta = start - event.start_date
        days = event.days.order_by("-date" if delta.days > 0 else "date")
        for day in days:  # one by one, in an order that never collides with a neighbour
            day.date += delta
            day.save(update_fields=["date"])
        for session in event.sessions.all():
            session.starts_at += delta
            session.ends_at += delta
            session.save(update_fields=["starts_at", "ends_at"])
    event, _ = Event.objects.update_or_create(
        slug=SLUG,
        defaults={
            "name_en": "San José Dialogue",
            "name_es": "Diálogo de San José",
            "start_date": start,
            "end_date": start + timedelta(days=len(DAYS) - 1),
            "time_zone": "America/Costa_Rica",
            "venue_en": "Dialogue conference centre",
            "venue_es": "Centro de conferencias del Diálogo",
            "city": "San José",
            "country": "CR",
            "tagline_en": TAGLINE_EN,
            "tagline_es": TAGLINE_ES,
            "description_en": DESCRIPTION_EN,
            "description_es": DESCRIPTION_ES,
        },
    )
    return event


def _build_days(event: Event, start: date) -> list[EventDay]:
    days = []
    for offset, (title_en, title_es, theme_en, theme_es, is_public) in enumerate(DAYS):
        day, _ = EventDay.objects.update_or_create(
            event=event,
            date=start + timedelta(days=offset),
            defaults={
                "title_en": title_en,
                "title_es": title_es,
                "theme_en": theme_en,
                "theme_es": theme_es,
                "is_public": is_public,
            },
        )
        days.append(day)
    return days


def _build_rooms(event: Event) -> dict[str, Room]:
    rooms = {}
    for position, (name, capacity, directions_en, directions_es) in enumerate(ROOMS):
        rooms[name], _ = Room.objects.update_or_create(
            event=event,
            name=name,
            defaults={
                "capacity": capacity,
                "directions_en": directions_en,
                "directions_es": directions_es,
                "position": position,
            },
        )
    return rooms


def _build_sessions(
    event: Event, days: list[EventDay], rooms: dict[str, Room]
) -> dict[str, Session]:
    sessions = {}
    for slot in PROGRAMME:
        day = days[slot.day]
        sessions[slot.title_en], _ = Session.objects.update_or_create(
            event=event,
            day=day,
            title_en=slot.title_en,
            starts_at=local(day.date, slot.start),
            defaults={
                "ends_at": local(day.date, slot.end),
                "room": rooms[slot.room] if slot.room else None,
                "title_es": slot.title_es,
                "description_en": slot.description_en,
                "description_es": slot.description_es,
                "kind": slot.kind,
                "audience": slot.audience,
                "capacity": SIGNUP_SESSIONS.get(slot.title_en),
                "signup_required": slot.title_en in SIGNUP_SESSIONS,
            },
        )
    return sessions


def _build_speakers(event: Event, sessions: dict[str, Session]) -> None:
    speakers = {}
    for name, organisation, bio_en, bio_es in SPEAKERS:
        speakers[name], _ = Speaker.objects.update_or_create(
            event=event,
            name=name,
            defaults={"organisation": organisation, "bio_en": bio_en, "bio_es": bio_es},
        )
    for name, consent in DEMO_PORTRAITS.items():
        _give_portrait(speakers[name], consent=consent)
    for title, people in SESSION_SPEAKERS.items():
        for position, (name, role) in enumerate(people):
            SessionSpeaker.objects.update_or_create(
                session=sessions[title],
                speaker=speakers[name],
                defaults={"role": role, "position": position},
            )


# Invented portraits (a plain coloured square): two speakers agreed to show theirs, one has
# a photo on file without consent, so the site shows it nowhere.
DEMO_PORTRAITS = {"Ana Ejemplo": True, "Amara Demo": True, "Grace Example": False}


def _give_portrait(speaker: Speaker, *, consent: bool) -> None:
    if not speaker.photo:
        speaker.photo.save(f"demo-speaker-{speaker.pk}.png", _portrait(), save=False)
    speaker.photo_consent = consent
    speaker.save(update_fields=["photo", "photo_consent"])


def _portrait() -> ContentFile:
    image = Image.new("RGB", (320, 320), (0, 94, 120))
    ImageDraw.Draw(image).ellipse((90, 50, 230, 190), fill=(255, 255, 255))
    ImageDraw.Draw(image).rectangle((60, 210, 260, 320), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())
