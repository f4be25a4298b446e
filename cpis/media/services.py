"""Writes for the media log: log a report, change it, delete it; add an outlet to
the managed list; import a spreadsheet of reports (a dry run first). Bad input
raises a translated DomainError and changes nothing; a report an outlet already
has (same link, or same day and headline) is never logged twice."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import clean_text
from cpis.core.uploads import Upload
from cpis.organisation.access import Actor
from cpis.organisation.models import Language, Municipality, Unit

from . import importing, rules, selectors
from .models import MediaItem, MediaPlace, Outlet, OutletKind, StagedImport, Topic
from .policy import policy
from .reading import read_table

MAX_LINKS = 20


class DuplicateItem(DomainError):
    status_code = 409
    message = gettext_lazy(
        "This report is already in the media log: the outlet has a report with the same link, "
        "or with the same headline on the same day."
    )


class DuplicateOutlet(DomainError):
    status_code = 409
    message = gettext_lazy("An outlet with this name is already on the list.")


class ImportHasErrors(DomainError):
    status_code = 400
    message = gettext_lazy(
        "Some rows have errors, so nothing was imported. Correct the file, or choose to import "
        "only the valid rows."
    )


@dataclass(frozen=True)
class Links:
    """The records a report bears on, by id."""

    problem_ids: Iterable[int] = ()
    activity_ids: Iterable[int] = ()
    meeting_ids: Iterable[int] = ()
    press_release_ids: Iterable[int] = ()


def _check_links(actor: Actor, links: Links) -> dict[str, list[int]]:
    checked = {}
    for name, ids in (
        ("problems", links.problem_ids),
        ("activities", links.activity_ids),
        ("meetings", links.meeting_ids),
        ("press_releases", links.press_release_ids),
    ):
        wanted = sorted(set(ids))
        if len(wanted) > MAX_LINKS:
            raise InvalidInput(
                _("A report may be linked to at most %(n)s records of a kind.") % {"n": MAX_LINKS}
            )
        if set(wanted) - selectors.linkable_ids(actor, name, wanted):
            raise InvalidInput(_("A linked record does not exist or is not one you may see."))
        checked[name] = wanted
    return checked


def _check_duplicate(fields: dict[str, object], *, exclude: int | None = None) -> None:
    if selectors.is_duplicate(
        outlet_id=fields["outlet"].pk,  # type: ignore[attr-defined]
        url_key=str(fields["url_key"]),
        published_on=fields["published_on"],  # type: ignore[arg-type]
        headline_key=str(fields["headline_key"]),
        exclude=exclude,
    ):
        raise DuplicateItem()


def _write(
    item: MediaItem,
    *,
    units: list[Unit],
    municipalities: Iterable[Municipality],
    links: dict[str, list[int]],
) -> None:
    MediaPlace.objects.filter(item=item).delete()
    MediaPlace.objects.bulk_create([MediaPlace(item=item, unit=u, unit_path=u.path) for u in units])
    item.municipalities.set(list(municipalities))
    item.problems.set(links["problems"])
    item.activities.set(links["activities"])
    item.meetings.set(links["meetings"])
    item.press_releases.set(links["press_releases"])


def _save(item: MediaItem) -> None:
    """Save inside a savepoint, so that a duplicate logged at the same moment by
    someone else reads as the rule, not as a database error."""
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:
        raise DuplicateItem() from exc


def _unique_units(units: Iterable[Unit]) -> list[Unit]:
    return list({u.pk: u for u in units}.values())


@transaction.atomic
def log_item(
    actor: Actor,
    *,
    published_on: date,
    outlet: Outlet,
    headline: str,
    topic: Topic,
    tone: str,
    units: Iterable[Unit],
    url: str = "",
    summary: str = "",
    municipalities: Iterable[Municipality] = (),
    links: Links = Links(),  # noqa: B008 - frozen and empty
) -> MediaItem:
    """Log a report in the media that concerns `units`, where the actor may log
    at every one of them. A report the outlet already has is refused (DuplicateItem)."""
    places = _unique_units(units)
    for unit in places:
        policy.require(actor, "log", unit.path)
    fields = rules.clean_fields(
        published_on=published_on,
        outlet=outlet,
        headline=headline,
        url=url,
        summary=summary,
        topic=topic,
        tone=tone,
        units=places,
    )
    checked = _check_links(actor, links)
    _check_duplicate(fields)
    item = MediaItem(**fields, created_by_id=actor.user_id)
    _save(item)
    _write(item, units=places, municipalities=municipalities, links=checked)
    return item


@transaction.atomic
def update_item(
    actor: Actor,
    *,
    item: MediaItem,
    published_on: date,
    outlet: Outlet,
    headline: str,
    topic: Topic,
    tone: str,
    units: Iterable[Unit],
    url: str = "",
    summary: str = "",
    municipalities: Iterable[Municipality] = (),
    links: Links = Links(),  # noqa: B008 - frozen and empty
) -> MediaItem:
    """Change a report: its author, or a station lead role at every one of its
    places; a new place must be one the actor may log at."""
    _require_change(actor, item)
    item = MediaItem.objects.select_for_update().get(pk=item.pk)
    places = _unique_units(units)
    already = set(item.places.values_list("unit_id", flat=True))
    for unit in places:
        if unit.pk not in already:
            policy.require(actor, "log", unit.path)
    fields = rules.clean_fields(
        published_on=published_on,
        outlet=outlet,
        headline=headline,
        url=url,
        summary=summary,
        topic=topic,
        tone=tone,
        units=places,
    )
    checked = _check_links(actor, links)
    _check_duplicate(fields, exclude=item.pk)
    for name, value in fields.items():
        setattr(item, name, value)
    item.updated_by_id = actor.user_id
    _save(item)
    _write(item, units=places, municipalities=municipalities, links=checked)
    return item


def _require_change(actor: Actor, item: MediaItem) -> None:
    paths = list(item.places.values_list("unit_path", flat=True))
    if paths and all(policy.can(actor, "manage", p) for p in paths):
        return
    for path in paths:
        policy.require(actor, "log", path)
    if actor.user_id is None or item.created_by_id != actor.user_id:
        raise NotYourItem()


class NotYourItem(DomainError):
    status_code = 403
    message = gettext_lazy(
        "Only the person who logged this report, or a coordinator or commander of its places, may change it."
    )


@transaction.atomic
def delete_item(actor: Actor, *, item: MediaItem) -> None:
    """Delete a report: its author, or a station lead role at its places."""
    _require_change(actor, item)
    MediaItem.objects.filter(pk=item.pk).delete()


@transaction.atomic
def add_outlet(actor: Actor, *, name: str, kind: str, language: str, reach: int | None = None) -> Outlet:
    """Add an outlet to the national list (directorate, strategy coordinator, system administrator)."""
    policy.require_anywhere(actor, "manage_lists", at=selectors.root_path())
    name = clean_text(name, limit=200, required=True, missing=_("Give the outlet's name."))
    if kind not in OutletKind.values:
        raise InvalidInput(_("Choose the kind of outlet: television, radio, online or print."))
    if language not in Language.values:
        raise InvalidInput(_("Choose the outlet's language."))
    if reach is not None and (isinstance(reach, bool) or not 0 <= reach <= 10_000_000):
        raise InvalidInput(_("The reach must be a whole number from 0 to 10,000,000."))
    if Outlet.objects.filter(name__iexact=name).exists():
        raise DuplicateOutlet()
    return Outlet.objects.create(name=name, kind=kind, language=language, reach=reach)


# --- import ---------------------------------------------------------------------------

STAGE_LIFETIME = timedelta(days=1)


@transaction.atomic
def stage_import(actor: Actor, *, upload: Upload) -> StagedImport:
    """Keep an uploaded spreadsheet for its dry run and import, once it reads as a
    table (InvalidInput otherwise). Files staged more than a day ago are dropped."""
    policy.require_anywhere(actor, "log")
    read_table(upload)
    StagedImport.objects.filter(created_at__lt=timezone.now() - STAGE_LIFETIME).delete()
    return StagedImport.objects.create(name=upload.name, data=upload.data, created_by_id=actor.user_id)


def discard_import(actor: Actor, *, staged: StagedImport) -> None:
    """Forget a staged file (its uploader)."""
    policy.require_anywhere(actor, "log")
    StagedImport.objects.filter(pk=staged.pk, created_by_id=actor.user_id).delete()


def check_import(
    actor: Actor, *, staged: StagedImport, mapping: dict[str, str], default_unit: Unit | None = None
) -> importing.Result:
    """The dry run: every row read, checked and compared with the log, nothing stored.
    Errors are written in the reader's language."""
    policy.require_anywhere(actor, "log")
    if not actor.is_system and staged.created_by_id != actor.user_id:
        raise Http404(_("Not found."))  # a staged file is its uploader's alone
    if default_unit is not None:
        policy.require(actor, "log", default_unit.path)
    upload = Upload(staged.name, bytes(staged.data))
    return importing.check(actor, upload=upload, mapping=mapping, default_unit=default_unit)


@transaction.atomic
def import_items(
    actor: Actor,
    *,
    staged: StagedImport,
    mapping: dict[str, str],
    default_unit: Unit | None = None,
    valid_rows_only: bool = False,
) -> importing.Result:
    """Import the file's reports. With any row in error nothing is stored
    (ImportHasErrors) unless `valid_rows_only`; rows already in the log, or twice in
    the file, are counted as duplicates and stored once at most."""
    result = check_import(actor, staged=staged, mapping=mapping, default_unit=default_unit)
    if result.errors and not valid_rows_only:
        raise ImportHasErrors()
    for row in result.valid:
        item = MediaItem(
            published_on=row.published_on,
            outlet=row.outlet,
            headline=row.headline,
            headline_key=rules.headline_key(row.headline),
            url=row.url,
            url_key=rules.url_key(row.url),
            summary=row.summary,
            topic=row.topic,
            tone=row.tone,
            created_by_id=actor.user_id,
        )
        _save(item)
        _write(
            item,
            units=row.units,
            municipalities=row.municipalities,
            links={"problems": [], "activities": [], "meetings": [], "press_releases": []},
        )
    StagedImport.objects.filter(pk=staged.pk).delete()
    return result.stored()
