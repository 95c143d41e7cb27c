from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Clinical record"

    def ready(self) -> None:
        from django.db.models.signals import post_save  # noqa: PLC0415

        from assessments.documents import emails as documents_emails  # noqa: F401, PLC0415 -- registers the discharge report's kind
        from assessments.documents import export as documents_export  # noqa: PLC0415
        from assessments.documents import hub as documents_hub  # noqa: PLC0415
        from assessments.imaging import export as imaging_export  # noqa: PLC0415
        from assessments.programmes import careteam as programmes_careteam  # noqa: PLC0415
        from assessments.programmes import emails  # noqa: F401, PLC0415 -- registers the programme's message kinds
        from assessments.programmes import export as programmes_export  # noqa: PLC0415
        from assessments.programmes import hub as programmes_hub  # noqa: PLC0415
        from assessments.programmes.services.bone_stress import red_flag_saved  # noqa: PLC0415
        from assessments.record import careteam as record_careteam  # noqa: PLC0415
        from assessments.record import export as record_export  # noqa: PLC0415
        from assessments.record import hub as record_hub  # noqa: PLC0415
        from assessments.training import export as training_export  # noqa: PLC0415
        from patients.careteam.selectors import care_relation_register  # noqa: PLC0415
        from patients.identity.export import register_export_exclusions, register_export_sections  # noqa: PLC0415
        from patients.identity.hub import register_hub_sections  # noqa: PLC0415
        from patients.models import RedFlag  # noqa: PLC0415

        for module in (record_export, imaging_export, programmes_export, documents_export, training_export):
            register_export_sections(module.SECTIONS)
            register_export_exclusions(module.EXPORT_EXCLUDED)
        register_hub_sections((*record_hub.SECTIONS, *programmes_hub.SECTIONS, *documents_hub.SECTIONS))
        for relation in (*record_careteam.RELATIONS, *programmes_careteam.RELATIONS):
            care_relation_register(relation)
        # A bone-stress red flag raised or cleared (in patients) refreshes the programme's state.
        post_save.connect(red_flag_saved, sender=RedFlag, dispatch_uid="assessments.bone_stress.red_flag")
