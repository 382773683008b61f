from __future__ import annotations

from coachtui.review.team import configured_pipeline
from coachtui.settings import Settings, load_settings


def test_no_file_means_defaults(tmp_path):
    settings, problems = load_settings(tmp_path / "missing.toml")
    assert settings == Settings() and problems == []


def test_a_valid_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        'me = "Dana"\nwindow_days = 30\n[currency]\nrates = { EUR = 1.1 }\n'
        "[diagnosis]\nlow_ratio = 0.5\n"
    )
    settings, problems = load_settings(path)
    assert problems == []
    assert (settings.me, settings.window_days, settings.currency.rates) == (
        "Dana",
        30,
        {"EUR": 1.1},
    )
    assert settings.diagnosis.low_ratio == 0.5
    assert settings.diagnosis.high_ratio == 1.33


def test_bad_settings_are_named_and_defaults_used(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('window_days = "soon"\n[diagnosis]\nlow_ratio = 2\ncolour = "red"\n')
    settings, problems = load_settings(path)
    assert settings == Settings()
    text = "\n".join(problems)
    assert "window_days" in text and "diagnosis.low_ratio" in text and "diagnosis.colour" in text
    assert problems[-1] == "using the defaults"


def test_broken_toml(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("me = \n")
    settings, problems = load_settings(path)
    assert settings == Settings()
    assert str(path) in problems[0]


def test_configured_pipeline_comes_first():
    stored = [("A", "open"), ("B", "open"), ("Won", "won")]
    assert configured_pipeline(stored, []) == stored
    assert configured_pipeline(stored, ["B", "A"]) == [("B", "open"), ("A", "open"), ("Won", "won")]
