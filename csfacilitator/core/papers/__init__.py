"""What each document says, gathered from the record in one read (no python-docx, no Qt)."""
