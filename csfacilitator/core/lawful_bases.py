"""The lawful bases a sharing decision can rest on (core/export_log.py keeps the record).

A module of plain words with no imports, so the command line can offer them in its --help
without loading SQLAlchemy and the model (about 0.4 s of every command's start).
"""

# The lawful bases a sharing decision can rest on (key, label), in the order they are offered.
AGREEMENT = "agreement"
PUBLIC_TASK = "public_task"
LEGITIMATE = "legitimate_interests"
CONSENT = "consent"
VITAL = "vital_interests"
OTHER = "other"
BASES: tuple[tuple[str, str], ...] = (
    (AGREEMENT, "The conference's information-sharing agreement"),
    (PUBLIC_TASK, "Public task"),
    (LEGITIMATE, "Legitimate interests"),
    (CONSENT, "Consent"),
    (VITAL, "Vital interests"),
    (OTHER, "Other"),
)
BASIS_LABELS = dict(BASES)
