"""Demo patients: fictional people with reserved example contacts.

Emails use example.com and phone numbers from the range the clinic's country
reserves for fiction (clinic.locality: 07700 900xxx in the UK, 555-01xx in the US,
02 5550 xxxx in Australia), so no demo message can reach a real person.
"""

import random
import unicodedata
from datetime import date, timedelta

from clinic import locality
from patients.identity.choices import ContactMethod, ReferralSource, Sex
from patients.identity.services import patient_register
from patients.models import Patient

FIRST_NAMES = {
    Sex.FEMALE: [
        "Amara",
        "Beth",
        "Chloé",  # search finds her as "chloe" too (accents are ignored)
        "Dana",
        "Elena",
        "Fiona",
        "Grace",
        "Hana",
        "Isla",
        "Jade",
        "Kira",
        "Lena",
        "Maya",
        "Nora",
        "Olive",
    ],
    Sex.MALE: [
        "Aaron",
        "Ben",
        "Callum",
        "Dev",
        "Ethan",
        "Femi",
        "Gareth",
        "Hugo",
        "Ivan",
        "Jonah",
        "Kai",
        "Liam",
        "Marek",
        "Niall",
    ],
}
LAST_NAMES = [
    "Ashworth",
    "Brennan",
    "Castellano",
    "Dlamini",
    "Evershed",
    "Fairclough",
    "Gallagher",
    "Hargreaves",
    "Ibekwe",
    "Jankowski",
    "Kowalczyk",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Oyelaran",
    "Pemberton",
    "Quinlan",
    "Rasmussen",
    "Szabo",
    "Thorne",
    "Underwood",
    "Varga",
    "Whitlock",
    "Yilmaz",
    "Zielinski",
    "Abernethy",
    "Brightwater",
    "Calloway",
    "Delacroix",
    "Ellingham",
]
PATIENT_COUNT = 30
# Patients who chose Spanish for their pages and emails (the rest: the clinic's own language).
# Dev Hargreaves's intake link (sent, not yet opened) opens in Spanish.
SPANISH_SPEAKERS = {"beth.castellano@example.com", "dev.hargreaves@example.com"}


def load() -> list[Patient]:
    rng = random.Random(20261122)  # noqa: S311 -- deterministic fake data, not security
    patients = []
    phones = locality.current()
    for index in range(PATIENT_COUNT):
        sex = Sex.FEMALE if index % 2 == 0 else Sex.MALE
        first = FIRST_NAMES[sex][index // 2 % len(FIRST_NAMES[sex])]
        last = LAST_NAMES[index]
        born = date(1962, 1, 1) + timedelta(days=rng.randrange(0, 365 * 42))
        # An address in plain ASCII (Chloé writes as chloe).
        ascii_name = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore").decode()
        email = f"{ascii_name}@example.com".lower()
        existing = Patient.objects.filter(email=email).first()
        if existing is not None:
            patients.append(existing)
            continue
        patients.append(
            patient_register(
                first_name=first,
                last_name=last,
                date_of_birth=born,
                sex=sex,
                email=email,
                phone=phones.demo_phone(index),
                preferred_contact=ContactMethod.EMAIL,
                town="Riverside",
                postcode=f"AB{index % 9 + 1} {index % 7 + 1}CD",
                emergency_contact_name=f"{rng.choice(['Chris', 'Alex', 'Robin', 'Sam'])} {last}",
                emergency_contact_phone=phones.demo_phone(index + 500),
                emergency_contact_relationship=rng.choice(["Partner", "Parent", "Sibling", "Friend"]),
                referral_source=rng.choice(list(ReferralSource)),
            )
        )
        if email in SPANISH_SPEAKERS:
            Patient.objects.filter(pk=patients[-1].pk).update(language="es")
            patients[-1].language = "es"
    return patients
