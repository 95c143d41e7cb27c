"""The catalogue's pages as clinic admins see them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_exercise_list_names_contraindications_in_words_never_codes(clinic_admin_client):
    html = clinic_admin_client.get(reverse("assessments:exercise_list")).content.decode()
    assert "Bone stress injury: femoral neck" in html
    assert "BSI_FEM_NECK" not in html
