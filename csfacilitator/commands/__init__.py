"""Command-line commands beyond the basics in cli.py; each module has `register` (see cli.py)."""
