from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.staff import demo


@pytest.mark.django_db
def test_demo_code_prints_a_code_the_demo_admin_device_accepts(settings):
    settings.DEBUG = True
    demo.load()
    out = StringIO()

    call_command("demo_code", stdout=out)

    device = TOTPDevice.objects.get(user__email="admin@stride.example")
    assert device.verify_token(out.getvalue().strip()) is True


@pytest.mark.django_db
def test_demo_code_refuses_outside_debug(settings):
    settings.DEBUG = False
    demo.load()

    with pytest.raises(CommandError, match="Only for the demo clinic"):
        call_command("demo_code")


@pytest.mark.django_db
def test_every_demo_account_has_an_authenticator_with_the_published_key(settings):
    settings.DEBUG = True
    users = demo.load()
    out = StringIO()
    call_command("demo_code", stdout=out)
    code = out.getvalue().strip()

    devices = {d.user.email: d for d in TOTPDevice.objects.filter(confirmed=True).select_related("user")}
    assert set(devices) == set(users) == {email for email, *_ in demo.DEMO_STAFF}
    assert {d.key for d in devices.values()} == {demo.DEMO_ADMIN_TOTP_KEY}
    # The one printed code signs in as any of them.
    assert all(device.verify_token(code) for device in devices.values())
