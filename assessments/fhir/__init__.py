"""The patient's record as FHIR R4 resources (docs/fhir.md has the mapping).

Every resource is built through fhir.resources' R4B models, so construction
validates it; `bundle.patient_bundle` joins one patient's resources into a
collection Bundle whose references all resolve inside it, and
`manage.py fhir_export` writes them as Bulk Data NDJSON.
"""
