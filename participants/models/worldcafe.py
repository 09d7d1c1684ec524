"""The World Café: tables with a host and a topic, and who sits where in each round."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanjose.i18n import Translated


class WorldCafe(models.Model):
    session = models.OneToOneField(
        "events.Session",
        on_delete=models.CASCADE,
        related_name="world_cafe",
        verbose_name=_("session"),
    )
    rounds = models.PositiveSmallIntegerField(_("rounds"), default=3)
    round_minutes = models.PositiveSmallIntegerField(_("minutes per round"), default=20)
    published_at = models.DateTimeField(_("plan published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("World Café")
        verbose_name_plural = _("World Cafés")

    def __str__(self) -> str:
        return str(self.session)


class WorldCafeTable(models.Model):
    cafe = models.ForeignKey(
        WorldCafe, on_delete=models.CASCADE, related_name="tables", verbose_name=_("cafe")
    )
    number = models.PositiveSmallIntegerField(_("table number"))
    topic_en = models.CharField(_("topic (English)"), max_length=250)
    topic_es = models.CharField(_("topic (Spanish)"), max_length=250, blank=True)
    host = models.ForeignKey(
        "participants.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_tables",
        verbose_name=_("host"),
    )

    topic = Translated("topic")

    class Meta:
        ordering = ["cafe", "number"]
        verbose_name = _("World Café table")
        verbose_name_plural = _("World Café tables")
        constraints = [
            models.UniqueConstraint(fields=["cafe", "number"], name="unique_table_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.topic}"


class WorldCafeSeat(models.Model):
    cafe = models.ForeignKey(
        WorldCafe, on_delete=models.CASCADE, related_name="seats", verbose_name=_("cafe")
    )
    round_number = models.PositiveSmallIntegerField(_("round"))
    table = models.ForeignKey(
        WorldCafeTable, on_delete=models.CASCADE, related_name="seats", verbose_name=_("table")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="cafe_seats",
        verbose_name=_("participant"),
    )

    class Meta:
        ordering = ["cafe", "round_number", "table__number"]
        verbose_name = _("World Café seat")
        verbose_name_plural = _("World Café seats")
        constraints = [
            models.UniqueConstraint(
                fields=["cafe", "round_number", "participant"], name="one_seat_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: round {self.round_number}, table {self.table.number}"
