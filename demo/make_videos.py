"""Make the demo's short narrated videos and their WebVTT captions into `demo/data/videos/`.

Run by hand when the narration changes (`.venv/bin/python -m demo.make_videos`); it needs ffmpeg
(libvpx-vp9, libopus) and espeak-ng. The results are committed, so `make setup` and `seed_demo`
need neither tool nor the internet. Each video is a title card with a progress bar and the
transcript read aloud; the captions are timed from each spoken chunk, so they match the voice.
"""

import json
import math
import re
import subprocess
import tempfile
import textwrap
from pathlib import Path

from demo.media import illustration_png

VIDEOS_DIR = Path(__file__).resolve().parent / "data" / "videos"
DATA_DIR = VIDEOS_DIR.parent
# Caption cues of at most two lines of 42 characters: readable on a phone.
CUE_WIDTH = 42
CUE_LINES = 2
GAP_SECONDS = 0.25


def _run(*command: str) -> str:
    # Fixed tool names and arguments built here from the demo data; no shell.
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603


def _duration(path: Path) -> float:
    output = _run(
        "ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)
    )
    return float(output)


def _cues(text: str) -> list[str]:
    """The transcript cut into caption-sized cues at sentence ends, each sentence shared evenly
    between its cues (no cue left holding a single word)."""
    groups: list[list[str]] = []
    for sentence in re.split(r"(?<=[.:])\s+", text.strip()):
        count = math.ceil(len(textwrap.wrap(sentence, width=CUE_WIDTH)) / CUE_LINES)
        target = len(sentence) / count
        group: list[str] = []
        for word in sentence.split():
            longer = " ".join([*group, word])
            too_long = len(textwrap.wrap(longer, width=CUE_WIDTH)) > CUE_LINES
            if group and (too_long or len(longer) > target + 6):
                groups.append(group)
                group = []
            group.append(word)
        groups.append(group)
    return ["\n".join(textwrap.wrap(" ".join(group), width=CUE_WIDTH)) for group in groups]


def _timestamp(seconds: float) -> str:
    minutes, seconds = divmod(seconds, 60)
    return f"{int(minutes):02d}:{seconds:06.3f}"


def make_video(*, key: str, title: str, color: str, transcript: str, work: Path) -> None:
    cues = _cues(transcript)
    pieces, timings, clock = [], [], 0.0
    for number, cue in enumerate(cues):
        wav = work / f"{key}-{number}.wav"
        _run("espeak-ng", "-v", "id", "-s", "150", "-w", str(wav), cue.replace("\n", " "))
        length = _duration(wav)
        pieces.append(wav)
        timings.append((clock, clock + length, cue))
        clock += length + GAP_SECONDS
    # One narration track: the spoken chunks with a short pause between them.
    concat = work / f"{key}.txt"
    silence = work / "gap.wav"
    _run(
        "ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono",
        "-t", str(GAP_SECONDS), str(silence),
    )  # fmt: skip
    concat.write_text("".join(f"file '{wav}'\nfile '{silence}'\n" for wav in pieces))
    card = work / f"{key}.png"
    card.write_bytes(illustration_png(color=color, label=title, width=640, height=360))
    total = clock
    _run(
        "ffmpeg", "-y", "-v", "error",
        "-loop", "1", "-framerate", "10", "-i", str(card),
        "-f", "concat", "-safe", "0", "-i", str(concat),
        # A bar filling along the bottom edge shows the video is playing, not frozen.
        "-vf", f"drawbox=x=0:y=ih-16:w='iw*t/{total:.3f}':h=16:color=white@0.9:t=fill",
        "-t", f"{total:.3f}",
        "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "50", "-row-mt", "1", "-pix_fmt", "yuv420p",
        "-c:a", "libopus", "-b:a", "16k", "-ac", "1",
        str(VIDEOS_DIR / f"{key}.webm"),
    )  # fmt: skip
    vtt = ["WEBVTT", ""]
    for number, (start, end, cue) in enumerate(timings, start=1):
        vtt += [str(number), f"{_timestamp(start)} --> {_timestamp(end)}", cue, ""]
    (VIDEOS_DIR / f"{key}.id.vtt").write_text("\n".join(vtt), encoding="utf-8")


def _video_blocks() -> list[tuple[dict, str]]:
    """Every video block of the demo data naming a local file, with its course's color."""
    found = []
    courses = json.loads((DATA_DIR / "courses.json").read_text(encoding="utf-8"))["courses"]
    for course in courses:
        for module in course["modules"]:
            for lesson in module["lessons"]:
                found += [(block, course["cover"]["color"]) for block in lesson["body"]]
    for resource in json.loads((DATA_DIR / "resources.json").read_text(encoding="utf-8")):
        found += [(block, "#0B3C5D") for block in resource["body"]]
    return [
        (block["value"], color)
        for block, color in found
        if block["type"] == "video" and "video" in block["value"]
    ]


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        for value, color in _video_blocks():
            make_video(
                key=value["video"],
                title=value["title"],
                color=color,
                transcript=value["transcript"],
                work=Path(work),
            )


if __name__ == "__main__":
    main()
