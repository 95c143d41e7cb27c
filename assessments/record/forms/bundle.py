"""All forms of the one-page assessment, bound together.

Every part validates on its own: a save keeps the valid parts and reports
the others, and the page re-renders every typed value (valid or not).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import QueryDict

from assessments.models import Assessment, Subjective
from assessments.record.bone_stress import bone_stress_suspected
from assessments.record.choices import (
    HOP_JUMP_CODES,
    IMPACT_SECTION_CODES,
    LIMB_SIDES,
    PROVOCATION_CODES,
    RECORDED_SPECIAL_CODES,
    MuscleGroup,
    MuscleLengthTest,
    PalpationSite,
    RomMovement,
)
from assessments.record.forms.base import FindingForm
from assessments.record.forms.findings import CELL_FORMS, SETTINGS_FORMS, StrengthSettingsForm
from assessments.record.forms.record import IMPRESSION_SLOTS, HeaderForm, ImpressionForm, SubjectiveForm
from assessments.record.measures import FORCE_MAX_N, ROM_TYPICAL
from assessments.record.prefill import said_display
from assessments.record.selectors import has_bone_stress
from assessments.record.services.assessment import DraftChanges
from assessments.record.services.findings import BONE_STRESS_HOP_MESSAGE, FINDING_KINDS, existing_rows

PREFIXES = {
    "observation": "obs",
    "double_leg_squat": "dls",
    "single_leg_stance": "sls",
    "single_leg_squat": "slsq",
    "strength": "str",
    "rom": "rom",
    "muscle_length": "ml",
    "special": "sp",
    "palpation": "pal",
}
ITEM_LABELS = {
    "strength": dict(MuscleGroup.choices),
    "rom": dict(RomMovement.choices),
    "muscle_length": dict(MuscleLengthTest.choices),
    "special": {code.value: code.label for code in RECORDED_SPECIAL_CODES},
    "palpation": dict(PalpationSite.choices),
}
SIDE_LABELS = {s.value: s.label for s in LIMB_SIDES}


def cell_prefix(kind: str, key: tuple[str, ...]) -> str:
    return "-".join((PREFIXES[kind], *key))


@dataclass
class SidedRow:
    """One line of a left/right table: the item, its shared settings, and both cells."""

    key: str
    label: str
    left: FindingForm
    right: FindingForm
    settings: object | None = None
    typical: str = ""
    extra: dict[str, object] = field(default_factory=dict)


@dataclass
class FieldRow:
    """One field shown for both sides (single-leg stance and squat tables)."""

    name: str
    label: str
    left: object
    right: object


class AssessmentForms:
    def __init__(self, assessment: Assessment, data: QueryDict | None = None) -> None:
        self.assessment = assessment
        self.data = data
        self.header = HeaderForm(data, assessment=assessment, prefix="a")
        try:
            subjective = assessment.subjective
        except Subjective.DoesNotExist:
            subjective = None
        self.subjective_row = subjective
        self.subjective = SubjectiveForm(data, subjective=subjective, prefix="s")
        impressions = list(assessment.impressions.all())
        self.impressions = [
            ImpressionForm(
                data, impression=impressions[i] if i < len(impressions) else None, prefix=f"imp-{i}"
            )
            for i in range(IMPRESSION_SLOTS)
        ]
        self.cells: dict[str, dict[tuple[str, ...], FindingForm]] = {}
        self.settings: dict[str, dict[str, object]] = {}
        for kind in FINDING_KINDS.values():
            rows = existing_rows(assessment, kind)
            items = ITEM_LABELS.get(kind.name, {})
            self.cells[kind.name] = {
                key: CELL_FORMS[kind.name](
                    data,
                    key=key,
                    row=rows.get(key),
                    prefix=cell_prefix(kind.name, key),
                    label=" ".join(
                        p
                        for p in (
                            SIDE_LABELS.get(key[-1], "") if key else "",
                            items.get(key[0], "") if key else "",
                        )
                        if p
                    ),
                )
                for key in kind.keys
            }
            if kind.name in SETTINGS_FORMS:
                self.settings[kind.name] = {
                    item: SETTINGS_FORMS[kind.name](
                        data,
                        rows=[rows.get((item, side)) for side in SIDE_LABELS],
                        prefix=cell_prefix(kind.name, (item,)),
                        label=items[item],
                    )
                    for item in dict.fromkeys(key[0] for key in kind.keys)
                }
        self._changes: DraftChanges | None = None

    # --- Validation ------------------------------------------------------------------

    def _all_forms(self) -> list[object]:
        forms = [self.header, self.subjective, *self.impressions]
        for cells in self.cells.values():
            forms.extend(cells.values())
        for settings in self.settings.values():
            forms.extend(settings.values())
        return forms

    def _impressions(self) -> list[dict[str, object]] | None:
        if not all(form.is_valid() for form in self.impressions):
            return None
        items, seen = [], set()
        for form in self.impressions:
            item = form.item()
            if item is None:
                continue
            if (item["code"], item["side"]) in seen:
                form.add_error("code", "This impression is listed twice for the same side.")
                return None
            seen.add((item["code"], item["side"]))
            items.append(item)
        return items

    def _strength_data(self, form: FindingForm, data: dict[str, object]) -> dict[str, object] | None:
        settings: StrengthSettingsForm = self.settings["strength"][form.key[0]]
        if not settings.is_valid():
            return None
        trials = {
            name: settings.to_newtons(data.get(name)) for name in ("trial_1_n", "trial_2_n", "trial_3_n")
        }
        too_big = [name for name, value in trials.items() if value is not None and value > FORCE_MAX_N]
        for name in too_big:
            form.add_error(name, f"Force is 0–{FORCE_MAX_N} N ({data[name]} kg is more).")
        if trials["trial_1_n"] is not None and not settings.cleaned_data.get("position"):
            settings.add_error("position", "Give the test position for a dynamometer reading.")
            return None
        if too_big:
            return None
        return {**data, **trials, **settings.shared()}

    def _bone_stress(self) -> bool:
        """Bone stress suspected, counting the impressions posted with this save."""
        posted = [
            f.cleaned_data["code"] for f in self.impressions if f.is_valid() and f.cleaned_data.get("code")
        ]
        return has_bone_stress(assessment=self.assessment) or bone_stress_suspected(
            impression_codes=posted, open_bone_stress_flag=False
        )

    def _hop_needs_reason(self, form: FindingForm, data: dict[str, object]) -> bool:
        """A hop or jump with suspected bone stress and no reason: a field error, the cell is not saved."""
        if form.key[0] not in HOP_JUMP_CODES or str(data.get("bone_stress_reason") or "").strip():
            return False
        if not self._bone_stress():
            return False
        form.add_error("bone_stress_reason", BONE_STRESS_HOP_MESSAGE)
        return True

    def changes(self) -> DraftChanges:
        """The valid parts as service changes (invalid parts are left out and keep their errors)."""
        if self._changes is not None:
            return self._changes
        changes = DraftChanges()
        if self.header.is_valid():
            changes.header = self.header.header()
            changes.factors = list(self.header.cleaned_data["factors"])
        if self.subjective.is_valid():
            changes.subjective = self.subjective.values()
        changes.impressions = self._impressions()
        for kind_name, cells in self.cells.items():
            entries = {}
            for key, form in cells.items():
                if not form.is_valid():
                    continue
                data = form.to_data()
                if data is not None and data["performed"] and kind_name == "strength":
                    data = self._strength_data(form, data)
                    if data is None:
                        continue
                elif data is not None and data["performed"] and kind_name == "rom":
                    settings = self.settings["rom"][key[0]]
                    if not settings.is_valid():
                        continue
                    data = {**data, **settings.shared()}
                elif (
                    data is not None
                    and data["performed"]
                    and kind_name == "special"
                    and self._hop_needs_reason(form, data)
                ):
                    continue
                entries[key] = data
            changes.findings[kind_name] = entries
        self._changes = changes
        return changes

    @property
    def has_errors(self) -> bool:
        self.changes()
        return any(form.errors for form in self._all_forms())

    def error_map(self) -> dict[str, list[str]]:
        """Errors by the input's name (for autosave); a form's own errors under its prefix."""
        self.changes()
        errors: dict[str, list[str]] = {}
        for form in self._all_forms():
            for name, messages in form.errors.items():
                target = form[name].html_name if name in form.fields else (form.prefix or "form")
                errors.setdefault(target, []).extend(messages)
        return errors

    # --- Layout for the template ------------------------------------------------------

    def sided_rows(self, kind: str, only: tuple[str, ...] | None = None) -> list[SidedRow]:
        cells = self.cells[kind]
        rows = []
        for item, label in ITEM_LABELS[kind].items():
            if only is not None and item not in only:
                continue
            typical = ROM_TYPICAL.get(item) if kind == "rom" else None
            rows.append(
                SidedRow(
                    key=item,
                    label=label,
                    left=cells[(item, "left")],
                    right=cells[(item, "right")],
                    settings=self.settings.get(kind, {}).get(item),
                    typical=f"typical {typical[0]}–{typical[1]}°" if typical else "",
                )
            )
        return rows

    def field_rows(self, kind: str) -> list[FieldRow]:
        left, right = self.cells[kind][("left",)], self.cells[kind][("right",)]
        return [FieldRow(name, left[name].label, left[name], right[name]) for name in left.fields]

    @property
    def subjective_rows(self) -> list[tuple[object, str, bool]]:
        """Each therapist field, what the patient said (intake snapshot), and whether they differ."""
        snapshot = self.subjective_row.intake_snapshot if self.subjective_row else {}
        said = snapshot.get("said", {}) if isinstance(snapshot, dict) else {}
        rows = []
        for name in Subjective.CLINICAL_FIELDS:
            field = self.subjective[name]
            patient_said = said.get(name, "")
            try:
                noted = said_display(name, field.field.to_python(field.value()))
            except ValidationError:
                noted = str(field.value())
            rows.append((field, patient_said, bool(patient_said) and noted != patient_said))
        return rows

    # Shortcuts the template can reach (it cannot index dicts by tuples).

    @property
    def observation(self) -> FindingForm:
        return self.cells["observation"][()]

    @property
    def double_leg_squat(self) -> FindingForm:
        return self.cells["double_leg_squat"][()]

    @property
    def sls_cells(self) -> list[FindingForm]:
        return [self.cells["single_leg_stance"][(side,)] for side in SIDE_LABELS]

    @property
    def sls_rows(self) -> list[FieldRow]:
        return self.field_rows("single_leg_stance")

    @property
    def slsq_cells(self) -> list[FindingForm]:
        return [self.cells["single_leg_squat"][(side,)] for side in SIDE_LABELS]

    @property
    def slsq_rows(self) -> list[FieldRow]:
        return self.field_rows("single_leg_squat")

    @property
    def strength_rows(self) -> list[SidedRow]:
        return self.sided_rows("strength")

    @property
    def rom_rows(self) -> list[SidedRow]:
        return self.sided_rows("rom")

    @property
    def muscle_length_rows(self) -> list[SidedRow]:
        return self.sided_rows("muscle_length")

    @property
    def special_rows(self) -> list[SidedRow]:
        return self.sided_rows("special", only=tuple(PROVOCATION_CODES))

    @property
    def impact_rows(self) -> list[SidedRow]:
        return self.sided_rows("special", only=tuple(IMPACT_SECTION_CODES))

    @property
    def palpation_rows(self) -> list[SidedRow]:
        return self.sided_rows("palpation")
