"""The pages every patient link shares: the token URL, the identity check, the bound session.

A portal (the intake, the programme pages) describes its kind of link in a
`Portal`; `LinkFlow` runs the same steps for each:

1. `start` (the emailed token URL): a usable link's id is kept in the session
   as *pending* (PENDING_SECONDS) and the browser goes on to the check URL, so
   the token leaves the address bar before any page is shown. Opening a link
   ends the session of any earlier one. Expired, revoked, locked, used and
   unknown links all get the same page (no oracle).
2. `check`: last name + date of birth (IdentityCheckForm), nothing about the
   patient shown. Failures count towards the link's lock (the portal's
   identity-check service), and per client address. Success on a browser
   that has given this patient's code before (patients.links.devices) binds
   the session, on a new session id, to that one record for a sliding
   `session_seconds`; on any other browser a one-time code goes to the
   patient's email address first (none on record: "call us").
2b. `code`: the 6-digit code from that email. Wrong codes count on the code
   (CODE_MAX_TRIES end it) and per client address; the patient may ask for a
   new one. The right code binds the session as above and marks the browser.
3. `bound`: on every token-less page, the record the session was bound to, or
   None once the session expired or ended or the record can no longer be
   reached (the portal then shows `session_ended`). Each such request is an
   access event of the patient's record, marked as the patient's own (or as
   through a link staff issued).

A browser signed in as staff is refused on every step: a patient link opens
only in the patient's own browser, never in a staff session (where it would
read the record outside the staff audit and access rules).

Referrer policy: the token URL and pages without forms send `Referrer-Policy:
no-referrer`, so the token can never travel in a Referer header. Pages with
forms keep the site's `same-origin` policy: under `no-referrer` browsers send
`Origin: null` with a form POST, which Django's CSRF protection rightly
refuses. Every response is `no-store`. The token is never logged or stored:
`start` writes no database row (the change history keeps the URL of requests
that write) and answers every token with a page, never an error that would be
logged with its path.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from clinic.audit.models import AccessActor
from clinic.audit.services import access_record
from patients.links import core as links
from patients.links import devices
from patients.links.core import CheckResult
from patients.links.devices import CodeResult
from patients.links.forms import CodeForm, IdentityCheckForm
from patients.links.language import language_from_record, language_to_record
from patients.models import LinkCode, Patient

L = TypeVar("L", bound=models.Model)  # the link row: it holds the token hash
R = TypeVar("R", bound=models.Model)  # the record a passed check binds the session to

PENDING_SECONDS = 30 * 60
CHECK_ERROR = _("Those details don't match our records. Check them and try again, or call us.")
CODE_ERRORS = {
    CodeResult.WRONG: _("That code isn't right. Check the email and try again ({left} left)."),
    CodeResult.EXPIRED: _("That code has expired: codes work for {minutes} minutes. Send a new code below."),
    CodeResult.ENDED: _(
        "That code no longer works (after {tries} wrong tries, or once a newer one is sent). "
        "Send a new code below."
    ),
}
CODE_LIMIT = _(
    "You've asked for {count} codes in the last hour, the most we send. Try again later, or call us."
)


def _session_seconds() -> int:
    return settings.INTAKE_SESSION_MINUTES * 60


@dataclass(frozen=True)
class LinkPages:
    """How the shared pages (templates/patients/links/) read for one portal.

    `wording` is a template with the portal's own sentences for each shared
    page, chosen by `part` ("check", "unavailable", "session_ended"); the
    pages keep everything else (the form, the clinic's phone) the same.
    """

    title: str  # the browser tab's title
    wording: str
    stylesheet: str = ""  # a static path added to every page of the portal


@dataclass(frozen=True)
class Portal(Generic[L, R]):
    """One kind of patient link: its rows, its identity check, what its session is bound to.

    `check_identity(link=, last_name=, date_of_birth=)` is the portal's
    service: it locks the row, counts failures and answers a CheckResult.
    """

    name: str  # the session keys ("<name>_pending", "<name>") and the per-address limit's prefix
    link_model: type[L]
    link_related: tuple[str, ...]
    link_usable: Callable[[L], bool]
    check_identity: Callable[..., CheckResult]
    record_model: type[R]
    record_related: tuple[str, ...]
    record_of: Callable[[L], int]  # the id of the record a passed check opens
    record_reachable: Callable[[R], bool]
    check_url: str  # URL names
    code_url: str
    home_url: str
    link_patient: Callable[[L], int]  # the id of the patient the link is for (their email gets the code)
    pages: LinkPages
    session_data: tuple[str, ...] = ()  # the portal's own session keys, dropped with the binding
    session_seconds: Callable[[], int] = _session_seconds
    patient_of: Callable[[R], int] = lambda record: record.patient_id  # type: ignore[attr-defined]
    # Whether staff issued the link (as opposed to the patient's own emailed link).
    link_staff_issued: Callable[[L], bool] = lambda link: False


class LinkFlow(Generic[L, R]):
    """The start → check → bound-session steps and the shared pages, for one portal."""

    def __init__(self, portal: Portal[L, R]) -> None:
        self.portal = portal
        self.pending_key = f"{portal.name}_pending"  # {"id": link id, "until": unix time}
        self.bound_key = portal.name  # {"id": record id, "until": unix time}
        self.actor_key = f"{portal.name}_actor"  # the AccessActor of the bound session
        self.code_key = f"{portal.name}_code"  # {"id": LinkCode id, "until": unix time}
        self.ip_limit = links.IpLimit(f"{portal.name}-check")

    # --- Pages ---------------------------------------------------------------------------------

    def page(
        self,
        request: HttpRequest,
        template: str,
        context: dict | None = None,
        *,
        status: int = 200,
        no_referrer: bool = False,
    ) -> HttpResponse:
        """A page of this portal (never cached; `no_referrer` on pages without forms)."""
        context = {"portal": self.portal.pages, **(context or {})}
        return links.private(render(request, template, context, status=status), no_referrer=no_referrer)

    def unavailable(self, request: HttpRequest) -> HttpResponse:
        """The one page for every link that can't be used: it reveals nothing."""
        return self.page(request, "patients/links/unavailable.html", no_referrer=True)

    def session_ended(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, "patients/links/session_ended.html", status=403, no_referrer=True)

    def staff_refused(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, "patients/links/staff_signed_in.html", status=403, no_referrer=True)

    @staticmethod
    def signed_in_as_staff(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)

    # --- The steps -------------------------------------------------------------------------------

    def _links(self) -> models.QuerySet[L]:
        return self.portal.link_model._default_manager.select_related(*self.portal.link_related)

    def start(self, request: HttpRequest, token: str) -> HttpResponse:
        """The emailed link: remember it as pending, then drop the token from the address."""
        if self.signed_in_as_staff(request):
            return self.staff_refused(request)
        link = links.token_find(self._links(), token)
        if link is None or not self.portal.link_usable(link):
            return self.unavailable(request)
        self.forget(request)
        links.session_bind(request, self.pending_key, link.pk, seconds=PENDING_SECONDS)
        language_from_record(request, patient_id=self.portal.link_patient(link))
        return links.private(redirect(self.portal.check_url), no_referrer=True)

    def check(self, request: HttpRequest) -> HttpResponse:
        """Last name and date of birth, before anything else (GET shows the form, POST checks it)."""
        if self.signed_in_as_staff(request):
            return self.staff_refused(request)
        pk = links.session_bound(request, self.pending_key)
        link = self._links().filter(pk=pk).first() if pk is not None else None
        if link is None or not self.portal.link_usable(link):
            return self.unavailable(request)
        if self.ip_limit.exceeded(request):
            return self.page(request, "patients/links/too_many.html", status=429, no_referrer=True)
        form = IdentityCheckForm(request.POST if request.method == "POST" else None)
        status = 200
        if request.method == "POST":
            self.ip_limit.count(request)
            status = 400
            if form.is_valid():
                result = self._check(link, form.cleaned_data["last_name"], form.cleaned_data["date_of_birth"])
                if result == CheckResult.OK:
                    return self._passed(request, link)
                if result != CheckResult.MISMATCH:  # locked now, or no longer usable
                    links.session_forget(request, self.pending_key)
                    return self.unavailable(request)
                form.add_error(None, CHECK_ERROR)
        context = {"form": form, "action": reverse(self.portal.check_url)}
        return self.page(request, "patients/links/check.html", context, status=status)

    def _check(self, link: L, last_name: str, date_of_birth: date) -> CheckResult:
        return self.portal.check_identity(link=link, last_name=last_name, date_of_birth=date_of_birth)

    def _passed(self, request: HttpRequest, link: L) -> HttpResponse:
        """After the identity check: bind a known browser, or email a code to a new one."""
        patient_id = self.portal.link_patient(link)
        if devices.device_known(request, patient_id=patient_id):
            return self._bind(request, link)
        patient = Patient.objects.get(pk=patient_id)
        if not patient.email:
            links.session_forget(request, self.pending_key, self.code_key)
            return self.page(request, "patients/links/no_email.html", status=403, no_referrer=True)
        code = devices.code_start(portal=self.portal.name, link_pk=link.pk, patient=patient)
        if code is None:  # over the hourly limit: the page offers the latest code, if any still works
            code = LinkCode.objects.filter(portal=self.portal.name, link_pk=link.pk).first()
        if code is not None:
            links.session_bind(request, self.code_key, code.pk, seconds=PENDING_SECONDS)
        return links.private(redirect(self.portal.code_url))

    def _bind(self, request: HttpRequest, link: L) -> HttpResponse:
        # A new session id once the patient is known, bound to this one record.
        links.session_forget(request, self.pending_key, self.code_key)
        links.session_bind(
            request,
            self.bound_key,
            self.portal.record_of(link),
            seconds=self.portal.session_seconds(),
            new_session=True,
        )
        request.session[self.actor_key] = (
            AccessActor.PATIENT_STAFF_LINK if self.portal.link_staff_issued(link) else AccessActor.PATIENT
        )
        language_to_record(request, patient_id=self.portal.link_patient(link), always=True)
        return links.private(redirect(self.portal.home_url))

    def code(self, request: HttpRequest) -> HttpResponse:
        """The one-time code emailed after the identity check (GET shows it; POST checks it or, with
        action=resend, sends a new one)."""
        if self.signed_in_as_staff(request):
            return self.staff_refused(request)
        pk = links.session_bound(request, self.pending_key)
        link = self._links().filter(pk=pk).first() if pk is not None else None
        code_pk = links.session_bound(request, self.code_key)
        code = (
            LinkCode.objects.select_related("patient")
            .filter(pk=code_pk, portal=self.portal.name, link_pk=link.pk)
            .first()
            if link is not None and code_pk is not None
            else None
        )
        if link is None or code is None or not self.portal.link_usable(link):
            links.session_forget(request, self.pending_key, self.code_key)
            return self.unavailable(request)
        if self.ip_limit.exceeded(request):
            return self.page(request, "patients/links/too_many.html", status=429, no_referrer=True)
        form = CodeForm()
        status, notice, limit, error = 200, "", "", ""
        if request.method == "POST" and request.POST.get("action") == "resend":
            fresh = devices.code_start(portal=self.portal.name, link_pk=link.pk, patient=code.patient)
            if fresh is None:
                status = 429
                limit = CODE_LIMIT.format(count=devices.CODES_PER_LINK_PER_HOUR)
            else:
                links.session_bind(request, self.code_key, fresh.pk, seconds=PENDING_SECONDS)
                code, notice = fresh, gettext("We've sent a new code. Earlier codes no longer work.")
        elif request.method == "POST":
            self.ip_limit.count(request)
            form = CodeForm(request.POST)
            status = 400
            if form.is_valid():
                result = devices.code_verify(code=code, typed=form.cleaned_data["code"])
                if result == CodeResult.OK:
                    response = self._bind(request, link)
                    devices.device_remember(request, response, patient_id=code.patient_id)
                    return response
                code.refresh_from_db()
                error = self._code_error(result, code)
            else:
                error = str(form.errors["code"][0])
        elif code.used_at or code.ended_at or (code.expires_at and code.expires_at <= timezone.now()):
            # Back on the page with a code that no longer works: say so before anything is typed.
            result = CodeResult.ENDED if code.used_at or code.ended_at else CodeResult.EXPIRED
            error = self._code_error(result, code)
        context = {
            "form": form,
            "action": reverse(self.portal.code_url),
            "email": devices.mask_email(code.patient.email),
            "minutes": devices.CODE_MINUTES,
            "notice": notice,
            "limit": limit,
            "error": error,
        }
        return self.page(request, "patients/links/code.html", context, status=status)

    @staticmethod
    def _code_error(result: CodeResult, code: LinkCode) -> str:
        return CODE_ERRORS[result].format(
            left=ngettext("%(count)d try", "%(count)d tries", devices.tries_left(code))
            % {"count": devices.tries_left(code)},
            minutes=devices.CODE_MINUTES,
            tries=devices.CODE_MAX_TRIES,
        )

    def bound(self, request: HttpRequest) -> R | None:
        """The record this session passed the identity check for (each request extends the session).

        None in a staff session. Every request that reaches the record this way
        is an access event of the patient's record.
        """
        if self.signed_in_as_staff(request):
            return None
        pk = links.session_bound(request, self.bound_key, slide_seconds=self.portal.session_seconds())
        if pk is None:
            return None
        record = (
            self.portal.record_model._default_manager.select_related(*self.portal.record_related)
            .filter(pk=pk)
            .first()
        )
        if record is None or not self.portal.record_reachable(record):
            links.session_forget(request, self.bound_key)
            return None
        actor = request.session.get(self.actor_key)
        access_record(
            request=request,
            patient_id=self.portal.patient_of(record),
            obj=record,
            actor=actor if actor in AccessActor.values else AccessActor.PATIENT,
        )
        language_to_record(request, patient_id=self.portal.patient_of(record))
        return record

    def forget(self, request: HttpRequest) -> None:
        """End the session: the pending link, the binding and the portal's own session data."""
        links.session_forget(
            request,
            self.pending_key,
            self.code_key,
            self.bound_key,
            self.actor_key,
            *self.portal.session_data,
        )
