"""Each supported language's ways of writing a meeting time, and its own false friends."""
from __future__ import annotations

import pytest

from tests.bot.conversion.conftest import iso

# Monday 23 March 2026, 09:15 UTC; every zone below is on winter time except New York.
CASES = {
    "de": ("Europe/Berlin", [
        ("Treffen um 15 Uhr", "2026-03-23T14:00Z"),
        ("morgen um 9:30", "2026-03-24T08:30Z"),
        ("um 17.30 Uhr", "2026-03-23T16:30Z"),
        ("am Freitag um 10 Uhr", "2026-03-27T09:00Z"),
        ("Release am 25.03. um 18 Uhr", "2026-03-25T17:00Z"),
        ("Workshop am 27. März um 9:00", "2026-03-27T08:00Z"),
        ("um 16 Uhr deutscher Zeit", "2026-03-23T15:00Z"),
        ("um 3 Uhr nachmittags", "2026-03-23T14:00Z"),
    ]),
    "es": ("Europe/Madrid", [
        ("a las 16:00", "2026-03-23T15:00Z"),
        ("a las 4 de la tarde", "2026-03-23T15:00Z"),
        ("mañana a las 10:30", "2026-03-24T09:30Z"),
        ("el lunes a las 9:00", "2026-03-23T08:00Z"),
        ("el 25 de marzo a las 11:00", "2026-03-25T10:00Z"),
        ("a las 18:00 hora de Londres", "2026-03-23T18:00Z"),
        ("al mediodía", "2026-03-23T11:00Z"),
    ]),
    "fr": ("Europe/Paris", [
        ("à 15h30", "2026-03-23T14:30Z"),
        ("à 15h", "2026-03-23T14:00Z"),
        ("demain à 9h", "2026-03-24T08:00Z"),
        ("à 13 h 30", "2026-03-23T12:30Z"),
        ("vendredi à 14h", "2026-03-27T13:00Z"),
        ("le 25 mars à 10h", "2026-03-25T09:00Z"),
        ("à 8h du soir", "2026-03-23T19:00Z"),
        ("à midi", "2026-03-23T11:00Z"),
    ]),
    "pt_BR": ("America/Sao_Paulo", [
        ("às 15h", "2026-03-23T18:00Z"),
        ("às 15:30", "2026-03-23T18:30Z"),
        ("amanhã às 10h", "2026-03-24T13:00Z"),
        ("às 3 da tarde", "2026-03-23T18:00Z"),
        ("sexta às 11h", "2026-03-27T14:00Z"),
        ("às 16h horário de Brasília", "2026-03-23T19:00Z"),
        ("ao meio-dia", "2026-03-23T15:00Z"),
    ]),
    "ja": ("Asia/Tokyo", [
        ("15時から", "2026-03-23T06:00Z"),
        ("明日15時", "2026-03-24T06:00Z"),
        ("午後3時半", "2026-03-23T06:30Z"),
        ("15時30分", "2026-03-23T06:30Z"),
        ("金曜日の10時", "2026-03-27T01:00Z"),
        ("3月25日14時", "2026-03-25T05:00Z"),
        ("正午に", "2026-03-23T03:00Z"),
        ("ドイツ時間10時", "2026-03-23T09:00Z"),
    ]),
    "hi": ("Asia/Kolkata", [
        ("शाम 4 बजे", "2026-03-23T10:30Z"),
        ("कल सुबह 10 बजे", "2026-03-24T04:30Z"),
        ("3:30 PM पर", "2026-03-23T10:00Z"),
        ("रात 9 बजे", "2026-03-23T15:30Z"),
        ("शुक्रवार को 11 AM", "2026-03-27T05:30Z"),
        ("दोपहर 2 बजे", "2026-03-23T08:30Z"),
    ]),
    "ar": ("Asia/Riyadh", [
        ("الساعة 3 مساءً", "2026-03-23T12:00Z"),
        ("غدًا الساعة 10 صباحًا", "2026-03-24T07:00Z"),
        ("الساعة 15:00", "2026-03-23T12:00Z"),
        ("الساعة ٣ مساءً", "2026-03-23T12:00Z"),
        ("يوم الخميس الساعة 11 صباحًا", "2026-03-26T08:00Z"),
        ("الساعة 9 مساءً بتوقيت القاهرة", "2026-03-23T19:00Z"),
    ]),
}


@pytest.mark.parametrize("locale, zone, text, expected",
                         [(loc, zone, text, exp) for loc, (zone, cases) in CASES.items() for text, exp in cases])
def test_language_forms(one, locale: str, zone: str, text: str, expected: str) -> None:
    assert iso(one(text, zone=zone, locale=locale)) == expected


@pytest.mark.parametrize("locale, zone, text", [
    ("de", "Europe/Berlin", "Ich bin in 10 Minuten da"),
    ("de", "Europe/Berlin", "Budget um 10 Prozent gekürzt"),
    ("de", "Europe/Berlin", "Ich habe 2 Uhren gekauft"),
    ("de", "Europe/Berlin", "Guten Morgen zusammen"),
    ("es", "Europe/Madrid", "Llego en 15 minutos"),
    ("es", "Europe/Madrid", "Se lo di a las 3 personas"),
    ("fr", "Europe/Paris", "J'arrive dans 10 minutes"),
    ("fr", "Europe/Paris", "Il reste 2h de réunion"),
    ("fr", "Europe/Paris", "Le trajet dure 3h"),
    ("fr", "Europe/Paris", "On a gagné 3 à 1"),
    ("pt_BR", "America/Sao_Paulo", "Chego em 10 minutos"),
    ("pt_BR", "America/Sao_Paulo", "Trabalho 8h por dia"),
    ("ja", "Asia/Tokyo", "3時間後に戻ります"),
    ("ja", "Asia/Tokyo", "15分後に始めます"),
    ("ja", "Asia/Tokyo", "比率は16:10にしてください"),
    ("hi", "Asia/Kolkata", "10 मिनट में आता हूँ"),
    ("hi", "Asia/Kolkata", "2 घंटे लगेंगे"),
    ("ar", "Asia/Riyadh", "سأصل خلال 10 دقائق"),
    ("ar", "Asia/Riyadh", "النتيجة 21:15 للفريق"),
])
def test_language_false_friends(find, locale: str, zone: str, text: str) -> None:
    assert find(text, zone=zone, locale=locale) == []


def test_am_or_pm_unknown_is_said_in_every_language(find) -> None:
    for locale, zone, text in (("es", "Europe/Madrid", "a las 4 nos vemos"), ("hi", "Asia/Kolkata", "2 बजे मिलें"),
                               ("ar", "Asia/Riyadh", "الساعة 10"), ("de", "Europe/Berlin", "Treffen um 9")):
        (t,) = find(text, zone=zone, locale=locale)
        assert t.utc is None and t.note.startswith("am_or_pm") and t.zone == zone, (locale, t)


def test_english_is_read_in_every_locale_and_scripts_always(find) -> None:
    assert find("sync at 3pm CET", zone="Asia/Tokyo", locale="ja")[0].zone == "Europe/Berlin"
    assert find("明日15時", zone="Europe/Berlin", locale="en")[0].zone == "Europe/Berlin"
