"""What every staff template may ask of problem solving: whether the reader may
open a problem at all, so that the "open a problem from this…" links of other
apps' pages (hot spots, clusters, forums' decisions and tension reports, the
concern queue) are shown only to those the link would not refuse."""

from typing import Any

from django.http import HttpRequest

from .policy import policy


def problems(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    if actor is None:
        return {"may_open_problems": False}
    # A callable: the template calls it only on a page that asks.
    return {"may_open_problems": lambda: policy.anywhere(actor, "open")}
