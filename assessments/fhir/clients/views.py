"""The clinic admin's pages of API clients: list, create (the token shown once), rotate, revoke."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from assessments.fhir.clients.forms import FhirClientForm, RotateForm
from assessments.fhir.clients.services import (
    IssuedToken,
    fhir_client_create,
    fhir_client_revoke,
    fhir_client_rotate,
)
from assessments.models import FhirClient
from clinic.staff.access import staff_view
from clinic.staff.choices import Role


def _token_page(request: HttpRequest, issued: IssuedToken, *, rotated: bool) -> HttpResponse:
    # The only response that ever carries the token; every page is no-store (clinic.privacy).
    return render(
        request,
        "assessments/fhir/clients/token.html",
        {"client": issued.client, "token": issued.token, "rotated": rotated},
    )


@staff_view(Role.CLINIC_ADMIN)
def client_list(request: HttpRequest) -> HttpResponse:
    clients = FhirClient.objects.select_related("created_by").order_by("revoked_at", "name")
    return render(request, "assessments/fhir/clients/list.html", {"clients": clients})


@require_http_methods(["GET", "POST"])
@staff_view(Role.CLINIC_ADMIN)
def client_new(request: HttpRequest) -> HttpResponse:
    form = FhirClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = fhir_client_create(
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
                scopes=form.scopes(),
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _token_page(request, issued, rotated=False)
    status = 400 if form.errors else 200
    return render(request, "assessments/fhir/clients/new.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@staff_view(Role.CLINIC_ADMIN)
def client_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(FhirClient, pk=pk)
    form = RotateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = fhir_client_rotate(client=client, grace=form.grace(), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _token_page(request, issued, rotated=True)
    status = 400 if form.errors else 200
    return render(
        request, "assessments/fhir/clients/rotate.html", {"client": client, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
@staff_view(Role.CLINIC_ADMIN)
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(FhirClient, pk=pk)
    if request.method == "POST":
        fhir_client_revoke(client=client, by=request.user)
        messages.success(request, f"{client.name} is revoked: its tokens no longer work.")
        return redirect("fhir_clients:list")
    return render(request, "assessments/fhir/clients/revoke.html", {"client": client})
