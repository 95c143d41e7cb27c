"""Red flags from every source (intake, weekly check-in, examination, clinician): raising and clearing."""
