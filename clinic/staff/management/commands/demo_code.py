from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.staff.demo import DEMO_ADMIN_TOTP_KEY


class Command(BaseCommand):
    help = "Print the demo staff's current two-factor code, one for every demo account (DEBUG=1 only)."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("Only for the demo clinic (DEBUG=1).")
        # Only the published demo key: a real admin's device is never readable here.
        device = TOTPDevice.objects.filter(key=DEMO_ADMIN_TOTP_KEY, confirmed=True).first()
        if device is None:
            raise CommandError("No demo authenticator: run `manage.py demo_load` first.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
