"""One calm look for the whole app: scalable fonts, clear focus, a primary button."""

from __future__ import annotations

STYLE_SHEET = """
QLabel#pageHeading { font-size: 16pt; font-weight: 600; }
QLabel#conferenceTitle { font-size: 14pt; font-weight: 600; }
QLabel#conferenceMeta { color: palette(placeholder-text); }
QLabel#welcomeHeading { font-size: 20pt; font-weight: 600; }
QLabel#welcomeIntro { font-size: 11pt; }
QLabel#welcomeSteps { color: palette(placeholder-text); }
QFrame#welcomeCard { background: palette(base); border: 1px solid palette(mid); border-radius: 12px; }
QPushButton[primary="true"] {
    background: #1f4e79; color: white; border: 1px solid #173b5c; border-radius: 4px;
    padding: 6px 16px; font-weight: 600;
}
QPushButton[primary="true"]:hover { background: #24598a; }
QPushButton[primary="true"]:focus { border: 2px solid #f2b134; }
QGroupBox { font-weight: 600; margin-top: 14px; }
QGroupBox::title { subcontrol-origin: margin; left: 6px; padding: 0 4px; }
QTabBar::tab { padding: 6px 16px; }
"""
