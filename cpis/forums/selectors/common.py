"""What the forums' reads share: one answer for "not yours" and "does not exist"."""

from django.http import Http404
from django.utils.translation import gettext as _


def not_found() -> Http404:
    return Http404(_("Not found."))
