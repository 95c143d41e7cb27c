"""Steps the browser tests share."""

import re
import time

# The verify page's button, or the set-up page's.
SECOND_FACTOR_BUTTONS = re.compile(r"^(Continue|Turn on two-factor authentication)$")


def authenticator_code(email: str) -> str:
    """The code the member of staff's authenticator app shows now (their set-up or confirmed device).

    A code works once (django-otp refuses a time step at or before the last one
    used), so a second sign-in within the same 30 seconds gets the next step's
    code, which the device accepts within its tolerance of one step.
    """
    from django_otp.oath import hotp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__email=email).order_by("-confirmed", "pk").first()
    assert device is not None, f"{email} has no authenticator device"
    now_t = int((time.time() - device.t0) // device.step) + device.drift
    t = max(now_t, device.last_t + 1)
    return f"{hotp(device.bin_key, t, digits=device.digits):0{device.digits}d}"


def sign_in(page, live_server, email: str, password: str) -> None:
    """Sign in through the login page, then give the second factor every member of staff gives.

    Without an authenticator yet the set-up page comes first: the code is the
    one the app would show after scanning its QR code.
    """
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/accounts/two-factor/" in page.url:
        page.get_by_label("6-digit code").fill(authenticator_code(email))
        page.get_by_role("button", name=SECOND_FACTOR_BUTTONS).click()
        page.wait_for_load_state()


def emailed_programme_link(page, mailoutbox) -> str:
    """Press "Email a new link" on the programme page and return the link from the email it sends.

    Staff never see a patient's link: the test reads it where the patient
    would, in the email (sent here as the worker would send it).
    """
    from django.utils import timezone

    from clinic.messaging.services import message_deliver, messages_claim_due

    mailoutbox.clear()
    page.get_by_role("button", name="Email a new link").click()
    page.get_by_text("An email with a new link is on its way to the patient.").wait_for()
    for message_id in messages_claim_due(now=timezone.now()):
        message_deliver(message_id=message_id)
    bodies = [m.body for m in mailoutbox if "/clinical/p/" in m.body]
    assert bodies, [m.subject for m in mailoutbox]
    return re.search(r"https?://\S+/clinical/p/[A-Za-z0-9_-]+/", bodies[-1]).group(0)


def give_emailed_code(page, mailoutbox) -> str:
    """On the "check your email" page after the identity check: type the code from the email.

    The outbox sends the code email as the worker would; the code is read
    from the email's text, where the patient reads it.
    """
    from django.utils import timezone

    from clinic.messaging.services import message_deliver, messages_claim_due

    page.get_by_role("heading", name="Check your email").wait_for()
    for message_id in messages_claim_due(now=timezone.now()):
        message_deliver(message_id=message_id)
    bodies = [m.body for m in mailoutbox if "one-time code" in m.subject]
    assert bodies, [m.subject for m in mailoutbox]
    code = re.search(r"^(\d{6})$", bodies[-1], re.MULTILINE).group(1)
    page.get_by_label("Code from the email").fill(code)
    page.get_by_role("button", name="Continue").click()
    return code
