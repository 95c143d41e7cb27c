import io

import pytest
from pypdf import PdfReader

from assessments.demo import assessments as demo_assessments
from assessments.demo import programmes as demo_programmes
from assessments.models import Assessment, Programme
from tests.assessments.demo.conftest import demo_diary  # noqa: F401 -- the demo clinic's diary fixture


@pytest.fixture
def demo_clinic(demo_diary):  # noqa: F811 -- the fixture imported above
    """Five demo patients eight weeks into treatment: the demo's assessments and programmes.

    Patient 0 has suspected bone stress and an urgent MRI; patient 4's programme is discharged.
    """
    demo_diary(patients=5, weeks_ago=8)
    demo_assessments.load()
    demo_programmes.load()


@pytest.fixture
def discharged(demo_clinic):
    return Programme.objects.select_related("patient").get(status="discharged")


@pytest.fixture
def with_imaging(demo_clinic):
    return Assessment.objects.filter(imaging_orders__isnull=False).select_related("patient").get()


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page of a PDF."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def one_line(text: str) -> str:
    return " ".join(text.split())
