"""The citizens' side of alerts: subscribe (no account), confirm, manage,
unsubscribe (RFC 8058 one-click), and the Atom feeds of an area."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from cpis.core import pow, ratelimit
from cpis.core.errors import DomainError
from cpis.core.http import client_ip
from cpis.core.views import public

from . import selectors, services
from .forms import SubscribeForm, TopicsForm

ALL_TOPICS = [value for value, _label in TopicsForm.base_fields["topics"].choices]  # type: ignore[attr-defined]


def _problem(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "alerts/problem.html", {"message": message}, status=status)


def _initial(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {"area": "sector", "topics": ALL_TOPICS, "radius": 500}
    for name in ("sector", "lat", "lon", "radius"):
        if request.GET.get(name):
            initial[name] = request.GET[name][:30]
    if "sector" not in initial:  # opened from nowhere in particular: the map
        initial["area"] = "circle"
    return initial


def _gate(request: HttpRequest, form: SubscribeForm) -> int:
    """The concern form's gate: the per-client limit (429) and, when the
    browser solved one, a valid unspent proof of work (400); a browser that
    sent none is held to the per-address limit only as a fallback."""
    if not ratelimit.hit(
        "alerts-subscribe", client_ip(request), limit=settings.SUBMISSION_LIMIT_PER_HOUR, window_seconds=3600
    ):
        form.add_error(None, _("Too many subscriptions from your connection. Try again in an hour."))
        return 429
    proof = form.cleaned_data["pow"]
    if proof and not pow.verify(proof):
        form.add_error(None, _("The security check failed. Reload the page and send the form again."))
        return 400
    return 0


def _area(data: dict[str, Any]) -> services.Area:
    if data["area"] == "sector":
        return services.sector_area(data["sector"])
    return services.circle_area(lat=data["lat"], lon=data["lon"], radius_m=data["radius"])


@public
def subscribe(request: HttpRequest) -> HttpResponse:
    """Subscribe an e-mail address to a sector's or a circle's alerts. The
    answer is the same whether the address was subscribed before or not."""
    form = SubscribeForm(request.POST if request.method == "POST" else None, initial=_initial(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            status = _gate(request, form)
            if not status:
                try:
                    subscription = services.subscribe(
                        email=form.cleaned_data["email"],
                        area=_area(form.cleaned_data),
                        topics=form.cleaned_data["topics"],
                        language=get_language(),
                    )
                except DomainError as exc:
                    form.add_error(None, str(exc))
                    status = exc.status_code
                else:
                    return render(
                        request,
                        "alerts/pending.html",
                        {"email": form.cleaned_data["email"], "area": selectors.describe_area(subscription)},
                    )
    sector_id = str((form.data if form.is_bound else form.initial).get("sector") or "")
    sector = (
        selectors.get_sector(int(sector_id))
        if sector_id.isascii() and sector_id.isdecimal() and len(sector_id) < 12
        else None
    )
    context = {"form": form, "sector": sector, "pow_challenge": pow.new_challenge()}
    return render(request, "alerts/subscribe.html", context, status=status)


@public
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation e-mail: a button to confirm (a mail
    scanner that follows links confirms nothing), then the subscription."""
    max_age = timedelta(days=settings.ALERTS_CONFIRM_DAYS)
    if request.method == "POST":
        try:
            subscription = services.confirm(token=token)
        except DomainError as exc:
            return _problem(request, str(exc), exc.status_code)
        return render(
            request,
            "alerts/confirmed.html",
            {
                "area": selectors.describe_area(subscription),
                "manage_url": reverse("alerts:manage", args=[selectors.manage_token(subscription.secret)]),
            },
        )
    pending = selectors.get_by_confirm_token(token, max_age=max_age)
    if pending is None:
        return _problem(request, str(services.BadLink.message), 404)
    return render(request, "alerts/confirm.html", {"area": selectors.describe_area(pending)})


@public
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """What a confirmed subscription is told about; change it or unsubscribe."""
    subscription = selectors.get_by_manage_token(token)
    if subscription is None:
        return _problem(request, str(services.BadLink.message), 404)
    chosen = [topic for topic in ALL_TOPICS if getattr(subscription, topic)]
    form = TopicsForm(request.POST if request.method == "POST" else None, initial={"topics": chosen})
    status, saved = 200, False
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                subscription = services.change_topics(token=token, topics=form.cleaned_data["topics"])
            except DomainError as exc:
                form.add_error(None, str(exc))
                status = exc.status_code
            else:
                status, saved = 200, True
    context = {
        "form": form,
        "saved": saved,
        "area": selectors.describe_area(subscription),
        "token": token,
        "feed_url": _feed_url(subscription),
    }
    return render(request, "alerts/manage.html", context, status=status)


@public
# RFC 8058: a mail client POSTs "List-Unsubscribe=One-Click" with no cookies; the token is the proof.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a button to unsubscribe. POST (the button, or a mail client's
    one-click): unsubscribe at once; again is not an error."""
    if request.method == "POST":
        try:
            services.unsubscribe(token=token)
        except DomainError as exc:
            return _problem(request, str(exc), exc.status_code)
        return render(request, "alerts/unsubscribed.html")
    if selectors.manage_secret(token) is None:
        return _problem(request, str(services.BadLink.message), 404)
    subscription = selectors.get_by_manage_token(token)
    context = {"area": selectors.describe_area(subscription) if subscription else "", "token": token}
    return render(request, "alerts/unsubscribe.html", context)


# --- feeds ----------------------------------------------------------------------------


def _feed_url(subscription: Any) -> str:
    if subscription.sector_id:
        return reverse("alerts:sector_feed", args=[subscription.sector_id])
    query = f"lat={subscription.lat}&lon={subscription.lon}&radius={subscription.radius_m}"
    return f"{reverse('alerts:circle_feed')}?{query}"


class AreaFeed(Feed):
    """The same news as the alerts, as Atom, for one sector or one circle."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return kwargs["area"]

    def title(self, obj: Any) -> str:
        if obj.sector is not None:
            return _("Community policing news: sector %(name)s") % {"name": obj.sector.name}
        return _("Community policing news within %(radius)s m of %(lat).5f, %(lon).5f") % {
            "radius": obj.radius_m,
            "lat": obj.lat,
            "lon": obj.lon,
        }

    def link(self, obj: Any) -> str:
        return (
            reverse("portal:sector", args=[obj.sector.pk])
            if obj.sector is not None
            else reverse("alerts:subscribe")
        )

    def subtitle(self, obj: Any) -> str:
        return _(
            "Upcoming public forum meetings, priorities agreed, problems solved with the community "
            "and new public reports of concerns."
        )

    def items(self, obj: Any) -> list[selectors.News]:
        return selectors.list_area_news(selectors.list_sectors(obj.sector_ids))

    def item_title(self, item: selectors.News) -> str:
        return item.title()

    def item_description(self, item: selectors.News) -> str:
        return item.text()

    def item_link(self, item: selectors.News) -> str:
        return item.link()

    def item_guid(self, item: selectors.News) -> str:
        return f"{settings.SITE_URL}/alerts/{item.key}"

    def item_guid_is_permalink(self, item: selectors.News) -> bool:
        return False

    def item_pubdate(self, item: selectors.News) -> Any:
        return item.happened_at

    def item_updateddate(self, item: selectors.News) -> Any:
        return item.happened_at


_area_feed = AreaFeed()


@public
def sector_feed(request: HttpRequest, sector_id: int) -> HttpResponse:
    try:
        area = services.sector_area(sector_id)
    except DomainError as exc:
        return _problem(request, str(exc), 404)
    return _area_feed(request, area=area)


@public
def circle_feed(request: HttpRequest) -> HttpResponse:
    """?lat=…&lon=…&radius=… (metres, within the subscription's bounds)."""
    try:
        lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
        radius = int(request.GET["radius"])
    except (KeyError, ValueError, OverflowError):
        return _problem(request, _("Give the circle's centre (lat, lon) and its radius in metres."), 400)
    try:
        area = services.circle_area(lat=lat, lon=lon, radius_m=radius)
    except DomainError as exc:
        return _problem(request, str(exc), exc.status_code)
    return _area_feed(request, area=area)
