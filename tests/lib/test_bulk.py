from django.contrib.auth.models import Group

from pembinaan.lib import bulk
from pembinaan.lib.bulk import update_from_values


def test_each_row_gets_its_own_values_and_other_rows_stay(db, monkeypatch):
    monkeypatch.setattr(bulk, "BATCH", 2)  # three statements for five rows
    groups = [Group.objects.create(name=f"g{i}") for i in range(6)]
    rows = [(g.pk, f"baru {i}") for i, g in enumerate(groups[:5])]
    update_from_values("auth_group", "id", ["name"], rows)
    names = dict(Group.objects.values_list("pk", "name"))
    assert [names[g.pk] for g in groups] == ["baru 0", "baru 1", "baru 2", "baru 3", "baru 4", "g5"]


def test_no_rows_run_no_statement(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        update_from_values("auth_group", "id", ["name"], [])
