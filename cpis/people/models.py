"""What the personnel department holds about officers beyond the organisation's
register: their community and gender (special-category data, for the comparison
of the police with the population it serves), and the population's composition
that comparison reads."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field
from cpis.organisation.models import Municipality, Officer
from cpis.surveys.models.responses import Community, Gender


class OfficerBackground(models.Model):
    """An officer's community and gender as the personnel department recorded them.
    Special-category data: entered and read by personnel only, each read and change
    in the access log; everybody else sees them only counted, with small counts
    suppressed (selectors.compare_representation)."""

    officer = models.OneToOneField(
        Officer, on_delete=models.CASCADE, related_name="+", verbose_name=_("officer")
    )
    community = models.CharField(_("community"), max_length=20, choices=Community.choices)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    recorded_by = user_field(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("officer's background")
        verbose_name_plural = _("officers' backgrounds")

    def __str__(self) -> str:
        return f"{self.officer_id}"


class Dimension(models.TextChoices):
    COMMUNITY = "community", _("Community")
    GENDER = "gender", _("Gender")


class PopulationShare(models.Model):
    """The share of a municipality's population in one category (a community, a
    gender), from a census or an estimate (`source`, `year`)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    dimension = models.CharField(_("dimension"), max_length=10, choices=Dimension.choices)
    category = models.CharField(_("category"), max_length=20)
    share = models.FloatField(_("share (0 to 1)"))
    source = models.CharField(_("source"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    recorded_by = user_field(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("population share")
        verbose_name_plural = _("population shares")
        ordering = ["municipality", "dimension", "-share"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "dimension", "category"], name="population_share_once"
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=1), name="population_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.dimension} {self.category} {self.share:.3f}"


class BackgroundChange(models.Model):
    """Who recorded or changed an officer's background, and when: the trail of the
    special-category data's changes (the values themselves are not copied here)."""

    officer = models.ForeignKey(
        Officer, on_delete=models.CASCADE, related_name="+", verbose_name=_("officer")
    )
    changed_by = user_field(_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    fields = models.CharField(_("fields changed"), max_length=100)

    class Meta:
        verbose_name = _("change of an officer's background")
        verbose_name_plural = _("changes of officers' backgrounds")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.fields} {self.changed_at:%Y-%m-%d %H:%M}"
