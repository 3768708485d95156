"""The fuzz test's summary line (test_fuzz_public_urls.py), for the resolving
note of a CI run: how many hostile requests each backend answered."""

from .fuzzing import FUZZ_STATS


def pytest_terminal_summary(terminalreporter, config):
    stats = config.stash.get(FUZZ_STATS, None)
    if stats:
        terminalreporter.write_line(
            f"public-URL fuzzing on {stats['backend']}: {stats['requests']} hostile "
            f"requests over {len(stats['surfaces'])} surfaces, "
            f"{stats['server_errors']} answered with a 5xx"
        )
