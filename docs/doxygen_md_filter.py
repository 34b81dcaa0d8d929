"""Doxygen input filter for Markdown pages (docs/Doxyfile, FILTER_PATTERNS).

The Markdown files are written for GitHub; this filter bridges the two places where Doxygen
1.9 reads GitHub Markdown differently, without changing the files themselves:

* In-page links such as ``[The hashed bytes](#the-hashed-bytes)`` rely on GitHub's automatic
  heading anchors, which Doxygen does not create. The filter gives each heading that such a link
  targets an explicit ``{#<page>-<slug>}`` id (prefixed by the file name, since Doxygen labels
  are global) and points the link at it.
* Links to files outside the repository (``../shared/ARCHITECTURE.md``) cannot be resolved by
  Doxygen; the filter turns them into plain text naming the path.

Line count is preserved, so Doxygen's line numbers still match the file.
Usage (by Doxygen, from the repository root): python3 docs/doxygen_md_filter.py FILE.md
"""

import os
import re
import sys

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
IN_PAGE_LINK = re.compile(r"\]\(#([^)\s]+)\)")
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s#]+)(#[^)\s]*)?\)")
FENCE = re.compile(r"^\s*(```|~~~)")


def github_slug(heading: str) -> str:
    """The anchor GitHub generates for a heading's text."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def outside_repository(md_path: str, target: str) -> bool:
    """True when a relative link target resolves outside the working directory (the root)."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("/"):
        return False
    resolved = os.path.normpath(os.path.join(os.path.dirname(md_path), target))
    root = os.path.abspath(os.getcwd())
    return os.path.commonpath([root, os.path.abspath(resolved)]) != root


def main() -> None:
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    page = re.sub(r"[^\w-]", "-", os.path.splitext(os.path.relpath(path))[0]).lower()

    targets = set()
    in_fence = False
    for line in lines:
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            targets.update(IN_PAGE_LINK.findall(line))

    def plain_if_outside(m: re.Match) -> str:
        if outside_repository(path, m.group(2)):
            return f"{m.group(1)} (`{m.group(2)}`)"
        return m.group(0)

    out = []
    in_fence = False
    for line in lines:
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            heading = HEADING.match(line)
            if heading and github_slug(heading.group(2)) in targets:
                line = f"{line.rstrip()} {{#{page}-{github_slug(heading.group(2))}}}"
            else:
                line = IN_PAGE_LINK.sub(
                    lambda m: f"](#{page}-{m.group(1)})" if m.group(1) in targets else m.group(0),
                    line)
                line = LINK.sub(plain_if_outside, line)
        out.append(line)
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
