"""The national managerial and socio-cultural competencies (PermenPANRB 38/2017).

Reference data every installation needs, not demo content; technical competencies belong to each
ministry's own dictionary and are added by editors.
"""

from django.db import migrations

NATIONAL_COMPETENCIES = [{'code': 'M.01',
  'name': 'Integritas',
  'kind': 'manajerial',
  'description': 'Konsisten berperilaku selaras dengan nilai, norma, dan etika organisasi serta '
                 'jujur dalam hubungan dengan atasan, rekan kerja, bawahan, dan pemangku '
                 'kepentingan.',
  'levels': {'1': 'Bertindak sesuai nilai, norma, dan etika organisasi dalam kapasitas pribadi, '
                  'serta jujur dalam melaksanakan tugas.',
             '2': 'Mengingatkan dan mengajak rekan kerja untuk bertindak sesuai nilai, norma, '
                  'dan etika organisasi.',
             '3': 'Memastikan dan menanamkan keyakinan bersama agar anggota unit yang dipimpin '
                  'bertindak sesuai nilai, norma, dan etika organisasi.',
             '4': 'Menciptakan situasi kerja yang mendorong seluruh pihak di organisasi mematuhi '
                  'nilai, norma, dan etika secara konsisten, termasuk ketika menghadapi tekanan.',
             '5': 'Menjadi teladan dalam penerapan standar keadilan dan etika di tingkat '
                  'nasional serta membangun sistem integritas lintas instansi.'}},
 {'code': 'M.02',
  'name': 'Kerjasama',
  'kind': 'manajerial',
  'description': 'Kemampuan menjalin, membina, dan mempertahankan hubungan kerja yang efektif '
                 'serta membangun komitmen bersama, baik di dalam unit kerja maupun lintas '
                 'instansi.',
  'levels': {'1': 'Berpartisipasi aktif dalam kegiatan kelompok dan menyelesaikan bagian '
                  'tugasnya tepat waktu.',
             '2': 'Menumbuhkan tim kerja yang partisipatif dan efektif dengan menghargai masukan '
                  'serta keahlian anggota tim.',
             '3': 'Membangun komitmen tim dan sinergi lintas unit kerja untuk mencapai tujuan '
                  'bersama.',
             '4': 'Membangun sinergi antarunit kerja dan antarinstansi serta mengatasi hambatan '
                  'kerja sama secara konstruktif.',
             '5': 'Menciptakan hubungan kerja sama strategis di tingkat nasional yang memberi '
                  'nilai tambah bagi organisasi dan bangsa.'}},
 {'code': 'M.03',
  'name': 'Komunikasi',
  'kind': 'manajerial',
  'description': 'Kemampuan menerangkan pandangan dan gagasan secara jelas, sistematis, dan '
                 'meyakinkan, baik secara lisan maupun tertulis, serta mendengarkan secara '
                 'aktif.',
  'levels': {'1': 'Menyampaikan informasi dengan jelas, lengkap, dan santun kepada rekan kerja '
                  'maupun masyarakat.',
             '2': 'Aktif menjalankan komunikasi secara formal dan informal serta mendengarkan '
                  'dengan saksama untuk memahami pesan lawan bicara.',
             '3': 'Mengemukakan pemikiran multidimensi secara lisan dan tertulis untuk mendorong '
                  'kesepakatan dalam rangka meningkatkan kinerja.',
             '4': 'Mengemukakan gagasan yang rumit secara efektif kepada berbagai pemangku '
                  'kepentingan dan menyelaraskan pesan lintas unit.',
             '5': 'Menjadi komunikator yang disegani dalam menyampaikan isu strategis organisasi '
                  'di forum nasional maupun internasional.'}},
 {'code': 'M.04',
  'name': 'Orientasi pada Hasil',
  'kind': 'manajerial',
  'description': 'Kemampuan mempertahankan komitmen pribadi yang tinggi untuk menyelesaikan '
                 'tugas dengan dapat diandalkan, bertanggung jawab, dan selalu berupaya '
                 'meningkatkan hasil kerja.',
  'levels': {'1': 'Bertanggung jawab untuk memenuhi standar kerja yang ditetapkan atasan.',
             '2': 'Menetapkan dan berupaya mencapai standar kerja pribadi yang lebih tinggi dari '
                  'standar yang ditetapkan.',
             '3': 'Menetapkan target kerja yang menantang bagi unit kerja serta memantau '
                  'capaiannya secara berkala.',
             '4': 'Mendorong unit kerja mencapai target yang ditetapkan dengan mengelola sumber '
                  'daya dan risiko secara efektif.',
             '5': 'Mengelola kinerja pada tingkat organisasi untuk menghasilkan dampak yang '
                  'signifikan bagi bangsa dan negara.'}},
 {'code': 'M.05',
  'name': 'Pelayanan Publik',
  'kind': 'manajerial',
  'description': 'Kemampuan melaksanakan tugas pemerintahan, pembangunan, dan pelayanan publik '
                 'secara profesional, transparan, dan berorientasi pada kebutuhan masyarakat.',
  'levels': {'1': 'Menjalankan pelayanan sesuai standar pelayanan dan memberikan informasi yang '
                  'benar kepada pengguna layanan.',
             '2': 'Menunjukkan sikap ramah, cekatan, dan solutif, serta menindaklanjuti '
                  'pengaduan masyarakat dengan tepat.',
             '3': 'Memanfaatkan hasil survei kepuasan masyarakat dan pengaduan untuk memperbaiki '
                  'proses layanan di unit kerjanya.',
             '4': 'Merancang inovasi dan standar pelayanan yang menjawab kebutuhan kelompok '
                  'pengguna yang beragam, termasuk kelompok rentan.',
             '5': 'Menciptakan kebijakan dan sistem pelayanan publik yang berdampak luas dan '
                  'menjadi rujukan nasional.'}},
 {'code': 'M.06',
  'name': 'Pengembangan Diri dan Orang Lain',
  'kind': 'manajerial',
  'description': 'Kemampuan meningkatkan pengetahuan dan menyempurnakan keterampilan diri, serta '
                 'menginspirasi orang lain untuk mengembangkan potensinya.',
  'levels': {'1': 'Mengidentifikasi kebutuhan belajar diri sendiri dan mengikuti kegiatan '
                  'pengembangan kompetensi secara aktif.',
             '2': 'Meningkatkan kemampuan bawahan atau rekan kerja dengan berbagi pengetahuan '
                  'dan memberikan contoh kerja.',
             '3': 'Memberikan umpan balik, coaching, dan kesempatan belajar yang terencana '
                  'kepada bawahan.',
             '4': 'Menyusun program pengembangan jangka panjang bagi unit kerja yang terhubung '
                  'dengan kebutuhan organisasi.',
             '5': 'Menciptakan budaya belajar di tingkat organisasi dan menyiapkan kader '
                  'pemimpin masa depan.'}},
 {'code': 'M.07',
  'name': 'Mengelola Perubahan',
  'kind': 'manajerial',
  'description': 'Kemampuan menyesuaikan diri dengan situasi baru dan mendorong perubahan yang '
                 'bermanfaat bagi organisasi serta pelayanan kepada masyarakat.',
  'levels': {'1': 'Menyesuaikan diri dengan kebijakan, prosedur, atau teknologi baru yang '
                  'ditetapkan organisasi.',
             '2': 'Proaktif beradaptasi dan membantu rekan kerja memahami tujuan serta manfaat '
                  'perubahan.',
             '3': 'Membantu dan mendampingi anggota tim melewati proses perubahan, termasuk '
                  'mengelola penolakan.',
             '4': 'Memimpin perubahan di unit kerja dengan strategi komunikasi, pelibatan, dan '
                  'pemantauan yang terencana.',
             '5': 'Menggerakkan perubahan besar di tingkat organisasi dan memastikan perubahan '
                  'tersebut berkelanjutan.'}},
 {'code': 'M.08',
  'name': 'Pengambilan Keputusan',
  'kind': 'manajerial',
  'description': 'Kemampuan membuat keputusan yang baik secara tepat waktu dan dengan keyakinan '
                 'diri setelah mempertimbangkan prinsip kehati-hatian, data, dan risiko.',
  'levels': {'1': 'Mengumpulkan informasi yang relevan untuk mengambil keputusan sesuai prosedur '
                  'yang berlaku.',
             '2': 'Menganalisis masalah secara mendalam dan membandingkan beberapa alternatif '
                  'sebelum memutuskan.',
             '3': 'Membandingkan berbagai alternatif, menimbang risiko dan implikasinya, lalu '
                  'memutuskan dengan tepat waktu.',
             '4': 'Menyelesaikan masalah yang kompleks dan mengambil keputusan strategis yang '
                  'berdampak luas bagi organisasi.',
             '5': 'Menghasilkan solusi dan keputusan strategis yang berdampak pada tingkat '
                  'nasional dengan mempertimbangkan kepentingan jangka panjang.'}},
 {'code': 'SK.01',
  'name': 'Perekat Bangsa',
  'kind': 'sosial_kultural',
  'description': 'Kemampuan mempromosikan sikap toleransi, keterbukaan, dan kepekaan terhadap '
                 'perbedaan, serta menjaga persatuan dan kesatuan dalam kemajemukan masyarakat '
                 'Indonesia.',
  'levels': {'1': 'Peka memahami dan menerima kemajemukan serta bersikap adil kepada semua pihak '
                  'tanpa membedakan latar belakang.',
             '2': 'Aktif mengembangkan sikap saling menghargai dan menekankan persamaan serta '
                  'persatuan di lingkungan kerja.',
             '3': 'Mempromosikan dan menjadi perantara dalam membangun hubungan yang harmonis di '
                  'tengah perbedaan kelompok masyarakat.',
             '4': 'Mendayagunakan perbedaan secara konstruktif dan kreatif untuk meningkatkan '
                  'efektivitas organisasi dan pelayanan.',
             '5': 'Menjadi wakil pemerintah yang membangun hubungan sosial psikologis yang kuat '
                  'dan menjaga persatuan di tingkat nasional.'}}]


def add_national_competencies(apps, schema_editor):
    Competency = apps.get_model("content", "Competency")
    CompetencyLevel = apps.get_model("content", "CompetencyLevel")
    for item in NATIONAL_COMPETENCIES:
        competency, created = Competency.objects.get_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "kind": item["kind"],
                "description": item["description"],
            },
        )
        if created:
            CompetencyLevel.objects.bulk_create(
                CompetencyLevel(competency=competency, level=int(level), indicators=text, sort_order=int(level))
                for level, text in sorted(item["levels"].items())
            )


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    operations = [migrations.RunPython(add_national_competencies, migrations.RunPython.noop)]
