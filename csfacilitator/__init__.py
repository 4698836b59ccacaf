"""CS Facilitator: run contextual safeguarding and community conferences offline."""

__version__ = "0.1.0"
APP_NAME = "CS Facilitator"
APP_ID = "csfacilitator"
