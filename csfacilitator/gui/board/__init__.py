"""The live flipchart board: its tab, column models and views, undo commands and side panels."""
