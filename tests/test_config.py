from __future__ import annotations

from pathlib import Path

from coachtui.paths import database_path, sample_data_dir


def test_database_path_precedence(monkeypatch, private_home):
    default = database_path()
    assert default == private_home / "xdg_data_home" / "coachtui" / "coachtui.db"
    monkeypatch.setenv("COACHTUI_DB", "/srv/team/coach.db")
    assert database_path() == Path("/srv/team/coach.db")
    assert database_path("~/mine.db") == Path.home() / "mine.db"


def test_sample_data_is_found():
    folder = sample_data_dir()
    assert {"deals.csv", "reps.csv", "history.csv", "activities.csv", "sample.json"} <= {
        p.name for p in folder.iterdir()
    }
