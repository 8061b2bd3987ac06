"""The test run's settings: the project's own (config.settings), with VAR_DIR in a fresh
temporary folder, so that no test reads or clears the development server's cache, queue,
database or uploads under var/. Nothing else differs; every setting is still config.settings'."""

import atexit
import os
import shutil
import tempfile

if "VAR_DIR" not in os.environ:
    # Made by the run's first process and removed when it exits; the workers and servers
    # the tests start inherit it through the environment and leave it alone.
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="nlzf-test-var-")
    atexit.register(shutil.rmtree, os.environ["VAR_DIR"], ignore_errors=True)

from config.settings import *  # noqa: E402,F403
