"""The offline interface's words for the page script (frontend/src/ui/*.js).

The script has no gettext of its own: the view `offline:strings` (/luring/teks.json,
/en/luring/teks.json) serves this dict as JSON in the URL's language, and base.html names that
address (`{% offline_strings_url %}`, versioned by the JSON's hash so that browsers and the
service worker keep it for good). Not in every page: 1 KB gzipped of each page's budget.
Placeholders are Python's `%(name)s`, so that `msgfmt --check` catches a translation that
drops or renames one; the script fills them in (and `%%` stands for a percent sign).
"""

import hashlib
import json
from functools import lru_cache

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

STRINGS = {
    # Save for offline, on course and module pages.
    "size": _("Download size: %(size)s."),
    "size_videos": _("Download size: %(size)s, of which videos %(videos)s."),
    "size_unknown": _("The size is shown when you are online."),
    "saving": _("Saving for offline: %(done)s of %(total)s files…"),
    "saved": _("Saved on this device (%(size)s) on %(date)s."),
    "save_failed": _("Saving did not finish: check the connection and try again."),
    "save_needs_connection": _("Saving for offline needs a connection."),
    "save_again": _("Save again"),
    "packages_not_saved": _(
        "The e-learning packages could not be stored by this browser: their lessons need a "
        "connection."
    ),
    "updated": _("The saved copy was updated to the latest version."),
    "removed": _("Removed from this device."),
    "storage": _("Storage used on this device: %(used)s of %(quota)s available."),
    # Lessons marked as done offline.
    "waiting": _("Waiting to be sent"),
    "completion_queued": _(
        "Marked as done on this device. It will be sent when you are back online."
    ),
    # Untimed quizzes answered offline.
    "quiz_offline_start": _("Answer offline"),
    "quiz_offline_intro": _(
        "You are offline. Your answers are kept on this device and scored when you are back online."
    ),
    "quiz_no_paper": _(
        "This quiz is not saved on this device. Save the course for offline while you are "
        "online to answer it offline."
    ),
    "question": _("Question %(number)s of %(total)s (%(points)s points)"),
    "question_one_point": _("Question %(number)s of %(total)s (1 point)"),
    "choose_every": _("Choose every correct option."),
    "your_answer": _("Your answer"),
    "check_answers": _("Check your answers: they cannot be changed after you submit."),
    "submit_answers": _("Submit answers"),
    "quiz_queued": _("Answers saved. They will be sent and scored when you are online."),
    # Results of what the device sent, shown once on the next page.
    "results_title": _("Sent from this device"),
    "completion_sent": _("“%(title)s” is recorded as done."),
    "progress": _("Course progress: %(percent)s."),
    "certificate": _("Your certificate is ready: %(code)s"),
    "quiz_scored": _("“%(title)s”: score %(score)s."),
    "quiz_passed": _("Passed."),
    "quiz_not_passed": _("Not passed."),
    "see_result": _("See the result"),
    "refused": _("“%(title)s” was not recorded: %(detail)s"),
    # The saved list at /luring/.
    "offline_now": _("You are offline. The courses saved on this device open below."),
    "online_now": _("You are online."),
    "nothing_saved": _(
        "Nothing is saved on this device yet. Open a course while online and choose “Save for "
        "offline”."
    ),
    "signed_out": _("Sign in to see the courses you saved on this device."),
    "saved_item": _("%(size)s, saved on %(date)s"),
    "remove": _("Remove from this device"),
    "lessons": pgettext_lazy("offline list", "Lessons"),
    # Signing out with records not yet sent (main.js asks before dropping them).
    "sign_out_unsent": _(
        "%(count)s records made offline have not been sent yet and will be lost if you sign "
        "out now. Sign out anyway?"
    ),
    # Sign-out clears the whole device's storage, so other accounts' unsent records go too.
    "sign_out_unsent_others": _(
        "%(count)s records made offline on this device have not been sent yet, %(others)s of "
        "them by another account that signed in here (only that account can send them, by "
        "signing in again while online). They will all be lost if you sign out now. Sign out "
        "anyway?"
    ),
}

# A stand-in the script replaces with a certificate's code: reversing with it gives the
# verification page's address in the language (/sertifikat/… or /en/sertifikat/…).
CODE = "__code__"


def strings_data() -> dict:
    """STRINGS in the active language, with the addresses the script links to."""
    data = {key: str(value) for key, value in STRINGS.items()}
    data["certificate_url"] = reverse("learners:certificate_verify", args=[CODE])
    data["code_placeholder"] = CODE
    return data


def strings_json() -> bytes:
    return json.dumps(strings_data(), ensure_ascii=False, sort_keys=True).encode()


@lru_cache(maxsize=8)
def _version(language: str) -> str:
    with translation.override(language):
        return hashlib.sha256(strings_json()).hexdigest()[:12]


def strings_version() -> str:
    """The hash of the active language's JSON, computed once per language (the words change
    only with a deploy, which restarts the processes)."""
    return _version(translation.get_language() or "id-id")


def strings_url() -> str:
    """The versioned address of the active language's strings."""
    return f"{reverse('offline:strings')}?v={strings_version()}"
