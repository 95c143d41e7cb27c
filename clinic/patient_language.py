"""The patient side's language: English or Spanish, chosen by the patient; staff pages never change.

Only the patient-facing URL prefixes (PATIENT_URL_PREFIXES: the links, online booking,
unsubscribe) are translated. There the language is, in order: a choice made just now
(`?lang=es` from the language switch), the choice kept in the session (or copied into
it from the patient's record once the link is known: patients.links.language), the
browser's Accept-Language among PATIENT_LANGUAGES, then the clinic's own. Every other
page stays in LANGUAGE_CODE whatever the browser asks, so the clinic's records, the
staff screens and the audit read in one language.

English on the patient side is the clinic's own English (LANGUAGE_CODE, e.g. en-gb),
so dates keep the clinic's order.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

SESSION_KEY = "patient_language"
QUERY_KEY = "lang"


def patient_languages() -> list[str]:
    return [code for code, _ in settings.PATIENT_LANGUAGES]


def is_patient_path(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in settings.PATIENT_URL_PREFIXES)


def django_language(code: str) -> str:
    """The Django language to activate for a patient language code ("en": the clinic's English)."""
    if code == "en" and settings.LANGUAGE_CODE.startswith("en"):
        return settings.LANGUAGE_CODE
    return code


def patient_django_language(code: str) -> str:
    """The Django language for a patient's recorded choice (Patient.language): blank or unknown gives the clinic's.

    For what staff make for the patient to take away (the exercise sheet they print).
    """
    return django_language(code) if code in patient_languages() else settings.LANGUAGE_CODE


def _from_browser(request: HttpRequest) -> str:
    offered = patient_languages()
    for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code.split("-")[0].lower()
        if base in offered:
            return base
    return ""


def chosen_language(request: HttpRequest) -> str:
    """The patient language of this request (a code of PATIENT_LANGUAGES)."""
    session = getattr(request, "session", None)
    kept = session.get(SESSION_KEY, "") if session is not None else ""
    if kept in patient_languages():
        return kept
    return _from_browser(request) or settings.LANGUAGE_CODE.split("-")[0]


def remember_language(request: HttpRequest, code: str) -> None:
    """Keep `code` as this browser's patient language for the session."""
    if code in patient_languages():
        request.session[SESSION_KEY] = code
        translation.activate(django_language(code))
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]


class PatientLanguageMiddleware:
    """Activates the patient's language on patient-facing paths, the clinic's everywhere else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        patient_side = is_patient_path(request.path_info)
        # The switch's choice: marked on the request so a known patient's record keeps it.
        request.patient_language_chosen = False  # type: ignore[attr-defined]
        if patient_side:
            asked = request.GET.get(QUERY_KEY, "")
            if asked in patient_languages():
                request.session[SESSION_KEY] = asked
                request.patient_language_chosen = True  # type: ignore[attr-defined]
            language = django_language(chosen_language(request))
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        if patient_side:
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            response.headers.setdefault("Content-Language", language)
        return response
