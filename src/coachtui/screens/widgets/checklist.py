"""The body of a live session: last week's commitments to mark, the playbook's
checklist with ratings and answers, and the session notes. Every change is
saved as it is made, through the Coach tab's autosave."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label, TextArea

from coachtui.areas import COACHING_AREAS, FocusArea
from coachtui.coaching import commitments
from coachtui.coaching import sessions as coaching
from coachtui.screens.literal import literal
from coachtui.screens.widgets.clamped import Clamped
from coachtui.screens.widgets.commitment_lists import (
    MadeTable,
    in_full,
    made_row,
    review_row,
    status_mark,
)
from coachtui.screens.widgets.table import VimTable
from coachtui.screens.widgets.typed_into import TypedInto
from coachtui.text import elide

if TYPE_CHECKING:
    from coachtui.coaching.playbook import Playbook
    from coachtui.coaching.sessions import LiveSession
    from coachtui.screens.autosave import Autosave


# the widths of the cells beside a commitment's or a question's text
STATUS_WIDTH, DAY_WIDTH, OWNER_WIDTH = 9, 10, 7
LEFT_WIDTH_AT_80 = 36  # before the first layout
# fits the left column at 80x24; the status column says kept, missed or carried
REVIEW_LABEL = "Last commitments (space: mark)"
QUESTION_LINES = 3  # the question above its answer; a longer one ends in "…"
COMMITMENT_LINES = 5  # it has no answer: the answer's room, and the notes keep theirs


def stars(rating: int | None) -> str:
    return "-----" if not rating else "*" * rating + "-" * (5 - rating)


def _type_at_the_end(editor: TextArea) -> None:
    """Into an editor, to go on with what it holds: the new text follows the old."""
    editor.move_cursor(editor.document.end)
    editor.screen.set_focus(editor)  # at once: the keys that follow go in


class Checklist(Horizontal):
    """What the manager works through in a session; the Coach tab binds its keys."""

    def __init__(self, playbook: Playbook, autosave: Autosave, **kwargs) -> None:
        super().__init__(**kwargs)
        self.playbook = playbook
        self.autosave = autosave
        self.state: LiveSession | None = None
        self.question_key: str | None = None
        self.commitment_shown = False  # on the right, in place of the question

    def compose(self) -> ComposeResult:
        with Vertical(id="coach-left"):
            yield Label(REVIEW_LABEL, id="review-label")
            review = VimTable(id="commitments-table")
            review.add_column("Status", key="status", width=STATUS_WIDTH)  # "[carried]"
            review.add_column("Due", key="due")  # the text last, as below
            review.add_column("Who", key="owner")
            review.add_column("Commitment", key="text")
            yield review
            yield Label("Made now (enter: edit, del: delete)", id="made-label")
            made = MadeTable(id="made-table")
            made.add_column("Due", key="due")  # the text last: cut, not the date
            made.add_column("Who", key="owner")
            made.add_column("Commitment", key="text")
            yield made
            yield Label("Checklist (enter: answer)")  # space and +/-: the footer
            checklist = VimTable(id="checklist-table")
            checklist.add_column("", key="mark", width=3)
            checklist.add_column("Question", key="text")
            yield checklist
        with Vertical(id="coach-right"):
            yield Clamped(QUESTION_LINES, id="question-text")
            yield TypedInto(self._answer_typed_now, id="question-notes", soft_wrap=True)
            yield Label("Session notes (n)")
            yield TypedInto(self._notes_typed_now, id="session-notes", soft_wrap=True)

    def show(self, state: LiveSession | None) -> None:
        """The session's commitments, checklist and notes; None: no session."""
        self.state = state
        self.display = state is not None
        self.question_key = None
        if state is None:
            return
        self.query_one("#session-notes", TextArea).load_text(state.session.notes)
        self._fill_commitments()
        self.fill_made()
        self._fill_checklist()
        self.focus_first()

    def focus_first(self) -> None:
        """Last week's commitments when there are some, else the checklist."""
        assert self.state is not None
        table = self.query_one("#commitments-table" if self.state.to_review else "#checklist-table")
        self.screen.set_focus(table)

    def _areas(self) -> list[FocusArea]:
        assert self.state is not None
        chosen = self.state.session.area
        suggested = [f.area for f in self.state.focus if f.area in COACHING_AREAS]
        first = ([chosen] if chosen else []) + [a for a in suggested if a != chosen]
        return [area.id for area in self.playbook.ordered(first)]

    def _fill_commitments(self) -> None:
        assert self.state is not None
        table = self.query_one("#commitments-table", VimTable)
        table.clear()
        # four cells, each padded: at 80 columns the text is what gets cut short
        # (shown whole on the right once highlighted), never the status
        width = self._text_width(STATUS_WIDTH + 2 + DAY_WIDTH + OWNER_WIDTH, least=4)
        for item in self.state.to_review:
            table.add_row(*review_row(item, width), key=str(item.id))
        self.query_one("#review-label", Label).update(
            REVIEW_LABEL if self.state.to_review else "No commitments from earlier sessions"
        )
        table.display = bool(self.state.to_review)

    def fill_made(self) -> None:
        """The commitments made in this session, shown only when there are some."""
        assert self.state is not None
        table = self.query_one("#made-table", MadeTable)
        row, had_focus = table.cursor_row, table.has_focus
        table.clear()
        width = self._text_width(DAY_WIDTH + OWNER_WIDTH)
        for index, made in enumerate(self.state.made):
            table.add_row(*made_row(made, width), key=str(index))
        table.display = self.query_one("#made-label").display = bool(self.state.made)
        if self.state.made:
            table.move_cursor(row=min(row, table.row_count - 1))
        elif had_focus:
            self.query_one("#checklist-table").focus()

    def _text_width(self, beside: int, least: int = 12) -> int:
        """Columns left for the text in a table of the left side, `beside` taken
        by the other cells (each cell has a column of padding either side, and
        the table one for its scrollbar)."""
        width = self.query_one("#coach-left").size.width or LEFT_WIDTH_AT_80
        return max(width - beside - 2 * 3 - 1, least)

    def on_resize(self) -> None:
        """Text cut to the width it has: cut again when that changes."""
        if self.state is not None:
            self._fill_commitments()
            self.fill_made()
            self._fill_checklist()

    def _fill_checklist(self) -> None:
        assert self.state is not None
        table = self.query_one("#checklist-table", VimTable)
        row = table.cursor_row
        table.clear()
        for area_id in self._areas():
            area = self.playbook.area(area_id)
            rating = self.state.ratings.get(area_id)
            label = literal(f"{area.title}  {stars(rating)}", style="bold")
            if area_id == self.state.session.area:
                label.append("  focus", style="reverse")
            table.add_row(Text(""), label, key=f"area:{area_id.value}")
            for question in area.questions:
                key = f"{area_id.value}.{question.id}"
                asked, text = self.state.notes.get(key, (False, ""))
                mark = "[x]" if asked else "[ ]"
                shown = literal(elide(question.text, self._text_width(4 + 7 * bool(text))))
                if text:
                    shown.append("  +note", style="dim")
                table.add_row(Text(mark), shown, key=key)
        table.move_cursor(row=min(row, table.row_count - 1))

    def _highlighted(self) -> str | None:
        table = self.query_one("#checklist-table", VimTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(DataTable.RowHighlighted, "#checklist-table")
    def _question_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not self.commitment_shown:
            self._show_question(event.row_key.value)

    @on(DataTable.RowHighlighted, "#commitments-table, #made-table")
    def _commitment_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.has_focus:
            self._show_commitment(event.data_table)

    def _show_highlighted(self) -> None:
        """The right column speaks of the list the focus is in: a commitment
        (which its row cuts) or a question. From the notes, which may be about
        either, it stays as it was."""
        focused = self.screen.focused
        if focused is self.query_one("#checklist-table"):
            self._show_question(self._highlighted())
        elif isinstance(focused, DataTable) and focused.id in ("commitments-table", "made-table"):
            self._show_commitment(focused)

    def _show_question(self, key: str | None) -> None:
        """The question and its answer on the right (on an area's row, the
        last one shown); the answer is not read again for the question
        already shown (it may be being typed)."""
        if self.state is None:
            return
        self.commitment_shown = False
        if key is None or key.startswith("area:"):
            key = self.question_key
        answer = self.query_one("#question-notes", TextArea)
        if key is None:  # none highlighted yet: no box to type an answer to nothing in
            answer.display = False
            self.query_one("#question-text", Clamped).update(Text())
            return
        if key == self.question_key and answer.display:
            return
        answer.display = True
        if key != self.question_key:
            self.question_key = key
            answer.load_text(self.state.notes.get(key, (False, ""))[1])
        area_id, question_id = key.split(".", 1)
        area = self.playbook.area(FocusArea(area_id))
        question = next(q for q in area.questions if q.id == question_id)
        self.query_one("#question-text", Clamped).update(
            literal(f"{area.title}: {question.text}", style="bold"), QUESTION_LINES
        )

    def _show_commitment(self, table: DataTable) -> None:
        """The highlighted commitment in full; the answer box, which belongs
        to a question, is put away until the checklist has the focus again."""
        if self.state is None:
            return
        made_now = table.id == "made-table"
        listed = self.state.made if made_now else self.state.to_review
        self.query_one("#question-notes").display = False
        self.commitment_shown = True
        commitment = in_full(listed[table.cursor_row], made_now)
        self.query_one("#question-text", Clamped).update(commitment, COMMITMENT_LINES)

    @on(DataTable.RowSelected, "#checklist-table")
    def _question_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.edit_question()

    # the editors take the focus at once, not after the keys already typed:
    # "n" and the notes typed right after it go together

    def edit_question(self) -> None:
        self._show_question(self._highlighted())  # its highlight may not have come yet
        if self.state is not None and self.question_key is not None:
            _type_at_the_end(self.query_one("#question-notes", TextArea))

    def edit_notes(self) -> None:
        if self.state is not None:
            _type_at_the_end(self.query_one("#session-notes", TextArea))

    def leave_editor(self) -> None:
        if isinstance(self.screen.focused, TextArea):
            self.screen.set_focus(self.query_one("#checklist-table"))

    def take_what_is_typed(self) -> None:
        """What the editors hold now, to be saved: keys that arrive in one
        burst with F10 (a slow link) reach the editors before their changes
        reach here."""
        self._notes_typed_now(self.query_one("#session-notes", TextArea).text)
        self._answer_typed_now(self.query_one("#question-notes", TextArea).text)

    def _notes_typed_now(self, text: str) -> None:
        if self.state is None:
            return
        session_id = self.state.session.id
        if text == self.state.session.notes:
            return
        self.state.session = replace(self.state.session, notes=text)
        self.autosave.put("notes", lambda store: coaching.save_notes(store, session_id, text))

    def _answer_typed_now(self, text: str) -> None:
        if self.state is None or self.question_key is None:
            return
        key, session_id = self.question_key, self.state.session.id
        asked, before = self.state.notes.get(key, (False, ""))
        if text == before:
            return
        answered = asked or bool(text.strip())  # a question answered was asked
        self.state.notes[key] = (answered, text)
        self.autosave.put(
            f"question:{key}",
            lambda store: coaching.save_question(
                store, session_id, key, text=text, asked=True if answered else None
            ),
        )
        if answered != asked:
            self.query_one("#checklist-table", VimTable).update_cell(key, "mark", Text("[x]"))

    def on_descendant_blur(self) -> None:
        self.autosave.flush()
        self._answering()

    def on_descendant_focus(self) -> None:
        self._answering()
        self._show_highlighted()

    def _answering(self) -> None:
        """While an answer is typed its box takes room from the session notes'
        (at 80x24 it had none left: its borders, and not a line to type in).
        Left, it shrinks: it shows the answer's start, not the cursor's line."""
        answer = self.query_one("#question-notes", TextArea)
        self.set_class(self.screen.focused is answer, "-answering")
        if self.screen.focused is not answer:
            answer.scroll_home(animate=False)

    def mark(self) -> None:
        """space: the highlighted question asked or not, or the commitment's status."""
        if self.state is None:
            return
        if self.screen.focused is self.query_one("#commitments-table"):
            self._cycle_commitment()
            return
        key = self._highlighted()
        if key is None or key.startswith("area:"):
            return
        asked, text = self.state.notes.get(key, (False, ""))
        self.state.notes[key] = (not asked, text)
        session_id = self.state.session.id
        self.autosave.put(
            f"asked:{key}",
            lambda store: coaching.save_question(store, session_id, key, asked=not asked),
            at_once=True,
        )
        self._fill_checklist()

    def _cycle_commitment(self) -> None:
        table = self.query_one("#commitments-table", VimTable)
        if not self.state.to_review:
            return
        index = table.cursor_row
        item = self.state.to_review[index]
        status = item.status.following
        self.state.to_review[index] = replace(item, status=status)
        session_id = self.state.session.id
        self.autosave.put(
            f"commitment:{item.id}",
            lambda store: commitments.review_commitment(store, item.id, status, session_id),
            at_once=True,
        )
        table.update_cell(str(item.id), "status", Text(status_mark(status)))

    def rate(self, step: int) -> None:
        key = self._highlighted()
        if self.state is None or key is None:
            return
        area = FocusArea(key.removeprefix("area:").split(".")[0])
        current = self.state.ratings.get(area)
        session_id = self.state.session.id
        if current is None and step < 0:  # nothing to lower
            return
        if current == 1 and step < 0:  # below 1: not rated (a rating given by mistake)
            del self.state.ratings[area]
            write = partial(coaching.unrate, session_id=session_id, area=area)
        else:
            rating = 3 if current is None else min(5, max(1, current + step))
            self.state.ratings[area] = rating
            write = partial(coaching.rate, session_id=session_id, area=area, rating=rating)
        self.autosave.put(f"rating:{area.value}", write, at_once=True)
        self._fill_checklist()

    def cycle_focus(self) -> None:
        """Overrule the suggestion: the next area goes first, and is saved."""
        if self.state is None:
            return
        current = self.state.session.area
        index = COACHING_AREAS.index(current) + 1 if current in COACHING_AREAS else 0
        area = COACHING_AREAS[index % len(COACHING_AREAS)]
        self.state.session = replace(self.state.session, focus_area=area)
        session_id = self.state.session.id
        self.autosave.put(
            "focus", lambda store: coaching.choose_focus(store, session_id, area), at_once=True
        )
        self._fill_checklist()
