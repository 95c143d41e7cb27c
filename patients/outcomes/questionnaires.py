from django.utils.translation import gettext_lazy as _

"""Item wording of the baseline questionnaires (domain.md §7): LEFS and HOOS.

Item order is the scoring order patients.outcomes.scoring expects. Answers are stored
as the item values (0–4), never as totals.
"""

LEFS_QUESTION = _("Today, do you or would you have any difficulty at all with:")
# Binkley et al. 1999; 0 = extreme difficulty or unable … 4 = no difficulty.
LEFS_ANSWERS = [
    (0, _("Extreme difficulty or unable to do it")),
    (1, _("Quite a bit of difficulty")),
    (2, _("Moderate difficulty")),
    (3, _("A little bit of difficulty")),
    (4, _("No difficulty")),
]
LEFS_ITEMS = [
    _("Any of your usual work, housework or school activities"),
    _("Your usual hobbies, recreational or sporting activities"),
    _("Getting into or out of the bath"),
    _("Walking between rooms"),
    _("Putting on your shoes or socks"),
    _("Squatting"),
    _("Lifting an object, like a bag of groceries, from the floor"),
    _("Performing light activities around your home"),
    _("Performing heavy activities around your home"),
    _("Getting into or out of a car"),
    _("Walking 2 blocks"),
    _("Walking a mile"),
    _("Going up or down 10 stairs (about 1 flight of stairs)"),
    _("Standing for 1 hour"),
    _("Sitting for 1 hour"),
    _("Running on even ground"),
    _("Running on uneven ground"),
    _("Making sharp turns while running fast"),
    _("Hopping"),
    _("Rolling over in bed"),
]

_SEVERITY = [_("None"), _("Mild"), _("Moderate"), _("Severe"), _("Extreme")]
_FREQUENCY = [_("Never"), _("Rarely"), _("Sometimes"), _("Often"), _("Always")]

# HOOS (LK 2.0), 40 items in five subscales; 0 = none/never … 4 = extreme/always.
# Each subscale: (heading, [(item wording, answer labels 0–4)]).
HOOS_SECTIONS: dict[str, tuple[str, list[tuple[str, list[str]]]]] = {
    "symptoms": (
        _("Symptoms and stiffness in the last week"),
        [
            (_("Do you feel grinding, hear clicking or any other type of noise from your hip?"), _FREQUENCY),
            (_("Difficulty spreading your legs wide apart"), _SEVERITY),
            (_("Difficulty striding out when walking"), _SEVERITY),
            (_("How severe is your hip stiffness after first waking in the morning?"), _SEVERITY),
            (
                _("How severe is your hip stiffness after sitting, lying or resting later in the day?"),
                _SEVERITY,
            ),
        ],
    ),
    "pain": (
        _("Pain: how much hip pain have you had in the last week?"),
        [
            (
                _("How often is your hip painful?"),
                [_("Never"), _("Monthly"), _("Weekly"), _("Daily"), _("Always")],
            ),
            (_("Straightening your hip fully"), _SEVERITY),
            (_("Bending your hip fully"), _SEVERITY),
            (_("Walking on a flat surface"), _SEVERITY),
            (_("Going up or down stairs"), _SEVERITY),
            (_("At night while in bed"), _SEVERITY),
            (_("Sitting or lying"), _SEVERITY),
            (_("Standing upright"), _SEVERITY),
            (_("Walking on a hard surface (tarmac, concrete, etc.)"), _SEVERITY),
            (_("Walking on an uneven surface"), _SEVERITY),
        ],
    ),
    "adl": (
        _("Daily living: how much difficulty have you had in the last week?"),
        [
            (item, _SEVERITY)
            for item in (
                _("Going down stairs"),
                _("Going up stairs"),
                _("Rising from sitting"),
                _("Standing"),
                _("Bending to the floor or picking up an object"),
                _("Walking on a flat surface"),
                _("Getting in or out of a car"),
                _("Going shopping"),
                _("Putting on socks or stockings"),
                _("Rising from bed"),
                _("Taking off socks or stockings"),
                _("Lying in bed (turning over, keeping your hip in position)"),
                _("Getting in or out of the bath"),
                _("Sitting"),
                _("Getting on or off the toilet"),
                _("Heavy domestic duties (moving heavy boxes, scrubbing floors, etc.)"),
                _("Light domestic duties (cooking, dusting, etc.)"),
            )
        ],
    ),
    "sport": (
        _("Sport and recreation: how much difficulty have you had in the last week?"),
        [
            (item, _SEVERITY)
            for item in (
                _("Squatting"),
                _("Running"),
                _("Twisting or pivoting on your loaded leg"),
                _("Walking on an uneven surface"),
            )
        ],
    ),
    "qol": (
        _("Quality of life"),
        [
            (
                _("How often are you aware of your hip problem?"),
                [_("Never"), _("Monthly"), _("Weekly"), _("Daily"), _("Constantly")],
            ),
            (
                _("Have you changed the way you live to avoid activities that might damage your hip?"),
                [_("Not at all"), _("Mildly"), _("Moderately"), _("Severely"), _("Totally")],
            ),
            (
                _("How much are you troubled by a lack of confidence in your hip?"),
                [_("Not at all"), _("Mildly"), _("Moderately"), _("Severely"), _("Extremely")],
            ),
            (_("In general, how much difficulty do you have with your hip?"), _SEVERITY),
        ],
    ),
}
