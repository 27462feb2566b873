"""Media and private files on storage every app server shares (README, "Deploying on several
machines": a shared filesystem mounted at MEDIA_ROOT and PRIVATE_MEDIA_ROOT).

Two gunicorn app servers on different ports, one database, one Redis (cache and sessions) and
one pair of media folders: what an editor uploads through one server is served by the other,
the session is honoured by both, and two processes rendering the same image at the same moment
leave one rendition row and one file per filter (core.storage; without it, 11 of these 30
filters left a second, orphaned file).
"""

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image as PILImage
from pypdf import PdfWriter

from tests.operations.processes import (
    process_env,
    redis_flushed,
    redis_test_url,
    shared_database_url,
    shared_rows,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FILTERS = [f"fill-{20 + 4 * n}x{20 + 3 * n}" for n in range(30)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _png() -> bytes:
    image = PILImage.frombytes("RGB", (400, 300), os.urandom(400 * 300 * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


@contextmanager
def _app_servers(env: dict, count: int = 2):
    """`count` gunicorn app servers (one worker each) on ports of their own, ready."""
    ports = [_free_port() for _ in range(count)]
    servers = [
        subprocess.Popen(  # noqa: S603 - the project's own WSGI application
            [
                sys.executable,
                "-m",
                "gunicorn",
                "lentera.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "120",
            ],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        for port in ports
    ]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        deadline = time.monotonic() + 90
        for url, server in zip(urls, servers, strict=True):
            while True:
                assert server.poll() is None, server.stderr.read().decode()
                try:
                    # The first request loads the URLconf and the apps' views: slow on busy cores.
                    if requests.get(f"{url}/healthz", timeout=60).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                assert time.monotonic() < deadline, "app server did not start"
                time.sleep(0.2)
        yield urls
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)


def _admin_post(session: requests.Session, url: str, form: dict, files: dict) -> requests.Response:
    page = session.get(url, timeout=60)
    assert page.status_code == 200, page.status_code
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        url,
        data={"csrfmiddlewaretoken": token, **form},
        files=files,
        headers={"Referer": url},
        allow_redirects=False,
        timeout=60,
    )


# Each renderer says when it is ready and waits for the word to start, given to both at once.
RENDER = """
import sys, django
django.setup()
from wagtail.images import get_image_model
image = get_image_model().objects.get(pk=int(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()
for spec in sys.argv[2:]:
    image.get_rendition(spec)
print("ok")
"""


@pytest.fixture
def shared(tmp_path, site_tree):
    """The editor's session (made here, in the database both servers read), the shared folders
    and Redis; what the servers need in their environment."""
    editor = get_user_model().objects.create_superuser(
        email="redaktur@instansi.go.id", password="kata-sandi-yang-panjang-sekali"
    )
    client = Client()
    client.force_login(editor)
    url = redis_test_url()
    redis_flushed(url)
    database_url = shared_database_url(tmp_path)
    env = process_env(
        DATABASE_URL=database_url,
        REDIS_URL=url,
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private-media"),
        DEBUG="true",  # Django serves MEDIA_URL here; in production the web server in front does
        WEB_CONCURRENCY="1",
    )
    yield {
        "env": env,
        "database_url": database_url,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "media": tmp_path / "media",
    }
    redis_flushed(url)


def test_an_upload_through_one_app_server_is_served_by_the_other(shared):
    with _app_servers(shared["env"]) as (first, second):
        editor = requests.Session()
        editor.cookies.set(settings.SESSION_COOKIE_NAME, shared["session"])
        document = _pdf()
        response = _admin_post(
            editor,
            f"{first}/admin/documents/add/",
            {"title": "Surat Edaran", "collection": "1"},
            {"file": ("surat-edaran.pdf", document, "application/pdf")},
        )
        assert response.status_code == 302, response.text[:2000]
        ((document_id, name),) = shared_rows(
            shared["database_url"], "SELECT id, file FROM wagtaildocs_document"
        )
        served = requests.get(f"{second}/documents/{document_id}/{Path(name).name}", timeout=60)
        assert served.status_code == 200
        assert served.content == document

        image = _png()
        response = _admin_post(
            editor,
            f"{second}/admin/images/add/",
            {"title": "Foto Pelatihan", "collection": "1", "description": "Peserta pelatihan"},
            {"file": ("pelatihan.png", image, "image/png")},
        )
        assert response.status_code == 302, response.text[:2000]
        ((image_file,),) = shared_rows(
            shared["database_url"], "SELECT file FROM wagtailimages_image"
        )
        original = requests.get(f"{first}{settings.MEDIA_URL}{image_file}", timeout=60)
        assert original.status_code == 200 and original.content == image

        # The session lives in Redis (cached) and the database: both servers know the editor.
        for server in (first, second):
            assert (
                editor.get(f"{server}/admin/", timeout=60, allow_redirects=False).status_code == 200
            )


def test_two_processes_rendering_one_image_at_once_make_each_rendition_once(
    settings, tmp_path, site_tree
):
    from wagtail.images import get_image_model
    from wagtail_factories import ImageFactory

    settings.MEDIA_ROOT = str(tmp_path / "media")  # the shared folder, for this process too
    image = ImageFactory(title="Foto Kelas", file=ContentFile(_png(), name="kelas.png"))
    env = process_env(
        DATABASE_URL=shared_database_url(tmp_path), MEDIA_ROOT=str(tmp_path / "media")
    )
    renderers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", RENDER, str(image.pk), *FILTERS],
            env=env,
            cwd=settings.BASE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    # Both interpreters loaded Django and the image (a fixed 5 s wait before: 2-3 s idle).
    for renderer in renderers:
        assert renderer.stdout.readline().strip() == "ready", renderer.stderr.read()
    for renderer in renderers:
        renderer.stdin.write("go\n")
        renderer.stdin.flush()
    for renderer in renderers:
        out, err = renderer.communicate(timeout=120)
        assert renderer.returncode == 0, err
        assert out.strip() == "ok"

    rendition_table = get_image_model().get_rendition_model()._meta.db_table
    rows = shared_rows(
        env["DATABASE_URL"],
        f"SELECT filter_spec, file FROM {rendition_table} WHERE image_id = {int(image.pk)}",  # noqa: S608
    )
    assert sorted(spec for spec, _ in rows) == sorted(FILTERS)
    files = sorted(path.name for path in (tmp_path / "media" / "images").iterdir())
    assert files == sorted(Path(name).name for _, name in rows), json.dumps(files)
