"""Staff pages for training: an overview, trainers, programmes with their
modules, courses with enrolment and attendance, study visits with their
report, training needs, and an officer's training record (logged)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.errors import DomainError
from cpis.core.views import run_action
from cpis.organisation.access import Actor, ActorRequest, staff_required
from cpis.organisation.selectors import find_officer_by_badge

from . import selectors, services
from .forms import (
    ORGANISATIONS,
    AttendanceForm,
    BadgesForm,
    CourseFilterForm,
    CourseForm,
    ModuleForm,
    NeedForm,
    NeedStatusForm,
    OfficerSearchForm,
    ProgrammeForm,
    ReportForm,
    TrainerEditForm,
    TrainerForm,
    VisitForm,
)
from .models import Course, Module, NeedStatus, Programme, StudyVisit
from .policy import policy

FIRST_YEAR = 2012


def _status(request: ActorRequest) -> int:
    return 400 if request.method == "POST" else 200


@staff_required
def home(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    context = {
        "overview": selectors.overview(actor),
        "courses": selectors.list_courses(actor)[:10],
        "can_view_records": selectors.may_view_records(actor),
    }
    return render(request, "training/home.html", context)


# --- trainers -------------------------------------------------------------------------


@staff_required
def trainers(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    can_manage = selectors.can_manage(actor)
    form = TrainerForm(request.POST or None)
    if request.method == "POST":
        policy.require_anywhere(actor, "manage", at=selectors.root_path())
        if form.is_valid():
            data = form.cleaned_data
            try:
                officer = None
                if data["badge_number"].strip():
                    officer = find_officer_by_badge(data["badge_number"].strip().upper())
                    if officer is None:
                        raise services.InvalidInput(_("No officer has this badge number."))
                services.add_trainer(
                    actor,
                    officer=officer,
                    name=data["name"],
                    organisation=data["organisation"],
                    areas=data["areas"],
                    certified_on=data["certified_on"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Trainer added."))
                return redirect("training:trainers")
    context = {
        "trainers": selectors.list_trainers(actor),
        "form": form if can_manage else None,
        "organisations": ORGANISATIONS,
    }
    return render(request, "training/trainers.html", context, status=_status(request))


@staff_required
def trainer_edit(request: ActorRequest, trainer_id: int) -> HttpResponse:
    actor = request.actor
    trainer = selectors.get_trainer(actor, trainer_id)
    policy.require_anywhere(actor, "manage", at=selectors.root_path())
    initial = model_to_dict(trainer, fields=list(TrainerEditForm.base_fields))
    form = TrainerEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_trainer(actor, trainer=trainer, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("training:trainers")
    return render(
        request, "training/trainer_edit.html", {"trainer": trainer, "form": form}, status=_status(request)
    )


# --- programmes -----------------------------------------------------------------------


@staff_required
def programmes(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    can_manage = selectors.can_manage(actor)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST":
        policy.require_anywhere(actor, "manage", at=selectors.root_path())
        if form.is_valid():
            try:
                programme = services.create_programme(actor, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Programme created. Add its modules."))
                return redirect("training:programme", programme_id=programme.pk)
    context = {"programmes": selectors.list_programmes(actor), "form": form if can_manage else None}
    return render(request, "training/programmes.html", context, status=_status(request))


def _programme_edit(request: ActorRequest, actor: Actor, programme: Programme) -> HttpResponse:
    form = ProgrammeForm(request.POST)
    if not form.is_valid():
        raise services.InvalidInput(
            _("Give the programme a title and a level; dates as day, month and year.")
        )
    services.update_programme(actor, programme=programme, **form.cleaned_data)
    messages.success(request, _("Changes saved."))
    return redirect("training:programme", programme_id=programme.pk)


def _programme_module(request: ActorRequest, actor: Actor, programme: Programme) -> HttpResponse:
    form = ModuleForm(request.POST)
    if not form.is_valid():
        raise services.InvalidInput(_("Give the module a title and its hours (1 to 500)."))
    services.add_module(actor, programme=programme, **form.cleaned_data)
    messages.success(request, _("Module added."))
    return redirect("training:programme", programme_id=programme.pk)


def _programme_remove_module(request: ActorRequest, actor: Actor, programme: Programme) -> HttpResponse:
    module_id = request.POST.get("module", "")
    module = None
    if module_id.isascii() and module_id.isdigit():
        module = Module.objects.filter(programme=programme, pk=int(module_id)).first()
    if module is None:
        raise Http404(_("Not found."))
    services.remove_module(actor, module=module)
    messages.success(request, _("Module removed."))
    return redirect("training:programme", programme_id=programme.pk)


PROGRAMME_ACTIONS: dict[str, Callable[[ActorRequest, Actor, Programme], HttpResponse]] = {
    "edit": _programme_edit,
    "module": _programme_module,
    "remove_module": _programme_remove_module,
}


@staff_required
def programme(request: ActorRequest, programme_id: int) -> HttpResponse:
    actor = request.actor
    record = selectors.get_programme(actor, programme_id)
    if request.method == "POST":
        policy.require_anywhere(actor, "manage", at=selectors.root_path())
        return run_action(
            request,
            PROGRAMME_ACTIONS,
            request.POST.get("action", ""),
            actor,
            record,
            on_error=lambda _request, p: redirect("training:programme", programme_id=p.pk),
        )
    can_manage = selectors.can_manage(actor)
    initial = model_to_dict(record, fields=list(ProgrammeForm.base_fields))
    context = {
        "programme": record,
        "hours": selectors.programme_hours(record),
        "courses": selectors.list_courses(actor, programme_id=record.pk)[:20],
        "can_manage": can_manage,
        "form": ProgrammeForm(initial=initial) if can_manage else None,
        "module_form": ModuleForm() if can_manage else None,
    }
    return render(request, "training/programme.html", context)


# --- courses --------------------------------------------------------------------------


@staff_required
def courses(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    programmes = list(selectors.list_programmes(actor))
    years = list(range(timezone.localdate().year + 1, FIRST_YEAR - 2, -1))
    form = CourseFilterForm(request.GET or None, years=years, programmes=programmes)
    data = form.cleaned_data if form.is_valid() else {}
    context = {
        "form": form,
        "courses": selectors.list_courses(actor, year=data.get("year"), programme_id=data.get("programme"))[
            :200
        ],
        "can_create": selectors.list_organising_units(actor).exists(),
    }
    return render(request, "training/courses.html", context)


def _course_form(request: ActorRequest, actor: Actor, course: Course | None) -> CourseForm:
    units = list(selectors.list_organising_units(actor))
    if course is not None and course.unit_id not in {u.pk for u in units}:
        units.insert(0, course.unit)
    trainers = list(selectors.list_trainers(actor, active_only=True))
    if course is not None:
        trainers += [t for t in course.trainers.all() if not t.active]
    initial: dict[str, Any] = {}
    if course is not None:
        initial = {
            "programme": course.programme_id,
            "unit": course.unit_id,
            "starts_on": course.starts_on,
            "ends_on": course.ends_on,
            "place": course.place,
            "trainers": [t.pk for t in course.trainers.all()],
        }
    return CourseForm(
        request.POST or None,
        initial=initial,
        programmes=selectors.list_programmes(actor),
        units=units,
        trainers=trainers,
    )


def _save_course(request: ActorRequest, actor: Actor, form: CourseForm, course: Course | None) -> Course:
    data = form.cleaned_data
    programme = selectors.list_programmes(actor).filter(pk=data["programme"]).first()
    unit = selectors.list_organising_units(actor).filter(pk=data["unit"]).first()
    if course is not None and unit is None and data["unit"] == course.unit_id:
        unit = course.unit
    if programme is None or unit is None:
        raise services.InvalidInput(_("Choose a programme and a unit from the lists."))
    fields: dict[str, Any] = {
        "programme": programme,
        "unit": unit,
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "place": data["place"],
        "trainer_ids": data["trainers"],
    }
    if course is None:
        return services.create_course(actor, **fields)
    return services.update_course(actor, course=course, **fields)


@staff_required
def course_new(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    policy.require_anywhere(actor, "view")
    if not selectors.list_organising_units(actor).exists():
        raise PermissionDenied(_("You may not do this here."))
    form = _course_form(request, actor, None)
    if request.method == "POST" and form.is_valid():
        try:
            course = _save_course(request, actor, form, None)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Course saved. Enrol its participants."))
            return redirect("training:course", course_id=course.pk)
    return render(
        request, "training/course_form.html", {"form": form, "course": None}, status=_status(request)
    )


@staff_required
def course_edit(request: ActorRequest, course_id: int) -> HttpResponse:
    actor = request.actor
    course = selectors.get_course(actor, course_id)
    policy.require(actor, "manage_course", course.unit_path)
    form = _course_form(request, actor, course)
    if request.method == "POST" and form.is_valid():
        try:
            _save_course(request, actor, form, course)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("training:course", course_id=course.pk)
    return render(
        request, "training/course_form.html", {"form": form, "course": course}, status=_status(request)
    )


def _course_enrol(request: ActorRequest, actor: Actor, course: Course) -> HttpResponse:
    form = BadgesForm(request.POST)
    if not form.is_valid():
        raise services.InvalidInput(_("Enter at least one badge number."))
    added = services.enrol_officers(
        actor, course=course, badge_numbers=services.parse_badges(form.cleaned_data["badges"])
    )
    messages.success(request, _("%(count)s officers enrolled.") % {"count": added})
    return redirect("training:course", course_id=course.pk)


def _course_attendance(request: ActorRequest, actor: Actor, course: Course) -> HttpResponse:
    ids = list(course.attendances.values_list("officer_id", flat=True))
    form = AttendanceForm(request.POST, officer_ids=ids)
    if not form.is_valid():
        raise services.InvalidInput(_("Only officers enrolled on the course can complete it."))
    count = services.mark_attendance(actor, course=course, completed_ids=form.cleaned_data["completed"])
    messages.success(request, _("Attendance saved: %(count)s completed.") % {"count": count})
    return redirect("training:course", course_id=course.pk)


def _course_remove(request: ActorRequest, actor: Actor, course: Course) -> HttpResponse:
    officer_id = request.POST.get("officer", "")
    if not (officer_id.isascii() and officer_id.isdigit()):
        raise Http404(_("Not found."))
    services.remove_participant(actor, course=course, officer_id=int(officer_id))
    messages.success(request, _("Participant removed."))
    return redirect("training:course", course_id=course.pk)


COURSE_ACTIONS: dict[str, Callable[[ActorRequest, Actor, Course], HttpResponse]] = {
    "enrol": _course_enrol,
    "attendance": _course_attendance,
    "remove": _course_remove,
}


@staff_required
def course(request: ActorRequest, course_id: int) -> HttpResponse:
    actor = request.actor
    record = selectors.get_course(actor, course_id)
    if request.method == "POST":
        policy.require(actor, "manage_course", record.unit_path)
        return run_action(
            request,
            COURSE_ACTIONS,
            request.POST.get("action", ""),
            actor,
            record,
            on_error=lambda _request, c: redirect("training:course", course_id=c.pk),
        )
    can_manage = selectors.can_manage_course(actor, record)
    attendances = selectors.get_course_attendance(actor, record, request=request) if can_manage else None
    context = {
        "course": record,
        "can_manage": can_manage,
        "attendances": attendances,
        "badges_form": BadgesForm() if can_manage else None,
        "started": record.starts_on <= timezone.localdate(),
    }
    return render(request, "training/course.html", context)


# --- study visits ---------------------------------------------------------------------


@staff_required
def visits(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    can_manage = selectors.can_manage(actor)
    form = VisitForm(request.POST or None)
    if request.method == "POST":
        policy.require_anywhere(actor, "manage", at=selectors.root_path())
        if form.is_valid():
            try:
                visit = services.create_visit(actor, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Study visit saved. Add its participants and report."))
                return redirect("training:visit", visit_id=visit.pk)
    context = {"visits": selectors.list_visits(actor), "form": form if can_manage else None}
    return render(request, "training/visits.html", context, status=_status(request))


def _visit_edit(request: ActorRequest, actor: Actor, visit: StudyVisit) -> HttpResponse:
    form = VisitForm(request.POST)
    if not form.is_valid():
        raise services.InvalidInput(_("Fill in the country, the dates and the purpose."))
    services.update_visit(actor, visit=visit, **form.cleaned_data)
    messages.success(request, _("Changes saved."))
    return redirect("training:visit", visit_id=visit.pk)


def _visit_participants(request: ActorRequest, actor: Actor, visit: StudyVisit) -> HttpResponse:
    form = BadgesForm(request.POST)
    if not form.is_valid():
        raise services.InvalidInput(_("Enter at least one badge number."))
    added = services.add_visit_participants(
        actor, visit=visit, badge_numbers=services.parse_badges(form.cleaned_data["badges"])
    )
    messages.success(request, _("%(count)s participants added.") % {"count": added})
    return redirect("training:visit", visit_id=visit.pk)


def _visit_remove(request: ActorRequest, actor: Actor, visit: StudyVisit) -> HttpResponse:
    officer_id = request.POST.get("officer", "")
    if not (officer_id.isascii() and officer_id.isdigit()):
        raise Http404(_("Not found."))
    services.remove_visit_participant(actor, visit=visit, officer_id=int(officer_id))
    messages.success(request, _("Participant removed."))
    return redirect("training:visit", visit_id=visit.pk)


def _visit_report(request: ActorRequest, actor: Actor, visit: StudyVisit) -> HttpResponse:
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        raise services.InvalidInput(_("Choose the report's PDF file."))
    upload = form.cleaned_data["report"]
    if upload.size > services.MAX_REPORT_BYTES:
        raise services.InvalidInput(_("%(name)s is larger than 10 MB.") % {"name": upload.name})
    services.upload_visit_report(actor, visit=visit, upload=services.Upload(upload.name, upload.read()))
    messages.success(request, _("Report uploaded."))
    return redirect("training:visit", visit_id=visit.pk)


VISIT_ACTIONS: dict[str, Callable[[ActorRequest, Actor, StudyVisit], HttpResponse]] = {
    "edit": _visit_edit,
    "participants": _visit_participants,
    "remove": _visit_remove,
    "report": _visit_report,
}


@staff_required
def visit(request: ActorRequest, visit_id: int) -> HttpResponse:
    actor = request.actor
    record = selectors.get_visit(actor, visit_id)
    if request.method == "POST":
        policy.require_anywhere(actor, "manage", at=selectors.root_path())
        return run_action(
            request,
            VISIT_ACTIONS,
            request.POST.get("action", ""),
            actor,
            record,
            on_error=lambda _request, v: redirect("training:visit", visit_id=v.pk),
        )
    can_manage = selectors.can_manage(actor)
    initial = model_to_dict(record, fields=list(VisitForm.base_fields))
    context = {
        "visit": record,
        "can_manage": can_manage,
        "participants": selectors.get_visit_participants(actor, record, request=request)
        if can_manage
        else None,
        "form": VisitForm(initial=initial) if can_manage else None,
        "badges_form": BadgesForm() if can_manage else None,
        "report_form": ReportForm() if can_manage else None,
    }
    return render(request, "training/visit.html", context)


@staff_required
def visit_report(request: ActorRequest, visit_id: int) -> FileResponse:
    """The report, always as a download, never sniffed into something else."""
    record = selectors.get_visit(request.actor, visit_id)
    if not record.report:
        raise Http404(_("Not found."))
    response = FileResponse(
        record.report.open("rb"), as_attachment=True, filename=record.report_name or "report.pdf"
    )
    response["Content-Type"] = "application/pdf"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- training needs -------------------------------------------------------------------


@staff_required
def needs(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    units = list(selectors.list_need_units(actor))
    form = NeedForm(request.POST or None, units=units, initial={"identified_on": timezone.localdate()})
    if request.method == "POST":
        policy.require_anywhere(actor, "view")
        if not units:
            raise PermissionDenied(_("You may not do this here."))
        if form.is_valid():
            data = form.cleaned_data
            unit = next((u for u in units if u.pk == data["unit"]), None)
            try:
                if unit is None:
                    raise services.InvalidInput(_("Choose a unit from the list."))
                services.record_need(
                    actor, unit=unit, description=data["description"], identified_on=data["identified_on"]
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Training need recorded."))
                return redirect("training:needs")
    status = request.GET.get("status", "")
    rows = [
        (need, selectors.can_manage_need(actor, need))
        for need in selectors.list_needs(actor, status=status)[:300]
    ]
    context = {
        "rows": rows,
        "form": form if units else None,
        "status": status,
        "statuses": NeedStatus.choices,
        "status_form": NeedStatusForm(programmes=selectors.list_programmes(actor)),
    }
    return render(request, "training/needs.html", context, status=_status(request))


@staff_required
@require_POST
def need_status(request: ActorRequest, need_id: int) -> HttpResponse:
    actor = request.actor
    need = selectors.get_need(actor, need_id)
    programmes = selectors.list_programmes(actor)
    form = NeedStatusForm(request.POST, programmes=programmes)
    try:
        if not form.is_valid():
            raise services.InvalidInput(_("Choose a status."))
        programme_id = form.cleaned_data["programme"]
        chosen = programmes.filter(pk=programme_id).first() if programme_id else None
        services.set_need_status(actor, need=need, status=form.cleaned_data["status"], programme=chosen)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Status saved."))
    return redirect("training:needs")


# --- officers' records ----------------------------------------------------------------


@staff_required
def officers(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    policy.require_anywhere(actor, "view")
    if not selectors.may_view_records(actor):
        raise PermissionDenied(_("Your role does not give access to officers' training records."))
    form = OfficerSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"form": form, "officers": selectors.search_officers(actor, query), "query": query}
    return render(request, "training/officers.html", context)


@staff_required
def officer_record(request: ActorRequest, officer_id: int) -> HttpResponse:
    """An officer's training history: personal data, logged on every view."""
    record = selectors.get_officer_record(request.actor, officer_id, request=request)
    return render(request, "training/officer_record.html", {"record": record})
