"""Classifications of a course, from the domain brief (ASN competency development practice)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    BASIC = "dasar", _("Basic")
    INTERMEDIATE = "menengah", _("Intermediate")
    ADVANCED = "lanjut", _("Advanced")


class EnrollmentPolicy(models.TextChoices):
    OPEN = "open", _("Open: enroll immediately")
    APPROVAL = "approval", _("Approval required")
    COHORT = "cohort", _("Cohort only")


class CompletionRule(models.TextChoices):
    REQUIRED_LESSONS = "required_lessons", _("All required lessons completed")


class CourseLanguage(models.TextChoices):
    INDONESIAN = "id", _("Bahasa Indonesia")
    ENGLISH = "en", _("English")


# Learning modes (jalur) as agencies record them: classroom (klasikal) and
# non-classroom (nonklasikal); both count towards the yearly JP.
CLASSROOM_MODES = [
    ("leadership", _("Leadership training")),
    ("managerial", _("Managerial training")),
    ("technical", _("Technical training")),
    ("functional", _("Functional training")),
    ("socio_cultural", _("Socio-cultural training")),
    ("seminar", _("Seminar or conference")),
    ("workshop", _("Workshop")),
    ("classroom_course", _("Course")),
    ("upgrading", _("Upgrading (penataran)")),
    ("bimtek", _("Technical guidance (bimtek)")),
    ("socialisation", _("Socialisation")),
    ("classroom_other", _("Other classroom learning")),
]
NON_CLASSROOM_MODES = [
    ("coaching", _("Coaching")),
    ("mentoring", _("Mentoring")),
    ("e_learning", _("E-learning")),
    ("distance_training", _("Distance training")),
    ("secondment", _("Secondment (detasering)")),
    ("outbound", _("Outbound")),
    ("benchmarking", _("Benchmarking (patok banding)")),
    ("exchange", _("Exchange with private or state-company staff")),
    ("self_study", _("Self-study")),
    ("community_of_practice", _("Community of practice")),
    ("on_the_job", _("On-the-job guidance")),
    ("internship", _("Internship")),
    ("non_classroom_other", _("Other non-classroom learning")),
]
LEARNING_MODE_CHOICES = [
    (_("Classroom"), CLASSROOM_MODES),
    (_("Non-classroom"), NON_CLASSROOM_MODES),
]
LEARNING_MODE_LABELS = dict(CLASSROOM_MODES + NON_CLASSROOM_MODES)
