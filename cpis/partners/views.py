"""Staff pages for partners: the registry of a place with its exports, a
partner with its contacts (for roles that need them, every view logged),
agreements with their signed PDF, interest groups, volunteers and their
hours, and recognitions. Each page parses input, calls one service or
selector and renders."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.exports import to_csv, to_xlsx
from cpis.core.htmx import template_for, vary_on_htmx
from cpis.core.periods import Period, parse_label
from cpis.organisation.access import Actor, ActorRequest, staff_required

from . import selectors, services
from .forms import (
    AgreementFilterForm,
    AgreementForm,
    ContactForm,
    DocumentForm,
    GroupFilterForm,
    GroupForm,
    HoursForm,
    PartnerFilterForm,
    PartnerForm,
    PeriodForm,
    RecognitionFilterForm,
    RecognitionForm,
    VolunteerFilterForm,
    VolunteerForm,
)
from .models import Agreement, Volunteer
from .policy import policy

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALL_KINDS = selectors.CENTRAL_KINDS | selectors.LOCAL_KINDS


def _manage_units(actor: Actor, kinds: frozenset[str] = ALL_KINDS) -> Any:
    """Units the actor may record things for; none at all is a 403."""
    units = selectors.list_units(actor, kinds=kinds)
    if not units.exists():
        raise PermissionDenied(_("You may not do this here."))
    return units


def _page(request: ActorRequest, items: Any) -> Any:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _list_page(request: ActorRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    query = request.GET.copy()
    query.pop("page", None)
    context = {"query_string": query.urlencode(), **context}
    return vary_on_htmx(render(request, template_for(request, template, "rows"), context))


def _form_page(
    request: ActorRequest,
    form: Any,
    *,
    title: str,
    cancel: str,
    intro: str = "",
    multipart: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "title": title, "cancel": cancel, "intro": intro, "multipart": multipart}
    return render(request, "partners/form.html", context, status=status)


def _submit(form: Any, save: Callable[[dict[str, Any]], Any]) -> Any | None:
    """Run the service on a valid form; a broken rule becomes the form's error."""
    if not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except DomainError as exc:
        form.add_error(None, str(exc))
        return None


def _upload(file: UploadedFile | None) -> services.Upload | None:
    """Read an uploaded file, refusing an oversize one before reading it."""
    if file is None:
        return None
    if (file.size or 0) > services.MAX_DOCUMENT_BYTES:
        raise InvalidInput(_("%(name)s is larger than 10 MB.") % {"name": file.name})
    return services.Upload(file.name or "", file.read())


def _period(request: ActorRequest, periods: list[Period]) -> Period:
    try:
        chosen = parse_label(request.GET.get("period", ""))
    except ValueError:
        return periods[0] if periods else selectors.default_hour_period()
    return chosen


def _export(rows: Any, header: list[str], fmt: str, name: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(to_xlsx(header, rows, title=name), content_type=XLSX)
    else:
        raise Http404(_("Not found."))
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- partners -------------------------------------------------------------------------


def _partner_filters(form: PartnerFilterForm) -> selectors.PartnerFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.PartnerFilters(
        kind=data.get("kind", ""),
        level=data.get("level", ""),
        active=data.get("active", ""),
        query=data.get("q", ""),
    )


@staff_required
def partner_list(request: ActorRequest) -> HttpResponse:
    """The registry of the user's places [2.1.1, 2.1.3]."""
    actor = request.actor
    form = PartnerFilterForm(request.GET or None)
    partners = selectors.list_partners(actor, _partner_filters(form))
    return _list_page(
        request,
        "partners/partner_list.html",
        {"form": form, "page": _page(request, partners), "can_manage": policy.anywhere(actor, "manage")},
    )


@staff_required
def partner_export(request: ActorRequest, fmt: str) -> HttpResponse:
    """The registry as CSV or XLSX: no contact people, no phone or e-mail."""
    actor = request.actor
    rows = selectors.partner_export_rows(actor, _partner_filters(PartnerFilterForm(request.GET or None)))
    return _export(rows, selectors.PARTNER_EXPORT_HEADER, fmt, "partners")


def _partner_data(data: dict[str, Any]) -> services.PartnerData:
    return services.PartnerData(
        kind=data["kind"],
        name=data["name"],
        level=data["level"],
        unit=data["unit"],
        municipality=data["municipality"],
        description=data["description"],
        identified_on=data["identified_on"],
        is_active=data["is_active"],
    )


@staff_required
def partner_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = PartnerForm(request.POST or None, units=_manage_units(actor))
    if request.method == "POST":
        partner = _submit(form, lambda data: services.register_partner(actor, data=_partner_data(data)))
        if partner is not None:
            messages.success(request, _("The partner has been registered."))
            return redirect("partners:partner", partner_id=partner.pk)
    return _form_page(
        request,
        form,
        title=_("Register a partner"),
        cancel=reverse("partners:list"),
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def partner_edit(request: ActorRequest, partner_id: int) -> HttpResponse:
    actor = request.actor
    partner = selectors.get_partner(actor, partner_id)
    policy.require(actor, "manage", partner.unit_path)
    initial = model_to_dict(partner, fields=list(PartnerForm.base_fields))
    form = PartnerForm(request.POST or None, initial=initial, units=_manage_units(actor))
    if request.method == "POST":
        saved = _submit(
            form, lambda data: services.update_partner(actor, partner=partner, data=_partner_data(data))
        )
        if saved is not None:
            messages.success(request, _("The partner has been saved."))
            return redirect("partners:partner", partner_id=partner.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": partner.name},
        cancel=reverse("partners:partner", args=[partner.pk]),
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def partner_detail(request: ActorRequest, partner_id: int) -> HttpResponse:
    """A partner, its agreements and, for roles that need them, its contact
    people with phone and e-mail (each one shown is logged)."""
    actor = request.actor
    partner = selectors.get_partner(actor, partner_id)
    can_view_contacts = selectors.can_view_contacts(actor, partner.unit_path)
    context = {
        "partner": partner,
        "can_manage": policy.can(actor, "manage", partner.unit_path),
        "can_view_contacts": can_view_contacts,
        "contacts": selectors.list_contacts(actor, partner, request=request) if can_view_contacts else [],
        "contact_count": selectors.count_contacts(partner),
        "agreements": selectors.list_partner_agreements(actor, partner),
    }
    return render(request, "partners/partner_detail.html", context)


def _contact_data(data: dict[str, Any]) -> services.ContactData:
    return services.ContactData(
        name=data["name"],
        position=data["position"],
        phone=data["phone"],
        email=data["email"],
        consent=data["consent"],
    )


@staff_required
def contact_create(request: ActorRequest, partner_id: int) -> HttpResponse:
    actor = request.actor
    partner = selectors.get_partner(actor, partner_id)
    policy.require(actor, "manage", partner.unit_path)
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        contact = _submit(
            form, lambda data: services.add_contact(actor, partner=partner, data=_contact_data(data))
        )
        if contact is not None:
            messages.success(request, _("The contact has been added."))
            return redirect("partners:partner", partner_id=partner.pk)
    return _form_page(
        request,
        form,
        title=_("New contact at %(partner)s") % {"partner": partner.name},
        intro=_(
            "Phone and e-mail are personal data: only roles that need them see them, and each view is logged."
        ),
        cancel=reverse("partners:partner", args=[partner.pk]),
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def contact_edit(request: ActorRequest, contact_id: int) -> HttpResponse:
    actor = request.actor
    contact = selectors.get_contact(actor, contact_id, request=request)
    policy.require(actor, "manage", contact.partner.unit_path)
    initial = model_to_dict(contact, fields=list(ContactForm.base_fields))
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = _submit(
            form, lambda data: services.update_contact(actor, contact=contact, data=_contact_data(data))
        )
        if saved is not None:
            messages.success(request, _("The contact has been saved."))
            return redirect("partners:partner", partner_id=contact.partner_id)
    return _form_page(
        request,
        form,
        title=_("Edit the contact at %(partner)s") % {"partner": contact.partner.name},
        cancel=reverse("partners:partner", args=[contact.partner_id]),
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def contact_delete(request: ActorRequest, contact_id: int) -> HttpResponse:
    actor = request.actor
    contact = selectors.get_contact_record(actor, contact_id)
    services.remove_contact(actor, contact=contact)
    messages.success(request, _("The contact has been removed."))
    return redirect("partners:partner", partner_id=contact.partner_id)


# --- agreements -----------------------------------------------------------------------


@staff_required
def agreement_list(request: ActorRequest) -> HttpResponse:
    """Agreements, memoranda and administrative guidelines [2.1.2]."""
    actor = request.actor
    form = AgreementFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.AgreementFilters(
        kind=data.get("kind", ""), status=data.get("status", ""), query=data.get("q", "")
    )
    agreements = selectors.list_agreements(actor, filters)
    return _list_page(
        request,
        "partners/agreement_list.html",
        {"form": form, "page": _page(request, agreements), "can_manage": policy.anywhere(actor, "manage")},
    )


def _agreement_data(data: dict[str, Any]) -> services.AgreementData:
    return services.AgreementData(
        kind=data["kind"],
        title=data["title"],
        unit=data["unit"],
        partners=list(data["partners"]),
        status=data["status"],
        signed_on=data["signed_on"],
        valid_until=data["valid_until"],
        notes=data["notes"],
    )


def _agreement_form(request: ActorRequest, actor: Actor, initial: dict[str, Any]) -> AgreementForm:
    return AgreementForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        units=_manage_units(actor),
        partners=selectors.list_partner_choices(actor),
    )


@staff_required
def agreement_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    initial: dict[str, Any] = {}
    partner_id = request.GET.get("partner", "")
    if partner_id.isascii() and partner_id.isdigit():
        partner = selectors.list_partner_choices(actor).filter(pk=int(partner_id)).first()
        if partner is not None:
            initial = {"partners": [partner], "unit": partner.unit}
    form = _agreement_form(request, actor, initial)
    if request.method == "POST":
        agreement = _submit(
            form,
            lambda data: services.record_agreement(
                actor, data=_agreement_data(data), document=_upload(data["document"])
            ),
        )
        if agreement is not None:
            messages.success(request, _("The agreement has been recorded."))
            return redirect("partners:agreement", agreement_id=agreement.pk)
    return _form_page(
        request,
        form,
        title=_("Record an agreement"),
        cancel=reverse("partners:agreements"),
        multipart=True,
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def agreement_edit(request: ActorRequest, agreement_id: int) -> HttpResponse:
    actor = request.actor
    agreement = selectors.get_agreement(actor, agreement_id)
    policy.require(actor, "manage", agreement.unit_path)
    initial = model_to_dict(agreement, fields=[f for f in AgreementForm.base_fields if f != "document"])
    form = _agreement_form(request, actor, initial)
    if request.method == "POST":
        saved = _submit(
            form,
            lambda data: services.update_agreement(
                actor, agreement=agreement, data=_agreement_data(data), document=_upload(data["document"])
            ),
        )
        if saved is not None:
            messages.success(request, _("The agreement has been saved."))
            return redirect("partners:agreement", agreement_id=agreement.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(title)s") % {"title": agreement.title},
        cancel=reverse("partners:agreement", args=[agreement.pk]),
        multipart=True,
        status=400 if request.method == "POST" else 200,
    )


def _agreement_page(
    request: ActorRequest, agreement: Agreement, form: DocumentForm | None = None, status: int = 200
) -> HttpResponse:
    actor = request.actor
    can_manage = policy.can(actor, "manage", agreement.unit_path)
    context = {
        "agreement": agreement,
        "can_manage": can_manage,
        "document_form": (form or DocumentForm()) if can_manage else None,
    }
    return render(request, "partners/agreement_detail.html", context, status=status)


@staff_required
def agreement_detail(request: ActorRequest, agreement_id: int) -> HttpResponse:
    return _agreement_page(request, selectors.get_agreement(request.actor, agreement_id))


@staff_required
@require_POST
def agreement_upload(request: ActorRequest, agreement_id: int) -> HttpResponse:
    """Attach or replace the signed PDF; a refused file changes nothing."""
    actor = request.actor
    agreement = selectors.get_agreement(actor, agreement_id)
    policy.require(actor, "manage", agreement.unit_path)
    form = DocumentForm(request.POST, request.FILES)
    saved = _submit(
        form,
        lambda data: services.attach_agreement_document(
            actor,
            agreement=agreement,
            upload=_upload(data["document"]),  # type: ignore[arg-type]
        ),
    )
    if saved is None:
        return _agreement_page(request, agreement, form, status=400)
    messages.success(request, _("The signed document has been attached."))
    return redirect("partners:agreement", agreement_id=agreement.pk)


@staff_required
def agreement_document(request: ActorRequest, agreement_id: int) -> FileResponse:
    """The signed PDF, always as a download, never sniffed into something else."""
    agreement = selectors.get_agreement_document(request.actor, agreement_id)
    response = FileResponse(
        agreement.document.open("rb"), as_attachment=True, filename=agreement.document_name or "document.pdf"
    )
    response["Content-Type"] = "application/pdf"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- interest groups ------------------------------------------------------------------


@staff_required
def group_list(request: ActorRequest) -> HttpResponse:
    """Interest groups [2.2.1]: neighbourhood watch, school safety patrols, conciliation councils."""
    actor = request.actor
    form = GroupFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.GroupFilters(
        kind=data.get("kind", ""), active=data.get("active", ""), query=data.get("q", "")
    )
    return _list_page(
        request,
        "partners/group_list.html",
        {
            "form": form,
            "page": _page(request, selectors.list_groups(actor, filters)),
            "can_manage": policy.anywhere(actor, "manage"),
        },
    )


def _group_data(data: dict[str, Any]) -> services.GroupData:
    return services.GroupData(
        kind=data["kind"],
        name=data["name"],
        unit=data["unit"],
        founded_on=data["founded_on"],
        is_active=data["is_active"],
        description=data["description"],
    )


@staff_required
def group_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = GroupForm(request.POST or None, units=_manage_units(actor))
    if request.method == "POST":
        group = _submit(form, lambda data: services.register_group(actor, data=_group_data(data)))
        if group is not None:
            messages.success(request, _("The interest group has been registered."))
            return redirect("partners:group", group_id=group.pk)
    return _form_page(
        request,
        form,
        title=_("Register an interest group"),
        cancel=reverse("partners:groups"),
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def group_edit(request: ActorRequest, group_id: int) -> HttpResponse:
    actor = request.actor
    group = selectors.get_group(actor, group_id)
    policy.require(actor, "manage", group.unit_path)
    initial = model_to_dict(group, fields=list(GroupForm.base_fields))
    form = GroupForm(request.POST or None, initial=initial, units=_manage_units(actor))
    if request.method == "POST":
        saved = _submit(form, lambda data: services.update_group(actor, group=group, data=_group_data(data)))
        if saved is not None:
            messages.success(request, _("The interest group has been saved."))
            return redirect("partners:group", group_id=group.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": group.name},
        cancel=reverse("partners:group", args=[group.pk]),
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def group_detail(request: ActorRequest, group_id: int) -> HttpResponse:
    actor = request.actor
    group = selectors.get_group(actor, group_id)
    context = {
        "group": group,
        "can_manage": policy.can(actor, "manage", group.unit_path),
        "volunteers": selectors.list_group_volunteers(actor, group),
        "totals": selectors.group_hours_by_period(group),
    }
    return render(request, "partners/group_detail.html", context)


# --- volunteers and hours -------------------------------------------------------------


@staff_required
def volunteer_list(request: ActorRequest) -> HttpResponse:
    """Volunteers [2.2.2] with the hours they gave in all."""
    actor = request.actor
    form = VolunteerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    group_id = request.GET.get("group", "")
    filters = selectors.VolunteerFilters(
        group=int(group_id) if group_id.isascii() and group_id.isdigit() else None,
        active=data.get("active", ""),
        query=data.get("q", ""),
    )
    return _list_page(
        request,
        "partners/volunteer_list.html",
        {
            "form": form,
            "page": _page(request, selectors.list_volunteers(actor, filters)),
            "can_manage": policy.anywhere(actor, "manage"),
        },
    )


def _volunteer_data(data: dict[str, Any]) -> services.VolunteerData:
    return services.VolunteerData(
        name=data["name"],
        contact=data["contact"],
        unit=data["unit"],
        group=data["group"],
        joined_on=data["joined_on"],
        left_on=data["left_on"],
    )


def _volunteer_form(request: ActorRequest, actor: Actor, initial: dict[str, Any]) -> VolunteerForm:
    return VolunteerForm(
        request.POST or None,
        initial=initial,
        units=_manage_units(actor),
        groups=selectors.list_group_choices(actor),
    )


@staff_required
def volunteer_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    initial: dict[str, Any] = {}
    group_id = request.GET.get("group", "")
    if group_id.isascii() and group_id.isdigit():
        group = selectors.list_group_choices(actor).filter(pk=int(group_id)).first()
        if group is not None:
            initial = {"group": group, "unit": group.unit}
    form = _volunteer_form(request, actor, initial)
    if request.method == "POST":
        volunteer = _submit(form, lambda data: services.enrol_volunteer(actor, data=_volunteer_data(data)))
        if volunteer is not None:
            messages.success(request, _("The volunteer has been enrolled."))
            return redirect("partners:volunteer", volunteer_id=volunteer.pk)
    return _form_page(
        request,
        form,
        title=_("Enrol a volunteer"),
        intro=_(
            "The phone or e-mail is personal data: only roles that need it see it, and each view is logged."
        ),
        cancel=reverse("partners:volunteers"),
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def volunteer_edit(request: ActorRequest, volunteer_id: int) -> HttpResponse:
    actor = request.actor
    volunteer = selectors.get_volunteer(actor, volunteer_id)
    policy.require(actor, "manage", volunteer.unit_path)
    initial: dict[str, Any] = {
        "name": volunteer.name,
        "unit": volunteer.unit,
        "group": volunteer.group,
        "joined_on": volunteer.joined_on,
        "left_on": volunteer.left_on,
    }
    if request.method != "POST":
        initial["contact"] = selectors.get_volunteer_contact(actor, volunteer, request=request)
    form = _volunteer_form(request, actor, initial)
    if request.method == "POST":
        saved = _submit(
            form,
            lambda data: services.update_volunteer(actor, volunteer=volunteer, data=_volunteer_data(data)),
        )
        if saved is not None:
            messages.success(request, _("The volunteer has been saved."))
            return redirect("partners:volunteer", volunteer_id=volunteer.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": volunteer.name},
        cancel=reverse("partners:volunteer", args=[volunteer.pk]),
        status=400 if request.method == "POST" else 200,
    )


def _volunteer_page(
    request: ActorRequest, volunteer: Volunteer, form: HoursForm | None = None, status: int = 200
) -> HttpResponse:
    actor = request.actor
    can_view_contact = selectors.can_view_contacts(actor, volunteer.unit_path)
    can_manage = policy.can(actor, "manage", volunteer.unit_path)
    context = {
        "volunteer": volunteer,
        "can_manage": can_manage,
        "can_view_contact": can_view_contact,
        "contact": (
            selectors.get_volunteer_contact(actor, volunteer, request=request) if can_view_contact else ""
        ),
        "hours": selectors.list_hours(volunteer)[:200],
        "totals": selectors.volunteer_hours_by_period(volunteer),
        "hours_form": (form or HoursForm()) if can_manage else None,
    }
    return render(request, "partners/volunteer_detail.html", context, status=status)


@staff_required
def volunteer_detail(request: ActorRequest, volunteer_id: int) -> HttpResponse:
    return _volunteer_page(request, selectors.get_volunteer(request.actor, volunteer_id))


@staff_required
@require_POST
def hours_create(request: ActorRequest, volunteer_id: int) -> HttpResponse:
    actor = request.actor
    volunteer = selectors.get_volunteer(actor, volunteer_id)
    policy.require(actor, "manage", volunteer.unit_path)
    form = HoursForm(request.POST)
    saved = _submit(
        form,
        lambda data: services.record_hours(
            actor, volunteer=volunteer, day=data["date"], hours=data["hours"], activity=data["activity"]
        ),
    )
    if saved is None:
        return _volunteer_page(request, volunteer, form, status=400)
    messages.success(request, _("The hours have been recorded."))
    return redirect("partners:volunteer", volunteer_id=volunteer.pk)


@staff_required
@require_POST
def hours_delete(request: ActorRequest, entry_id: int) -> HttpResponse:
    actor = request.actor
    entry = selectors.get_hours_entry(actor, entry_id)
    services.remove_hours(actor, entry=entry)
    messages.success(request, _("The entry has been removed."))
    return redirect("partners:volunteer", volunteer_id=entry.volunteer_id)


@staff_required
def hours_overview(request: ActorRequest) -> HttpResponse:
    """Hours given in a half-year, per volunteer and per interest group."""
    actor = request.actor
    periods = selectors.hour_periods(actor)
    period = _period(request, periods)
    form = PeriodForm(initial={"period": period.label}, periods=periods)
    context = {"form": form, "period": period, "totals": selectors.hours_totals(actor, period)}
    return render(request, "partners/hours.html", context)


@staff_required
def hours_export(request: ActorRequest, fmt: str) -> HttpResponse:
    """Volunteer hours as CSV or XLSX, the volunteer by number only."""
    actor = request.actor
    period = None
    if request.GET.get("period"):
        period = _period(request, selectors.hour_periods(actor))
    rows = selectors.hours_export_rows(actor, period)
    return _export(rows, selectors.HOURS_EXPORT_HEADER, fmt, "volunteer-hours")


# --- recognitions ---------------------------------------------------------------------


@staff_required
def recognition_list(request: ActorRequest) -> HttpResponse:
    """Recognitions of special contributions [2.2.3]."""
    actor = request.actor
    form = RecognitionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.RecognitionFilters(
        recipient_kind=data.get("recipient_kind", ""),
        published=data.get("published", ""),
        query=data.get("q", ""),
    )
    recognitions = selectors.list_recognitions(actor, filters)
    page = _page(request, recognitions)
    manageable = {r.pk for r in page if policy.can(actor, "manage", r.unit_path)}
    return _list_page(
        request,
        "partners/recognition_list.html",
        {
            "form": form,
            "page": page,
            "manageable": manageable,
            "can_manage": policy.anywhere(actor, "manage"),
        },
    )


def _recognition_data(data: dict[str, Any]) -> services.RecognitionData:
    return services.RecognitionData(
        recipient_kind=data["recipient_kind"],
        recipient_name=data["recipient_name"],
        partner=data["partner"],
        reason=data["reason"],
        awarded_on=data["awarded_on"],
        unit=data["unit"],
        is_published=data["is_published"],
    )


def _recognition_form(request: ActorRequest, actor: Actor, initial: dict[str, Any]) -> RecognitionForm:
    return RecognitionForm(
        request.POST or None,
        initial=initial,
        units=_manage_units(actor),
        partners=selectors.list_partner_choices(actor),
    )


@staff_required
def recognition_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = _recognition_form(request, actor, {})
    if request.method == "POST":
        saved = _submit(form, lambda data: services.award_recognition(actor, data=_recognition_data(data)))
        if saved is not None:
            messages.success(request, _("The recognition has been recorded."))
            return redirect("partners:recognitions")
    return _form_page(
        request,
        form,
        title=_("Record a recognition"),
        cancel=reverse("partners:recognitions"),
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def recognition_edit(request: ActorRequest, recognition_id: int) -> HttpResponse:
    actor = request.actor
    recognition = selectors.get_recognition(actor, recognition_id)
    policy.require(actor, "manage", recognition.unit_path)
    initial = model_to_dict(recognition, fields=list(RecognitionForm.base_fields))
    form = _recognition_form(request, actor, initial)
    if request.method == "POST":
        saved = _submit(
            form,
            lambda data: services.update_recognition(
                actor, recognition=recognition, data=_recognition_data(data)
            ),
        )
        if saved is not None:
            messages.success(request, _("The recognition has been saved."))
            return redirect("partners:recognitions")
    return _form_page(
        request,
        form,
        title=_("Edit the recognition of %(name)s") % {"name": recognition.recipient_name},
        cancel=reverse("partners:recognitions"),
        status=400 if request.method == "POST" else 200,
    )
