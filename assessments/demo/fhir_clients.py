"""The demo clinic's API clients (fictional systems, for `make run`).

Two trusted systems: a sports medicine clinic that reads every record
resource, and a running lab limited to observations. Their tokens are made
and dropped here, never printed: a clinic admin rotates one on the API
clients page (/fhir-clients/) to see a token and call /fhir/ with it.
Idempotent: a client of the same name is left alone.
"""

from assessments.fhir.api.scopes import SCOPE_ALL, scopes_for
from assessments.fhir.clients.services import fhir_client_create
from assessments.models import FhirClient
from clinic.staff.models import User

DEMO_CLIENTS = (
    ("Riverside Sports Medicine (demo)", "Dr Alex Moreau, it@sportsmed.example", [SCOPE_ALL]),
    ("Riverside Running Lab (demo)", "Lab desk, lab@runlab.example", scopes_for(["Observation"])),
)


def load() -> list[FhirClient]:
    admin = User.objects.get(email="admin@stride.example")
    clients = []
    for name, contact, scopes in DEMO_CLIENTS:
        client = FhirClient.objects.filter(name=name).first()
        if client is None:
            client = fhir_client_create(name=name, contact=contact, scopes=scopes, by=admin).client
        clients.append(client)
    return clients
