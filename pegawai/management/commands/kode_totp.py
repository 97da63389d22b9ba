"""The current code of a login's authenticator key, for the demo: whoever tries the demo (or
reviews it) signs in as its HR without a phone. Refused unless DEBUG: on a real server it would
let whoever runs commands there pass anybody's second step."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from pegawai import dua_faktor
from pegawai.models import User


class Command(BaseCommand):
    help = "Tampilkan kode verifikasi dua langkah saat ini untuk akun demo (hanya dengan DEBUG)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("kode_totp hanya untuk demo: jalankan dengan DEBUG=1.")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Akun {options['username']!r} tidak ada.")
        device = dua_faktor.totp_device(user)
        if device is None:
            raise CommandError(f"Akun {user.username} belum mendaftarkan aplikasi autentikator.")
        kode = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{kode:0{device.digits}d}")
