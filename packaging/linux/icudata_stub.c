/* An empty ICU common-data library, put in the Linux bundle in place of PySide6's 32 MB
 * libicudata.so.NN by packaging/build.py (the same thing as ICU's own "stubdata" library).
 *
 * Qt Core links ICU, but CS Facilitator uses none of what needs ICU's data: collation
 * (QCollator, localeAwareCompare), legacy text codecs (QStringConverter for non-UTF
 * encodings) and ICU time zones (Qt reads the system's tz files on Linux). Its sorting
 * and text handling are done in Python. With this stub those Qt calls fall back to plain
 * behaviour (QCollator warns "Could not create collator" and compares code points);
 * tests/test_packaging.py fails if the app starts using them.
 *
 * Built with: cc -shared -fPIC -s -DICU_DATA_SYMBOL=icudt73_dat -Wl,-soname,libicudata.so.73
 */
#ifndef ICU_DATA_SYMBOL
#error "define ICU_DATA_SYMBOL, e.g. icudt73_dat"
#endif

struct UDataInfo {
    unsigned short size, reservedWord;
    unsigned char isBigEndian, charsetFamily, sizeofUChar, reservedByte;
    unsigned char dataFormat[4], formatVersion[4], dataVersion[4];
};

struct ICUDataHeader {
    unsigned short headerSize;
    unsigned char magic1, magic2;
    struct UDataInfo info;
    char padding[8];
    unsigned int count, reserved; /* a table of contents with no entries */
    struct { unsigned int nameOffset, dataOffset; } entry[1];
};

__attribute__((visibility("default"))) const struct ICUDataHeader ICU_DATA_SYMBOL = {
    32, 0xda, 0x27,
    {sizeof(struct UDataInfo), 0, 0, 0, 2, 0, {0x54, 0x6f, 0x43, 0x50}, {1, 0, 0, 0}, {0, 0, 0, 0}},
    {0}, 0, 0, {{0, 0}},
};
