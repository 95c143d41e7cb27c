"""Growing the demo clinic into a clinic group for load measurement (manage.py seed_scale)."""
