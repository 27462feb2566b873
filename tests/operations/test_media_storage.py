"""core.storage.SharedMediaStorage in one process: a rendition has one name whoever writes it,
written whole (a temporary file renamed over it); every other file keeps Django's unique names.
The race itself, with two processes, is in test_shared_media.py."""

import stat

from django.core.files.base import ContentFile

from core.storage import SharedMediaStorage


def test_a_rendition_written_twice_keeps_its_one_name_and_leaves_nothing_behind(tmp_path):
    storage = SharedMediaStorage(location=tmp_path)
    first = storage.save("images/kelas.2e16d0ba.fill-120x90.png", ContentFile(b"rendition"))
    second = storage.save("images/kelas.2e16d0ba.fill-120x90.png", ContentFile(b"rendition"))
    assert first == second == "images/kelas.2e16d0ba.fill-120x90.png"
    assert [path.name for path in (tmp_path / "images").iterdir()] == [
        "kelas.2e16d0ba.fill-120x90.png"
    ]
    written = tmp_path / first
    assert written.read_bytes() == b"rendition"
    assert stat.S_IMODE(written.stat().st_mode) == 0o644  # readable by the web server in front


def test_uploads_of_one_name_still_get_names_of_their_own(tmp_path):
    storage = SharedMediaStorage(location=tmp_path)
    first = storage.save("original_images/kelas.png", ContentFile(b"one"))
    second = storage.save("original_images/kelas.png", ContentFile(b"two"))
    assert first == "original_images/kelas.png"
    assert second != first and second.startswith("original_images/kelas_")
    assert (tmp_path / first).read_bytes() == b"one"
    assert (tmp_path / second).read_bytes() == b"two"
