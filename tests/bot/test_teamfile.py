"""Team import: everything validated first, errors name line and field, nothing half-imported."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.demo import DEMO_TEAM
from bot.models import Away, Member, Workspace
from bot.teamfile import ImportError_, import_file


def count(db, model) -> int:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_sample_file_imports_and_reimport_updates(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        first = import_file(session, DEMO_TEAM)
    assert first.created == 10 and first.away_added == 1
    with db.session() as session:
        again = import_file(session, DEMO_TEAM)
    assert again.created == 0 and again.updated == 10 and again.away_added == 0
    with db.session() as session:
        workspace = session.scalar(select(Workspace))
        assert (workspace.name, workspace.channel) == ("Acme Global", "general")
        omar = session.scalar(select(Member).where(Member.user_id == "omar"))
        assert (omar.tz, omar.country, omar.locale) == ("Asia/Riyadh", "SA", "ar")


BAD = '''[workspace]
name = "Broken"

[[members]]
id = "a"
tz = "Europe/Berlin"

[[members]]
id = "b"
tz = "Mars/Base"
hours = "9 to five"

[[away]]
member = "ghost"
from = "2026-01-02"
to = "2026-01-01"
'''


def test_errors_name_line_and_field_and_import_nothing(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "team.toml"
    path.write_text(BAD)
    with pytest.raises(ImportError_) as caught:
        with db.session() as session:
            import_file(session, path)
    errors = "\n".join(caught.value.errors)
    assert "line 8, members[1].tz" in errors
    assert "members[1].hours" in errors
    assert "line 13, away[0].member" in errors and "away[0].to" in errors
    assert count(db, Member) == 0 and count(db, Workspace) == 0


def test_csv_members_with_line_numbers(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "team.csv"
    good.write_text("id,name,tz,country,days\nana,Ana,America/Sao_Paulo,BR,mon;tue;wed;thu;fri\nbo,Bo,Asia/Tokyo,JP,\n")
    with db.session() as session:
        assert import_file(session, good).created == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,tz\nok,Ok,UTC\nbad,Bad,Nowhere/Town\n")
    with pytest.raises(ImportError_) as caught:
        with db.session() as session:
            import_file(session, bad)
    assert any(e.startswith("line 3, tz") for e in caught.value.errors)
    assert count(db, Member) == 2


@pytest.mark.parametrize("text", ["not toml [", "[[members]]\nid = 3\ntz = 'UTC'", "[surprise]\nx=1",
                                  "[[members]]\nid='a'\ntz='UTC'\n[[members]]\nid='a'\ntz='UTC'",
                                  "[[members]]\nid='a'\ntz='UTC'\ncountry='Atlantis'",
                                  "[[members]]\nid='a'\ntz='UTC'\ndays=['mon','funday']"])
def test_malformed_files_import_nothing(db, tmp_path: Path, text: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "team.toml"
    path.write_text(text)
    with pytest.raises(ImportError_):
        with db.session() as session:
            import_file(session, path)
    assert count(db, Member) == 0 and count(db, Away) == 0
