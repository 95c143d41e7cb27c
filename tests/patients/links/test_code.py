"""The one-time code on the first opening of a link in a browser: emailed, hashed, short-lived, and
remembered per browser (both portals)."""

from datetime import timedelta

from django.forms.models import model_to_dict
from django.test import Client

from clinic.messaging.emails import message_render
from patients.links.devices import CODE_MAX_TRIES, CODES_PER_LINK_PER_HOUR
from patients.models import LinkCode, LinkDevice, Patient
from tests.patients.links.conftest import IP
from tests.patients.links.support import code_messages, emailed_code, enter_code


def test_first_opening_asks_for_a_code_sent_to_the_patients_email(client, portal):
    portal.open(client)

    checked = portal.check(client)
    page = client.get(portal.code_url)
    record = client.get(portal.page_url)

    assert checked.status_code == 302
    assert checked["Location"] == portal.code_url
    html = page.content.decode()
    assert "Enter the code we emailed to" in html
    assert 'inputmode="numeric"' in html and 'autocomplete="one-time-code"' in html
    assert record.status_code == 403  # nothing of the record before the code
    assert [(m.to_email, m.status) for m in code_messages()] == [
        (Patient.objects.get(pk=LinkCode.objects.get().patient_id).email, "pending")
    ]


def test_the_code_page_shows_the_address_masked(client, portal):
    portal.open(client)
    portal.check(client)

    html = client.get(portal.code_url).content.decode()

    email = LinkCode.objects.get().patient.email
    assert f"{email[0]}***@example.com" in html
    assert email not in html


def test_the_right_code_binds_the_session(client, portal):
    portal.open(client)
    portal.check(client)

    response = enter_code(client, portal.code_name)

    assert response.status_code == 302
    assert response["Location"] == portal.home_url
    assert client.get(portal.page_url).status_code == 200
    assert LinkCode.objects.get().used_at is not None


def test_a_wrong_code_is_refused_next_to_the_field_with_the_tries_left(client, portal):
    portal.open(client)
    portal.check(client)
    right = emailed_code()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = enter_code(client, portal.code_name, wrong)

    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert" id="code-error"' in html
    assert (
        f"That code isn&#x27;t right. Check the email and try again ({CODE_MAX_TRIES - 1} tries left)."
        in html
    )
    assert client.get(portal.page_url).status_code == 403


def test_five_wrong_codes_end_it_and_a_new_code_works(client, portal):
    portal.open(client)
    portal.check(client)
    right = emailed_code()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(CODE_MAX_TRIES):
        enter_code(client, portal.code_name, wrong)

    refused = enter_code(client, portal.code_name, right)
    resent = client.post(portal.code_url, {"action": "resend"}, REMOTE_ADDR=IP)
    accepted = enter_code(client, portal.code_name)

    assert refused.status_code == 400
    assert "That code no longer works (after 5 wrong tries" in refused.content.decode()
    assert "Send a new code" in refused.content.decode()
    assert "We&#x27;ve sent a new code." in resent.content.decode()
    assert accepted.status_code == 302
    assert accepted["Location"] == portal.home_url
    assert portal.counts() == (0, False)  # wrong codes end the code, not the link


def test_wrong_codes_count_towards_the_per_address_limit(client, portal, settings):
    settings.INTAKE_CHECKS_PER_IP_PER_HOUR = 3
    portal.open(client)
    portal.check(client)  # 1
    enter_code(client, portal.code_name, "000000")  # 2
    enter_code(client, portal.code_name, "000001")  # 3

    page = client.get(portal.code_url, REMOTE_ADDR=IP)

    assert page.status_code == 429


def test_an_expired_code_is_refused(client, portal):
    portal.open(client)
    portal.check(client)
    code = emailed_code()

    portal.traveller.shift(timedelta(minutes=10, seconds=1))
    response = enter_code(client, portal.code_name, code)

    assert response.status_code == 400
    assert "That code has expired: codes work for 10 minutes." in response.content.decode()
    assert client.get(portal.page_url).status_code == 403


def test_a_second_opening_in_the_same_browser_skips_the_code(client, portal):
    portal.sign_in(client)
    portal.leave(client)
    sent = code_messages().count()

    portal.open(client)
    response = portal.check(client)

    assert response.status_code == 302
    assert response["Location"] == portal.home_url
    assert code_messages().count() == sent == 1


def test_a_different_browser_needs_a_code_again(client, portal):
    portal.sign_in(client)

    other = Client()
    portal.open(other)
    response = portal.check(other)

    assert response["Location"] == portal.code_url
    assert code_messages().count() == 2


def test_the_browser_cookie_is_signed_http_only_and_lax_and_only_its_hash_is_stored(client, portal):
    response = portal.sign_in(client)

    cookie = response.cookies["linkdevice"]
    device = LinkDevice.objects.get()
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 90 * 24 * 60 * 60
    assert ":" in cookie.value  # signed
    device_id = cookie.value.split(":")[0]
    assert device.device_hash != device_id and device_id not in str(model_to_dict(device))


def test_a_tampered_cookie_counts_as_a_new_browser(client, portal):
    portal.sign_in(client)
    portal.leave(client)
    client.cookies["linkdevice"] = client.cookies["linkdevice"].value + "x"

    portal.open(client)
    response = portal.check(client)

    assert response["Location"] == portal.code_url


def test_the_email_carries_the_code_and_its_expiry_and_no_health_data(client, portal):
    portal.open(client)
    portal.check(client)

    email = message_render(code_messages().get())

    html = email.alternatives[0][0]
    code = LinkCode.objects.get()
    assert "expires in 10 minutes" in email.body and "expires in 10 minutes" in html
    for text in (email.subject, email.body, html):
        assert [item for item in portal.phi if item.lower() in text.lower()] == []
        assert "questionnaire" not in text.lower() and "programme" not in text.lower()
    assert code.code_hash != ""


def test_the_code_is_never_stored_in_plain_text(client, portal):
    portal.open(client)
    portal.check(client)

    code = emailed_code()

    row = LinkCode.objects.get()
    message = code_messages().get()
    assert code not in str(model_to_dict(row))
    assert code not in str(model_to_dict(message))
    assert len(row.code_hash) == 64


def test_a_staff_browser_is_refused_before_any_code_is_sent(client, portal, front_desk):
    portal.open(client)
    client.force_login(front_desk)

    checked = portal.check(client)
    code_page = client.get(portal.code_url)

    assert checked.status_code == 403
    assert code_page.status_code == 403
    assert code_messages().count() == 0
    assert LinkCode.objects.count() == 0


def test_a_patient_without_an_email_address_is_asked_to_call(client, portal):
    portal.open(client)
    Patient.objects.filter(last_name__in=["Quill", "O'Strider"]).update(email="")

    response = portal.check(client)

    assert response.status_code == 403
    assert "Please call us" in response.content.decode()
    assert code_messages().count() == 0


def test_new_codes_are_limited_per_link_and_hour(client, portal):
    portal.open(client)
    portal.check(client)  # the first code
    for _ in range(CODES_PER_LINK_PER_HOUR - 1):
        client.post(portal.code_url, {"action": "resend"}, REMOTE_ADDR=IP)

    refused = client.post(portal.code_url, {"action": "resend"}, REMOTE_ADDR=IP)

    assert refused.status_code == 429
    assert "You&#x27;ve asked for 5 codes in the last hour" in refused.content.decode()
    assert code_messages().count() == CODES_PER_LINK_PER_HOUR
    # The newest code still works.
    assert enter_code(client, portal.code_name).status_code == 302


def test_a_new_code_ends_the_earlier_one(client, portal):
    portal.open(client)
    portal.check(client)
    first = emailed_code()

    client.post(portal.code_url, {"action": "resend"}, REMOTE_ADDR=IP)
    response = enter_code(client, portal.code_name, first)

    assert response.status_code == 400
    assert "That code isn&#x27;t right." in response.content.decode()
    assert LinkCode.objects.order_by("pk").first().ended_at is not None


def test_the_code_page_needs_a_passed_check(client, portal):
    portal.open(client)

    response = client.get(portal.code_url)

    assert response.status_code == 200
    assert portal.unavailable in response.content.decode()


def test_back_on_the_page_an_ended_code_says_so_before_anything_is_typed(client, portal):
    portal.open(client)
    portal.check(client)
    for _ in range(CODE_MAX_TRIES):
        enter_code(client, portal.code_name, "abc")  # not even digits: refused by the form, not counted
    wrong = f"{(int(emailed_code()) + 1) % 1_000_000:06d}"
    for _ in range(CODE_MAX_TRIES):
        enter_code(client, portal.code_name, wrong)

    page = client.get(portal.code_url)

    html = page.content.decode()
    assert page.status_code == 200
    assert 'role="alert" id="code-error">That code no longer works' in html
    assert 'aria-invalid="true"' in html


def test_a_code_that_is_not_six_digits_is_explained_next_to_the_field(client, portal):
    portal.open(client)
    portal.check(client)

    response = enter_code(client, portal.code_name, "12 34")

    assert response.status_code == 400
    assert "Enter the 6 digits of the code in the email, like 123456." in response.content.decode()
    assert LinkCode.objects.get().failed_tries == 0
