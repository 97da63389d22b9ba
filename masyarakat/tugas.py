"""The masyarakat app's kinds of inbox items (pembinaan.lib.inbox)."""

JENIS = []
