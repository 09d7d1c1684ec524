"""The first version of the privacy notice and of the code of conduct, for the demo.

Invented for the demonstration: the organisers replace them with their own texts (a
new version in the admin) before real people register.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from sanjose.pages.consent import CODE_OF_CONDUCT_VERSION, PRIVACY_NOTICE_VERSION
from sanjose.pages.models import PolicyVersion

PUBLISHED = datetime(2024, 5, 1, 9, 0, tzinfo=ZoneInfo("America/Costa_Rica"))

PRIVACY_EN = """\
This notice explains what personal data the San José Dialogue website holds about you, why, \
who can see it, how long it is kept and what you can do about it. It is a demonstration text: \
the organisers publish their own before registration opens.

Who is responsible. The organisers of the San José Dialogue are responsible for the data \
described here. You can reach them at the address given in every email the site sends.

What we hold. Your account (email address and a password we store only in hashed form); your \
profile (name for the badge, organisation, sector, country, languages, and, only if you tell \
us, accessibility and dietary needs and a photo); your registration and its history; the \
groups, World Café tables and sessions you are assigned to or signed up for; your check-ins \
at the venue; your notification choices; the emails the site sent you; and the versions of \
this notice and of the code of conduct you accepted, with the time.

Why. To run the event: to decide on registrations, prepare badges, catering and \
accessibility arrangements, form working groups, let you into the venue and keep you informed. \
Accessibility and dietary needs are used only to make those arrangements.

Who sees it. ECPAT staff working on the event, each only as far as their role requires. Other \
participants do not see your data, except the name on your badge where you meet them (for \
example as a World Café host). We do not sell or share your data for any other purpose.

How long. Personal data of an event is anonymised some months after it ends (the period is \
set by the organisers and stated on this page when it is published); only counts without \
names are kept, for reporting.

Your rights. From your page (My dialogue) you can download everything the site holds about \
you, correct your profile, change your notification choices, and delete your account. Deleting \
it removes your personal data at once; only anonymous counts remain. You can also ask the \
organisers to do this for you.

Security. The site uses encrypted connections, private storage for files and photos, and keeps \
no personal data in its logs."""

PRIVACY_ES = """\
Este aviso explica qué datos personales guarda sobre usted el sitio del Diálogo de San José, \
para qué, quién puede verlos, cuánto tiempo se conservan y qué puede hacer al respecto. Es un \
texto de demostración: la organización publica el suyo antes de abrir la inscripción.

Responsable. La organización del Diálogo de San José es responsable de los datos descritos \
aquí. Puede escribirle a la dirección que aparece en cada correo que envía el sitio.

Qué guardamos. Su cuenta (dirección de correo y una contraseña que solo guardamos cifrada de \
forma irreversible); su perfil (nombre para la credencial, organización, sector, país, idiomas \
y, solo si nos lo indica, necesidades de accesibilidad y de alimentación y una foto); su \
inscripción y su historial; los grupos, mesas del World Café y sesiones a los que se le asigna \
o en los que se inscribe; sus registros de entrada en la sede; sus preferencias de aviso; los \
correos que le envió el sitio; y las versiones de este aviso y del código de conducta que \
aceptó, con la hora.

Para qué. Para organizar el evento: decidir sobre las inscripciones, preparar credenciales, \
comidas y medidas de accesibilidad, formar los grupos de trabajo, darle acceso a la sede y \
mantenerle informado. Las necesidades de accesibilidad y de alimentación solo se usan para \
esas medidas.

Quién los ve. El personal de ECPAT que trabaja en el evento, cada persona solo en la medida \
que requiere su función. Las demás personas participantes no ven sus datos, salvo el nombre \
de su credencial donde coinciden con usted (por ejemplo como anfitrión de una mesa del World \
Café). No vendemos ni compartimos sus datos para ningún otro fin.

Cuánto tiempo. Los datos personales de un evento se anonimizan algunos meses después de su \
final (la organización fija el plazo y lo indica en esta página al publicarla); solo se \
conservan recuentos sin nombres, para los informes.

Sus derechos. Desde su página (Mi diálogo) puede descargar todo lo que el sitio guarda sobre \
usted, corregir su perfil, cambiar sus preferencias de aviso y eliminar su cuenta. Al \
eliminarla se borran sus datos personales de inmediato; solo quedan recuentos anónimos. \
También puede pedir a la organización que lo haga por usted.

Seguridad. El sitio usa conexiones cifradas y almacenamiento privado para archivos y fotos, y \
no guarda datos personales en sus registros."""

CONDUCT_EN = """\
The San José Dialogue brings together people from civil society, governments, international \
agencies and the private sector to end the sexual exploitation of children. Some participants \
are survivors' advocates or work in sensitive roles. This code applies to everyone taking \
part, in person and online. It is a demonstration text: the organisers publish their own.

Respect. Treat everyone with courtesy and respect, whatever their sector, country, language, \
gender, age, beliefs or abilities. Listen; disagree with ideas, not with people. Harassment, \
intimidation and discrimination of any kind are not accepted.

Children's safety comes first. Never share any information that could identify a child or a \
survivor. Do not photograph, record or share images of children. Case examples are discussed \
only in anonymised form.

Confidentiality. Closed group meetings are closed: do not share who attended or what was said \
there without the group's agreement. Follow the Chatham House Rule wherever the session chair \
asks for it.

Photos and recordings. Ask before photographing or recording anyone; respect a no. Lanyards \
marked "no photos" mean no photos.

Raising a concern. If something happens that worries you, speak to any ECPAT staff member or \
write to the organisers. Concerns are handled in confidence and quickly. The organisers may ask \
anyone who breaks this code to leave the event."""

CONDUCT_ES = """\
El Diálogo de San José reúne a personas de la sociedad civil, los gobiernos, los organismos \
internacionales y el sector privado para poner fin a la explotación sexual de niñas, niños y \
adolescentes. Algunas personas participantes defienden a sobrevivientes o trabajan en \
funciones delicadas. Este código se aplica a todas las personas que participan, en persona y \
en línea. Es un texto de demostración: la organización publica el suyo.

Respeto. Trate a todas las personas con cortesía y respeto, sea cual sea su sector, país, \
idioma, género, edad, creencias o capacidades. Escuche; discrepe de las ideas, no de las \
personas. No se acepta ningún tipo de acoso, intimidación ni discriminación.

La seguridad de la niñez es lo primero. Nunca comparta información que pueda identificar a \
una niña, un niño o una persona sobreviviente. No fotografíe, grabe ni comparta imágenes de \
niñas y niños. Los casos se comentan solo de forma anonimizada.

Confidencialidad. Las reuniones de grupos cerrados son cerradas: no comparta quién asistió ni \
qué se dijo sin el acuerdo del grupo. Siga la regla de Chatham House cuando quien preside la \
sesión lo pida.

Fotos y grabaciones. Pida permiso antes de fotografiar o grabar a alguien; respete un no. Las \
cintas marcadas "sin fotos" significan sin fotos.

Comunicar una preocupación. Si ocurre algo que le preocupa, hable con cualquier persona del \
personal de ECPAT o escriba a la organización. Las preocupaciones se tratan con \
confidencialidad y rapidez. La organización puede pedir que abandone el evento a quien no \
respete este código."""

TEXTS = [
    (
        PolicyVersion.Kind.PRIVACY,
        PRIVACY_NOTICE_VERSION,
        ("Privacy notice", "Aviso de privacidad"),
        (PRIVACY_EN, PRIVACY_ES),
    ),
    (
        PolicyVersion.Kind.CONDUCT,
        CODE_OF_CONDUCT_VERSION,
        ("Code of conduct", "Código de conducta"),
        (CONDUCT_EN, CONDUCT_ES),
    ),
]


def build() -> list[PolicyVersion]:
    """Publish the first version of each text (idempotent: an existing one is kept)."""
    built = []
    for kind, version, (title_en, title_es), (text_en, text_es) in TEXTS:
        policy, _ = PolicyVersion.objects.get_or_create(
            kind=kind,
            version=version,
            defaults={
                "title_en": title_en,
                "title_es": title_es,
                "text_en": text_en,
                "text_es": text_es,
                "published_at": PUBLISHED,
            },
        )
        built.append(policy)
    return built
