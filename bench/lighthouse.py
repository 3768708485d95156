"""Lighthouse on the production-shaped site: the four category scores (performance,
accessibility, best practices, SEO) of the front page and an article, on a phone
(Lighthouse's default: emulated mid-range phone, simulated slow 4G and CPU) and on
a desktop (--preset=desktop). Exits 1 when a score misses its target.

    python bench/lighthouse.py [--runs 3]

Needs npm's lighthouse in bench/node_modules (`make bench` runs `npm ci` there) and
Debian's Chromium (CHROME_PATH, default /usr/bin/chromium). The site: a temporary
SQLite database with the demo content (load_demo_content), production settings,
gunicorn on 127.0.0.1:8766 with SITE_URL at that address (so canonical links and
feeds point where Lighthouse looks), pages warmed into the page cache first, as a
reader after the first would find them.

Each page is measured --runs times and the median of each category is reported:
performance moves by a few points between runs on a shared 2-core machine.

Target: 98 in every category, the issue's (#16). Plain HTTP on loopback costs
nothing here: Lighthouse counts 127.0.0.1 as a secure origin (is-on-https passes),
and HTTP/2 is an audit without weight. Every audit that lost points is printed
under its page, so a miss names its cause. Measured before issue #16's SEO part
landed: home SEO 92, its one loss `meta-description` (the front page had none);
every other score 100.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, gunicorn, manage, server_environment
from services import ensure_port_free, exit_on_sigterm

PORT = 8766
BASE = f"http://127.0.0.1:{PORT}"
LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = " ".join(
    [
        "--headless=new",
        "--no-sandbox",  # we run as root in CI
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
    ]
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = dict.fromkeys(CATEGORIES, 98)
FORM_FACTORS = {"phone": [], "desktop": ["--preset=desktop"]}


# Lighthouse's own runtime errors (NO_NAVSTART, NO_FCP: "please run Lighthouse
# again") happen now and then on a busy machine; a run that hits one is repeated,
# this many times at most, before the benchmark gives up.
RUNTIME_ERROR_RETRIES = 2


def lighthouse(url: str, extra: list[str]) -> dict:
    """One Lighthouse run; its JSON report."""
    for attempt in range(RUNTIME_ERROR_RETRIES + 1):
        completed = subprocess.run(  # noqa: S603 - our own tool and arguments
            [
                str(LIGHTHOUSE),
                url,
                *extra,
                f"--chrome-flags={CHROME_FLAGS}",
                "--output=json",
                "--output-path=stdout",
                "--quiet",
            ],
            env={**os.environ, "CHROME_PATH": CHROME},
            capture_output=True,
            text=True,
            timeout=300,
        )
        error = runtime_error(completed)
        if error is None:
            return json.loads(completed.stdout)
        if attempt < RUNTIME_ERROR_RETRIES and "run Lighthouse again" in error:
            print(f"lighthouse runtime error on {url}, run again: {error[:200]}")
            continue
        raise SystemExit(f"lighthouse failed on {url}:\n{error[-2000:]}")
    raise AssertionError("unreachable")


def runtime_error(completed: subprocess.CompletedProcess) -> str | None:
    """What went wrong in a Lighthouse run, or None when it produced a report."""
    if completed.returncode != 0:
        return completed.stderr or f"exit status {completed.returncode}"
    error = json.loads(completed.stdout).get("runtimeError")
    return f"{error['code']}: {error.get('message', '')}" if error else None


def scores(report: dict) -> dict[str, int]:
    return {
        name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES
    }


def lost_points(report: dict) -> list[str]:
    """The weighted audits that did not pass, with what Lighthouse measured."""
    lost = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                shown = audit.get("displayValue", "")
                lost.append(f"{name}: {ref['id']} {audit['score']:.2f} {shown}")
    return lost


def first_article_path() -> str:
    index = urllib.request.urlopen(f"{BASE}/articles/").read().decode()  # noqa: S310
    match = re.search(r'href="(/articles/(?!tag/|author/)[a-z0-9-]+/)"', index)
    if not match:
        raise SystemExit("no article on /articles/: did load_demo_content run?")
    return match.group(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit(
            "lighthouse is not installed: cd bench && npm ci --ignore-scripts"
        )
    if not Path(CHROME).exists():
        raise SystemExit(f"{CHROME} not found: apt-get install chromium")
    exit_on_sigterm()
    ensure_port_free(PORT)

    workdir = Path(tempfile.mkdtemp(prefix="presswagon-lighthouse-"))
    try:
        env = server_environment(workdir, f"sqlite:///{workdir / 'db.sqlite3'}", "")
        env.update(DJANGO_SETTINGS_MODULE="cms.settings.production", SITE_URL=BASE)
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        # Demo content refuses production settings unless told: this is a bench.
        manage(env, "load_demo_content", "--force")
        with gunicorn(env, PORT, workers=None):
            pages = {"home": "/", "article": first_article_path()}
            for path in pages.values():  # into the page cache
                urllib.request.urlopen(f"{BASE}{path}").read()  # noqa: S310
            results = measure(pages, args.runs)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    missed = report(results)
    if missed:
        print("\nVERDICT: FAIL")
        for miss in missed:
            print(f"  - {miss}")
        raise SystemExit(1)
    print(f"\nVERDICT: PASS - every score >= its target ({TARGETS})")


def measure(pages: dict[str, str], runs: int) -> dict:
    """(page, form factor) -> (median scores, lost points of the median run)."""
    results = {}
    for page, path in pages.items():
        for form_factor, extra in FORM_FACTORS.items():
            reports = [lighthouse(f"{BASE}{path}", extra) for _ in range(runs)]
            medians = {
                name: int(statistics.median(scores(r)[name] for r in reports))
                for name in CATEGORIES
            }
            # The run closest to the medians explains them.
            typical = min(
                reports,
                key=lambda r: sum(abs(scores(r)[n] - medians[n]) for n in CATEGORIES),
            )
            results[(page, form_factor)] = (medians, lost_points(typical))
            print(f"measured {page} ({form_factor}, {path}): {medians}", flush=True)
    return results


def report(results: dict) -> list[str]:
    header = "".join(f"{name:>16}" for name in CATEGORIES)
    print(f"\n{'page':<20}{header}")
    print(f"{'target':<20}" + "".join(f"{TARGETS[n]:>16}" for n in CATEGORIES))
    missed = []
    for (page, form_factor), (medians, lost) in results.items():
        label = f"{page} ({form_factor})"
        print(f"{label:<20}" + "".join(f"{medians[n]:>16}" for n in CATEGORIES))
        for line in lost:
            print(f"{'':<22}lost points: {line}")
        missed += [
            f"{label} {name} {medians[name]} < {TARGETS[name]}"
            for name in CATEGORIES
            if medians[name] < TARGETS[name]
        ]
    return missed


if __name__ == "__main__":
    main()
