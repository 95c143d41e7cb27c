"""Forms of the clinical record; the assessment page's forms are bundled in forms.bundle."""
