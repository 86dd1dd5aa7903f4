"""Read the text of a PDF written by fpdf2, for tests (no PDF library is installed).

fpdf2 writes embedded TrueType text as two-byte glyph codes (Identity-H) in literal strings,
with a ToUnicode map per font; this decodes each page's content stream with the map of the font selected by ``Tf``.
Good enough for our own renderer's output, not a general PDF reader.
"""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)\s*endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}


def _stream(body: bytes) -> bytes:
    match = _STREAM.search(body)
    if not match:
        return b""
    data = match.group(1)
    return zlib.decompress(data) if b"FlateDecode" in body[: match.start()] else data


def _cmap(data: bytes) -> dict[str, str]:
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[code.decode().upper()] = bytes.fromhex(uni.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, uni in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(uni, 16)
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[f"{code:04X}"] = chr(start + i)
    return mapping


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page, in page order; text runs are joined by spaces."""
    objects = _objects(pdf)
    fonts: dict[bytes, dict[str, str]] = {}
    for body in objects.values():
        for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", body):
            font = objects.get(int(ref), b"")
            unicode_ref = re.search(rb"/ToUnicode (\d+) 0 R", font)
            if unicode_ref:
                fonts[name] = _cmap(_stream(objects[int(unicode_ref.group(1))]))
    pages = []
    root = next(body for body in objects.values() if b"/Type /Pages" in body)
    kids = re.search(rb"/Kids \[(.*?)\]", root, re.S)
    for ref in re.findall(rb"(\d+) 0 R", kids.group(1)):
        page = objects[int(ref)]
        content = re.search(rb"/Contents (\d+) 0 R", page)
        data = _stream(objects[int(content.group(1))]) if content else b""
        words, mapping = [], {}
        for kind, value in _tokens(data):
            if kind == "font":
                mapping = fonts.get(value, {})
            else:
                words.append(
                    "".join(
                        mapping.get(value[i : i + 2].hex().upper(), "?")
                        for i in range(0, len(value), 2)
                    )
                )
        pages.append(" ".join(words))
    return pages


_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}


def _tokens(data: bytes):
    """Yield ("font", name) for each ``Tf`` and ("text", bytes) for each literal string."""
    i = 0
    while i < len(data):
        char = data[i]
        if char == ord("/"):
            match = re.match(rb"/(F\d+) [\d.]+ Tf", data[i:])
            if match:
                yield "font", match.group(1)
                i += match.end()
                continue
        if char == ord("("):
            out, depth, i = bytearray(), 1, i + 1
            while i < len(data):
                c = data[i]
                if c == ord("\\"):
                    nxt = data[i + 1]
                    if nxt in _ESCAPES:
                        out.append(_ESCAPES[nxt])
                        i += 2
                    elif ord("0") <= nxt <= ord("7"):
                        octal = re.match(rb"[0-7]{1,3}", data[i + 1 : i + 4]).group(0)
                        out.append(int(octal, 8) & 0xFF)
                        i += 1 + len(octal)
                    else:
                        out.append(nxt)
                        i += 2
                    continue
                if c == ord("("):
                    depth += 1
                elif c == ord(")"):
                    depth -= 1
                    if depth == 0:
                        break
                out.append(c)
                i += 1
            yield "text", bytes(out)
        i += 1
