"""`{% purpose_fields "complaints.complaint" record.pk %}`: the question a
form that reveals a person's data asks (why?), inside that form. Sensitive
record types (SENSITIVE_RECORD_TYPES) must be answered; for others routine
work is chosen already. A purpose declared for the record earlier in the
session is chosen already too."""

from typing import Any

from django import template

from ..audit import ROUTINE, declared, is_sensitive
from ..models import Purpose

register = template.Library()


@register.inclusion_tag("accounts/_purpose_fields.html", takes_context=True)
def purpose_fields(context: dict[str, Any], subject_type: str, subject_id: object = "") -> dict[str, Any]:
    request = context.get("request")
    sensitive = is_sensitive(subject_type)
    earlier = (
        declared(request, subject_type, subject_id) if request is not None and subject_id != "" else None
    )
    chosen = earlier or (None if sensitive else ROUTINE)
    return {
        "choices": Purpose.choices,
        "sensitive": sensitive,
        "chosen": chosen.purpose if chosen else "",
        "note": chosen.note if chosen else "",
        "field_id": f"purpose-{subject_type.replace('.', '-')}-{subject_id}",
    }
