"""The patient side ships in English and Spanish: no untranslated words in its templates, a full catalogue.

Every patient-facing template's wording sits inside {% translate %} or {% blocktranslate %}
(text between tags, and the aria-label, placeholder, title and alt attributes); and every
message of locale/es/LC_MESSAGES/django.po has its Spanish, none fuzzy, with the same
placeholders and markup as the English, compiled into the committed django.mo.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# Every template a patient reaches: whole folders, and the patient pages in folders shared with staff.
PATIENT_FOLDERS = (
    "patients/links",
    "patients/booking/online",
    "patients/booking/manage",
    "patients/booking/waitlist",
    "patients/widgets",
    "assessments/programmes/portal",
    "assessments/training/portal",
    "assessments/training/imports",
)
PATIENT_FILES = (
    "assessments/documents/base.html",
    "assessments/documents/exercise_sheet.html",
    "assessments/exercises/_media.html",
    "patients/_language_switch.html",
    "patients/booking/_public_visit.html",
    "patients/intake/_link_wording.html",
    "patients/intake/_progress.html",
    "patients/intake/_safety_advice.html",
    "patients/intake/done.html",
    "patients/intake/review.html",
    "patients/intake/saved.html",
    "patients/intake/step.html",
    "messaging/unsubscribe.html",
)
# Words that are the same in every language: names, and the languages' own names on the switch.
ALLOWED = {"Stride", "English", "Español", "km", "mi", "min", "PDF", "LEFS", "HOOS", "PSFS"}
ATTRIBUTES = re.compile(r'\b(?:aria-label|placeholder|title|alt)="([^"]*)"')


def patient_templates() -> list[str]:
    found = {name for name in PATIENT_FILES}
    for folder in PATIENT_FOLDERS:
        found |= {str(path.relative_to(TEMPLATES)) for path in (TEMPLATES / folder).glob("*.html")}
    return sorted(found)


def untranslated(source: str) -> list[str]:
    """The literal words of a template outside translate blocks (variables and tags allowed)."""
    skeleton: list[str] = []
    depth = 0  # inside {% blocktranslate %} … {% endblocktranslate %} or {% comment %}
    skip_block = False  # {% block body_class %}: a CSS class, not words
    for token in Lexer(source).tokenize():
        contents = token.contents.strip()
        if token.token_type == TokenType.BLOCK:
            word = contents.split()[0] if contents else ""
            if word in ("blocktranslate", "blocktrans", "comment"):
                depth += 1
            elif word in ("endblocktranslate", "endblocktrans", "endcomment"):
                depth -= 1
            skip_block = contents == "block body_class"
            skeleton.append("\x01")  # a tag: never part of a word
        elif token.token_type == TokenType.VAR:
            skeleton.append("\x02")
        elif token.token_type == TokenType.TEXT and not depth and not skip_block:
            skeleton.append(token.contents)
        elif token.token_type == TokenType.TEXT:
            skeleton.append("\x01")
    text = "".join(skeleton)
    text = re.sub(r"<(script|style)\b.*?</\1>|<!--.*?-->", " ", text, flags=re.S)
    words = ATTRIBUTES.findall(text)
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"&[A-Za-z]+;|&#\d+;", " ", text)
    words += re.split(r"[\x01\x02]|\s{2,}|\n", text)
    found = []
    for chunk in words:
        chunk = re.sub(r"[\x01\x02]", " ", chunk).strip()
        letters = re.findall(r"[A-Za-zÀ-ÿ]+", chunk)
        if letters and not set(letters) <= ALLOWED:
            found.append(chunk)
    return found


def test_the_list_finds_the_patient_pages():
    names = patient_templates()

    assert len(names) > 50
    assert "patients/links/check.html" in names
    assert "patients/booking/online/locations.html" in names


@pytest.mark.parametrize("name", patient_templates())
def test_a_patient_template_has_no_untranslated_words(name):
    source = (TEMPLATES / name).read_text()

    assert untranslated(source) == []


def test_the_check_finds_words_outside_translate_and_in_attributes():
    source = (
        '{% load i18n %}<h1>{% translate "Fine" %}</h1><p>Not fine</p>'
        '{% blocktranslate %}Fine {{ x }}{% endblocktranslate %}<a aria-label="Menu">{{ x }}</a>'
        "{% block body_class %}intake-page{% endblock %}<p>{{ CLINIC_NAME }} · Stride</p>"
    )

    assert untranslated(source) == ["Menu", "Not fine"]


# --- The catalogue -------------------------------------------------------------------------------


def catalogue() -> list[dict[str, object]]:
    """The .po file's entries: flags, context, id, plural id and the translations."""
    entries = []
    for block in PO.read_text().strip().split("\n\n"):
        entry: dict[str, object] = {"flags": "", "msgctxt": None, "msgid": None, "plural": None, "msgstr": {}}
        field: tuple[str, int] = ("", 0)
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] = line
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith("msgctxt "):
                field = ("msgctxt", 0)
                entry["msgctxt"] = ast.literal_eval(line[8:])
            elif line.startswith("msgid_plural "):
                field = ("plural", 0)
                entry["plural"] = ast.literal_eval(line[13:])
            elif line.startswith("msgid "):
                field = ("msgid", 0)
                entry["msgid"] = ast.literal_eval(line[6:])
            elif line.startswith("msgstr"):
                index = int(line[7 : line.index("]")]) if line.startswith("msgstr[") else 0
                field = ("msgstr", index)
                entry["msgstr"][index] = ast.literal_eval(line.split(" ", 1)[1])  # type: ignore[index]
            elif line.startswith('"'):
                if field[0] == "msgstr":
                    entry["msgstr"][field[1]] += ast.literal_eval(line)  # type: ignore[index]
                else:
                    entry[field[0]] += ast.literal_eval(line)  # type: ignore[operator]
        entries.append(entry)
    return [entry for entry in entries if entry["msgid"]]


PLACEHOLDERS = re.compile(r"%\([A-Za-z0-9_]+\)[sd]|\{[a-z_0-9]+\}|<[^>]+>")


def test_every_message_has_its_spanish_none_fuzzy():
    entries = catalogue()

    assert len(entries) > 500
    assert [e["msgid"] for e in entries if "fuzzy" in str(e["flags"])] == []
    assert [e["msgid"] for e in entries if not all(e["msgstr"].values()) or not e["msgstr"]] == []  # type: ignore[attr-defined]


def test_every_spanish_message_keeps_the_placeholders_and_markup():
    wrong = []
    for entry in catalogue():
        english = str(entry["plural"] or entry["msgid"])
        for spanish in entry["msgstr"].values():  # type: ignore[attr-defined]
            if sorted(set(PLACEHOLDERS.findall(english))) != sorted(set(PLACEHOLDERS.findall(spanish))):
                wrong.append((entry["msgid"], spanish))

    assert wrong == []


def test_the_committed_mo_is_compiled_from_the_po():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue():
        msgid = str(entry["msgid"])
        key = f"{entry['msgctxt']}\x04{msgid}" if entry["msgctxt"] else msgid
        if entry["plural"] is None:
            if compiled._catalog.get(key) != entry["msgstr"][0]:  # type: ignore[attr-defined,index]
                stale.append(msgid)
        elif compiled._catalog.get((key, 0)) != entry["msgstr"][0]:  # type: ignore[attr-defined,index]
            stale.append(msgid)

    assert stale == []
