from django.core.management.base import BaseCommand, CommandError

from evaluasi import demo as evaluasi_demo
from masyarakat import demo as masyarakat_demo
from pegawai import demo
from pelatihan import demo as pelatihan_demo
from pembinaan import demo as pembinaan_demo


class Command(BaseCommand):
    help = "Isi data demo Provinsi Jambi (aman dijalankan berulang kali)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--pegawai",
            type=int,
            default=800,
            help="Jumlah pegawai paling sedikit; 100000 untuk data skala provinsi (benchmark).",
        )

    def handle(self, *args, **options):
        if options["pegawai"] < 10:
            raise CommandError("--pegawai paling sedikit 10.")
        cast = demo.seed(jumlah=options["pegawai"])
        demo.seed_dua_faktor()
        pelatihan_demo.seed()
        evaluasi_demo.seed()
        pelatihan_demo.seed_beasiswa()  # reads the predicates evaluasi's demo stored
        pelatihan_demo.seed_rencana()  # its proposals read them too
        evaluasi_demo.seed_iklim()
        evaluasi_demo.seed_aksi()
        masyarakat_demo.seed()
        masyarakat_demo.seed_masukan()
        masyarakat_demo.seed_forum()
        masyarakat_demo.seed_tugas()
        pembinaan_demo.seed()
        self.stdout.write(self.style.SUCCESS("Data demo siap."))
        self.stdout.write(f"Akun demo (kata sandi semuanya: {demo.DEMO_PASSWORD}):")
        for user in cast:
            nip = f", atau NIP {user.nip}" if user.nip else ""
            self.stdout.write(f"  {user.username:<10} {user.peran}{nip}")
        self.stdout.write(
            f"Verifikasi dua langkah untuk {', '.join(demo.DEMO_DUA_FAKTOR)}: kodenya dari "
            "`manage.py kode_totp <username>` (hanya dengan DEBUG)."
        )
        self.stdout.write(
            f"Token API demo (Dinas Kesehatan, baca dan tulis): {pembinaan_demo.DEMO_API_TOKEN}"
        )
