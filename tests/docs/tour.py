#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
#   tests/docs/tour.py [--write] [README.md]
#
# README's tour of driver/, one row per file, made from each file's own
# first comment: its first sentence (up to the first full stop, or to a
# colon that ends a line and opens a list). The table lives between the two marker lines below.
# Without --write, exit 1 (and say what differs) when README's table is not
# the one the files give today: a file added, removed or re-described
# without README following. With --write, put the table in README.
#
# The files, and the text read, are those of git's index (the files
# themselves outside a git checkout), so work not yet added does not fail
# anyone's check.
import os
import re
import subprocess
import sys

BEGIN = "<!-- driver/ file by file: made by tests/docs/tour.py --write from each file's first comment -->"
END = "<!-- end of driver/ file by file -->"


def git(top, *args):
    return subprocess.run(["git", "-C", top, *args], check=True, capture_output=True,
                          text=True, errors="replace").stdout


def driver_files(top):
    """{path: text}: git's index when in a checkout, else the files."""
    try:
        return {f: git(top, "show", ":" + f) for f in git(top, "ls-files", "driver").split()}
    except (OSError, subprocess.CalledProcessError):
        found = {}
        for root, _, files in os.walk(os.path.join(top, "driver")):
            for f in files:
                path = os.path.join(root, f)
                found[os.path.relpath(path, top)] = open(path, encoding="utf-8",
                                                         errors="replace").read()
        return found


def first_sentence(path, source):
    """The first sentence of the file's first comment, on one line."""
    text = []
    for line in source.splitlines():
        line = line.strip()
        if "SPDX-License-Identifier" in line:
            continue
        body = re.sub(r"^(/\*+|\*/|\*|;+|#+)\s?", "", line).strip()
        body = re.sub(r"\s*\*/$", "", body)
        if not body:
            if text:
                break   # the end of the first paragraph
            continue
        text.append(body)
        if body.endswith(":"):
            break
    sentence = " ".join(text)
    match = re.match(r"^(.*?\.)(\s|$)", sentence)
    sentence = match.group(1) if match else sentence.rstrip(":") + "."
    # A tracked file's own name at the start says nothing ("xfer.inf: ...").
    name = os.path.basename(path)
    if sentence.startswith(name + ":"):
        sentence = sentence[len(name) + 1:].strip()
    return sentence.replace("|", "\\|")


def table(top):
    rows = ["| file | what it is (its first comment) |", "|---|---|"]
    files = driver_files(top)
    for f in sorted(files):
        rows.append(f"| `{os.path.relpath(f, 'driver')}` | {first_sentence(f, files[f])} |")
    return "\n".join([BEGIN] + rows + [END])


def main(argv):
    write = "--write" in argv
    args = [a for a in argv if a != "--write"]
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    readme_path = args[0] if args else os.path.join(top, "README.md")
    readme = open(readme_path, encoding="utf-8").read()
    if BEGIN not in readme or END not in readme:
        print(f"tour: {readme_path} has no driver/ table between the markers", file=sys.stderr)
        return 1
    start = readme.index(BEGIN)
    stop = readme.index(END) + len(END)
    want, have = table(top), readme[start:stop]
    if write:
        if want != have:
            with open(readme_path, "w", encoding="utf-8") as f:
                f.write(readme[:start] + want + readme[stop:])
        return 0
    if want == have:
        rows = sum(1 for line in want.splitlines() if line.startswith("| `"))
        print(f"tour: README lists every file of driver/ ({rows} files)")
        return 0
    have_rows, want_rows = set(have.splitlines()), set(want.splitlines())
    for row in sorted(want_rows - have_rows):
        print(f"tour: missing from README: {row}", file=sys.stderr)
    for row in sorted(have_rows - want_rows):
        print(f"tour: in README but not so in driver/: {row}", file=sys.stderr)
    print("tour: run tests/docs/tour.py --write", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
