"""The page's test fixtures are what Python sends now: tests/js/make_fixtures.py regenerates them from real
widgets and compares. A change to what Python sends fails here until the fixtures are written again, and then
the page's own tests (npm test) say whether the page follows it."""

import pathlib
import subprocess
import sys

SCRIPT = pathlib.Path(__file__).resolve().parent / "js" / "make_fixtures.py"


def test_the_js_fixtures_are_what_real_widgets_send_now():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr or done.stdout
