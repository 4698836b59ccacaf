"""The home page: the conference list, search and the dashboard."""
