"""The audit trail: who changed and who viewed which patient's record, and when.

Two halves, both append-only at the database level (pgtrigger.Protect refuses
UPDATE and DELETE on their tables, whatever the application does):

Changes — PostgreSQL triggers (django-pghistory) copy every insert, update and
delete of a tracked row into an event table, including bulk `.update()` and
raw SQL. Decorate each patient/clinical model with @audit_tracked:

    from clinic.audit.tracking import audit_tracked

    @audit_tracked
    class Assessment(models.Model):
        ...

then run makemigrations: the event model (`<app>.<Model>AuditEvent`) and its
triggers land in that app's migration. Events carry the request's context
(user id, URL, request id) set by AuditHistoryMiddleware; Celery tasks and
management commands label theirs with `with history_context(task="..."):`
(never pghistory.context directly: it breaks every write on SQLite).

Reads — one AccessEvent row per request to a patient-scoped page. Views whose
URL carries the patient id use the decorator:

    @audits_patient("pk")            # the URL kwarg holding the patient id
    @staff_view(*ALL_STAFF)
    def patient_detail(request, pk): ...

Views that find the patient themselves call the service once they know it:

    access_record(request=request, patient_id=assessment.patient_id, obj=assessment)

Both record at most once per request (GET and POST alike), so a view may be
decorated and call the service without writing two rows.

Both tables are hash-chained (clinic.audit.chain): a trigger links each new
row to the previous one under an advisory lock, and `manage.py audit_verify`
names any row that was edited, deleted or slipped in. TRUNCATE is refused on
them and on every change-history table (tracking.no_truncate).

Security events — one SecurityEvent row (append-only, chained) per sign-in,
failure, lockout, unlock, password change or reset, two-factor set-up or
reset, role change and record export, written by clinic.audit.security from
Django's, django-axes' and django-otp's signals; the audit screen filters them
at /audit/security/.

Layering: this app imports neither `patients` nor `assessments`; it refers to
what it records by (model label, primary key) and a patient id.
"""
