"""Writes of the survey waves: plan one at a place with a published
questionnaire and dates, share a total of interviews between its sectors (or
set each sector's target), give the population margins its weights are raked
to, open it for collection and close it. Who runs waves at the wave's place may
(the directorate, regional directors and coordinators). A closed wave is
final; only a planned wave changes its questionnaire or its place. Bad input
raises and changes nothing."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from ..models import (
    AgeBand,
    Community,
    Dimension,
    Gender,
    Margin,
    QuestionnaireVersion,
    StartPoint,
    VersionStatus,
    Wave,
    WaveStatus,
    WaveTarget,
)
from ..policy import policy
from ..selectors import waves as selectors
from ..stats import sampling

# Interviews every sector gets at least in the default allocation: enough for a share
# within about ±18 points at 95 % — the least a sector's figure is worth showing with.
MIN_SECTOR_TARGET = 30
MAX_TARGET = 100_000
MAX_SEED = 2**31 - 1
# A dimension's shares must add up to 1 within this.
SHARE_TOLERANCE = 0.001
CATEGORIES: dict[str, type[models.TextChoices]] = {
    Dimension.COMMUNITY: Community,
    Dimension.GENDER: Gender,
    Dimension.AGE_BAND: AgeBand,
}


class WaveClosed(DomainError):
    message = gettext_lazy("The wave is closed: it can no longer be changed or opened again.")


class WaveUnderway(DomainError):
    message = gettext_lazy(
        "The wave is open: its questionnaire and its place stay as they are until it closes."
    )


class WaveNotPlanned(DomainError):
    message = gettext_lazy("Only a planned wave can be opened.")


class CloseNeedsOpenWave(DomainError):
    message = gettext_lazy("Only an open wave can be closed.")


class WaveHasNoTargets(DomainError):
    status_code = 400
    message = gettext_lazy("Give the wave a target in one sector at least before opening it.")


class WaveHasResponses(DomainError):
    message = gettext_lazy("The wave has responses: it cannot be deleted.")


class VersionNotPublished(DomainError):
    status_code = 400
    message = gettext_lazy("A wave asks a published version of a questionnaire: choose one.")


@dataclass(frozen=True)
class WaveInput:
    name: str
    version: QuestionnaireVersion
    place: Unit
    starts_on: date
    ends_on: date
    min_n: int = 10
    seed: int = 0


def _locked(wave: Wave) -> Wave:
    return Wave.objects.select_for_update().select_related("place", "version").get(pk=wave.pk)


def _not_closed(wave: Wave) -> Wave:
    current = _locked(wave)
    if current.status == WaveStatus.CLOSED:
        raise WaveClosed()
    return current


def _checked(data: WaveInput, *, kept: QuestionnaireVersion | None = None) -> dict[str, object]:
    """The wave's fields from the input; the version must be published unless it
    is the one the wave has (`kept`), which may have been retired since."""
    if data.place.kind not in selectors.WAVE_PLACE_KINDS:
        raise InvalidInput(_("A wave surveys the whole country, a region or a station: choose one."))
    if data.version != kept and data.version.status != VersionStatus.PUBLISHED:
        raise VersionNotPublished()
    if data.starts_on is None or data.ends_on is None:
        raise InvalidInput(_("Give the days the wave starts and ends."))
    if data.ends_on < data.starts_on:
        raise InvalidInput(_("The wave cannot end before it starts."))
    if not 1 <= int(data.min_n) <= 1000:
        raise InvalidInput(_("The fewest answers shown is a number from 1 to 1000."))
    if not 0 <= int(data.seed) <= MAX_SEED:
        raise InvalidInput(_("The sampling seed is a whole number from 0 to %(max)s.") % {"max": MAX_SEED})
    return {
        "name": clean_text(data.name, limit=200, required=True, missing=_("Give the wave a name.")),
        "version": data.version,
        "place": data.place,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "min_n": int(data.min_n),
        "seed": int(data.seed),
    }


@transaction.atomic
def create_wave(actor: Actor, *, data: WaveInput, total: int | None = None) -> Wave:
    """Plan a wave at a place (run_waves there). With a `total`, the targets of
    its sectors are allocated at once (`allocate_targets`)."""
    policy.require(actor, "run_waves", data.place.path)
    wave = Wave.objects.create(status=WaveStatus.PLANNED, created_by_id=actor.user_id, **_checked(data))
    if total is not None:
        _allocate(wave, total)
    return wave


@transaction.atomic
def update_wave(actor: Actor, *, wave: Wave, data: WaveInput) -> Wave:
    """Change a wave's name, dates, fewest answers shown and seed; a planned
    wave its questionnaire and place too (the targets and start points of
    sectors outside the new place go)."""
    selectors.require_run(actor, wave)
    current = _not_closed(wave)
    fields = _checked(data, kept=current.version)
    if (fields["version"] != current.version or fields["place"] != current.place) and (
        current.status != WaveStatus.PLANNED
    ):
        raise WaveUnderway()
    if fields["place"] != current.place:
        policy.require(actor, "run_waves", data.place.path)
    for name, value in fields.items():
        setattr(current, name, value)
    current.save()
    WaveTarget.objects.filter(wave=current).exclude(sector__path__startswith=current.place.path).delete()
    StartPoint.objects.filter(wave=current).exclude(sector__path__startswith=current.place.path).delete()
    return current


# --- targets ---------------------------------------------------------------------------------


def _allocate(wave: Wave, total: int) -> list[WaveTarget]:
    sectors = list(selectors.list_sectors(wave.place))
    if not sectors:
        raise InvalidInput(_("The wave's place has no sectors to survey."))
    if not MIN_SECTOR_TARGET * len(sectors) <= total <= MAX_TARGET:
        raise InvalidInput(
            _(
                "Give a total from %(least)s (%(minimum)s interviews in each of the %(count)s sectors) "
                "to %(most)s."
            )
            % {
                "least": MIN_SECTOR_TARGET * len(sectors),
                "minimum": MIN_SECTOR_TARGET,
                "count": len(sectors),
                "most": MAX_TARGET,
            }
        )
    shares = sampling.allocate(total, selectors.sector_sizes(sectors), minimum=MIN_SECTOR_TARGET)
    WaveTarget.objects.filter(wave=wave).delete()
    return WaveTarget.objects.bulk_create(
        WaveTarget(wave=wave, sector=sector, target=int(n)) for sector, n in zip(sectors, shares, strict=True)
    )


@transaction.atomic
def allocate_targets(actor: Actor, *, wave: Wave, total: int) -> list[WaveTarget]:
    """Share `total` interviews between every sector of the wave's place:
    max(30, c·√population) each, c such that they add up to the total (Kish's
    compromise between proportional and equal; `stats.sampling.allocate`). The
    sectors' targets are replaced."""
    selectors.require_run(actor, wave)
    return _allocate(_not_closed(wave), int(total))


@transaction.atomic
def set_targets(actor: Actor, *, wave: Wave, targets: Mapping[int, int | None]) -> list[WaveTarget]:
    """Set the targets of sectors of the wave's place by sector id; None or
    nothing for a sector clears its target. Returns the wave's targets."""
    selectors.require_run(actor, wave)
    current = _not_closed(wave)
    sectors = {s.pk: s for s in selectors.list_sectors(current.place)}
    for sector_id, target in targets.items():
        if sector_id not in sectors:
            raise InvalidInput(_("Set targets only for the sectors of the wave's place."))
        if target is not None and not 0 <= int(target) <= MAX_TARGET:
            raise InvalidInput(
                _("A sector's target is a whole number from 0 to %(most)s.") % {"most": MAX_TARGET}
            )
    for sector_id, target in targets.items():
        if target is None:
            WaveTarget.objects.filter(wave=current, sector_id=sector_id).delete()
        else:
            WaveTarget.objects.update_or_create(
                wave=current, sector_id=sector_id, defaults={"target": int(target)}
            )
    return list(WaveTarget.objects.filter(wave=current).order_by("sector__path"))


# --- margins ---------------------------------------------------------------------------------


@transaction.atomic
def set_margins(actor: Actor, *, wave: Wave, dimension: str, shares: Mapping[str, float]) -> list[Margin]:
    """Replace the wave's population margins of one dimension (community,
    gender or age band): a share of the population for each category given,
    adding up to 1 (± 0.001). No shares at all removes the dimension."""
    selectors.require_run(actor, wave)
    current = _not_closed(wave)
    if dimension not in CATEGORIES:
        raise InvalidInput(_("Choose community, gender or age band."))
    known = set(CATEGORIES[dimension].values)
    label = Dimension(dimension).label
    for category, share in shares.items():
        if category not in known:
            raise InvalidInput(
                _("“%(category)s” is not a category of %(dimension)s.")
                % {"category": category, "dimension": label}
            )
        if not 0 <= float(share) <= 1:
            raise InvalidInput(_("A share is a number from 0 to 1 (0.25 for a quarter)."))
    total = sum(float(share) for share in shares.values())
    if shares and abs(total - 1) > SHARE_TOLERANCE:
        raise InvalidInput(
            _("The shares of %(dimension)s add up to %(total)s: they must add up to 1.")
            % {"dimension": label, "total": f"{total:.3f}"}
        )
    Margin.objects.filter(wave=current, dimension=dimension).delete()
    return Margin.objects.bulk_create(
        Margin(wave=current, dimension=dimension, category=category, share=float(share))
        for category, share in shares.items()
    )


# --- the wave's course -----------------------------------------------------------------------


def _at(wave: Wave, status: str, refused: type[DomainError]) -> Wave:
    """The wave, locked, when it is at `status` (`refused` otherwise, WaveClosed for a closed one)."""
    current = _not_closed(wave)
    if current.status != status:
        raise refused()
    return current


def _move_to(current: Wave, status: str) -> Wave:
    current.status = status
    current.save(update_fields=["status", "updated_at"])
    return current


@transaction.atomic
def open_wave(actor: Actor, *, wave: Wave) -> Wave:
    """Planned → open: responses are taken for it from now on. It needs a target."""
    selectors.require_run(actor, wave)
    current = _at(wave, WaveStatus.PLANNED, WaveNotPlanned)
    if not WaveTarget.objects.filter(wave=current, target__gt=0).exists():
        raise WaveHasNoTargets()
    return _move_to(current, WaveStatus.OPEN)


@transaction.atomic
def close_wave(actor: Actor, *, wave: Wave) -> Wave:
    """Open → closed, for good: no more responses, no more changes."""
    selectors.require_run(actor, wave)
    return _move_to(_at(wave, WaveStatus.OPEN, CloseNeedsOpenWave), WaveStatus.CLOSED)


@transaction.atomic
def delete_wave(actor: Actor, *, wave: Wave) -> None:
    """Delete a planned wave that has no responses, with its targets, margins and start points."""
    selectors.require_run(actor, wave)
    current = _at(wave, WaveStatus.PLANNED, WaveUnderway)
    if current.responses.exists():
        raise WaveHasResponses()
    current.delete()
