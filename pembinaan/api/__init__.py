"""SIBINA's REST API, /api/v1/ (docs/api.md). Django REST Framework, with drf-spectacular for
the OpenAPI schema (/api/schema/) and its documentation page (/api/docs/). Client systems call
it with a token an administrator issued (pembinaan.models.KlienApi); every call is scoped as the
pages scope the HR of the token's units (pembinaan.access.CakupanKlien)."""
