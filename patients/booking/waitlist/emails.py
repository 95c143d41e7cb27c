"""The waitlist offer email, registered with the outbox at start-up.

The claim link's token is made when the email is rendered (the offer keeps
its hash, so the latest email's link is the one that works). The body names
the time and place, never anything clinical.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from clinic.messaging.models import ScheduledMessage
from clinic.messaging.registry import MessageKind, MessageObsolete, register_kind
from patients.booking.waitlist.choices import OfferStatus, WaitlistStatus
from patients.links import core as links
from patients.messages import PatientMessageKind
from patients.models import WaitlistOffer


def offer_link(token: str) -> str:
    return settings.SITE_URL + reverse("waitlist:offer", kwargs={"token": token})


def _offer_context(message: ScheduledMessage) -> dict[str, object]:
    offer = (
        WaitlistOffer.objects.select_related(
            "entry__patient", "entry__location", "entry__appointment_type", "therapist"
        )
        .filter(pk=message.about_pk)
        .first()
    )
    if (
        offer is None
        or offer.status != OfferStatus.OFFERED
        or offer.expires_at <= timezone.now()
        or offer.entry.status != WaitlistStatus.ACTIVE
    ):
        raise MessageObsolete
    token, digest = links.token_make()
    WaitlistOffer.objects.filter(pk=offer.pk).update(token_hash=digest)
    entry = offer.entry
    zone = ZoneInfo(entry.location.time_zone)
    return {
        "first_name": entry.patient.preferred_name or entry.patient.first_name,
        "visit_name": entry.appointment_type.name,
        "starts_at": offer.starts_at.astimezone(zone),
        "ends_at": offer.ends_at.astimezone(zone),
        "location": entry.location,
        "therapist_name": offer.therapist.display_name,
        "time_zone": entry.location.time_zone,
        "expires_at": offer.expires_at.astimezone(zone),
        "moving": entry.appointment_id is not None,
        "link": offer_link(token),
    }


register_kind(MessageKind.of(PatientMessageKind.WAITLIST_OFFER, _offer_context))
