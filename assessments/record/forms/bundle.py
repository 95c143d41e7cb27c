"""All forms of the one-page assessment, bound together.

Every part validates on its own: a save keeps the valid parts and reports
the others, and the page re-renders every typed value (valid or not).
"""

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from assessments.models import Assessment, Subjective
from assessments.record.bone_stress import bone_stress_suspected
from assessments.record.choices import (
    HOP_JUMP_CODES,
    IMPACT_SECTION_CODES,
    LIMB_SIDES,
    PROVOCATION_CODES,
    RECORDED_SPECIAL_CODES,
    ForceUnit,
    MuscleGroup,
    MuscleLengthTest,
    PalpationSite,
    RomMovement,
    SpecialTestCode,
)
from assessments.record.forms.base import FindingForm
from assessments.record.forms.findings import (
    CELL_FORMS,
    SETTINGS_FORMS,
    SPECIAL_ONLY_FOR,
    StrengthSettingsForm,
)
from assessments.record.forms.html import cell_html, field_html, joined, renamed
from assessments.record.forms.record import IMPRESSION_SLOTS, HeaderForm, ImpressionForm, SubjectiveForm
from assessments.record.measures import FORCE_MAX_N, ROM_TYPICAL
from assessments.record.prefill import said_display
from assessments.record.selectors import has_bone_stress
from assessments.record.services.assessment import IMPRESSION_FIELDS, DraftChanges
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


BLANK_LABEL = "__test__"


def cell_prefix(kind: str, key: tuple[str, ...]) -> str:
    return "-".join((PREFIXES[kind], *key))


@dataclass(frozen=True)
class TestGroup:
    """A section of left/right tests: which kind of finding, which items, which are shown by default."""

    name: str
    kind: str
    items: tuple[str, ...]
    core: tuple[str, ...]
    item_heading: str
    derived_cells: bool = False  # peak force and torque under each strength cell
    lsi: bool = False


# The tests every assessment starts with (domain.md §4: the single-leg stance, the squats and hip
# strength are always shown); the others are added per patient with "Add test".
TEST_GROUPS: dict[str, TestGroup] = {
    group.name: group
    for group in (
        TestGroup(
            "strength",
            "strength",
            tuple(MuscleGroup.values),
            (MuscleGroup.HIP_ABDUCTORS, MuscleGroup.HIP_EXTENSORS),
            "Muscle group",
            derived_cells=True,
            lsi=True,
        ),
        TestGroup("rom", "rom", tuple(RomMovement.values), (RomMovement.INTERNAL_ROTATION,), "Movement"),
        TestGroup("muscle_length", "muscle_length", tuple(MuscleLengthTest.values), (), "Test"),
        TestGroup(
            "special", "special", tuple(c.value for c in PROVOCATION_CODES), (SpecialTestCode.FADIR,), "Test"
        ),
        TestGroup("impact", "special", tuple(c.value for c in IMPACT_SECTION_CODES), (), "Test"),
        TestGroup(
            "palpation", "palpation", tuple(PalpationSite.values), (PalpationSite.GREATER_TROCHANTER,), "Site"
        ),
    )
}
GROUP_OF_ITEM = {(group.kind, item): group.name for group in TEST_GROUPS.values() for item in group.items}


def parse_tests(text: str) -> set[tuple[str, str]]:
    """`strength:hip_flexors,rom:flexion` → {(group, item)}; unknown names are ignored."""
    tests = set()
    for part in text.split(","):
        group, _, item = part.strip().partition(":")
        if group in TEST_GROUPS and item in TEST_GROUPS[group].items:
            tests.add((group, item))
    return tests


@dataclass
class SidedRow:
    """One line of a left/right group: the item, its shared settings, and both cells."""

    key: str
    label: str
    left: FindingForm | None
    right: FindingForm | None
    settings: object | None = None
    typical: str = ""
    extra: dict[str, object] = field(default_factory=dict)
    group: str = ""
    removable: bool = False
    html: SafeString = field(default_factory=lambda: joined(()))


@dataclass
class FieldRow:
    """One field shown for both sides (single-leg stance and squat tables)."""

    name: str
    label: str
    left: object
    right: object
    left_html: SafeString = field(default_factory=lambda: joined(()))
    right_html: SafeString = field(default_factory=lambda: joined(()))


@dataclass
class GroupLayout:
    """A test group as the page shows it: the rows shown, and the tests that can be added."""

    group: TestGroup
    rows: list[SidedRow]
    addable: list[SidedRow]


class _Lazy(dict):
    """A dict whose missing values are built on first use by `build(key)`."""

    def __init__(self, build: Callable[[object], object]) -> None:
        super().__init__()
        self.build = build

    def __missing__(self, key: object) -> object:
        self[key] = value = self.build(key)
        return value


class AssessmentForms:
    """Every form of the assessment page.

    A cell is bound to the posted data only when the page showed it (any of
    its inputs was posted; a browser always posts its "not tested" select): a test the page did not show keeps what
    the record holds. `show` and `hide` are (group, item) tests to add to or
    take from the tests shown (a test with values is always shown).
    """

    def __init__(
        self,
        assessment: Assessment,
        data: QueryDict | None = None,
        *,
        show: set[tuple[str, str]] | None = None,
        hide: set[tuple[str, str]] | None = None,
    ) -> None:
        self.assessment = assessment
        self.data = data
        self.show = set(show or ())
        self.hide = set(hide or ())
        # The forms the page posted (a cell's inputs are named "<prefix>-<field>").
        self._posted_prefixes = {name.rsplit("-", 1)[0] for name in data} if data is not None else set()
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
        self.rows: dict[str, dict[tuple[str, ...], object]] = {}
        self.cells: dict[str, dict[tuple[str, ...], FindingForm]] = {}
        self.settings: dict[str, dict[str, object]] = {}
        for kind in FINDING_KINDS.values():
            rows = existing_rows(assessment, kind)
            self.rows[kind.name] = rows
            items = ITEM_LABELS.get(kind.name, {})
            self.cells[kind.name] = _Lazy(partial(self._cell, kind.name, rows, items))
            if kind.name in SETTINGS_FORMS:
                self.settings[kind.name] = _Lazy(partial(self._settings, kind.name, rows, items))
        self._changes: DraftChanges | None = None
        self._changes_partial: set[tuple[str, tuple[str, ...]]] = set()

    def _posted(self, prefix: str) -> bool:
        return prefix in self._posted_prefixes

    def _cell(self, kind: str, rows: dict, items: dict[str, str], key: tuple[str, ...]) -> FindingForm:
        prefix = cell_prefix(kind, key)
        label = " ".join(
            p
            for p in (SIDE_LABELS.get(key[-1], "") if key else "", items.get(key[0], "") if key else "")
            if p
        )
        return CELL_FORMS[kind](
            self.data if self._posted(prefix) else None,
            key=key,
            row=rows.get(key),
            prefix=prefix,
            label=label,
        )

    def _settings(self, kind: str, rows: dict, items: dict[str, str], item: str) -> object:
        posted = self._posted(cell_prefix(kind, (item,))) or any(
            self._posted(cell_prefix(kind, (item, side))) for side in SIDE_LABELS
        )
        return SETTINGS_FORMS[kind](
            self.data if posted else None,
            rows=[rows.get((item, side)) for side in SIDE_LABELS],
            prefix=cell_prefix(kind, (item,)),
            label=items[item],
        )

    # --- Validation ------------------------------------------------------------------

    def _all_forms(self) -> list[object]:
        """Every form of every test, shown or not."""
        for kind in FINDING_KINDS.values():
            for key in kind.keys:
                self.cells[kind.name][key]
                if kind.name in self.settings:
                    self.settings[kind.name][key[0]]
        return self._built_forms()

    def _built_forms(self) -> list[object]:
        """The forms built so far (a test's forms are built when the page or the save needs them)."""
        forms = [self.header, self.subjective, *self.impressions]
        for cells in self.cells.values():
            forms.extend(cells.values())
        for settings in self.settings.values():
            forms.extend(settings.values())
        return forms

    def _impressions(self) -> list[dict[str, object]] | None:
        """The posted impressions; a field in error keeps what the record holds in that slot."""
        if not all(form.is_bound for form in self.impressions):
            return None
        stored = list(self.assessment.impressions.all())
        items, seen = [], set()
        for index, form in enumerate(self.impressions):
            if form.is_valid():
                item = form.item()
            else:
                before = stored[index] if index < len(stored) else None
                item = {
                    name: form.cleaned_data[name]
                    if name in form.cleaned_data
                    else (getattr(before, name) if before is not None else None)
                    for name in IMPRESSION_FIELDS
                }
                item = {name: value for name, value in item.items() if value is not None}
                if not item.get("code"):
                    item = None
            if item is None:
                continue
            if (item["code"], item.get("side", "")) in seen:
                form.add_error("code", "This impression is listed twice for the same side.")
                return None
            seen.add((item["code"], item.get("side", "")))
            items.append(item)
        return items

    @staticmethod
    def _shared(settings: object, form: FindingForm) -> dict[str, object]:
        """A row's shared settings; one in error keeps what the record holds for this side."""
        values = settings.shared()  # type: ignore[attr-defined]
        stored = form.row if form.row is not None and form.row.performed else None
        for name in values:
            if name in settings.errors:  # type: ignore[attr-defined]
                values[name] = getattr(stored, name) if stored is not None else None
        return {name: value for name, value in values.items() if value is not None}

    def _strength_data(self, form: FindingForm, data: dict[str, object]) -> dict[str, object] | None:
        settings: StrengthSettingsForm = self.settings["strength"][form.key[0]]
        if not settings.is_valid():
            self._changes_partial.add(("strength", form.key))
            if "unit" in settings.errors:
                return None  # forces in an unknown unit cannot be kept
        trials = {
            name: settings.to_newtons(data.get(name)) for name in ("trial_1_n", "trial_2_n", "trial_3_n")
        }
        too_big = [name for name, value in trials.items() if value is not None and value > FORCE_MAX_N]
        for name in too_big:
            form.add_error(name, f"Force is 0–{FORCE_MAX_N} N ({data[name]} kg is more).")
            trials[name] = None
        if too_big:
            self._changes_partial.add(("strength", form.key))
            kept = [trials[name] for name in trials if trials[name] is not None]
            trials = dict(zip(trials, [*kept, None, None, None], strict=False))
        shared = self._shared(settings, form)
        if trials["trial_1_n"] is not None and not shared.get("position"):
            if "position" not in settings.errors:
                settings.add_error("position", "Give the test position for a dynamometer reading.")
            return None  # the record takes no dynamometer reading without its position
        return {**data, **trials, **shared}

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
        self._changes_partial = changes.partial
        if self.header.is_bound:
            # Each valid field is saved; one in error keeps what the record holds.
            self.header.is_valid()
            changes.header = self.header.header()
            if "factors" in self.header.cleaned_data:
                changes.factors = list(self.header.cleaned_data["factors"])
        if self.subjective.is_bound:
            self.subjective.is_valid()
            changes.subjective = self.subjective.values()
        changes.impressions = self._impressions()
        for kind_name, cells in self.cells.items():
            entries = {}
            for key in FINDING_KINDS[kind_name].keys:
                if not self._posted(cell_prefix(kind_name, key)):
                    continue  # not on the page: the record keeps what it holds
                form = cells[key]
                if form.is_valid():
                    data = form.to_data()
                else:
                    data = form.partial_data()
                    changes.partial.add((kind_name, key))
                if data is not None and data["performed"] and kind_name == "strength":
                    data = self._strength_data(form, data)
                    if data is None:
                        continue
                elif data is not None and data["performed"] and kind_name == "rom":
                    settings = self.settings["rom"][key[0]]
                    if not settings.is_valid():
                        changes.partial.add((kind_name, key))
                    data = {**data, **self._shared(settings, form)}
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

    def _show_refused(self) -> None:
        """Once saved: a cell the record refused shows why, beside its own errors."""
        changes = self.changes()
        for (kind_name, key), messages in changes.refused.items():
            form = self.cells[kind_name][key]
            if not any(m in form.non_field_errors() for m in messages):
                form.add_error(None, messages)

    @property
    def has_errors(self) -> bool:
        self._show_refused()
        return any(form.errors for form in self._built_forms())

    def error_map(self) -> dict[str, list[str]]:
        """Errors by the input's name (for autosave); a form's own errors under its prefix."""
        self._show_refused()
        errors: dict[str, list[str]] = {}
        for form in self._built_forms():
            for name, messages in form.errors.items():
                target = form[name].html_name if name in form.fields else (form.prefix or "form")
                errors.setdefault(target, []).extend(messages)
        return errors

    # --- Layout for the template ------------------------------------------------------

    def has_values(self, kind: str, item: str) -> bool:
        """The record holds a row of this test, or one was typed on the page (either side)."""
        for side in SIDE_LABELS:
            if (item, side) in self.rows[kind]:
                return True
            if not self._posted(cell_prefix(kind, (item, side))):
                continue
            form = self.cells[kind][(item, side)]
            if not form.is_valid() or form.to_data() is not None:
                return True
        return False

    def is_shown(self, group: TestGroup, item: str) -> bool:
        if self.has_values(group.kind, item):
            return True
        if (group.name, item) in self.hide:
            return False
        if item in group.core or (group.name, item) in self.show:
            return True
        return any(self._posted(cell_prefix(group.kind, (item, side))) for side in SIDE_LABELS)

    def extra_shown(self) -> list[tuple[str, str]]:
        """Tests shown though neither core nor recorded (kept across the redirect after a save)."""
        return [
            (group.name, item)
            for group in TEST_GROUPS.values()
            for item in group.items
            if item not in group.core
            and not any((item, side) in self.rows[group.kind] for side in SIDE_LABELS)
            and self.is_shown(group, item)
        ]

    def _sided_row(
        self, group: TestGroup, item: str, derived: dict, flagged: set, *, blank_label: str = ""
    ) -> SidedRow:
        """The row's HTML; with `blank_label`, an empty row (no record, nothing posted) under that label."""
        if blank_label:
            kind = group.kind
            cells = {
                (item, side): CELL_FORMS[kind](
                    key=(item, side), prefix=cell_prefix(kind, (item, side)), label=f"{label} {blank_label}"
                )
                for side, label in SIDE_LABELS.items()
            }
            settings = (
                SETTINGS_FORMS[kind](rows=[None, None], prefix=cell_prefix(kind, (item,)), label=blank_label)
                if kind in SETTINGS_FORMS
                else None
            )
        else:
            cells = self.cells[group.kind]
            settings = self.settings[group.kind][item] if group.kind in self.settings else None
        typical = ROM_TYPICAL.get(item) if group.kind == "rom" else None
        row = SidedRow(
            key=item,
            label=blank_label or ITEM_LABELS[group.kind][item],
            left=cells[(item, "left")],
            right=cells[(item, "right")],
            settings=settings,
            typical=f"typical {typical[0]}–{typical[1]}°" if typical else "",
            group=group.name,
            removable=item not in group.core and (bool(blank_label) or not self.has_values(group.kind, item)),
        )
        force_unit = ""
        if group.kind == "strength" and settings is not None:
            force_unit = "kg" if settings["unit"].value() == ForceUnit.KGF else "N"
        sides = []
        for side, form in (("left", row.left), ("right", row.right)):
            derived_key = f"str-{item}-{side}" if group.derived_cells else ""
            index = " index-side" if self.assessment.index_side == side else ""
            badge = (
                format_html(' <span class="badge text-bg-warning">{}</span>', "painful side") if index else ""
            )
            sides.append(
                format_html(
                    '<div class="test-side{}" role="group" aria-label="{} {}"><div class="side-label"'
                    ' aria-hidden="true">{}{}</div>{}</div>',
                    index,
                    SIDE_LABELS[side],
                    row.label,
                    SIDE_LABELS[side],
                    badge,
                    cell_html(
                        form, derived_key=derived_key, derived=derived, flagged=flagged, force_unit=force_unit
                    ),
                )
            )
        head = [format_html('<div class="test-name" id="test-{}-{}">{}</div>', group.name, item, row.label)]
        if row.typical:
            head.append(format_html('<div class="small text-muted">{}</div>', row.typical))
        if settings is not None:
            head.append(
                format_html(
                    '<div class="cell-fields mt-1">{}</div>',
                    format_html_join(
                        "",
                        '<div class="cell-field"><label class="cell-label" for="{}">{}</label>{}</div>',
                        (
                            (f.id_for_label, f.label, field_html(f, unit="" if f.name == "unit" else None))
                            for f in settings
                        ),
                    ),
                )
            )
        if group.lsi:
            key = f"lsi-{item}"
            head.append(
                format_html(
                    '<div class="derived{}" data-derived="{}" aria-live="polite">{}</div>',
                    " flagged" if key in flagged else "",
                    key,
                    derived.get(key, ""),
                )
            )
        if row.removable:
            head.append(
                format_html(
                    '<button type="submit" class="btn btn-sm btn-link p-0 remove-test" name="action"'
                    ' value="remove:{}:{}" data-remove-test>Remove<span class="visually-hidden"> {}</span></button>',
                    group.name,
                    item,
                    row.label,
                )
            )
        row.html = format_html(
            '<div class="test-row" role="group" aria-labelledby="test-{}-{}" data-test="{}:{}">'
            '<div class="test-head">{}</div>{}</div>',
            group.name,
            item,
            group.name,
            item,
            joined(head),
            joined(sides),
        )
        return row

    def _blank_row(self, group: TestGroup, item: str, made: dict, derived: dict, flagged: set) -> SidedRow:
        """A test not shown, for its <template>: built once per kind of row, then renamed for each item.

        Items of a group differ only in their names and labels, except the special tests (their
        fields) and the ranges of motion (their limits and typical range), which are built per shape.
        """
        if group.kind == "rom":
            return self._sided_row(group, item, derived, flagged)
        shape = tuple(name for name, tests in SPECIAL_ONLY_FOR.items() if item in tests)
        if shape not in made:
            made[shape] = (item, self._sided_row(group, item, derived, flagged, blank_label=BLANK_LABEL).html)
        first, markup = made[shape]
        prefix = PREFIXES[group.kind]
        markup = renamed(
            markup,
            (
                (f"{prefix}-{first}-", f"{prefix}-{item}-"),
                (f'{prefix}-{first}"', f'{prefix}-{item}"'),
                (f'test-{group.name}-{first}"', f'test-{group.name}-{item}"'),
                (f'{group.name}:{first}"', f'{group.name}:{item}"'),
                (f'lsi-{first}"', f'lsi-{item}"'),
                (BLANK_LABEL, html.escape(ITEM_LABELS[group.kind][item])),
            ),
        )
        return SidedRow(
            key=item,
            label=ITEM_LABELS[group.kind][item],
            left=None,
            right=None,
            group=group.name,
            removable=True,
            html=markup,
        )

    def groups(self, derived: dict | None = None, flagged: object = ()) -> dict[str, GroupLayout]:
        """Each test group's shown rows and addable tests, with their HTML built once."""
        derived = derived or {}
        flags = set(flagged)  # type: ignore[call-overload]
        layout = {}
        for group in TEST_GROUPS.values():
            rows, addable, made = [], [], {}
            for item in group.items:
                if self.is_shown(group, item):
                    rows.append(self._sided_row(group, item, derived, flags))
                else:
                    addable.append(self._blank_row(group, item, made, derived, flags))
            layout[group.name] = GroupLayout(group, rows, addable)
        return layout

    def field_rows(self, kind: str) -> list[FieldRow]:
        left, right = self.cells[kind][("left",)], self.cells[kind][("right",)]
        rows = []
        for name in left.fields:
            row = FieldRow(name, left[name].label, left[name], right[name])
            row.left_html, row.right_html = self._field_cell(row.left), self._field_cell(row.right)
            rows.append(row)
        return rows

    @staticmethod
    def _field_cell(field: object) -> SafeString:
        html = field_html(field)  # type: ignore[arg-type]
        if field.widget_type == "checkbox":  # type: ignore[attr-defined]
            return format_html('<div class="form-check">{}</div>', html)
        return html

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
    def observation_html(self) -> SafeString:
        return cell_html(self.observation)

    @property
    def double_leg_squat_html(self) -> SafeString:
        return cell_html(self.double_leg_squat)

    @property
    def impression_cells(self) -> list[SafeString]:
        return [cell_html(form) for form in self.impressions]
