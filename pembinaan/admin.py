from django.contrib import admin

from .models import ProgramPembinaan, TargetProgram, TujuanProgram


class TujuanInline(admin.StackedInline):
    model = TujuanProgram
    extra = 0


class TargetInline(admin.TabularInline):
    model = TargetProgram
    extra = 0


@admin.register(ProgramPembinaan)
class ProgramPembinaanAdmin(admin.ModelAdmin):
    list_display = ["nama", "tahun"]
    inlines = [TujuanInline, TargetInline]
