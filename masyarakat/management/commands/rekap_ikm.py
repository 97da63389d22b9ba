from django.core.management.base import BaseCommand

from masyarakat import rekap


class Command(BaseCommand):
    help = (
        "Bangun ulang rekap IKM bulanan dari seluruh respon survei (setelah data dimuat di luar "
        "aplikasi, mis. langsung dengan SQL)."
    )

    def handle(self, *args, **options):
        written = rekap.bangun()
        self.stdout.write(f"Rekap IKM: {written} unit-bulan ditulis.")
