"""External validators for the public site: axe-core (in the browser) and the Nu Html
Checker (vnu, on the served HTML). Both come from npm into e2e/node_modules
(`npm ci` in e2e/, which .ci/run does); vnu also needs Java (default-jre-headless).

`missing()` says what is not installed, so the tests can name it instead of failing
obscurely; CI treats anything missing as a failure (see test_validators.py).
"""

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

NODE_MODULES = Path(__file__).resolve().parent / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

# What axe checks: WCAG 2.x A and AA plus its best-practice rules (landmarks,
# heading order, region), which are the ones the findings came from.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def missing() -> list[str]:
    """What the validators need and this machine lacks, with how to get it."""
    lacks = []
    if not AXE_JS.exists() or not VNU_JAR.exists():
        lacks.append("axe-core/vnu-jar (cd e2e && npm ci --ignore-scripts)")
    if not shutil.which("java"):
        lacks.append("java (apt-get install default-jre-headless)")
    return lacks


@dataclass(frozen=True)
class AxeItem:
    rule: str
    impact: str | None
    targets: tuple[str, ...]
    help: str

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}): {self.help} at {', '.join(self.targets)}"


def _items(results: list[dict]) -> list[AxeItem]:
    return [
        AxeItem(
            rule=result["id"],
            impact=result.get("impact"),
            targets=tuple(str(node["target"]) for node in result["nodes"]),
            help=result["help"],
        )
        for result in results
    ]


def run_axe(page) -> tuple[list[AxeItem], list[AxeItem]]:
    """axe-core on the page as it is now: (violations, incomplete). Incomplete are
    the checks axe could not decide ("needs review"), e.g. contrast over an image."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations', 'incomplete'],
        })""",
        AXE_TAGS,
    )
    return _items(results["violations"]), _items(results["incomplete"])


@dataclass(frozen=True)
class VnuMessage:
    page: str
    kind: str  # "error" or "warning" (vnu's "info" with subType "warning")
    message: str
    line: int | None
    extract: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.message} [{self.extract.strip()}]"


def run_vnu(documents: dict[str, str]) -> list[VnuMessage]:
    """The Nu Html Checker over several HTML documents in one Java start (it costs
    about two seconds each time). `documents` maps a name to its HTML; messages
    name the document they are about."""
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        by_file = {}
        for number, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"{number:03d}.html"
            path.write_text(html, encoding="utf-8")
            by_file[path.name] = name
        completed = subprocess.run(  # noqa: S603 - fixed command, our own files
            [
                "java",
                "-Xss8m",  # vnu's own advice: deep documents need a larger stack
                "-jar",
                str(VNU_JAR),
                "--format",
                "json",
                "--stdout",
                *sorted(str(Path(folder) / file_name) for file_name in by_file),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    report = json.loads(completed.stdout)
    found = []
    for message in report["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            kind = "error"
        elif message.get("subType") == "warning":
            kind = "warning"
        else:
            continue  # plain "info" notes, e.g. about trailing slashes on void tags
        found.append(
            VnuMessage(
                # vnu names each file by URL (file:/tmp/vnu-…/003.html).
                page=by_file.get(message.get("url", "").rsplit("/", 1)[-1], "?"),
                kind=kind,
                message=message["message"],
                line=message.get("lastLine"),
                extract=message.get("extract", ""),
            )
        )
    return found
