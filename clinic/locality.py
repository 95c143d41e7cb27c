"""What differs by the clinic's country (CLINIC_COUNTRY): one frozen record per country.

The emergency number and where to go, who a patient's primary care is, the
distance unit a runner's log starts in, how alcohol is counted, and the fictional
phone ranges the demo uses; dates follow language_code (clinic.dates). Patient
messages take their words from here, never from literals, so a US clinic never
tells a patient to call 999.

Words patients read are marked for translation (gettext_lazy) and are translated
in the patient's language when a page or email uses them. Nothing here reads
settings at import time: settings.py imports this module to validate the country.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# One UK unit is 8 g of pure alcohol; the intake stores UK units whatever the country
# counts in, so the red-flag rules (patients.intake.redflags) read one scale.
GRAMS_PER_UK_UNIT = 8


@dataclass(frozen=True)
class Locality:
    country: str  # ISO 3166-1 alpha-2
    name: str
    language_code: str  # the clinic's own English: how dates are written (clinic.dates) and numbers
    emergency_number: str
    emergency_place: Promise  # where to go now, with its article: "A&E", "the ER (emergency room)"
    primary_care: Promise  # "your GP"
    primary_care_office: Promise  # "your GP surgery"
    urgent_advice: Promise  # what to do when primary care is closed, as an instruction
    urgent_advice_number: str  # the urgent-advice line's number, if any ("111")
    distance_unit: str  # "km" or "mi": TRAINING_DISTANCE_UNIT's default
    alcohol_measure: Promise  # what a patient counts ("units")
    alcohol_grams: int  # grams of alcohol in one of them
    alcohol_question: Promise
    alcohol_help: Promise
    clinic_phone: str  # the demo clinic's number (fictional range)
    demo_phone_pattern: str  # the demo's patients' numbers, from an index
    demo_phone_count: int  # how many numbers the reserved range holds

    def demo_phone(self, index: int) -> str:
        """A fictional phone number from the range this country reserves for drama."""
        return self.demo_phone_pattern.format(index % self.demo_phone_count)

    def to_uk_units(self, amount: int | None) -> int | None:
        """The patient's count (in this country's measure) as UK units, as the intake stores it."""
        if amount is None:
            return None
        units = Decimal(amount) * self.alcohol_grams / GRAMS_PER_UK_UNIT
        return int(units.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def from_uk_units(self, units: int | None) -> int | None:
        """Stored UK units back in this country's measure (to show the patient's answer again)."""
        if units is None:
            return None
        amount = Decimal(units) * GRAMS_PER_UK_UNIT / self.alcohol_grams
        return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def words(self) -> dict[str, str]:
        """The country's words for patient messages, in the active language."""
        return {
            "emergency_number": self.emergency_number,
            "emergency_place": str(self.emergency_place),
            "primary_care": str(self.primary_care),
            "primary_care_office": str(self.primary_care_office),
            "urgent_advice": str(self.urgent_advice),
            "clinic_phone": str(settings.CLINIC_PHONE),
        }


LOCALITIES: dict[str, Locality] = {
    "GB": Locality(
        country="GB",
        name="United Kingdom",
        language_code="en-gb",
        emergency_number="999",
        emergency_place=_("A&E"),
        primary_care=_("your GP"),
        primary_care_office=_("your GP surgery"),
        urgent_advice=_("call NHS 111"),
        urgent_advice_number="111",
        distance_unit="km",
        alcohol_measure=_("units"),
        alcohol_grams=8,
        alcohol_question=_("About how many units of alcohol do you drink in a usual week?"),
        alcohol_help=_(
            "0 if you don't drink. A pint of beer or a medium glass of wine is about 2 to 3 units; "
            "a single measure of spirits is 1 unit. The UK guidance is no more than 14 units a week."
        ),
        # Ofcom's ranges for drama: 01632 960xxx (landline), 07700 900xxx (mobile).
        clinic_phone="01632 960 000",
        demo_phone_pattern="07700 900{:03d}",
        demo_phone_count=1000,
    ),
    "US": Locality(
        country="US",
        name="United States",
        language_code="en-us",
        emergency_number="911",
        emergency_place=_("the ER (emergency room)"),
        primary_care=_("your primary care provider"),
        primary_care_office=_("your primary care provider's office"),
        urgent_advice=_("go to an urgent care center"),
        urgent_advice_number="",
        distance_unit="mi",
        alcohol_measure=_("drinks"),
        alcohol_grams=14,
        alcohol_question=_("About how many drinks of alcohol do you have in a usual week?"),
        alcohol_help=_(
            "0 if you don't drink. One standard drink (14 g of alcohol) is a 12-ounce beer, "
            "a 5-ounce glass of wine or a 1.5-ounce shot of spirits."
        ),
        # 555-0100 to 555-0199 are reserved for fiction in every area code.
        clinic_phone="(305) 555-0100",
        demo_phone_pattern="(305) 555-01{:02d}",
        demo_phone_count=100,
    ),
    "AU": Locality(
        country="AU",
        name="Australia",
        language_code="en-au",
        emergency_number="000",
        emergency_place=_("the emergency department"),
        primary_care=_("your GP"),
        primary_care_office=_("your GP clinic"),
        urgent_advice=_("call healthdirect on 1800 022 222"),
        urgent_advice_number="1800 022 222",
        distance_unit="km",
        alcohol_measure=_("standard drinks"),
        alcohol_grams=10,
        alcohol_question=_("About how many standard drinks do you have in a usual week?"),
        alcohol_help=_(
            "0 if you don't drink. One standard drink (10 g of alcohol) is a middy of full-strength beer, "
            "a 100 ml glass of wine or a 30 ml nip of spirits. The Australian guideline is no more "
            "than 10 standard drinks a week."
        ),
        # ACMA's numbers for drama: 02 5550 xxxx (landline), and a few mobiles (0491 570 xxx).
        clinic_phone="02 5550 0000",
        demo_phone_pattern="02 5550 {:04d}",
        demo_phone_count=10000,
    ),
}
COUNTRIES = tuple(LOCALITIES)


def current() -> Locality:
    """The clinic's country (settings.CLINIC_COUNTRY), read on every call (tests may change it)."""
    return LOCALITIES[settings.CLINIC_COUNTRY]


def alcohol_question() -> str:
    return str(current().alcohol_question)


def alcohol_help() -> str:
    return str(current().alcohol_help)


def emergency_line() -> str:
    """The one sentence every patient safety message ends with."""
    loc = current()
    return gettext("In an emergency, call %(number)s or go to %(place)s.") % {
        "number": loc.emergency_number,
        "place": loc.emergency_place,
    }
