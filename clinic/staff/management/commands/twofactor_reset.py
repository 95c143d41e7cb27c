from django.core.management.base import BaseCommand, CommandError

from clinic.audit.tracking import history_context
from clinic.staff.models import User
from clinic.staff.services import twofactor_reset


class Command(BaseCommand):
    help = (
        "Remove a staff member's authenticator app (lost phone). They set up a new one "
        "at their next sign-in. For when no clinic admin can sign in to do it in the admin."
    )

    def add_arguments(self, parser: object) -> None:
        parser.add_argument("email", help="The staff member's sign-in email address.")

    def handle(self, *args: object, **options: object) -> None:
        email = str(options["email"]).strip().lower()
        user = User.objects.filter(email=email).first()
        if user is None:
            raise CommandError(f"No staff account has the email address {email}.")
        # The device history names the command, as a request would name its user.
        with history_context(command="twofactor_reset"):
            removed = twofactor_reset(user=user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed {removed} authenticator device(s) for {email}; set-up is asked at next sign-in."
            )
        )
