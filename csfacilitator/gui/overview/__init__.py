"""The Overview tab: the conference's details and its meetings."""
