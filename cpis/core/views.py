"""Marks every view as public or guarded, so that a test can prove no URL
was left open by accident (tests/test_url_guards.py)."""

from collections.abc import Callable
from functools import wraps
from typing import Any, Generic, TypeVar

from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.forms import BaseForm
from django.http import FileResponse, HttpRequest, HttpResponse

F = TypeVar("F", bound=Callable[..., object])

ACCESS_ATTRIBUTE = "cpis_access"

View = Callable[..., HttpResponse]


def public(view: F) -> F:
    """Anyone may open this view; it shows public information only."""
    setattr(view, ACCESS_ATTRIBUTE, "public")
    return view


def mark_guarded(view: F, how: str) -> F:
    setattr(view, ACCESS_ATTRIBUTE, how)
    return view


@public
def live(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. No database, no templates."""
    return HttpResponse("ok", content_type="text/plain")


@public
def ready(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers too (503 with Retry-After if not)."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        response = HttpResponse("database unavailable", status=503, content_type="text/plain")
        response["Retry-After"] = "5"
        return response
    return HttpResponse("ok", content_type="text/plain")


def stored_file(file: FieldFile, *, filename: str = "", content_type: str | None = None) -> FileResponse:
    """A stored file for those who may see it (404 when there is none): a
    download named `filename` (shown in the browser without one), never
    sniffed into another type, never kept in a shared cache."""
    from django.http import Http404
    from django.utils.translation import gettext as _

    if not file:
        raise Http404(_("Not found."))
    response = FileResponse(
        file.open("rb"), as_attachment=bool(filename), filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


A = TypeVar("A")
R = TypeVar("R")
Q = TypeVar("Q", bound=HttpRequest)


def run_action(
    request: Q,
    handlers: dict[str, Callable[[Q, A, R], HttpResponse]],
    action: str,
    actor: A,
    record: R,
    *,
    on_error: Callable[[Q, R], HttpResponse],
) -> HttpResponse:
    """One named workflow step on a record: 404 for an unknown step; a broken
    rule (DomainError) becomes a message on the record's page."""
    from django.contrib import messages
    from django.http import Http404
    from django.utils.translation import gettext as _

    from .errors import DomainError

    handler = handlers.get(action)
    if handler is None:
        raise Http404(_("Not found."))
    try:
        return handler(request, actor, record)
    except DomainError as exc:
        messages.error(request, str(exc))
        return on_error(request, record)


def flash_step(request: HttpRequest, step: Callable[[], object], *, success: str) -> bool:
    """Run a one-step action (a button, not a form page): a broken rule
    (DomainError) is flashed as an error, otherwise `success`; True when it ran."""
    from django.contrib import messages

    from .errors import DomainError

    try:
        step()
    except DomainError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, success)
    return True


def flash_form_step(
    request: HttpRequest,
    form: BaseForm,
    step: Callable[[dict[str, Any]], object],
    *,
    refused: str,
    success: str,
) -> bool:
    """A one-step action posted with a small form (a review's decision and
    note): a refused form flashes `refused`; otherwise `flash_step` runs
    `step` on the cleaned data. True when it ran."""
    from django.contrib import messages

    if not form.is_valid():
        messages.error(request, refused)
        return False
    return flash_step(request, lambda: step(form.cleaned_data), success=success)


M = TypeVar("M", bound=Model)


def record_url(url_name: str) -> Callable[[Model], str]:
    """The address of a record's page: `url_name` with the record's number."""
    from django.urls import reverse

    def url(record: Model) -> str:
        return reverse(url_name, args=[record.pk])

    return url


def on_record(
    get: Callable[[Any, int], M], *, check: Callable[[Any, M], object] | None = None
) -> Callable[[View], View]:
    """A view of the record the URL numbers (its one number, beside any
    other words): `get` (a selector, 404 for a record that is missing or not
    the actor's) finds it for `request.actor`, `check` (the policy's require:
    403) guards it when given, and the view is called with the record in
    place of its number."""

    def decorate(view: View) -> View:
        @wraps(view)
        def with_record(request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
            (name,) = [key for key, value in kwargs.items() if isinstance(value, int)]
            record = get(request.actor, kwargs.pop(name))
            if check is not None:
                check(request.actor, record)
            return view(request, record, *args, **kwargs)

        return with_record

    return decorate


def form_views(
    page: Callable[[Any, M | None], HttpResponse],
    get: Callable[[Any, int], M],
    *,
    may_create: Callable[[Any], object],
    may_edit: Callable[[Any, M], object],
    guard: Callable[[View], View],
) -> tuple[View, View]:
    """The create and edit views of a record kind from its one form page,
    `page(request, record)` (the record None on the create page), each behind
    `guard` (who may open staff pages): `may_create(actor)` checks the first;
    the second's record is the one `get` finds from the URL's number, and
    `may_edit(actor, record)` checks it (the policy's require: 403/404)."""

    def create(request: Any) -> HttpResponse:
        may_create(request.actor)
        return page(request, None)

    return guard(create), guard(on_record(get, check=may_edit)(page))


class RecordPage(Generic[M]):
    """A record's page, and where a workflow step on the record lands: back
    on the page with a message when it succeeded (`done`), or the page shown
    again from the current record with the step's form and its errors
    (`invalid`, 400). The page is `template` with `context(request, record)`
    (and what a view adds: a refused form, personal data revealed); `get`
    (a selector) finds the record the URL numbers, `url_name` its address."""

    def __init__(
        self,
        url_name: str,
        get: Callable[[Any, int], M],
        template: str,
        context: Callable[[Any, M], dict[str, Any]],
    ) -> None:
        self.url_name: str = url_name
        self.get: Callable[[Any, int], M] = get
        self.template: str = template
        self.context: Callable[[Any, M], dict[str, Any]] = context

    def show(self, request: HttpRequest, record: M, status: int = 200, **extra: object) -> HttpResponse:
        from django.shortcuts import render

        return render(request, self.template, {**self.context(request, record), **extra}, status=status)

    def view(self) -> View:
        """The view of the record's page."""
        return on_record(self.get)(self.show)

    def reveal(self, name: str, read: Callable[..., Any]) -> View:
        """The view of the page with personal data as well, under `name`:
        `read(actor, record, request=request)` (a selector that logs the
        reading) reads it; for a POST, so that a look is never a link. A
        broken rule (a purpose missing) shows the page with the message."""

        def page(request: Any, record: M) -> HttpResponse:
            from django.contrib import messages

            from .errors import DomainError

            try:
                revealed = read(request.actor, record, request=request)
            except DomainError as exc:  # no purpose given for a sensitive record, say
                messages.error(request, str(exc))
                return self.show(request, record, status=400)
            return self.show(request, record, **{name: revealed})

        return on_record(self.get)(page)

    def act_view(self, actions: dict[str, Callable[[Any, Any, M], HttpResponse]]) -> View:
        """The view of the workflow step the URL names (`action`) on the
        record, through `run_action`: a broken rule shows the page again."""

        def act(request: Any, record: M, action: str) -> HttpResponse:
            return run_action(request, actions, action, request.actor, record, on_error=self.invalid)

        return on_record(self.get)(act)

    def saying(
        self, steps: dict[str, Callable[[Any, Any, M], str]]
    ) -> dict[str, Callable[[Any, Any, M], HttpResponse]]:
        """Steps that do their work and say what they did, as `act_view`'s
        actions: each lands on the page with what it said (`done`)."""

        def landing(step: Callable[[Any, Any, M], str]) -> Callable[[Any, Any, M], HttpResponse]:
            def handler(request: Any, actor: Any, record: M) -> HttpResponse:
                return self.done(request, record, step(request, actor, record))

            return handler

        return {name: landing(step) for name, step in steps.items()}

    def done(self, request: HttpRequest, record: M, message: str) -> HttpResponse:
        from django.contrib import messages
        from django.http import HttpResponseRedirect
        from django.urls import reverse

        messages.success(request, message)
        return HttpResponseRedirect(reverse(self.url_name, args=[record.pk]))

    def invalid(self, request: HttpRequest, record: M, **forms: Any) -> HttpResponse:
        record.refresh_from_db()
        return self.show(request, record, 400, **forms)

    def step(
        self,
        request: HttpRequest,
        record: M,
        form_name: str,
        form: BaseForm,
        save: Callable[[dict[str, Any]], object],
        *,
        success: str,
    ) -> HttpResponse:
        """A form posted for the record's page (`form_name`, the form's name
        there): `save` runs on its cleaned data and the step is `done`; a
        refused form, or a broken rule as the form's own error beside what was
        typed, is shown again on the page (`invalid`)."""
        from .errors import DomainError

        if form.is_valid():
            try:
                save(form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                return self.done(request, record, success)
        return self.invalid(request, record, **{form_name: form})
