"""Calendars: a member's private iCalendar address read on a schedule, so their calendar's vacations
and busy hours reach standups, coffee and `/meet find` without typing them again.

- `fetch`: the only network code, SSRF-safe (public addresses only unless MERIDIAN_CALENDAR_ALLOW);
- `feed`: iCalendar to days off and busy intervals (pure; titles never leave it);
- `sync`: one feed fetched and its time off and busy intervals stored; `models`: the tables;
- `commands`: /profile calendar; `rituals`: `calendar_poll`, the schedule with backoff and a DM
  when a member's feed keeps failing.
"""
