"""Training and people [1.3.3–1.3.10]: trainers (officers or from partners
such as the OSCE and ICITAP), programmes and their modules, courses
delivered with attendance, study visits abroad with their reports, and the
training needs units identify. Titles, descriptions and reports are stored
as written. An officer's attendance is personal data: shown to station
lead roles and up, every view logged."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field
from cpis.core.models import ends_after
from cpis.organisation.models import Officer, unit_field, unit_path_field


class Recorded(models.Model):
    """A record someone entered: who, and when."""

    created_by = user_field()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True


class Trainer(models.Model):
    """Someone who delivers training: an officer of ours, or an external
    trainer named with their organisation [1.3.3]. `certified_on` is when
    they were prepared (trained as trainers); it is what the indicator counts."""

    officer = models.ForeignKey(
        Officer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("officer"),
    )
    name = models.CharField(_("name (external trainer)"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    areas = models.CharField(_("areas taught"), max_length=300, blank=True)
    certified_on = models.DateField(_("prepared as a trainer on"), null=True, blank=True, db_index=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")
        ordering = ["-active", "name", "officer__last_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=False) | ~Q(name=""), name="trainer_has_a_name"
            ),
            models.UniqueConstraint(fields=["officer"], name="trainer_officer_once"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.officer.full_name if self.officer_id and self.officer else self.name


class Level(models.TextChoices):
    BASIC = "basic", _("Basic")
    SPECIALISED = "specialised", _("Specialised")
    LEADERSHIP = "leadership", _("Leadership and management")


class Programme(models.Model):
    """A training programme or curriculum [1.3.4, 1.3.6, 1.3.9]. It counts as
    designed once approved (`approved_on`)."""

    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    description = models.TextField(_("description"), blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        ordering = ["level", "title"]

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    hours = models.PositiveSmallIntegerField(_("hours"))

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["programme", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=1) & Q(hours__lte=500), name="module_hours_range")
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """An officer enrolled on a course; `completed` once they finished it."""

    course = models.ForeignKey("Course", on_delete=models.CASCADE, related_name="attendances")
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", verbose_name=_("officer")
    )
    completed = models.BooleanField(_("completed"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["course", "officer__last_name", "officer__first_name"]
        constraints = [models.UniqueConstraint(fields=["course", "officer"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.officer_id} @ {self.course_id}"


class Course(Recorded):
    """One delivery of a programme [1.3.5, 1.3.8], organised by a unit
    (`unit_path` its path, for place-scoped rights and counts)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="courses", verbose_name=_("programme")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    unit = unit_field(_("organised by"))
    unit_path = unit_path_field()
    trainers = models.ManyToManyField(Trainer, blank=True, related_name="courses", verbose_name=_("trainers"))
    participants = models.ManyToManyField(
        Officer, through=Attendance, related_name="+", verbose_name=_("participants")
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-starts_on", "-id"]
        constraints = [ends_after("starts_on", "ends_on", name="course_ends_after_start", open_ended=False)]

    def __str__(self) -> str:
        return f"{self.programme} {self.starts_on}"


class StudyVisit(Recorded):
    """A visit to a country that applies community policing, its report and
    the feedback given to officers at the respective levels [1.3.10]."""

    country = models.CharField(_("country"), max_length=100)
    city = models.CharField(_("city"), max_length=100, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), db_index=True)
    purpose = models.TextField(_("purpose"))
    participants = models.ManyToManyField(
        Officer, blank=True, related_name="+", verbose_name=_("participants")
    )
    report = models.FileField(_("report (PDF)"), upload_to="training/visits/%Y/", blank=True)
    report_name = models.CharField(max_length=200, blank=True)
    report_size = models.PositiveIntegerField(default=0)
    feedback = models.TextField(_("feedback given to officers"), blank=True)

    class Meta:
        verbose_name = _("study visit")
        verbose_name_plural = _("study visits")
        ordering = ["-starts_on", "-id"]
        constraints = [
            ends_after("starts_on", "ends_on", name="study_visit_ends_after_start", open_ended=False)
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.starts_on}"


class NeedStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    PLANNED = "planned", _("Training planned")
    MET = "met", _("Met")
    DROPPED = "dropped", _("Dropped")


class TrainingNeed(Recorded):
    """A need for (specialised) training a unit identified [1.3.7]."""

    description = models.TextField(_("description"))
    identified_on = models.DateField(_("identified on"), default=timezone.localdate)
    unit = unit_field(_("unit"))
    unit_path = unit_path_field()
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.IDENTIFIED
    )
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
        verbose_name=_("addressed by programme"),
    )

    class Meta:
        verbose_name = _("training need")
        verbose_name_plural = _("training needs")
        ordering = ["-identified_on", "-id"]

    def __str__(self) -> str:
        return self.description[:60]
