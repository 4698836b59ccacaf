"""The Invite list tab: invitees, coverage, CSV import and the address book."""
