"""The participant profile: create or update it, derive the sub-region, clean the photo,
record consent to the current texts."""

import csv
import secrets
from io import BytesIO
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps

from documents.uploads import image_pixels_fit
from participants.models import ConsentRecord, CountryRegion, Participant, Subregion
from sanjose import clock
from sanjose.pages.consent import current_versions

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_SIZE = (600, 600)

PROFILE_FIELDS = (
    "badge_name",
    "organisation",
    "sector",
    "country",
    "preferred_language",
    "languages_spoken",
    "accessibility_needs",
    "dietary_needs",
)


class PhotoError(ValueError):
    """The upload is not an image we accept: `code` says why (too_big, too_many_pixels,
    format, invalid); `image_format` is known for too_many_pixels."""

    def __init__(self, code: str, image_format: str = ""):
        super().__init__(code)
        self.code = code
        self.image_format = image_format


def subregion_for(country: str) -> str:
    """The sub-region of a country from the CountryRegion table; "other" when absent."""
    found = CountryRegion.objects.filter(country=str(country)).values_list("subregion", flat=True)
    return found.first() or Subregion.OTHER


class CleanedPhoto(ContentFile):
    """A photo `clean_photo` made: saved as it is, never cleaned a second time."""


def clean_photo(upload: File) -> CleanedPhoto:
    """A real image, re-encoded as a JPEG at most 600×600, upright, with no metadata (EXIF,
    GPS). PhotoError when it is too big (bytes, or pixels for its format: the library's
    limits), not an image, or not JPEG/PNG/WebP."""
    if upload.size > PHOTO_MAX_BYTES:
        raise PhotoError("too_big")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in PHOTO_FORMATS:
                raise PhotoError("format")
            # The pixel count is read from the header: a bomb is refused undecoded.
            if not image_pixels_fit(probe):
                raise PhotoError("too_many_pixels", probe.format)
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.draft("RGB", PHOTO_SIZE)  # a JPEG decodes at 1/2, 1/4 or 1/8 scale
            # Scaled down first, so turning and converting copy a small image.
            image.thumbnail(PHOTO_SIZE)
            image = ImageOps.exif_transpose(image).convert("RGB")
            out = BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)  # no exif= : none kept
    except PhotoError:
        raise
    except (OSError, Image.DecompressionBombError, SyntaxError, ValueError):
        raise PhotoError("invalid") from None
    return CleanedPhoto(out.getvalue(), name=f"{secrets.token_hex(16)}.jpg")


@transaction.atomic
def update_profile(
    *,
    user,
    data: dict,
    photo: File | None = None,
    remove_photo: bool = False,
    accepts_privacy: bool = False,
    accepts_conduct: bool = False,
) -> Participant:
    """Create or update the user's profile from `data` (the PROFILE_FIELDS).

    Derives `subregion` from CountryRegion; replaces the photo with a cleaned copy
    (PhotoError if it is not acceptable; one `clean_photo` has made is kept as it is) or
    removes it; records consent to the versions
    of the privacy notice and code of conduct in force (sanjose.pages.consent) with the
    time, on the profile and as a ConsentRecord (the history of what was agreed to).
    Sends nothing.
    """
    participant = Participant.objects.filter(user=user).first() or Participant(user=user)
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(participant, name, data[name])
    participant.subregion = subregion_for(participant.country)
    now, versions = clock.now(), current_versions()
    accepted = []
    if accepts_privacy:
        participant.privacy_consent_at, participant.privacy_version = now, versions.privacy
        accepted.append((ConsentRecord.Text.PRIVACY, versions.privacy))
    if accepts_conduct:
        participant.conduct_consent_at, participant.conduct_version = now, versions.conduct
        accepted.append((ConsentRecord.Text.CONDUCT, versions.conduct))
    old_photo = participant.photo.name if participant.photo else ""
    if photo is not None:
        # The profile form already cleaned it (to show its errors beside the field).
        cleaned = photo if isinstance(photo, CleanedPhoto) else clean_photo(photo)
        participant.photo.save(cleaned.name, cleaned, save=False)
    elif remove_photo:
        participant.photo = ""
    participant.save()
    ConsentRecord.objects.bulk_create(
        ConsentRecord(participant=participant, text=text, version=version, accepted_at=now)
        for text, version in accepted
    )
    if old_photo and old_photo != participant.photo.name:
        transaction.on_commit(lambda: participant.photo.storage.delete(old_photo))
    return participant


def has_current_consent(participant: Participant | None) -> bool:
    """Whether the participant agreed to the versions of both texts now in force."""
    if participant is None:
        return False
    versions = current_versions()
    return (
        participant.privacy_version == versions.privacy
        and participant.conduct_version == versions.conduct
    )


REFERENCE_REGIONS = Path(__file__).resolve().parents[2] / "data" / "americas-subregions.csv"
REFERENCE_SUBREGIONS = {
    "North America": Subregion.NORTH_AMERICA,
    "Central America and Mexico": Subregion.CENTRAL_AMERICA_MEXICO,
    "Caribbean": Subregion.CARIBBEAN,
    "South America": Subregion.SOUTH_AMERICA,
}


@transaction.atomic
def load_reference_regions(*, replace: bool = False) -> int:
    """Fill the country → sub-region table from the organisers' reference data.

    Countries staff have already mapped keep their mapping unless `replace`; returns how
    many rows were written. Sends nothing.
    """
    written = 0
    with REFERENCE_REGIONS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            country = row["iso2"].strip().upper()
            subregion = REFERENCE_SUBREGIONS[row["subregion"].strip()]
            if replace:
                CountryRegion.objects.update_or_create(
                    country=country, defaults={"subregion": subregion}
                )
                written += 1
            else:
                _, created = CountryRegion.objects.get_or_create(
                    country=country, defaults={"subregion": subregion}
                )
                written += int(created)
    return written
