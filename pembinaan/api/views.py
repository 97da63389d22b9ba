"""The API's endpoints: interfaces only (parse, authorise through pembinaan.access, call the
apps' reports and services, respond), as the pages are. Every list is a keyset page
(pagination.KursorPagination) whose query count does not grow with the rows."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from masyarakat.models import RekapIKM
from masyarakat.referensi import KEYS
from masyarakat.reports import PERIODE, ikm_from, rentang
from pegawai import nip as nip_rules
from pegawai.models import Pegawai, UnitKerja
from pelatihan import reports, services
from pelatihan.forms import KegiatanForm
from pelatihan.models import (
    Angkatan,
    CatatanJP,
    KegiatanEksternal,
    Pelatihan,
    Peserta,
    Sertifikat,
)
from pembinaan.access import can_api_record_for, can_api_write
from pembinaan.lib.params import parse_int

from . import serializers as s

TIDAK_DI_UNIT = "NIP tidak ditemukan di unit kerja token ini."


class ApiMixin:
    """What every endpoint shares: no session (the site's login redirect does not apply; the
    token does), and nothing kept by a browser or proxy."""

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    @property
    def cakupan(self):
        return self.request.auth

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            # DRF's answer to an unknown ?format= is a bare 404, which would read as "no data".
            fmt = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE, "")
            raise exceptions.NotFound(
                f"Format \u201c{fmt}\u201d tidak tersedia di alamat ini; API menjawab JSON "
                "(hapus parameter format)."
            ) from None


def _param_int(request, name: str, *, low: int, high: int, default=None) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    value = parse_int(raw, low=low, high=high)
    if value is None:
        raise exceptions.ValidationError({name: [f"Isi bilangan bulat {low}–{high}."]})
    return value


def _tahun(request) -> int:
    return _param_int(request, "tahun", low=2000, high=2100, default=timezone.localdate().year)


TAHUN = OpenApiParameter("tahun", int, description="Tahun; bawaan tahun berjalan.")
NIP = OpenApiParameter("nip", str, description="Hanya pegawai dengan NIP ini.")


class ApiList(ApiMixin, generics.ListAPIView):
    pass


# --- Units and pegawai ----------------------------------------------------------------------


class UnitKerjaList(ApiList):
    """The units of the token and all their sub-units, in tree order."""

    serializer_class = s.UnitKerjaSerializer
    ordering = "path"

    def get_queryset(self):
        return UnitKerja.objects.filter(pk__in=sorted(self.cakupan.unit_ids))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        parents = {u.path[: -UnitKerja.steplen] for u in page}
        by_path = dict(UnitKerja.objects.filter(path__in=parents).values_list("path", "pk"))
        context = {**self.get_serializer_context(), "unit_by_path": by_path}
        return self.get_paginated_response(
            s.UnitKerjaSerializer(page, many=True, context=context).data
        )


def _pegawai_filtered(request, rows):
    aktif = request.query_params.get("aktif")
    if aktif in ("1", "true", "ya"):
        rows = rows.filter(aktif=True)
    elif aktif in ("0", "false", "tidak"):
        rows = rows.filter(aktif=False)
    unit = _param_int(request, "unit", low=1, high=2**63 - 1)
    if unit is not None:
        chosen = UnitKerja.objects.filter(pk=unit, pk__in=sorted(request.auth.unit_ids)).first()
        if chosen is None:
            raise exceptions.NotFound("Unit ini tidak ada dalam cakupan token.")
        rows = rows.filter(unit__path__startswith=chosen.path)
    if request.query_params.get("nip"):
        rows = rows.filter(nip=nip_rules.normalize(request.query_params["nip"]))
    return rows


PEGAWAI_FILTERS = [
    OpenApiParameter("aktif", str, enum=["1", "0"], description="1 aktif saja, 0 nonaktif saja."),
    OpenApiParameter("unit", int, description="Unit (dengan sub-unitnya) dalam cakupan token."),
    NIP,
]


@extend_schema(parameters=PEGAWAI_FILTERS)
class PegawaiList(ApiList):
    """Pegawai of the token's units, by NIP."""

    serializer_class = s.PegawaiSerializer
    ordering = "nip"

    def get_queryset(self):
        rows = self.cakupan.pegawai().select_related("golongan", "jabatan", "unit", "atasan")
        return _pegawai_filtered(self.request, rows)


class PegawaiDetail(ApiMixin, generics.RetrieveAPIView):
    """One pegawai with their career history (golongan, jabatan, pendidikan, mutasi)."""

    serializer_class = s.PegawaiDetailSerializer

    def get_object(self):
        rows = (
            self.cakupan.pegawai()
            .select_related("golongan", "jabatan", "unit", "atasan")
            .prefetch_related(
                "riwayat_golongan__golongan",
                "riwayat_jabatan__jabatan",
                "riwayat_pendidikan",
                "riwayat_mutasi__unit_asal",
                "riwayat_mutasi__unit_tujuan",
            )
        )
        pegawai = rows.filter(nip=nip_rules.normalize(self.kwargs["nip"])).first()
        if pegawai is None:
            raise exceptions.NotFound("Pegawai dengan NIP ini tidak ada dalam cakupan token.")
        return pegawai


# --- Trainings ------------------------------------------------------------------------------


@extend_schema(parameters=[OpenApiParameter("jenis", int, description="SIASN jenisDiklat.")])
class PelatihanList(ApiList):
    """The training catalogue: every login reads it on the pages, so every token reads it."""

    serializer_class = s.PelatihanSerializer

    def get_queryset(self):
        rows = Pelatihan.objects.select_related("unit_penyelenggara")
        jenis = _param_int(self.request, "jenis", low=1, high=25)
        return rows.filter(jenis=jenis) if jenis else rows


@extend_schema(
    parameters=[
        OpenApiParameter("pelatihan", int),
        OpenApiParameter("status", str, enum=Angkatan.Status.values),
        OpenApiParameter("tahun", int, description="Tahun mulai angkatan."),
    ]
)
class AngkatanList(ApiList):
    """Batches of the catalogue's trainings (their participants: /peserta/)."""

    serializer_class = s.AngkatanSerializer

    def get_queryset(self):
        rows = Angkatan.objects.select_related("pelatihan")
        pelatihan = _param_int(self.request, "pelatihan", low=1, high=2**63 - 1)
        if pelatihan:
            rows = rows.filter(pelatihan_id=pelatihan)
        if self.request.query_params.get("status") in Angkatan.Status.values:
            rows = rows.filter(status=self.request.query_params["status"])
        tahun = _param_int(self.request, "tahun", low=2000, high=2100)
        return rows.filter(tanggal_mulai__year=tahun) if tahun else rows


@extend_schema(parameters=[OpenApiParameter("angkatan", int), NIP])
class PesertaList(ApiList):
    """Participations of the token's pegawai, and every participation of the batches its units
    organise, with the certificate that speaks for each."""

    serializer_class = s.PesertaSerializer

    def get_queryset(self):
        rows = (
            self.cakupan.peserta()
            .select_related("pegawai", "angkatan__pelatihan")
            .prefetch_related("sertifikat_semua")
        )
        angkatan = _param_int(self.request, "angkatan", low=1, high=2**63 - 1)
        if angkatan:
            rows = rows.filter(angkatan_id=angkatan)
        if self.request.query_params.get("nip"):
            rows = rows.filter(pegawai__nip=nip_rules.normalize(self.request.query_params["nip"]))
        return rows


@extend_schema(parameters=[NIP, OpenApiParameter("tahun", int, description="Tahun terbit.")])
class SertifikatList(ApiList):
    """Certificates of the participations the token reads (/peserta/), revoked ones included
    (dicabut_at)."""

    serializer_class = s.SertifikatListSerializer

    def get_queryset(self):
        rows = Sertifikat.objects.filter(
            peserta__in=self.cakupan.peserta().values("pk")
        ).select_related("peserta__pegawai", "peserta__angkatan__pelatihan")
        if self.request.query_params.get("nip"):
            nip = nip_rules.normalize(self.request.query_params["nip"])
            rows = rows.filter(peserta__pegawai__nip=nip)
        tahun = _param_int(self.request, "tahun", low=2000, high=2100)
        return rows.filter(diterbitkan_at__year=tahun) if tahun else rows


# --- The JP ledger --------------------------------------------------------------------------


@extend_schema(parameters=[TAHUN, *PEGAWAI_FILTERS[1:]])
class JPList(ApiList):
    """Each active pegawai's JP of a year from the ledger (pelatihan.reports.with_jp), and
    whether it meets the yearly rule (20 JP for PNS, at most 24 for PPPK)."""

    serializer_class = s.JPPegawaiSerializer
    ordering = "nip"

    def get_queryset(self):
        rows = _pegawai_filtered(self.request, self.cakupan.pegawai().filter(aktif=True))
        return reports.with_jp(rows, _tahun(self.request))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "tahun": _tahun(self.request)}


@extend_schema(parameters=[TAHUN, NIP])
class CatatanJPList(ApiList):
    """The ledger's entries (a completed training or a verified external activity each)."""

    serializer_class = s.CatatanJPSerializer

    def get_queryset(self):
        rows = CatatanJP.objects.filter(
            pegawai__in=self.cakupan.pegawai().values("pk"), tahun=_tahun(self.request)
        ).select_related("pegawai")
        if self.request.query_params.get("nip"):
            rows = rows.filter(pegawai__nip=nip_rules.normalize(self.request.query_params["nip"]))
        return rows


class KepatuhanJP(ApiMixin, APIView):
    """20 JP compliance of the token's units (or one of them, with its sub-units), counted as
    the compliance page counts (pelatihan.reports.kepatuhan_jp)."""

    @extend_schema(parameters=[TAHUN, PEGAWAI_FILTERS[1]], responses=s.KepatuhanSerializer)
    def get(self, request):
        tahun = _tahun(request)
        scope = _pegawai_filtered(request, self.cakupan.pegawai())
        hasil = reports.kepatuhan_jp(scope, tahun)
        data = {
            "tahun": tahun, "target_jp_pns": settings.JP_TARGET_PNS,
            "batas_jp_pppk": settings.JP_MAX_PPPK, "pns": hasil.pns,
            "pns_patuh": hasil.pns_patuh, "persen_patuh": hasil.persen_patuh,
            "pppk": hasil.pppk, "pppk_lebih": hasil.pppk_lebih,
        }  # fmt: skip
        return Response(s.KepatuhanSerializer(data).data)


# --- IKM ------------------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("jenis", str, enum=list(PERIODE), description="Bawaan triwulan."),
        TAHUN,
        OpenApiParameter("ke", int, description="Triwulan 1–4 atau semester 1–2; bawaan 1."),
    ]
)
class IKMList(ApiList):
    """The IKM (PermenPANRB 14/2017) of each service unit of the token's units over a period,
    from the monthly rollup as the IKM page reads it (masyarakat.reports.ikm_unit)."""

    serializer_class = s.IKMSerializer

    def get_queryset(self):
        return self.cakupan.unit_layanan()

    def list(self, request, *args, **kwargs):
        jenis = request.query_params.get("jenis") or "triwulan"
        if jenis not in PERIODE:
            raise exceptions.ValidationError(
                {"jenis": [f"Pilih salah satu: {', '.join(PERIODE)}."]}
            )
        tahun = _tahun(request)
        if jenis == "tahun" and request.query_params.get("ke") not in (None, "", "1"):
            raise exceptions.ValidationError(
                {"ke": ["Periode tahun hanya satu; kosongkan ke (ke dipakai untuk triwulan "
                        "dan semester)."]}
            )  # fmt: skip
        ke = _param_int(request, "ke", low=1, high=12 // PERIODE[jenis], default=1)
        start, end = rentang(jenis, tahun, ke)
        page = self.paginate_queryset(self.get_queryset())
        # The page's units summed in one GROUP BY over the rollup: the same sums ikm_unit makes
        # for one unit, for fifty at once.
        totals = {
            row.pop("unit_layanan"): row
            for row in RekapIKM.objects.filter(unit_layanan__in=page, bulan__range=(start, end))
            .order_by()
            .values("unit_layanan")
            .annotate(**{c: Sum(c) for c in RekapIKM.KOLOM})
        }
        empty = dict.fromkeys(RekapIKM.KOLOM, 0)
        rows = []
        for unit in page:
            hasil = ikm_from({c: v or 0 for c, v in totals.get(unit.pk, empty).items()})
            rows.append({
                "unit_layanan": unit.pk, "nama": unit.nama, "unit": unit.unit_id,
                "periode": f"{jenis} {ke} {tahun}", "mulai": start, "akhir": end,
                "responden": hasil.responden, "nrr": {k: hasil.nrr_tampil(k) for k in KEYS},
                "ikm": None if hasil.ikm is None else round(float(hasil.ikm), 4),
                "konversi": hasil.konversi, "mutu": hasil.mutu, "kinerja": hasil.kinerja,
            })  # fmt: skip
        return self.get_paginated_response(s.IKMSerializer(rows, many=True).data)


# --- SIASN ----------------------------------------------------------------------------------


@extend_schema(parameters=[TAHUN])
class RiwayatKursusList(ApiList):
    """Completed trainings of the token's pegawai in a year, in the fields of SIASN riwayat
    kursus: the rows of the CSV export for BKN (pelatihan.reports.siasn_rows), page by page."""

    serializer_class = s.RiwayatKursusSerializer

    def get_queryset(self):
        return Peserta.objects.filter(
            pegawai__in=self.cakupan.pegawai().values("pk"),
            angkatan__tanggal_selesai__year=_tahun(self.request),
        ).diakui()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = reports.siasn_rows(Peserta.objects.filter(pk__in=[p.pk for p in page]))
        data = [dict(zip(reports.SIASN_HEADER, row, strict=True)) for row in rows]
        return self.get_paginated_response(s.RiwayatKursusSerializer(data, many=True).data)


# --- Writes ---------------------------------------------------------------------------------


BUKAN_OBJEK = 'Isi permintaan harus berupa objek JSON, mis. {"nip": …}, bukan daftar atau nilai.'


def _body(request) -> dict:
    """The request's fields; a JSON body that is a list or a bare value is refused as the
    serializers' English 'Expected a dictionary' would be, in Indonesian."""
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": [BUKAN_OBJEK]})
    return request.data


def _require_write(cakupan) -> None:
    verdict = can_api_write(cakupan.klien)
    if not verdict:
        raise exceptions.PermissionDenied(verdict.message)


def _lewat_api(cakupan) -> str:
    """The audit log's reason of a write made through the API: the client system names itself
    there, as a page's change names its officer."""
    return f"Dicatat lewat API oleh {cakupan.klien.nama}"


def _form_errors(errors) -> dict:
    return {field: [e["message"] for e in items] for field, items in errors.get_json_data().items()}


class KegiatanCreate(ApiMixin, APIView):
    """Record a pegawai's external activity (coaching, mentoring, e-learning, a course…) with
    its evidence: validated as the page's form validates it (the JP rule and its caps, an
    evidence file already claimed), then waiting for its verifier (the atasan for a
    non-classical form, else the unit's HR)."""

    @extend_schema(
        request={"multipart/form-data": s.KegiatanInputSerializer},
        responses={201: s.KegiatanSerializer},
    )
    def post(self, request):
        _require_write(self.cakupan)
        body = _body(request)
        nip = nip_rules.normalize(str(body.get("nip", "")))
        if not nip:
            raise exceptions.ValidationError({"nip": ["Wajib diisi."]})
        pegawai = (
            self.cakupan.pegawai().filter(nip=nip, aktif=True).select_related("atasan").first()
        )
        if pegawai is None:
            raise exceptions.NotFound(TIDAK_DI_UNIT)
        verdict = can_api_record_for(self.cakupan, pegawai)
        if not verdict:
            raise exceptions.PermissionDenied(verdict.message)
        # The form's fields, from multipart or JSON alike; the scale, which the page's form
        # always sends, defaults to national as the model does.
        fields = {f: body.get(f) for f in KegiatanForm.Meta.fields if f in body}
        fields.setdefault("skala", KegiatanEksternal.Skala.NASIONAL)
        form = KegiatanForm(fields, request.FILES, instance=KegiatanEksternal(pegawai=pegawai))
        if not form.is_valid():
            raise exceptions.ValidationError(_form_errors(form.errors))
        kegiatan = form.save(commit=False)
        # The audit log names the client system, as it names the officer of a page's change.
        kegiatan._change_reason = _lewat_api(self.cakupan)
        try:
            kegiatan = services.kegiatan_submit(kegiatan=kegiatan)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(
                error.message_dict
                if hasattr(error, "error_dict")
                else {"non_field_errors": error.messages}
            ) from None
        return Response(s.KegiatanSerializer(kegiatan).data, status=status.HTTP_201_CREATED)


class NominasiCreate(ApiMixin, APIView):
    """Register pegawai of the token's units in a batch by NIP, as HR nominate on the batch's
    page (pelatihan.services.peserta_nominate_many): a seat while one is free, the waitlist
    after; each NIP answered with its result, a refusal with its reason."""

    @extend_schema(
        request=s.NominasiSerializer,
        responses={
            200: s.HasilNominasiSerializer(many=True),
            404: OpenApiResponse(OpenApiTypes.OBJECT),
        },
    )
    def post(self, request, pk: int):
        _require_write(self.cakupan)
        angkatan = get_object_or_404(Angkatan, pk=pk)
        data = s.NominasiSerializer(data=_body(request))
        data.is_valid(raise_exception=True)
        nips = list(dict.fromkeys(data.validated_data["nip"]))
        found = {
            p.nip: p
            for p in Pegawai.objects.filter(nip__in=nips, aktif=True).select_related("unit")
        }
        hasil, chosen = {}, []
        for nip in nips:
            pegawai = found.get(nip)
            if pegawai is None or not can_api_record_for(self.cakupan, pegawai):
                hasil[nip] = ("ditolak", TIDAK_DI_UNIT)
            else:
                chosen.append(pegawai)
        result = services.peserta_nominate_many(
            angkatan=angkatan, pegawai=chosen, reason=_lewat_api(self.cakupan)
        )
        for pegawai in result.terdaftar:
            hasil[pegawai.nip] = ("terdaftar", "")
        for pegawai in result.daftar_tunggu:
            hasil[pegawai.nip] = ("daftar_tunggu", "Kuota penuh; masuk daftar tunggu.")
        for pegawai, reason in result.dilewati:
            hasil[pegawai.nip] = ("ditolak", reason)
        rows = [{"nip": nip, "hasil": hasil[nip][0], "alasan": hasil[nip][1]} for nip in nips]
        return Response(s.HasilNominasiSerializer(rows, many=True).data)


# --- The schema and its page ----------------------------------------------------------------


class Skema(ApiMixin, SpectacularAPIView):
    """The OpenAPI 3 schema: the reference of the API, public (it holds no data)."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = []


class Dokumentasi(ApiMixin, SpectacularSwaggerSplitView):
    """Swagger UI over the schema, its script served from here and its files from our static
    files (drf-spectacular-sidecar): the Content-Security-Policy holds."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = []
    url_name = "api:schema"
