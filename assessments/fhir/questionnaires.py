"""The Questionnaires Stride exports and its local CodeSystem (being filled in)."""


def questionnaire_resources() -> list:
    return []
