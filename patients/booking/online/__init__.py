"""Online booking by patients: the public /book/ pages, the emailed code, holds and requests.

- `policy`: which starts may be offered online (pure rules: notice, same day, how far ahead).
- `slots`: the offered times, from the calendar's engine (patients.booking.scheduling).
- `verification`: the 6-digit code that proves the typed email address, and the rate limits.
- `services`: who the patient is once the code is right, the hold, its confirmation,
  requests the desk approves or declines.
- `views`, `forms`, `urls`, `emails`: the pages (no JavaScript needed) and their emails.
"""
