"""`y` copies the session for a CRM note: plain text, to the clipboard and to
a private file it names, and honest about tmux."""

from __future__ import annotations

import stat

from coachtui.app import CoachApp
from coachtui.coaching import commitments, export, records
from coachtui.coaching import sessions as coaching
from coachtui.coaching.playbook import shipped
from coachtui.screens.clipboard import copy_file, where_it_went
from tests.conftest import TODAY, settle
from tests.test_coach_session import start_emma

NOTE = "Pinnacle [renewal] | budget *frozen* until Q2"


def emma_with_notes(store):
    session = coaching.start_or_resume(store, "Emma Novak", None)
    coaching.save_notes(store, session.id, NOTE)
    commitments.add_commitment(store, session.id, "Emma Novak", "Send [ROI] sheet")
    return session


def test_the_copy_reads_as_plain_text_and_the_export_stays_escaped(demo_store):
    emma_with_notes(demo_store)
    sessions = records.sessions(demo_store, shipped())
    copied = export.as_markdown(sessions, escaped=False)
    assert NOTE in copied and "- [ ] Send [ROI] sheet (rep)" in copied
    assert "\\" not in copied
    exported = export.as_markdown(sessions)
    assert "Pinnacle \\[renewal\\] \\| budget \\*frozen\\*" in exported


async def test_y_sends_the_copy_and_keeps_it_in_a_private_file(demo_store, monkeypatch):
    monkeypatch.delenv("TMUX", raising=False)
    monkeypatch.delenv("STY", raising=False)
    emma_with_notes(demo_store)
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_emma(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert NOTE in app.clipboard and "\\" not in app.clipboard
        kept = copy_file()
        assert kept.read_text(encoding="utf-8") == app.clipboard
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
        said = [n.message for n in app._notifications][-1]
        assert f"the text is also in {kept}" in said and "if the terminal accepts it" in said
        assert "copied" not in said


def test_inside_tmux_it_says_when_tmux_keeps_the_clipboard(tmp_path, monkeypatch):
    """tmux's default (external) and off never pass OSC 52 on: say so."""
    fake = tmp_path / "bin"
    fake.mkdir()
    tmux = fake / "tmux"
    monkeypatch.setenv("PATH", f"{fake}:/usr/bin:/bin")
    path = tmp_path / "last-copy.md"
    for setting, expected in (
        ("external", "tmux may keep it from your clipboard (set -g set-clipboard on)"),
        ("off", "tmux may keep it from your clipboard (set -g set-clipboard on)"),
        ("on", "Sent through tmux to your terminal's clipboard (OSC 52)"),
    ):
        tmux.write_text(f"#!/bin/sh\necho {setting}\n")
        tmux.chmod(0o755)
        said = where_it_went(path, {"TMUX": "/tmp/tmux-0/default,1,0"})
        assert said.startswith(expected) and str(path) in said
    said = where_it_went(path, {"STY": "1234.pts-0"})
    assert said.startswith("screen does not pass it to your clipboard")
