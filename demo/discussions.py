"""Demo discussions, written through `discussions.services` as people would: in the integrity
course's discussion Dewi asks about a lesson, the widyaiswara answers (a trainer's answer) and
she accepts it; in the running cohort's a learner asks, two answer, and the widyaiswara's
announcement is on top (its e-mails recorded as sent, as the demo's reminders are: seeding
sends no mail). Two communities of practice across agencies: policy analysts (moderated by
LAN's widyaiswara, LAN's moderators acting on it too) with a topic, a reply mentioning Dewi, a
shared guide and a coming online meeting; and SKP writers, with one member. Idempotent."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cohorts.models import Cohort
from content.models import Competency
from courses.models import CoursePage, LessonPage
from demo.cohorts import RUNNING
from discussions import communities, services
from discussions.models import Announcement, AnnouncementDelivery, Community, Thread
from discussions.permissions import PARTICIPATING_STATUSES
from learners.models import Enrollment, User

COURSE = "integritas-dan-antikorupsi-asn"


@transaction.atomic
def seed_discussions(report) -> None:
    """Seed the demo discussions once. `report` is `demo.builders.SeedReport`."""
    seed_communities(report)
    course = CoursePage.objects.live().filter(slug=COURSE).first()
    cohort = Cohort.objects.filter(course=course, name=RUNNING).first() if course else None
    if cohort is None or Thread.objects.filter(course=course).exists():
        return
    trainer = User.objects.get(email="widyaiswara@lentera.localhost")
    dewi = User.objects.get(email="peserta1@lentera.localhost")
    lesson = LessonPage.objects.live().descendant_of(course).order_by("path").first()

    question = services.thread_create(
        author=dewi,
        course=course,
        lesson=lesson,
        title="Apakah menerima parsel Lebaran dari rekanan termasuk gratifikasi?",
        body=(
            "Di kantor kami ada kebiasaan rekanan mengirim parsel menjelang Lebaran.\n"
            "Apakah itu wajib dilaporkan, dan ke mana melaporkannya?"
        ),
    )
    answer = services.reply_create(
        thread=question,
        author=trainer,
        body=(
            "Ya: pemberian dari pihak yang berhubungan dengan jabatan Anda adalah gratifikasi.\n"
            "Tolak bila bisa; bila tidak, laporkan paling lambat 30 hari kerja lewat "
            "https://gol.kpk.go.id atau Unit Pengendalian Gratifikasi instansi Anda."
        ),
    )
    services.answer_accept(thread=question, post=answer, user=dewi)

    members = list(
        User.objects.filter(
            enrollments__cohort_membership__cohort=cohort,
            enrollments__status__in=PARTICIPATING_STATUSES,
        ).order_by("full_name")[:2]
    )
    asker, helper = members
    cohort_question = services.thread_create(
        author=asker,
        course=course,
        cohort=cohort,
        title="Tugas studi kasus modul 2 dikumpulkan di mana?",
        body="Saya sudah selesai menulis analisis kasusnya, tetapi belum menemukan tempat unggah.",
    )
    services.reply_create(
        thread=cohort_question,
        author=helper,
        body="Saya juga mencari. Sepertinya dikirim ke widyaiswara lewat surel?",
    )
    services.reply_create(
        thread=cohort_question,
        author=trainer,
        body="Untuk angkatan ini cukup dibawa ke sesi tatap muka Kamis; unggahan menyusul.",
    )

    now = timezone.now()
    announcement = Announcement(
        cohort=cohort,
        author=trainer,
        title="Sesi tatap muka Kamis pukul 09.00 WIB",
        body=(
            "Sesi tatap muka membahas studi kasus modul 2.\n"
            "Tempat: Ruang Rapat Lantai 3. Bawa analisis kasus Anda."
        ),
    )
    announcement.full_clean()
    announcement.save()
    AnnouncementDelivery.objects.bulk_create(
        AnnouncementDelivery(announcement=announcement, recipient_id=user_id, sent_at=now)
        for user_id in Enrollment.objects.filter(
            cohort_membership__cohort=cohort, status__in=PARTICIPATING_STATUSES
        ).values_list("user_id", flat=True)
    )
    report.add("discussion threads", 2)
    report.add("announcements")


@transaction.atomic
def seed_communities(report) -> None:
    """Seed the demo communities of practice once."""
    if Community.objects.exists():
        return
    trainer = User.objects.get(email="widyaiswara@lentera.localhost")
    dewi = User.objects.get(email="peserta1@lentera.localhost")
    yusuf = User.objects.get(email="peserta2@lentera.localhost")
    policy = Community(
        name="Komunitas Analis Kebijakan",
        slug="analis-kebijakan",
        description=(
            "Tempat para analis kebijakan dari semua instansi berbagi praktik baik: "
            "naskah kebijakan, analisis dampak regulasi, dan konsultasi publik."
        ),
        competency=Competency.objects.filter(code="T.01").first(),
        occupational_group="Analis Kebijakan",
        organization=trainer.organization,
    )
    policy.full_clean()
    policy.save()
    policy.moderators.add(trainer)
    skp = Community(
        name="Komunitas Penyusun SKP",
        slug="penyusun-skp",
        description="Berbagi contoh sasaran kinerja pegawai dan cara menyelaraskannya.",
        competency=Competency.objects.filter(code="T.06").first(),
        occupational_group="Analis Sumber Daya Manusia Aparatur",
    )
    skp.full_clean()
    skp.save()
    for person in (trainer, dewi, yusuf):
        communities.community_join(community=policy, user=person)
    communities.community_join(community=skp, user=yusuf)

    topic = services.thread_create(
        author=yusuf,
        community=policy,
        title="Contoh analisis dampak regulasi untuk peraturan daerah?",
        body=(
            "Kami sedang menyusun ranperda retribusi. Adakah yang punya contoh analisis "
            "dampak regulasi (RIA) yang pernah dipakai instansi lain?"
        ),
    )
    services.reply_create(
        thread=topic,
        author=trainer,
        body=(
            f"Panduan RIA dari LAN sudah saya bagikan di Sumber belajar. @{dewi.full_name}, "
            "instansi Anda pernah memakainya untuk Perda pelayanan, bukan?"
        ),
    )
    communities.resource_create(
        community=policy,
        author=trainer,
        title="Panduan Analisis Dampak Regulasi",
        description="Langkah RIA dari identifikasi masalah sampai konsultasi publik.",
        url="https://lan.go.id/",
    )
    starts = (timezone.localtime() + timedelta(days=10)).replace(
        hour=13, minute=30, second=0, microsecond=0
    )
    communities.event_create(
        community=policy,
        author=trainer,
        title="Temu daring: belajar dari RIA perda retribusi",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1, minutes=30),
        link="https://meet.example.go.id/analis-kebijakan",
        description="Yusuf memaparkan draf RIA-nya; anggota memberi masukan.",
    )
    report.add("communities of practice", 2)
