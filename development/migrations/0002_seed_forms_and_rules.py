"""The forms of development (Perlan 10/2018; the two lists of domain.md) with the SIASN
`jenisDiklat` ids where one clearly applies (1-10 seen in public ASN HR apps), and their national
default rules.

The caps are a starting point, not regulation: seminars and socialisations are short events
(at most 4 JP each), self-study and communities of practice count at most 10 JP a year each
so that the 20 JP are not met by reading alone, and self-study needs a report and evidence
checked by the supervisor (BKN's coaching-mentoring-self-learning guidance). Platform admins
correct the forms, and each organization may override the rules for its people.
"""

from decimal import Decimal

from django.db import migrations

KLASIKAL, NONKLASIKAL = "klasikal", "nonklasikal"
NONE, REPORT, FILE, BOTH = "none", "report", "file_or_link", "report_and_evidence"

# code, name, mode, (SIASN id, SIASN name) or None, evidence, max JP per activity, per year
FORMS = [
    ("pelatihan-kepemimpinan", "Pelatihan kepemimpinan", KLASIKAL, (1, "Diklat Struktural"), FILE, None, None),
    ("pelatihan-manajerial", "Pelatihan manajerial", KLASIKAL, (5, "Pelatihan Manajerial"), FILE, None, None),
    ("pelatihan-teknis", "Pelatihan teknis", KLASIKAL, (3, "Diklat Teknis"), FILE, None, None),
    ("pelatihan-fungsional", "Pelatihan fungsional", KLASIKAL, (2, "Diklat Fungsional"), FILE, None, None),
    ("pelatihan-sosial-kultural", "Pelatihan sosial kultural", KLASIKAL, (6, "Pelatihan Sosial Kultural"), FILE, None, None),
    ("seminar", "Seminar, konferensi atau sarasehan", KLASIKAL, (9, "Seminar"), FILE, "4", None),
    ("workshop", "Workshop atau lokakarya", KLASIKAL, (4, "Workshop"), FILE, None, None),
    ("kursus", "Kursus", KLASIKAL, None, FILE, None, None),
    ("penataran", "Penataran", KLASIKAL, None, FILE, None, None),
    ("bimbingan-teknis", "Bimbingan teknis (bimtek)", KLASIKAL, (8, "Bimbingan Teknis"), FILE, None, None),
    ("sosialisasi", "Sosialisasi", KLASIKAL, (7, "Sosialisasi"), FILE, "4", None),
    ("klasikal-lainnya", "Jalur klasikal lainnya", KLASIKAL, None, BOTH, None, None),
    ("coaching", "Coaching", NONKLASIKAL, None, REPORT, None, None),
    ("mentoring", "Mentoring", NONKLASIKAL, None, REPORT, None, None),
    ("e-learning", "E-learning", NONKLASIKAL, None, FILE, None, None),
    ("pelatihan-jarak-jauh", "Pelatihan jarak jauh", NONKLASIKAL, None, FILE, None, None),
    ("detasering", "Detasering (secondment)", NONKLASIKAL, None, BOTH, None, None),
    ("pembelajaran-alam-terbuka", "Pembelajaran alam terbuka (outbound)", NONKLASIKAL, None, FILE, None, None),
    ("patok-banding", "Patok banding (benchmarking)", NONKLASIKAL, None, BOTH, None, None),
    ("pertukaran-pegawai", "Pertukaran PNS dengan pegawai swasta, BUMN atau BUMD", NONKLASIKAL, None, BOTH, None, None),
    ("belajar-mandiri", "Belajar mandiri (self development)", NONKLASIKAL, None, BOTH, None, "10"),
    ("komunitas-belajar", "Komunitas belajar (community of practice)", NONKLASIKAL, None, REPORT, None, "10"),
    ("bimbingan-di-tempat-kerja", "Bimbingan di tempat kerja", NONKLASIKAL, None, REPORT, None, None),
    ("magang", "Magang atau praktik kerja", NONKLASIKAL, (10, "Magang"), BOTH, None, None),
    ("nonklasikal-lainnya", "Jalur nonklasikal lainnya", NONKLASIKAL, None, BOTH, None, None),
]


def seed(apps, schema_editor):
    DevelopmentForm = apps.get_model("development", "DevelopmentForm")
    FormRule = apps.get_model("development", "FormRule")
    for ordering, (code, name, mode, siasn, evidence, per_activity, per_year) in enumerate(FORMS):
        form, _ = DevelopmentForm.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "mode": mode,
                "siasn_jenis_diklat_id": siasn[0] if siasn else None,
                "siasn_jenis_diklat_name": siasn[1] if siasn else "",
                "ordering": ordering,
            },
        )
        FormRule.objects.get_or_create(
            form=form,
            organization=None,
            defaults={
                "evidence": evidence,
                "max_jp_per_activity": Decimal(per_activity) if per_activity else None,
                "max_jp_per_year": Decimal(per_year) if per_year else None,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("development", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
