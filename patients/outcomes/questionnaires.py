"""Item wording of the baseline questionnaires (domain.md §7): LEFS and HOOS.

Item order is the scoring order patients.outcomes.scoring expects. Answers are stored
as the item values (0–4), never as totals.
"""

LEFS_QUESTION = "Today, do you or would you have any difficulty at all with:"
# Binkley et al. 1999; 0 = extreme difficulty or unable … 4 = no difficulty.
LEFS_ANSWERS = [
    (0, "Extreme difficulty or unable to do it"),
    (1, "Quite a bit of difficulty"),
    (2, "Moderate difficulty"),
    (3, "A little bit of difficulty"),
    (4, "No difficulty"),
]
LEFS_ITEMS = [
    "Any of your usual work, housework or school activities",
    "Your usual hobbies, recreational or sporting activities",
    "Getting into or out of the bath",
    "Walking between rooms",
    "Putting on your shoes or socks",
    "Squatting",
    "Lifting an object, like a bag of groceries, from the floor",
    "Performing light activities around your home",
    "Performing heavy activities around your home",
    "Getting into or out of a car",
    "Walking 2 blocks",
    "Walking a mile",
    "Going up or down 10 stairs (about 1 flight of stairs)",
    "Standing for 1 hour",
    "Sitting for 1 hour",
    "Running on even ground",
    "Running on uneven ground",
    "Making sharp turns while running fast",
    "Hopping",
    "Rolling over in bed",
]

_SEVERITY = ["None", "Mild", "Moderate", "Severe", "Extreme"]
_FREQUENCY = ["Never", "Rarely", "Sometimes", "Often", "Always"]

# HOOS (LK 2.0), 40 items in five subscales; 0 = none/never … 4 = extreme/always.
# Each subscale: (heading, [(item wording, answer labels 0–4)]).
HOOS_SECTIONS: dict[str, tuple[str, list[tuple[str, list[str]]]]] = {
    "symptoms": (
        "Symptoms and stiffness in the last week",
        [
            ("Do you feel grinding, hear clicking or any other type of noise from your hip?", _FREQUENCY),
            ("Difficulty spreading your legs wide apart", _SEVERITY),
            ("Difficulty striding out when walking", _SEVERITY),
            ("How severe is your hip stiffness after first waking in the morning?", _SEVERITY),
            ("How severe is your hip stiffness after sitting, lying or resting later in the day?", _SEVERITY),
        ],
    ),
    "pain": (
        "Pain: how much hip pain have you had in the last week?",
        [
            ("How often is your hip painful?", ["Never", "Monthly", "Weekly", "Daily", "Always"]),
            ("Straightening your hip fully", _SEVERITY),
            ("Bending your hip fully", _SEVERITY),
            ("Walking on a flat surface", _SEVERITY),
            ("Going up or down stairs", _SEVERITY),
            ("At night while in bed", _SEVERITY),
            ("Sitting or lying", _SEVERITY),
            ("Standing upright", _SEVERITY),
            ("Walking on a hard surface (tarmac, concrete, etc.)", _SEVERITY),
            ("Walking on an uneven surface", _SEVERITY),
        ],
    ),
    "adl": (
        "Daily living: how much difficulty have you had in the last week?",
        [
            (item, _SEVERITY)
            for item in (
                "Going down stairs",
                "Going up stairs",
                "Rising from sitting",
                "Standing",
                "Bending to the floor or picking up an object",
                "Walking on a flat surface",
                "Getting in or out of a car",
                "Going shopping",
                "Putting on socks or stockings",
                "Rising from bed",
                "Taking off socks or stockings",
                "Lying in bed (turning over, keeping your hip in position)",
                "Getting in or out of the bath",
                "Sitting",
                "Getting on or off the toilet",
                "Heavy domestic duties (moving heavy boxes, scrubbing floors, etc.)",
                "Light domestic duties (cooking, dusting, etc.)",
            )
        ],
    ),
    "sport": (
        "Sport and recreation: how much difficulty have you had in the last week?",
        [
            (item, _SEVERITY)
            for item in (
                "Squatting",
                "Running",
                "Twisting or pivoting on your loaded leg",
                "Walking on an uneven surface",
            )
        ],
    ),
    "qol": (
        "Quality of life",
        [
            (
                "How often are you aware of your hip problem?",
                ["Never", "Monthly", "Weekly", "Daily", "Constantly"],
            ),
            (
                "Have you changed the way you live to avoid activities that might damage your hip?",
                ["Not at all", "Mildly", "Moderately", "Severely", "Totally"],
            ),
            (
                "How much are you troubled by a lack of confidence in your hip?",
                ["Not at all", "Mildly", "Moderately", "Severely", "Extremely"],
            ),
            ("In general, how much difficulty do you have with your hip?", _SEVERITY),
        ],
    ),
}
