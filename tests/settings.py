"""The test run's settings: the project's own (config.settings), with VAR_DIR in a fresh
temporary folder, so that no test reads or clears the development server's cache, queue,
database or uploads under var/. Nothing else differs; every setting is still config.settings'."""

import os
import tempfile

os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="nlzf-test-var-"))

from config.settings import *  # noqa: E402,F403
