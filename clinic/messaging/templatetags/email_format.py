"""`email_date`: the emails' name for `date_as` (clinic.dates), kept so `{% load email_format %}` works.

The formats are clinic.dates' one table; message_render activates the patient's
language, so an email is dated the way its reader writes dates.
"""

from django import template

from clinic.dates import date_as as email_date

register = template.Library()

register.filter("email_date", email_date, expects_localtime=True)
