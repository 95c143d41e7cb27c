import pytest
from django.core.cache import cache
from django.test import Client

from assessments.fhir.api.scopes import SCOPE_ALL
from assessments.fhir.clients.services import IssuedToken, fhir_client_create


@pytest.fixture(autouse=True)
def _empty_cache():
    """The per-client call counts live in the cache: each test starts from none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_api_client(clinic_admin):
    def make(name: str = "Riverside GP practice", scopes: list[str] | None = None) -> IssuedToken:
        return fhir_client_create(
            name=name, contact="IT desk, it@riverside.example", scopes=scopes or [SCOPE_ALL], by=clinic_admin
        )

    return make


@pytest.fixture
def issued(make_api_client) -> IssuedToken:
    """An active client that may read everything, with its token in clear."""
    return make_api_client()


class Fhir:
    """A machine client of the API: no session, a bearer token on every call."""

    def __init__(self, token: str | None) -> None:
        self.http = Client()
        self.token = token

    def get(self, path: str, data: dict | None = None, **headers: str):
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return self.http.get(path, data or {}, headers=headers)


@pytest.fixture
def fhir(issued) -> Fhir:
    return Fhir(issued.token)
