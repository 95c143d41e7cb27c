from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Patients"

    def ready(self) -> None:
        from clinic.audit.selectors import register_patient_directory  # noqa: PLC0415
        from clinic.messaging.registry import register_language_resolver, register_refusal_handler  # noqa: PLC0415
        from clinic.staff.access import record_guard_register  # noqa: PLC0415
        from patients.booking import emails as booking_emails  # noqa: F401, PLC0415 -- registers message kinds
        from patients.booking.online import emails as online_emails  # noqa: F401, PLC0415 -- registers message kinds
        from patients.booking.online import export as online_export  # noqa: PLC0415
        from patients.booking.waitlist import emails as waitlist_emails  # noqa: F401, PLC0415 -- registers message kinds
        from patients.booking.waitlist import export as waitlist_export  # noqa: PLC0415
        from patients.careteam import hub as careteam_hub  # noqa: PLC0415
        from patients.careteam.guard import care_team_guard  # noqa: PLC0415
        from patients.flags import hub as flags_hub  # noqa: PLC0415
        from patients.identity import audit as identity_audit  # noqa: PLC0415
        from patients.identity import export, hub  # noqa: PLC0415
        from patients.identity.undeliverable import patient_email_refused  # noqa: PLC0415
        from patients.intake import emails as intake_emails  # noqa: F401, PLC0415 -- registers message kinds
        from patients.intake import hub as intake_hub  # noqa: PLC0415
        from patients.intake.services.preferences import register_reminder_optouts  # noqa: PLC0415
        from patients.links import emails as link_emails  # noqa: F401, PLC0415 -- registers message kinds
        from patients.messages import patient_email_language  # noqa: PLC0415

        register_reminder_optouts()
        register_refusal_handler(patient_email_refused)
        register_language_resolver(patient_email_language)
        export.register_export_sections(export.SECTIONS)
        export.register_export_exclusions(export.EXPORT_EXCLUDED)
        export.register_export_sections(waitlist_export.SECTIONS)
        export.register_export_exclusions(waitlist_export.EXPORT_EXCLUDED)
        export.register_export_sections(online_export.SECTIONS)
        export.register_export_exclusions(online_export.EXPORT_EXCLUDED)
        hub.register_hub_sections(hub.SECTIONS)
        hub.register_hub_sections(flags_hub.SECTIONS)
        hub.register_hub_sections(intake_hub.SECTIONS)
        hub.register_hub_sections(careteam_hub.SECTIONS)
        record_guard_register(care_team_guard)
        register_patient_directory(identity_audit.DIRECTORY)
