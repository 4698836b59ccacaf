"""Word (.docx) exports.

python-docx is slow to import, so nothing here imports it at package level: `docx_base`
imports it, and the export modules import `docx_base` only inside the functions that build a
document. Gathering an export's data (for a preview or the privacy check) stays cheap.
"""
