# Django's Serbian formats, with ISO dates first for reading and writing
# forms: <input type="date"> and "datetime-local" only take ISO values, so the
# initial values would otherwise be blank in Serbian. Typed dates still parse.
from django.conf.locale.sr.formats import *  # noqa: F403
from django.conf.locale.sr.formats import DATE_INPUT_FORMATS as _DATES
from django.conf.locale.sr.formats import DATETIME_INPUT_FORMATS as _DATETIMES

DATE_INPUT_FORMATS = ["%Y-%m-%d", *_DATES]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", *_DATETIMES]
