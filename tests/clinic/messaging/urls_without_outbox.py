"""A URL conf without the Outbox page, for a test of an alert that cannot be built."""

urlpatterns: list = []
