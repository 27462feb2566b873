"""Uploaded packages are checked from the zip's central directory before anything is stored."""

import stat

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from packages.validation import (
    Limits,
    archive_check,
    archive_open,
    entry_chunks,
    unsafe_name_reason,
)
from tests.packages.zips import member, open_zip, scorm12_zip, zip_bytes

LIMITS = Limits(max_files=50, max_bytes=10 * 2**20, max_file_bytes=5 * 2**20, max_ratio=100)


def refusal(data: bytes, *, limits: Limits = LIMITS) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        archive_check(open_zip(data), limits=limits)
    return caught.value


def message(error: ValidationError) -> str:
    return str(error.message) % (error.params or {})


def test_a_valid_package_passes_with_its_members():
    checked = archive_check(open_zip(scorm12_zip({"css/gaya.css": b"p{}"})), limits=LIMITS)
    assert set(checked.members) == {"imsmanifest.xml", "index.html", "css/gaya.css"}
    assert checked.read("index.html") == b"<p>Halo</p>"


def test_a_file_that_is_not_a_zip_is_refused():
    upload = SimpleUploadedFile("kursus.zip", b"%PDF-1.4 not a zip at all")
    with pytest.raises(ValidationError) as caught:
        archive_open(upload)
    assert caught.value.code == "not_a_zip"


@pytest.mark.parametrize(
    "name",
    ["../evil.html", "sco/../../evil.html", "/etc/evil.html", "C:/evil.html", "c:evil.html",
     "sco\\..\\evil.html", "./index2.html", "sco//evil.html"],
)  # fmt: skip
def test_zip_slip_names_are_refused_naming_the_file(name):
    error = refusal(scorm12_zip({member(name): b"x"}))
    assert error.code == "unsafe_path"
    assert name[-10:] in message(error)


def test_unsafe_name_reasons():
    assert unsafe_name_reason("sco/index.html") is None
    assert unsafe_name_reason("sco/") is None
    assert unsafe_name_reason("../x") == "parent"
    assert unsafe_name_reason("/x") == "absolute"
    assert unsafe_name_reason("D:\\x") == "backslash"
    assert unsafe_name_reason("D:x") == "drive"
    assert unsafe_name_reason("a\x00b") == "control"


def test_a_symbolic_link_is_refused():
    link = member("sco/passwd.html", mode=stat.S_IFLNK | 0o777)
    error = refusal(scorm12_zip({link: b"/etc/passwd"}))
    assert error.code == "symlink"
    assert "sco/passwd.html" in message(error)


def test_a_special_file_is_refused():
    error = refusal(scorm12_zip({member("pipe.txt", mode=stat.S_IFIFO | 0o644): b""}))
    assert error.code == "special_file"


def test_a_unix_mode_without_a_file_type_is_an_ordinary_file():
    # What Python's ZipFile.writestr(name, data) stores: permissions 0o600 and no type bits.
    checked = archive_check(
        open_zip(scorm12_zip({member("a.js", mode=0o600): b"1"})), limits=LIMITS
    )
    assert "a.js" in checked.members


def test_a_zip_made_on_windows_has_no_unix_mode_and_passes():
    checked = archive_check(
        open_zip(scorm12_zip({member("a.js", mode=0, system=0): b"1"})), limits=LIMITS
    )
    assert "a.js" in checked.members


def test_too_many_files_are_refused():
    files = {f"img/{n}.png": b"x" for n in range(10)}
    error = refusal(scorm12_zip(files), limits=Limits(11, 10**7, 10**7, 100))
    assert error.code == "too_many_files"
    assert "12" in message(error) and "11" in message(error)


def test_more_bytes_unpacked_than_allowed_are_refused():
    files = {f"media/{n}.mp3": bytes(range(256)) * 400 for n in range(5)}
    error = refusal(scorm12_zip(files), limits=Limits(50, 300_000, 10**7, 100))
    assert error.code == "too_big"


def test_one_file_larger_than_allowed_is_refused_naming_it():
    error = refusal(
        scorm12_zip({"media/film.mp4": bytes(range(256)) * 1000}),
        limits=Limits(50, 10**7, 100_000, 100),
    )
    assert error.code == "file_too_big"
    assert "media/film.mp4" in message(error)


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    error = refusal(scorm12_zip({"data/zeros.json": bytes(3 * 1024 * 1024)}))
    assert error.code == "compression_ratio"
    assert "data/zeros.json" in message(error)


@pytest.mark.parametrize("name", ["tools/setup.exe", "api/proxy.php", "README", "run.sh"])
def test_file_types_outside_the_allow_list_are_refused(name):
    error = refusal(scorm12_zip({name: b"x"}))
    assert error.code == "file_type"
    assert name in message(error)


@pytest.mark.parametrize("name", ["lib/inner.zip", "common/LMSTest.jar", "old/intro.swf", "x.h5p"])
def test_nested_archives_applets_and_flash_are_left_out_not_extracted(name):
    checked = archive_check(open_zip(scorm12_zip({name: b"PK\x03\x04"})), limits=LIMITS)
    assert name not in checked.members
    assert checked.left_out == [name]


def test_operating_system_litter_is_skipped():
    checked = archive_check(
        open_zip(scorm12_zip({"__MACOSX/._index.html": b"x", "sco/.DS_Store": b"x"})),
        limits=LIMITS,
    )
    assert set(checked.members) == {"imsmanifest.xml", "index.html"}
    assert checked.left_out == []


def test_a_name_given_twice_is_refused():
    # Which of two "index.html" a server would serve is undefined; names differing only in
    # case collide on case-insensitive disks.
    error = refusal(scorm12_zip({"INDEX.html": b"2"}))
    assert error.code == "duplicate"


def test_an_encrypted_member_is_refused():
    data = bytearray(scorm12_zip())
    # Set bit 0 (encrypted) of the general purpose flags in every central directory entry.
    position = data.find(b"PK\x01\x02")
    while position != -1:
        data[position + 8] |= 0x1
        position = data.find(b"PK\x01\x02", position + 4)
    error = refusal(bytes(data))
    assert error.code == "encrypted"


def test_sizes_are_enforced_while_reading_when_the_header_lies():
    """The central directory says 10 bytes; the member holds 4 KB: reading stops and refuses."""
    data = bytearray(scorm12_zip({"sco/data.json": b"[" + b"1," * 2000 + b"1]"}))
    name = b"sco/data.json"
    for signature, size_offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        position = data.find(signature)
        while position != -1:
            name_offset = 46 if signature == b"PK\x01\x02" else 30
            if data[position + name_offset : position + name_offset + len(name)] == name:
                data[position + size_offset : position + size_offset + 4] = b"\x0a\0\0\0"
            position = data.find(signature, position + 4)
    checked = archive_check(open_zip(bytes(data)), limits=LIMITS)
    with pytest.raises(ValidationError) as caught:
        b"".join(entry_chunks(checked, checked.members["sco/data.json"]))
    assert caught.value.code in ("damaged", "size_mismatch")
    assert "sco/data.json" in message(caught.value)


def test_an_empty_zip_is_refused():
    error = refusal(zip_bytes({"__MACOSX/x": b""}))
    assert error.code == "empty"


@pytest.mark.parametrize(
    ("file", "other"),
    [("x.html", "x.html/y.js"), ("a/b.css", "a/b.css/c/d.js"), ("X.html", "x.html/y.js")],
)
def test_a_file_whose_name_is_another_files_folder_is_refused_naming_both(file, other):
    error = refusal(scorm12_zip({file: b"1", other: b"2"}))
    assert error.code == "file_folder_conflict"
    assert file in message(error) and other in message(error)


def test_a_file_beside_a_folder_of_a_similar_name_passes():
    checked = archive_check(
        open_zip(scorm12_zip({"x.html.d/y.js": b"1", "x.htm": b"2", "x/y.js": b"3"})),
        limits=LIMITS,
    )
    assert {"x.html.d/y.js", "x.htm", "x/y.js"} <= set(checked.members)


@pytest.mark.parametrize(
    "name",
    [
        "a" * 251 + ".html",
        "sco/" + "é" * 127 + ".js",  # 257 bytes in UTF-8, 130 characters
        "/".join(["d" * 250] * 4) + "/" + "e" * 18 + ".js",  # 1025 bytes
    ],
)
def test_a_name_too_long_to_store_is_refused(name):
    error = refusal(scorm12_zip({name: b"1"}))
    assert error.code == "name_too_long"
    assert "255" in message(error) and "1024" in message(error)


def test_names_at_the_length_limits_pass():
    longest = "a" * 250 + ".html"
    deep = "/".join(["d" * 250] * 4) + "/" + "e" * 17 + ".js"
    assert len(longest.encode()) == 255 and len(deep.encode()) == 1024
    checked = archive_check(open_zip(scorm12_zip({longest: b"1", deep: b"2"})), limits=LIMITS)
    assert {longest, deep} <= set(checked.members)
