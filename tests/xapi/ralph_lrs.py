"""Ralph's LRS API (the app `ralph runserver -b fs` serves), started by tests/xapi/conftest.py
with Ralph's own interpreter (.venv-ralph): `python ralph_lrs.py PORT`.

Two differences from `ralph runserver`: no autoreloader (a file watcher is CPU the tests don't
need), and the file backend appends. Ralph 5.1.0's LRS writes each statement with the file
backend's default operation, CREATE, which refuses an existing file: it stores the first
statement and answers every later one with 500 "Statement indexation failed". APPEND is what an
LRS on one JSON-lines file means.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402 (reads its backend from the environment on import)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
