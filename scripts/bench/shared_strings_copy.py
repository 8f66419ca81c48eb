#!/usr/bin/env python3
"""Makes a shared-strings copy of an inline-string workbook (as LibreOffice saves it: every text cell a `t="s"`
index into xl/sharedStrings.xml, items written `<si><t xml:space="preserve">…</t></si>`), to measure the
shared-strings read path on the same data as the reference file.

    python3 scripts/bench/shared_strings_copy.py /work/benchdata/bench_200000.xlsx /tmp/bench_200000_sst.xlsx
"""
import re
import sys
import zipfile

INLINE = re.compile(rb'<c([^>]*?) t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>', re.S)


def main(src: str, dst: str) -> None:
    index: dict[bytes, int] = {}
    order: list[bytes] = []

    def shared(m: re.Match) -> bytes:
        text = m.group(2)
        i = index.get(text)
        if i is None:
            i = index[text] = len(order)
            order.append(text)
        return b'<c%s t="s"><v>%d</v></c>' % (m.group(1), i)

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zout:
        names = zin.namelist()
        for name in names:
            data = zin.read(name)
            if name.startswith("xl/worksheets/sheet"):
                data = INLINE.sub(shared, data)
            elif name == "[Content_Types].xml" and b"sharedStrings" not in data:
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif name == "xl/_rels/workbook.xml.rels" and b"sharedStrings" not in data:
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
            zout.writestr(name, data)
        sst = [b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
               b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (len(order), len(order))]
        sst += [b'<si><t xml:space="preserve">%s</t></si>' % t for t in order]
        sst.append(b"</sst>")
        zout.writestr("xl/sharedStrings.xml", b"".join(sst))
    print(f"{dst}: {len(order)} shared strings")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
