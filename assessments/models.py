# The clinical record (assessments, findings, programmes) lives here.
