"""A real learning record store for the xAPI tests: Ralph's LRS (`ralph-malph`), with its file
backend, started once per test session (per xdist worker) on a free port from its own
virtualenv (`make ralph`: .venv-ralph, requirements/ralph.lock). Each test starts with an
empty LRS: the file backend's one file is emptied before it.
"""

import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

RALPH = Path(__file__).resolve().parents[2] / ".venv-ralph" / "bin"
KEY, SECRET = "lentera-test", "rahasia-lrs-uji"


@dataclass
class Lrs:
    """A running Ralph: its xAPI endpoint, credentials, and its own API to read statements."""

    endpoint: str
    data_file: Path

    def get(self, **params) -> requests.Response:
        return requests.get(
            self.endpoint + "statements",
            params=params,
            auth=(KEY, SECRET),
            headers={"X-Experience-API-Version": "1.0.3"},
            timeout=10,
        )

    def statements(self, **params) -> list[dict]:
        response = self.get(limit=500, **params)
        assert response.status_code == 200, response.text
        return response.json()["statements"]

    def statements_of(self, account_name: str) -> list[dict]:
        agent = {"account": {"homePage": "http://testserver", "name": account_name}}
        return self.statements(agent=json.dumps(agent))

    def empty(self) -> None:
        self.data_file.parent.mkdir(parents=True, exist_ok=True)
        self.data_file.write_text("")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def ralph_server(tmp_path_factory):
    if not (RALPH / "ralph").exists():
        message = "Ralph is not installed: run `make ralph` (`make test` does)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    home = tmp_path_factory.mktemp("ralph")
    # The basic-auth credentials file, as `ralph auth` writes it (bcrypt; few rounds, a test).
    hashed = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [
            RALPH / "python",
            "-c",
            "import bcrypt, sys; "
            "print(bcrypt.hashpw(sys.argv[1].encode(), bcrypt.gensalt(4)).decode())",
            SECRET,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    auth_file = home / "auth.json"
    auth_file.write_text(
        json.dumps(
            [
                {
                    "agent": {"mbox": "mailto:lrs@example.org", "objectType": "Agent"},
                    "scopes": ["all"],
                    "hash": hashed,
                    "username": KEY,
                }
            ]
        )
    )
    data = home / "data"
    port = _free_port()
    env = {
        **os.environ,
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_AUTH_FILE": str(auth_file),
        "RALPH_APP_DIR": str(home),
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(data),
    }
    log = (home / "ralph.log").open("w")
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [RALPH / "python", Path(__file__).with_name("ralph_lrs.py"), str(port)],
        cwd=home,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    lrs = Lrs(endpoint=f"http://127.0.0.1:{port}/xAPI/", data_file=data / "fs_lrs.jsonl")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/__heartbeat__", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("Ralph did not start: " + (home / "ralph.log").read_text()[-3000:])
            time.sleep(0.2)
        yield lrs
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


@pytest.fixture
def lrs(ralph_server, settings):
    """The LRS, empty, configured as Lentera's (BASE_URL http://testserver)."""
    ralph_server.empty()
    settings.LENTERA_XAPI_ENDPOINT = ralph_server.endpoint
    settings.LENTERA_XAPI_KEY = KEY
    settings.LENTERA_XAPI_SECRET = SECRET
    settings.LENTERA_XAPI_TIMEOUT = 5
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    return ralph_server
