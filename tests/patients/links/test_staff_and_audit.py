"""Patient links reach only the patient: never a staff browser, never a link staff can see,
and every page the patient opens is an access event of their record."""

from clinic.audit.models import AccessActor, AccessEvent


def test_a_browser_signed_in_as_staff_is_refused_on_every_step(client, portal, front_desk):
    client.force_login(front_desk)

    opened = portal.open(client)
    checked = portal.check(client)
    page = client.get(portal.page_url)

    assert opened.status_code == 403
    assert "This link is for the patient" in opened.content.decode()
    assert checked.status_code == 403
    assert page.status_code in {302, 403}  # the session-ended page or a redirect to it, never the record
    assert portal.last_name.lower() not in page.content.decode().lower()
    assert (
        AccessEvent.objects.filter(actor__in=[AccessActor.PATIENT, AccessActor.PATIENT_STAFF_LINK]).count()
        == 0
    )


def test_signing_in_as_staff_after_the_check_ends_the_patient_view(client, portal, front_desk):
    portal.sign_in(client)
    assert client.get(portal.page_url).status_code == 200

    client.force_login(front_desk)
    response = client.get(portal.page_url)

    assert response.status_code in {302, 403}
    assert portal.last_name.lower() not in response.content.decode().lower()


def test_every_patient_link_page_is_an_access_event_marked_patient(client, portal):
    portal.sign_in(client)
    before = AccessEvent.objects.count()

    first = client.get(portal.page_url)
    second = client.get(portal.page_url)

    assert (first.status_code, second.status_code) == (200, 200)
    events = list(AccessEvent.objects.order_by("pk")[before:])
    assert len(events) == 2
    assert {(e.actor, e.user_id) for e in events} == {(AccessActor.PATIENT, None)}
    assert len({e.patient_id for e in events}) == 1
    assert events[0].patient_id == events[1].patient_id > 0


def test_the_identity_check_pages_write_no_access_event(client, portal):
    portal.open(client)
    client.get(portal.check_url)
    portal.check(client, last_name="Wrong")

    assert AccessEvent.objects.count() == 0
