"""A drawn map of Wrenmoor Park, the Mill Road underpass and Kestrel Parade (the picture the
example conference's safety map was made from; the example keeps its own copy): a realistic
picture for the safety-map tests. `draw_map()` returns the PNG's bytes."""

from __future__ import annotations

import io

W, H = 1600, 1000
GROUND = (242, 239, 233)
PARK = (200, 228, 176)
PARK_EDGE = (150, 190, 125)
WATER = (170, 211, 223)
ROAD = (255, 255, 255)
ROAD_EDGE = (190, 185, 178)
BUILDING = (217, 208, 201)
BUILDING_EDGE = (180, 168, 158)
SHOP = (232, 205, 180)
PATH = (236, 226, 200)
RAIL = (110, 110, 110)
TEXT = (60, 60, 60)
TEXT_SOFT = (100, 100, 100)


def _font(size: int, bold: bool = False):  # noqa: ANN202
    from csfacilitator.export.pictures import font as shared

    return shared(size, bold)


def draw_map() -> bytes:
    """A plain drawn map of the example's area, as a screenshot of a street map would look."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (W, H), GROUND)
    d = ImageDraw.Draw(image)

    # Wrenmoor Park, with its pond, play area and paths.
    park = [(230, 170), (860, 150), (900, 640), (640, 700), (250, 660)]
    d.polygon(park, fill=PARK, outline=PARK_EDGE, width=4)
    for x, y in ((320, 230), (380, 560), (760, 250), (820, 560), (560, 610), (300, 400)):
        d.ellipse([x - 26, y - 26, x + 26, y + 26], fill=(170, 205, 145))
    d.ellipse([600, 230, 760, 330], fill=WATER, outline=(130, 180, 200), width=3)
    d.rounded_rectangle([340, 280, 470, 370], radius=10, fill=(236, 222, 170),
                        outline=(200, 180, 120), width=3)  # fmt: skip
    for path in (
        [(250, 640), (420, 470), (560, 420), (880, 420)],
        [(240, 190), (420, 470)],
        [(560, 420), (620, 690)],
        [(560, 420), (520, 160)],
    ):
        d.line(path, fill=PATH, width=14, joint="curve")
        d.line(path, fill=(214, 200, 165), width=2)

    # Roads: Mill Road along the bottom, Kestrel Parade and Mill Lane.
    def road(points, width):  # noqa: ANN001, ANN202
        d.line(points, fill=ROAD_EDGE, width=width + 6, joint="curve")
        d.line(points, fill=ROAD, width=width, joint="curve")

    road([(0, 790), (1600, 790)], 46)  # Mill Road
    road([(1000, 0), (1000, 790)], 30)  # Mill Lane
    road([(1000, 120), (1600, 120)], 34)  # Kestrel Parade
    road([(150, 0), (150, 790)], 26)  # Saltmarsh Walk

    # The railway on its embankment, and the underpass where the footpath goes under it.
    d.line([(930, 0), (930, 1000)], fill=(200, 195, 185), width=30)
    d.line([(930, 0), (930, 1000)], fill=RAIL, width=6)
    for y in range(0, 1000, 18):
        d.line([(918, y), (942, y)], fill=RAIL, width=3)
    d.line([(880, 420), (1000, 420)], fill=PATH, width=14)
    d.rectangle([912, 404, 948, 436], fill=(120, 120, 120))
    d.rectangle([916, 410, 944, 430], fill=(80, 80, 80))

    # The Saltmarsh estate: three low-rise blocks and a terrace of maisonettes.
    for box in ([20, 180, 120, 320], [20, 360, 120, 500], [20, 540, 120, 680]):
        d.rectangle(box, fill=BUILDING, outline=BUILDING_EDGE, width=3)
    for x in range(190, 460, 45):
        d.rectangle([x, 700, x + 40, 750], fill=BUILDING, outline=BUILDING_EDGE, width=2)

    # Kestrel Parade: eleven shops, the car park behind them, and the community hall.
    for i in range(11):
        x = 1040 + i * 50
        d.rectangle([x, 150, x + 46, 230], fill=SHOP, outline=BUILDING_EDGE, width=2)
    d.rectangle([1060, 270, 1380, 420], fill=(215, 215, 215), outline=(170, 170, 170), width=3)
    for x in range(1080, 1370, 38):
        d.line([(x, 280), (x, 330)], fill=ROAD, width=3)
        d.line([(x, 360), (x, 410)], fill=ROAD, width=3)
    d.rounded_rectangle([1400, 270, 1440, 310], radius=6, fill=(40, 90, 170))
    d.text((1420, 290), "P", font=_font(28, True), fill=(255, 255, 255), anchor="mm")
    d.rectangle([1060, 470, 1230, 600], fill=BUILDING, outline=BUILDING_EDGE, width=3)

    # Dunhaven Academy, south of Mill Road.
    d.rectangle([1150, 850, 1520, 980], fill=BUILDING, outline=BUILDING_EDGE, width=3)
    d.rectangle([1150, 830, 1520, 850], fill=(190, 220, 170))
    d.line([(1000, 790), (1000, 1000)], fill=ROAD_EDGE, width=22)
    d.line([(1000, 790), (1000, 1000)], fill=ROAD, width=16)
    # The bus stop on Mill Road.
    d.rounded_rectangle([700, 740, 740, 765], radius=5, fill=(40, 90, 170))
    d.text((720, 752), "BUS", font=_font(13, True), fill=(255, 255, 255), anchor="mm")

    # Labels.
    def label(xy, text, size=26, bold=False, fill=TEXT, angle=0):  # noqa: ANN001, ANN202
        font = _font(size, bold)
        if angle:
            box = d.textbbox((0, 0), text, font=font)
            tile = Image.new("RGBA", (box[2] + 8, box[3] + 8), (0, 0, 0, 0))
            ImageDraw.Draw(tile).text((4, 4), text, font=font, fill=fill)
            tile = tile.rotate(angle, expand=True)
            image.paste(tile, (int(xy[0] - tile.width / 2), int(xy[1] - tile.height / 2)), tile)
        else:
            d.text(xy, text, font=font, fill=fill, anchor="mm")

    label((560, 500), "WRENMOOR PARK", 34, True, (70, 110, 50))
    label((680, 280), "Pond", 20, False, (60, 110, 140))
    label((405, 325), "Play area", 18, False, (120, 100, 40))
    label((470, 790), "MILL ROAD", 24, True, TEXT_SOFT)
    label((1300, 790), "MILL ROAD", 24, True, TEXT_SOFT)
    label((1300, 120), "KESTREL PARADE", 22, True, TEXT_SOFT)
    label((1000, 660), "MILL LANE", 20, True, TEXT_SOFT, angle=90)
    label((150, 100), "SALTMARSH WALK", 18, True, TEXT_SOFT, angle=90)
    label((945, 880), "railway", 18, False, TEXT_SOFT, angle=90)
    label((965, 455), "Underpass", 18, True)
    label((1290, 250), "Kestrel Parade shops", 20, False)
    label((1220, 345), "Car park", 24, True, (90, 90, 90))
    label((1145, 535), "Kestrel\nCommunity Hall", 18, False)
    label((1335, 915), "Dunhaven Academy", 26, True)
    label((70, 150), "Saltmarsh\nestate", 20, True)
    label((320, 770), "Maisonettes", 16, False, TEXT_SOFT)
    label((720, 720), "Bus stop", 16, False, TEXT_SOFT)

    # North arrow and a note.
    d.polygon([(1540, 880), (1525, 930), (1555, 930)], fill=TEXT)
    label((1540, 860), "N", 22, True)
    d.rectangle([20, 955, 560, 990], fill=(255, 255, 255))
    label((290, 972), "Drawn for the example conference; not to scale", 16, False, TEXT_SOFT)

    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
