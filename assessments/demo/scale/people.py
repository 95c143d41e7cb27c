"""The clinic group's sites and therapists, and what each scale patient is (deterministic by index)."""

import random
from dataclasses import dataclass
from datetime import date, time

from django.contrib.auth.hashers import make_password

from clinic.staff import demo as staff_demo
from clinic.staff.choices import Role, Weekday
from clinic.staff.models import Location, OpeningHours, TherapistProfile, User, WorkingHours
from clinic.staff.roles import role_group

DOMAIN = "scale.stride.example"
LOCATIONS = 5
THERAPISTS = 25
SITES = ("Stride Riverside", "Stride Northgate", "Stride Eastfield", "Stride Harbourside", "Stride Westbrook")
WEEKDAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)
# A therapist's diary: one visit an hour, 08:00 to 18:00, Monday to Friday.
DAY_STARTS, SLOTS_PER_DAY = 8, 10
SLOTS_PER_WEEK = SLOTS_PER_DAY * len(WEEKDAYS)

FIRST = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Ivy",
    "Freya",
    "Lily",
    "Florence",
    "Mia",
    "Willow",
    "Rosie",
    "Sophia",
    "Isabella",
    "Grace",
    "Daisy",
    "Sienna",
    "Poppy",
    "Elsie",
    "Emily",
    "Ella",
    "Evelyn",
    "Phoebe",
    "Sofia",
    "Evie",
    "Charlotte",
    "Harper",
    "Millie",
    "Matilda",
    "Maya",
    "Sophie",
    "Alice",
    "Noah",
    "Muhammad",
    "Oliver",
    "George",
    "Leo",
    "Arthur",
    "Oscar",
    "Theodore",
    "Freddie",
    "Theo",
    "Archie",
    "Henry",
    "Alfie",
    "Charlie",
    "Jack",
    "Lucas",
    "Finley",
    "Tommy",
    "Thomas",
    "Isaac",
    "Mohammed",
    "Edward",
    "Jacob",
    "Arlo",
    "Harry",
    "Roman",
    "Adam",
    "Joshua",
    "Samuel",
    "Rory",
]
LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Thomas",
    "Clarke",
    "Jackson",
    "Wood",
    "Harris",
    "Edwards",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Hughes",
    "Moore",
    "Clark",
    "King",
    "Harrison",
    "Lewis",
    "Baker",
    "Lee",
    "Allen",
    "Morris",
    "Khan",
    "Scott",
    "Watson",
    "Davis",
    "Parker",
    "James",
    "Bennett",
    "Young",
    "Phillips",
    "Richardson",
    "Mitchell",
    "Bailey",
    "Carter",
    "Cook",
    "Singh",
    "Shaw",
    "Bell",
    "Collins",
    "Morgan",
    "Kelly",
    "Begum",
    "Miller",
    "Cox",
    "Hussain",
    "Marshall",
    "Simpson",
    "Price",
    "Anderson",
    "Adams",
    "Wilkinson",
    "Ali",
    "Ahmed",
    "Foster",
    "Ellis",
    "Murphy",
    "Chapman",
    "Mason",
    "Gray",
    "Richards",
    "Webb",
    "Griffiths",
    "Hunt",
    "Palmer",
    "Campbell",
    "Holmes",
    "Mills",
    "Rogers",
    "Barnes",
    "Knight",
    "Matthews",
    "Barker",
    "Powell",
    "Stevens",
    "Kaur",
    "Fisher",
    "Butler",
    "Dixon",
    "Russell",
    "Harvey",
    "Pearson",
    "Graham",
    "Okafor",
]
TOWNS = ("Riverside", "Northgate", "Eastfield", "Harbourside", "Westbrook")


@dataclass(frozen=True)
class Staff:
    desk: User
    # Scale therapists in a fixed order: patient i belongs to therapists[i % len].
    therapists: list[TherapistProfile]
    locations: list[Location]


def therapist_email(number: int) -> str:
    return f"therapist{number:02d}@{DOMAIN}"


def ensure_staff() -> Staff:
    """Five sites and enough scale therapists to make 25 in all (the demo's two included).

    Therapists sign in like the demo staff (same password and authenticator
    key), so the bench can act as one of them.
    """
    locations = []
    for index, name in enumerate(SITES[:LOCATIONS]):
        location, _ = Location.objects.get_or_create(
            name=name,
            defaults={
                "address": f"{index + 1} Example Street, {TOWNS[index]}, AB{index + 1} 2CD",
                "phone": f"01632 960 {index + 1:03d}",
                "time_zone": "Europe/London",
            },
        )
        for weekday in WEEKDAYS:
            OpeningHours.objects.get_or_create(
                location=location, weekday=weekday, opens=time(8), defaults={"closes": time(19)}
            )
        locations.append(location)
    scale = list(TherapistProfile.objects.filter(user__email__endswith=f"@{DOMAIN}").order_by("user__email"))
    if not scale:
        others = TherapistProfile.objects.exclude(user__email__endswith=f"@{DOMAIN}").count()
        wanted = max(1, THERAPISTS - others)
        password = make_password(staff_demo.DEMO_PASSWORD)
        group = role_group(Role.THERAPIST)
        rng = random.Random(7)  # noqa: S311 -- deterministic fake data
        for number in range(1, wanted + 1):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            user = User.objects.create(email=therapist_email(number), full_name=name, password=password)
            user.groups.add(group)
            location = locations[(number - 1) % len(locations)]
            profile = TherapistProfile.objects.create(
                user=user, display_name=f"{name}, MCSP", registration_number=f"PH{100000 + number}"
            )
            profile.locations.add(location)
            for weekday in WEEKDAYS:
                WorkingHours.objects.create(
                    therapist=profile,
                    location=location,
                    weekday=weekday,
                    starts=time(DAY_STARTS),
                    ends=time(DAY_STARTS + SLOTS_PER_DAY),
                )
            staff_demo._demo_authenticator(user)
            scale.append(profile)
    return Staff(
        desk=User.objects.get(email="desk@stride.example"),
        therapists=scale,
        locations=locations,
    )


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    date_of_birth: date
    sex: str
    email: str
    phone: str
    town: str
    postcode: str


def person(index: int) -> Person:
    """Scale patient `index`: names repeat (as in a real register), contact details do not."""
    rng = random.Random(f"patient-{index}")  # noqa: S311 -- deterministic fake data
    first, last = rng.choice(FIRST), rng.choice(LAST)
    born = date(1950, 1, 1).toordinal() + rng.randrange(365 * 58)
    town = rng.randrange(len(TOWNS))
    return Person(
        first_name=first,
        last_name=last,
        date_of_birth=date.fromordinal(born),
        sex="female" if FIRST.index(first) < 31 else "male",
        email=f"{first}.{last}.{index}@{DOMAIN}".lower(),
        phone=f"07700 {900000 + index % 100000:06d}"[:12] if index < 100000 else f"07{index:09d}",
        town=TOWNS[town],
        postcode=f"AB{town + 1} {index % 9 + 1}{chr(65 + index % 26)}{chr(65 + index // 26 % 26)}",
    )
