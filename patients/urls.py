"""The patients app's URLs: each slice's patterns under one namespace."""

from patients.booking import urls as booking
from patients.booking.requests import urls as booking_requests
from patients.careteam import urls as careteam
from patients.flags import urls as flags
from patients.identity import urls as identity
from patients.intake import urls as intake

app_name = "patients"
urlpatterns = [
    *identity.urlpatterns,
    *booking.urlpatterns,
    *booking_requests.urlpatterns,
    *intake.urlpatterns,
    *flags.urlpatterns,
    *careteam.urlpatterns,
]
