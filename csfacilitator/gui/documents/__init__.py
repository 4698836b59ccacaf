"""Exporting documents from the window: the registry's kinds, wording step and save dialogs."""
