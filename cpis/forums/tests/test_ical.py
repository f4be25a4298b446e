"""The iCalendar writer: escaping and folding by RFC 5545."""

from datetime import UTC, datetime

from cpis.forums import ical


def test_text_values_escape_backslash_semicolon_comma_and_newline():
    assert ical.escape_text("a\\b;c,d\r\ne\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_folding_keeps_lines_within_75_octets_and_never_splits_a_character():
    line = "DESCRIPTION:" + "ë" * 100
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0]] + [p[1:] for p in parts[1:]]) == line


def test_a_short_line_is_not_folded():
    assert ical.fold("SUMMARY:Takim") == "SUMMARY:Takim"


def test_a_calendar_without_events_is_still_valid():
    text = ical.calendar([], name="Forumet", stamp=datetime(2026, 1, 1, tzinfo=UTC))
    assert text.splitlines() == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ical.PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Forumet",
        "END:VCALENDAR",
    ]
