"""Schema revisions this version knows, oldest first. Kept apart so start-up can check the
database without importing Alembic; a test keeps it equal to the migration scripts."""

KNOWN_REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
    "0014",
    "0015",
    "0016",
)
HEAD = KNOWN_REVISIONS[-1]
