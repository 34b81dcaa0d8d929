"""The README's quick starts are the example programs, verbatim, so the README stays true.

Usage: readme_test.py REPO_ROOT. The examples themselves run as their own ctest cases.
"""

import re
import sys
from pathlib import Path


def code_blocks(markdown: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```\n", markdown, flags=re.S)


def body_of(path: Path, skip_prefix: str) -> str:
    """The example without its leading comment/docstring block."""
    lines = path.read_text().splitlines(keepends=True)
    while lines and (lines[0].startswith(skip_prefix) or not lines[0].strip()):
        lines.pop(0)
    return "".join(lines)


def main() -> int:
    root = Path(sys.argv[1])
    readme = (root / "README.md").read_text()
    cpp = body_of(root / "examples/cpp/quickstart.cpp", "//")
    python = body_of(root / "examples/python/quickstart.py", '"""')
    failures = []
    if cpp not in code_blocks(readme, "cpp"):
        failures.append("README's C++ quick start differs from examples/cpp/quickstart.cpp")
    if python not in code_blocks(readme, "python"):
        failures.append("README's Python quick start differs from examples/python/quickstart.py")
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"{2 - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
