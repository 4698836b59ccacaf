"""The Action plan tab with its reviews, promotion from the board and closing."""
