from pegawai.demo import seed_unit
from pegawai.models import Pegawai


def test_seed_unit_builds_an_opd_of_exactly_n_valid_pegawai_under_one_head(db):
    unit = seed_unit(kode="BENCH25", nama="OPD Uji", jumlah=25)
    people = list(Pegawai.objects.filter(unit=unit).select_related("golongan"))
    assert len(people) == 25
    heads = [p for p in people if p.atasan_id is None]
    assert len(heads) == 1 and all(p.atasan_id == heads[0].pk for p in people if p not in heads)
    for pegawai in people:
        pegawai.full_clean()
    assert seed_unit(kode="BENCH25", nama="OPD Uji", jumlah=25) == unit
    assert Pegawai.objects.filter(unit=unit).count() == 25
