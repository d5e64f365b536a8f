"""Safe fetching against a local server: only what MERIDIAN_CALENDAR_ALLOW lets through, no redirects,
timeouts and a size limit; a misbehaving feed is an error code, never an exception that stops the sync."""
from __future__ import annotations

import ipaddress

import pytest

from bot.calendars.fetch import AllowList, FetchError, check_address, fetch_feed, hint_for, is_public
from tests.support.calendar_server import CalendarServer

LOCAL = AllowList.parse("127.0.0.1")
FEED = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n"


def code_of(url: str, **options) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(FetchError) as raised:
        fetch_feed(url, **options)
    return raised.value.code


def test_loopback_private_and_link_local_addresses_are_refused_unless_allowed(calendar_server: CalendarServer) -> None:
    url = calendar_server.feed("/cal.ics", FEED)
    assert code_of(url) == "blocked_address"
    assert code_of(url.replace("127.0.0.1", "localhost")) == "blocked_address"
    assert fetch_feed(url, allow=LOCAL).body == FEED
    assert fetch_feed(url, allow=AllowList.parse("10.0.0.0/8, 127.0.0.0/8")).body == FEED
    for address in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.5", "169.254.169.254", "::1", "fe80::1",
                    "::ffff:127.0.0.1", "0.0.0.0", "100.64.0.1"):
        assert not is_public(ipaddress.ip_address(address)), address
    assert is_public(ipaddress.ip_address("142.250.74.46"))


def test_conditional_requests_get_a_304(calendar_server: CalendarServer) -> None:
    url = calendar_server.feed("/cal.ics", FEED)
    first = fetch_feed(url, allow=LOCAL)
    again = fetch_feed(url, etag=first.etag, last_modified=first.last_modified, allow=LOCAL)
    assert again.unchanged and again.etag == first.etag
    assert calendar_server.requests[-1][1]["If-None-Match"] == first.etag


def test_redirects_are_not_followed(calendar_server: CalendarServer) -> None:
    target = calendar_server.feed("/real.ics", FEED)
    assert code_of(calendar_server.redirect("/moved.ics", target), allow=LOCAL) == "redirect"
    # ... not even to a metadata address that a redirect would otherwise reach.
    assert code_of(calendar_server.redirect("/evil.ics", "http://169.254.169.254/latest/meta-data/"),
                   allow=LOCAL) == "redirect"
    assert [path for path, _ in calendar_server.requests] == ["/moved.ics", "/evil.ics"]


def test_slow_huge_and_missing_feeds(calendar_server: CalendarServer) -> None:
    assert code_of(calendar_server.slow("/slow.ics", 2.0), allow=LOCAL, timeout=0.3) == "timeout"
    assert code_of(calendar_server.huge("/huge.ics", 4 * 1024 * 1024), allow=LOCAL, max_bytes=1024 * 1024) == "too_large"
    assert code_of(calendar_server.url("/missing.ics"), allow=LOCAL) == "http_404"


@pytest.mark.parametrize(("url", "code"), [("ftp://example.com/a.ics", "scheme"), ("file:///etc/passwd", "scheme"),
                                           ("https://me:secret@example.com/a.ics", "credentials"),
                                           ("https:///a.ics", "no_host"), ("http://example.com:99999/a.ics", "bad_port")])
def test_addresses_that_are_refused_before_any_request(url: str, code: str) -> None:
    with pytest.raises(FetchError) as raised:
        check_address(url)
    assert raised.value.code == code


def test_only_the_host_of_an_address_is_ever_shown() -> None:
    hint = hint_for("https://calendar.google.com/calendar/ical/me%40x.com/private-0123456789abcdef/basic.ics")
    assert hint == "calendar.google.com/….ics"
    assert hint_for("https://outlook.office365.com/owa/calendar/abc@x.com/SECRET/calendar.ics") == "outlook.office365.com/….ics"
