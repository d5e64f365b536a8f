"""/holidays, the weekly digest and the heads-up, in a team with a Friday-Saturday weekend (Riyadh)
and regional holidays (Bavaria has Epiphany and Corpus Christi, Berlin does not)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import holidays
from bot.core import Meridian
from bot.holidays.absences import heads_up_items
from bot.holidays.messages import heads_up, weekly_digest
from bot.holidays.team import colleagues, reference_zone
from bot.i18n import Translator
from bot.models import Member, Workspace
from tests.conftest import plain, shell_as
from tests.support.meetings_team import team  # noqa: F401  (fixture)


def member(session: Session, user_id: str) -> Member:
    return session.scalar(select(Member).where(Member.user_id == user_id))


def workspace(session: Session) -> Workspace:
    return session.scalar(select(Workspace))


def test_estimated_dates_are_flagged_in_every_language_and_names_stay_clean() -> None:
    for locale in ("ar", "en"):
        eid = holidays.holidays_between("SA", None, date(2026, 3, 19), date(2026, 3, 24), locale)
        assert len(eid) == 6 and all(h.estimated for h in eid)
        assert not any("estimated" in h.name or "تقدير" in h.name for h in eid)
    assert holidays.holiday_on("SA", None, date(2026, 3, 23), "ar").name == "عطلة عيد الفطر (يوم تعويضي)"
    assert not holidays.holiday_on("SA", None, date(2026, 9, 23), "ar").estimated      # National Day is fixed
    assert not holidays.holiday_on("DE", "BY", date(2026, 6, 4), "de").estimated
    assert holidays.holiday_on("DE", "BY", date(2026, 6, 4), "de").name == "Fronleichnam"


def test_holiday_names_are_in_the_readers_language_where_the_data_has_it_else_english() -> None:
    """python-holidays translates many countries; the reader's language wins, then English, never a script
    the reader may not read (a German colleague of a Tokyo teammate sees "New Year's Day", not 元日)."""
    def name(country: str, day: date, locale: str) -> str:
        found = holidays.holiday_on(country, None, day, locale)
        assert found is not None
        return found.name

    assert name("JP", date(2026, 1, 1), "ja") == "元日"
    assert name("JP", date(2026, 1, 1), "de") == "New Year's Day"
    assert name("AT", date(2026, 6, 4), "de") == "Fronleichnam"
    assert name("CA", date(2026, 7, 1), "ar") == "يوم كندا"
    assert name("IN", date(2026, 1, 26), "hi") == "गणतंत्र दिवस"
    assert name("BR", date(2026, 4, 21), "pt_BR") == "Tiradentes"
    assert name("MX", date(2026, 9, 16), "es_419") == "Día de la Independencia"
    assert name("GB", date(2026, 12, 26), "ja") == "Boxing Day"                 # the country's own English


def test_weekly_digest_lists_regional_holidays_and_the_weekends_that_differ(team: Meridian) -> None:
    with team.db.session() as session:
        digest = weekly_digest(session, workspace(session), date(2026, 1, 5))
        assert digest is not None and not digest.ephemeral
        text = plain(digest.as_text())
    assert "Holidays and time off, Mon, Jan 5 – Sun, Jan 11" in text
    assert "Tue, Jan 6 · Lena Huber (Berlin): Epiphany" in text
    assert "Felix" not in text                                   # Berlin (BE) has no Epiphany
    assert "Friday and Saturday are the weekend in Riyadh (Omar Al-Harbi)." in text
    assert "Saturday and Sunday for everyone else." in text


def test_digest_marks_estimated_dates_and_speaks_the_workspace_language(team: Meridian) -> None:
    with team.db.session() as session:
        ws = workspace(session)
        text = plain(weekly_digest(session, ws, date(2026, 3, 16)).as_text())
        assert "Thu, Mar 19 – Tue, Mar 24 · Omar Al-Harbi (Riyadh): Eid al-Fitr Holiday and Eid al-Fitr Holiday (observed) (date estimated)" in text
        ws.locale = "de"
        german = plain(weekly_digest(session, ws, date(2026, 6, 1)).as_text())
        line = next(l for l in german.splitlines() if "Lena Huber" in l)
        assert "Do., 4. Juni" in line and "Fronleichnam" in line
        assert "Freitag und Samstag" in german


def test_digest_says_nothing_when_there_is_nothing_to_say(team: Meridian) -> None:
    with team.db.session() as session:
        ws = workspace(session)
        for user_id in ("omar",):
            session.delete(member(session, user_id))
        session.flush()
        # 2026-02-02..08: no holiday for anyone left, and one shared weekend.
        assert weekly_digest(session, ws, date(2026, 2, 2)) is None


def test_reference_zone_is_the_most_shared_zone_then_an_admins() -> None:
    def m(tz: str, admin: bool = False) -> Member:
        return Member(user_id=tz, tz=tz, is_admin=admin)
    assert reference_zone([m("Asia/Tokyo"), m("Europe/Berlin", True), m("Asia/Tokyo")]) == "Asia/Tokyo"
    assert reference_zone([m("Asia/Tokyo"), m("Europe/Berlin", True)]) == "Europe/Berlin"
    assert reference_zone([]) == "UTC"


def test_heads_up_goes_out_the_working_day_before_a_colleagues_day_off(team: Meridian) -> None:
    with team.db.session() as session:
        felix, omar, lena = (member(session, u) for u in ("felix", "omar", "lena"))
        ws = workspace(session)
        # Felix has no meetings: he works with the whole team, and hears of Lena's Bavarian Epiphany on Monday.
        items = heads_up_items(felix, colleagues(session, ws.id, felix), date(2026, 1, 5), "en")
        assert [(p.member.user_id, p.start, p.names) for p in items] == [("lena", date(2026, 1, 6), ["Epiphany"])]
        # Lena shares meetings with Priya, Nia and Hana: those are her colleagues, not Omar.
        assert sorted(m.user_id for m in colleagues(session, ws.id, lena)) == ["hana", "nia", "priya"]
        # On 18 March both hear of Priya's Ugadi (Karnataka); only Felix hears of Omar's Eid.
        assert [(p.member.user_id, p.names) for p in heads_up_items(lena, colleagues(session, ws.id, lena),
                                                                    date(2026, 3, 18), "en")] == [("priya", ["Ugadi"])]
        assert sorted(p.member.user_id for p in heads_up_items(felix, colleagues(session, ws.id, felix),
                                                               date(2026, 3, 18), "en")) == ["omar", "priya"]
        # Omar's week runs Sunday-Thursday: on Thursday 2 April he hears of Good Friday (his weekend, their holiday) ...
        thursday = heads_up_items(omar, colleagues(session, ws.id, omar), date(2026, 4, 2), "en")
        assert {(p.member.user_id, p.start) for p in thursday} >= {("lena", date(2026, 4, 3)), ("felix", date(2026, 4, 3))}
        # ... and of Easter Monday on Sunday 5 April, a working day in Riyadh.
        sunday = heads_up_items(omar, colleagues(session, ws.id, omar), date(2026, 4, 5), "en")
        assert {(p.member.user_id, p.names[0]) for p in sunday} >= {("lena", "Easter Monday"), ("felix", "Easter Monday")}
        # Lena's heads-up, in German, names Priya's holiday the day before it.
        message = plain(heads_up(Translator("de"), heads_up_items(lena, colleagues(session, ws.id, lena),
                                                                  date(2026, 3, 25), "de")).as_text())
        line = next(l for l in message.splitlines() if "Priya Nair" in l)
        assert "Do., 26. März" in line and "Ram Navami" in line


def test_holidays_command_for_the_team_and_for_a_country(team: Meridian) -> None:
    lena = shell_as(team, "lena")
    team_view = plain(lena.command("/holidays 10").as_text())
    assert "Eid" not in team_view and "Ram Navami" in team_view
    felix = shell_as(team, "felix")
    spring = plain(felix.command("/holidays 14 days").as_text())
    assert "Fri, Apr 3 · Lena Huber (Berlin): Good Friday" in spring         # 25 March to 7 April
    assert "Fri, Apr 3 · Felix Wagner (Berlin): Good Friday" in spring
    assert "Easter Monday" not in spring.split("Felix")[0] or "Mon, Apr 6" in spring
    bavaria = plain(lena.command("/holidays DE-BY 2026").as_text())
    assert any("Di., 6. Jan." in l and "Heilige Drei Könige" in l for l in bavaria.splitlines())
    assert "Fronleichnam" in bavaria
    berlin = plain(felix.command("/holidays Germany BE 2026").as_text())
    assert "Epiphany" not in berlin and "Corpus Christi" not in berlin
    assert "Sun, Mar 8 — Women's Day" in berlin                              # Berlin only
    saudi = plain(shell_as(team, "omar").command("/holidays SA 2026").as_text())
    assert "Eid al-Fitr Holiday (observed) (date estimated)" in saudi
    assert "Weekend: Friday and Saturday" in saudi
    for bad in ("/holidays 0", "/holidays 999", "/holidays Atlantis", "/holidays DE-XX", "/holidays ZZ"):
        assert felix.command(bad).error, bad
