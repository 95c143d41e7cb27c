"""The FHIR API's clients: the trusted systems a clinic admin creates, rotates and revokes, and their tokens."""
