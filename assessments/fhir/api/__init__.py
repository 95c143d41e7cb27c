"""The read-only FHIR R4 REST API for systems the clinic trusts (docs/fhir-api.md).

Each request names its client by a bearer token (assessments.fhir.clients);
the views serve what assessments.fhir.bundle builds, as OperationOutcome on
every error, and record each read of a patient's record as an access event
naming the client.
"""
