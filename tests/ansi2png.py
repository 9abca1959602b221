#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""tests/ansi2png.py - renders a terminal capture (tmux capture-pane -e -p:
text with SGR colour escapes) to a PNG, cell by cell, in DejaVu Sans Mono.

    ansi2png.py IN.ans OUT.png COLS ROWS [--light]

Used by tests/screenshots.sh only (needs python3-pil and fonts-dejavu-core).
Understands what tmux emits: SGR 0-9, 22-29, 30-37/39, 40-47/49, 90-97,
100-107, 38;5;N / 48;5;N, 38;2;R;G;B / 48;2;R;G;B. Everything else is text.
"""
import re
import sys

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
SIZE = 15
BASE16 = ["#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc",
          "#11a8cd", "#e5e5e5", "#666666", "#f14c4c", "#23d18b", "#f5f543",
          "#3b8eea", "#d670d6", "#29b8db", "#ffffff"]


def xterm256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[n // 6 % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (v, v, v)


def parse(text, rows, cols):
    """Returns rows x cols of (char, fg, bg, bold, dim, underline, reverse)."""
    grid = [[(" ", None, None, False, False, False, False)] * cols for _ in range(rows)]
    for y, line in enumerate(text.split("\n")[:rows]):
        st = dict(fg=None, bg=None, bold=False, dim=False, ul=False, rev=False)
        x = 0
        for tok in re.split(r"(\x1b\[[0-9;]*m)", line):
            if tok.startswith("\x1b["):
                codes = [int(c) if c else 0 for c in tok[2:-1].split(";")]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        st = dict(fg=None, bg=None, bold=False, dim=False, ul=False, rev=False)
                    elif c == 1:
                        st["bold"] = True
                    elif c == 2:
                        st["dim"] = True
                    elif c == 4:
                        st["ul"] = True
                    elif c == 7:
                        st["rev"] = True
                    elif c == 22:
                        st["bold"] = st["dim"] = False
                    elif c == 24:
                        st["ul"] = False
                    elif c == 27:
                        st["rev"] = False
                    elif 30 <= c <= 37:
                        st["fg"] = BASE16[c - 30]
                    elif 90 <= c <= 97:
                        st["fg"] = BASE16[c - 90 + 8]
                    elif c == 39:
                        st["fg"] = None
                    elif 40 <= c <= 47:
                        st["bg"] = BASE16[c - 40]
                    elif 100 <= c <= 107:
                        st["bg"] = BASE16[c - 100 + 8]
                    elif c == 49:
                        st["bg"] = None
                    elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                        st["fg" if c == 38 else "bg"] = xterm256(codes[i + 2])
                        i += 2
                    elif c in (38, 48) and i + 4 < len(codes) and codes[i + 1] == 2:
                        st["fg" if c == 38 else "bg"] = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5])
                        i += 4
                    i += 1
                continue
            for ch in tok:
                if x < cols and ch.isprintable():
                    grid[y][x] = (ch, st["fg"], st["bg"], st["bold"], st["dim"], st["ul"], st["rev"])
                    x += 1
    return grid


def main():
    src, out, cols, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    light = "--light" in sys.argv
    dfg, dbg = ("#1e1e1e", "#fbfbf8") if light else ("#d4d4d4", "#1e1e1e")
    font = ImageFont.truetype(FONT_DIR + "DejaVuSansMono.ttf", SIZE)
    bold = ImageFont.truetype(FONT_DIR + "DejaVuSansMono-Bold.ttf", SIZE)
    cw = round(font.getlength("M"))
    ch = SIZE + 4
    pad = 10
    img = Image.new("RGB", (cols * cw + 2 * pad, rows * ch + 2 * pad), dbg)
    draw = ImageDraw.Draw(img)
    with open(src, encoding="utf-8", errors="replace") as f:
        grid = parse(f.read(), rows, cols)
    for y, row in enumerate(grid):
        for x, (c, fg, bg, b, dim, ul, rev) in enumerate(row):
            fg, bg = fg or dfg, bg or dbg
            if rev:
                fg, bg = bg, fg
            if dim:
                fg = "#%02x%02x%02x" % tuple((int(fg[i:i + 2], 16) + int(bg[i:i + 2], 16)) // 2
                                             for i in (1, 3, 5))
            px, py = pad + x * cw, pad + y * ch
            if bg != dbg:
                draw.rectangle([px, py, px + cw - 1, py + ch - 1], fill=bg)
            if c != " ":
                draw.text((px, py + 1), c, font=bold if b else font, fill=fg)
            if ul:
                draw.line([px, py + ch - 2, px + cw - 1, py + ch - 2], fill=fg)
    img.save(out)


if __name__ == "__main__":
    main()
