"""The patient's language between the browser's session and their record (Patient.language).

A choice on the language switch (clinic.patient_language) lasts for the session; once the
patient is known (a link's identity check passed, an online booking's code verified) it is
stored on the record, so later emails are written in it. A record's stored language is
copied into a session that has not chosen one, so the patient's own link opens in it.
"""

from django.conf import settings
from django.http import HttpRequest

from clinic.patient_language import SESSION_KEY, chosen_language, patient_languages, remember_language
from patients.models import Patient


def patient_language_set(*, patient_id: int, language: str) -> None:
    """Store `language` (a PATIENT_LANGUAGES code) as the patient's; no write when unchanged."""
    if language not in patient_languages():
        raise ValueError(f"{language!r} is not one of the patient languages.")
    patient = Patient.objects.filter(pk=patient_id).exclude(language=language).first()
    if patient is None:
        return
    patient.language = language
    patient.save(update_fields=["language"])


def language_from_record(request: HttpRequest, *, patient_id: int) -> None:
    """Before the patient is known: a session that has not chosen takes the record's language."""
    if request.session.get(SESSION_KEY) in patient_languages():
        return
    stored = Patient.objects.filter(pk=patient_id).values_list("language", flat=True).first()
    if stored:
        remember_language(request, stored)


def language_to_record(request: HttpRequest, *, patient_id: int, always: bool = False) -> None:
    """Once the patient is known: the language of their pages becomes the record's.

    When the patient becomes known (`always`: a passed check, a verified booking) the
    session's choice is stored, or the browser's language when it is not the clinic's
    own (a record left blank keeps meaning the clinic's language). On later pages only
    a choice made on this very request (the switch) is stored: one query per change.
    """
    chosen = request.session.get(SESSION_KEY)
    if chosen in patient_languages():
        if always or getattr(request, "patient_language_chosen", False):
            patient_language_set(patient_id=patient_id, language=chosen)
        return
    if always:
        shown = chosen_language(request)
        if shown != settings.LANGUAGE_CODE.split("-")[0]:
            patient_language_set(patient_id=patient_id, language=shown)
