#!/usr/bin/python3
"""The peer of bench case text-192x32-two-lines: the same two lines in the same BDF font on a
192x32 one-bit canvas, drawn with luma.core's canvas on its dummy device (Pillow underneath).

Pillow's own bitmap format (BdfFontFile -> .pil) holds 256 characters at most, so the hanzi
cannot be converted that way; Pillow opens the BDF file itself through FreeType instead. (On
Latin text, which both can draw, the .pil font drew about three times faster than FreeType's:
read the ratio with that in mind.)

Prints one JSON object: ns_per_op, ops_per_s, cpu_ns_per_op (as the Swift bench reports them)
and the first frame's picture, `#` lit and `.` off, one string per row.
"""
import argparse
import json
import time

from luma.core.device import dummy
from luma.core.render import canvas
from PIL import ImageFont

FIRST_LINE = "急救车 粤A·12345 出车"
SECOND_LINES = ["时间 12:34:%02d 请让行" % second for second in range(60)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--font", required=True, help="the BDF file to draw with")
    parser.add_argument("--seconds", type=float, default=1.0, help="how long to measure")
    arguments = parser.parse_args()

    font = ImageFont.truetype(arguments.font, 16)
    device = dummy(width=192, height=32, mode="1")

    def draw(frame):
        with canvas(device) as drawing:
            drawing.text((0, 14), FIRST_LINE, font=font, fill="white", anchor="ls")
            drawing.text((0, 30), SECOND_LINES[frame % 60], font=font, fill="white", anchor="ls")

    draw(0)
    picture = ["".join("#" if device.image.getpixel((x, y)) else "." for x in range(192)) for y in range(32)]
    for frame in range(100):
        draw(frame)
    frames = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    while time.perf_counter() - started < arguments.seconds:
        for _ in range(100):
            frames += 1
            draw(frames)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(json.dumps({
        "ns_per_op": round(elapsed * 1e9 / frames, 1), "ops_per_s": round(frames / elapsed),
        "cpu_ns_per_op": round(cpu * 1e9 / frames, 1), "iterations": frames, "picture": picture,
    }))


main()
