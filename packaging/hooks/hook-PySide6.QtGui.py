"""QtGui as PyInstaller's own hook collects it, minus plugins CS Facilitator never loads.

Filtering here, before PyInstaller follows each plugin's libraries, also leaves out what only
those plugins need: GTK 3 and its stack (the gtk3 platform theme), QtNetwork (TUIO touch,
VNC), QtPdf (the PDF image plugin) and the embedded-display (EGLFS) support. Of the image
formats, PNG is built into QtGui; SVG (the icon), JPEG and ICO stay.
"""

import re

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

UNUSED = re.compile(
    r"plugins/("
    r"platformthemes/[^/]*gtk3"
    r"|generic/"
    r"|egldeviceintegrations/"
    r"|platforms/[^/]*(eglfs|linuxfb|vnc|minimalegl|vkkhrdisplay|minimal)[^/]*$"
    r"|imageformats/[^/]*(pdf|webp|tiff|tga|wbmp|icns|gif)"
    r"|platforminputcontexts/[^/]*virtualkeyboard"
    r")"
)

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [entry for entry in binaries if not UNUSED.search(entry[0].replace("\\", "/"))]
