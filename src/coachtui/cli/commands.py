"""The `coachtui` command: the app, the demo, and the commands that load no UI.

Only `coachtui`, `coachtui demo` and `coachtui coach` import Textual; the
others stay light so they start fast and can run from cron or a script.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import signal
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from coachtui import __version__
from coachtui.allocator import give_back_after_a_moment
from coachtui.cli import coaching
from coachtui.cli.common import (
    EXIT_STOPPED,
    EXIT_USAGE,
    TEAM,
    coached_or_known,
    fail,
    known_as,
    parse_date,
    read_team,
    stored_database,
)
from coachtui.errors import StoreError
from coachtui.importing.fields import KINDS
from coachtui.importing.layouts import LAYOUTS
from coachtui.paths import database_path

if TYPE_CHECKING:
    from coachtui.store import Store


def _db_option(parser: argparse.ArgumentParser, default: object = None) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="database file (default: $COACHTUI_DB, else coachtui.db in your data folder)",
    )


def _demo_option(parser: argparse.ArgumentParser, default: object = False) -> None:
    parser.add_argument(
        "--demo",
        action="store_true",
        default=default,
        help="use the demo database (the sample team), building it if missing",
    )


def _import_arguments(importer: argparse.ArgumentParser) -> None:
    """`coachtui import KIND FILE` and the options that tell it how the CRM wrote it."""
    importer.add_argument("kind", choices=(*KINDS, "sessions"))
    importer.add_argument("file", type=Path)
    importer.add_argument(
        "--format",
        dest="layout",
        default="auto",
        choices=LAYOUTS,
        help="which CRM wrote the file (default: recognise it)",
    )
    importer.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help='the file\'s column for a field, e.g. --map rep="Sales Person" (repeatable)',
    )
    importer.add_argument("--won-stage", action="append", default=[], metavar="NAME")
    importer.add_argument("--lost-stage", action="append", default=[], metavar="NAME")
    importer.add_argument("--encoding", metavar="ENC", help="e.g. cp1252 (default: detect)")
    importer.add_argument(
        "--date-format", metavar="FMT", help="strftime format, e.g. %%d/%%m/%%Y (default: detect)"
    )
    importer.add_argument("--dry-run", action="store_true", help="check and count, change nothing")
    # the app's import dialog runs the import in a process of its own and reads
    # its phases, then what it did, as JSON lines on stdout
    importer.add_argument("--progress-lines", action="store_true", help=argparse.SUPPRESS)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coachtui",
        description="From deal review to deal coaching: a one-on-one companion for sales managers.",
    )
    parser.add_argument("--version", action="version", version=f"coachtui {__version__}")
    _db_option(parser)
    _demo_option(parser)
    parser.add_argument("--manager", metavar="NAME", help="open on this manager's team")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _db_option(sub, default=argparse.SUPPRESS)
        _demo_option(sub, default=argparse.SUPPRESS)
        return sub

    demo = command("demo", "open the app on the bundled sample team (kept for the day)")
    demo.add_argument(
        "--fresh", action="store_true", help="start the demo over from the sample files"
    )
    coach = command("coach", "go straight into a live coaching session with a rep")
    coach.add_argument("rep", metavar="REP")

    _import_arguments(
        command("import", "import a CRM export (CSV) or exported sessions (JSON): all or nothing")
    )
    metrics = command("metrics", "deal-review metrics per rep, team benchmarks and diagnosis")
    metrics.add_argument("--as-of", type=parse_date, metavar="YYYY-MM-DD", help="default: today")
    metrics.add_argument("--days", type=int, metavar="N", help="the window (default: 90)")
    metrics.add_argument("--format", default="table", choices=("table", "csv", "json"))
    metrics.add_argument(
        "--wide",
        action="store_true",
        help="the table with every column, however wide (default: the terminal's width)",
    )
    metrics.add_argument("--rep", metavar="NAME", help="only this rep")
    metrics.add_argument("--manager", metavar="NAME", help="only this manager's team")
    backup = command("backup", "a consistent copy of the database, even while the app runs")
    backup.add_argument("path", nargs="?", type=Path, help="default: the backups folder")
    command("doctor", "check the database, the configuration and the terminal")
    command("config", "where the configuration and the data live")

    export = command("export", "export coaching sessions")
    export.add_argument("what", choices=("sessions",))
    export.add_argument("--rep", metavar="NAME", help="only this rep")
    export.add_argument(
        "--since", type=parse_date, metavar="YYYY-MM-DD", help="sessions from this day"
    )
    export.add_argument("--format", default="md", choices=("md", "csv", "json"))
    export.add_argument(
        "--search",
        metavar="TEXT",
        help="only sessions whose notes, answers, commitments or deal notes hold every word",
    )
    coaching.add_commands(command)
    return parser


@contextlib.contextmanager
def _importing_into(path: Path, dry_run: bool) -> Iterator[Store]:
    """The store an import writes to. A file this import made is removed
    again when the import is refused, stopped or only tried (--dry-run):
    no empty database is left where there was none."""
    from coachtui.store import Store, remove_database

    store = Store.open(path)
    try:
        with store:
            yield store
    except BaseException:
        if store.created:
            remove_database(store.path)
        raise
    if store.created and dry_run:
        remove_database(store.path)


def _run_import(args: argparse.Namespace) -> int:
    if args.kind == "sessions":
        return _run_import_sessions(args)
    from coachtui.cli.progress import ImportProgress, ProgressLines
    from coachtui.importing import ImportOptions, ImportRefused, import_file
    from coachtui.importing.limits import MB
    from coachtui.importing.saving import logged_since
    from coachtui.settings import load_settings
    from coachtui.store import StoreError
    from coachtui.text import visible

    mapping: dict[str, str] = {}
    for item in args.map:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            return fail(f"--map wants FIELD=COLUMN, got {item!r}")
        mapping[field.strip()] = column.strip()
    settings, problems = load_settings()
    for problem in problems:
        print(f"coachtui: warning: {problem}", file=sys.stderr)
    options = ImportOptions(
        layout=args.layout,
        mapping=mapping,
        won_stages=tuple(args.won_stage),
        lost_stages=tuple(args.lost_stage),
        encoding=args.encoding,
        date_format=args.date_format,
        dry_run=args.dry_run,
        max_file_bytes=settings.import_max_mb * MB,
    )
    progress = ProgressLines() if args.progress_lines else ImportProgress()
    saved_then_stopped = False
    try:
        with _importing_into(database_path(args.db), args.dry_run) as store:
            before = store.last_import()
            try:
                summary = import_file(store, args.kind, args.file, options, progress)
            except KeyboardInterrupt:  # once committed, the import is in the database
                summary = logged_since(store.path, before)
                if summary is None:
                    raise
                saved_then_stopped = True
    except (ImportRefused, StoreError) as exc:
        return fail(str(exc))
    finally:
        progress.close()
    if args.progress_lines:
        progress.done(summary.line(), summary.warnings)
        return 0
    if saved_then_stopped:
        print("coachtui: ctrl+c came once the import was saved: it is in", file=sys.stderr)
    else:
        print(f"{summary.file}: {summary.layout} layout, {summary.encoding}; columns used:")
        print("\n".join(summary.mapping_lines()))
    print(summary.line())
    for warning in summary.warnings:
        print(f"coachtui: warning: {visible(warning)}", file=sys.stderr)
    return 0


def _run_import_sessions(args: argparse.Namespace) -> int:
    from coachtui.coaching.sessions_file import SessionsRefused, read_sessions_file
    from coachtui.coaching.transfer import import_sessions
    from coachtui.store import StoreError

    crm_only = args.layout != "auto" or args.map or args.won_stage or args.lost_stage
    if crm_only or args.encoding or args.date_format:
        return fail(
            "import sessions takes the file, --dry-run and --db; the others are for CRM files"
        )
    try:
        sessions = read_sessions_file(args.file, _playbook())
        with _importing_into(database_path(args.db), args.dry_run) as store:
            imported = import_sessions(store, sessions, dry_run=args.dry_run)
    except (SessionsRefused, StoreError) as exc:
        return fail(str(exc))
    for warning in imported.warnings:
        print(f"coachtui: warning: {warning}", file=sys.stderr)
    print(imported.line(args.file))
    return 0


# the commands that need no terminal, for the message of those that do
SCRIPT_COMMANDS = ("metrics", "export", "brief")


def _use_the_demo(args: argparse.Namespace) -> int | None:
    """`--demo`: the command works on the demo database, built if missing."""
    if args.command == "demo" or not args.demo:
        return None
    if args.db:
        return fail("--demo uses the demo database: give --demo or --db, not both")
    from coachtui.importing.sample import demo_database_path, open_demo_database

    open_demo_database().close()
    args.db = str(demo_database_path())
    return None


def _run_app(args: argparse.Namespace, demo: bool = False) -> int:
    from coachtui.store import Store, StoreError

    coach_rep, manager = getattr(args, "rep", None), getattr(args, "manager", None)
    if coach_rep is not None or manager is not None:  # a wrong name is said first, terminal or not
        path = stored_database(args)
        if isinstance(path, int):
            return path
        with Store.open(path) as store:
            if coach_rep is not None:
                coach_rep = known_as(coach_rep, store.known_reps())
            if manager is not None:
                manager = known_as(manager, store.managers(), TEAM)
        for refused in (coach_rep, manager):
            if isinstance(refused, int):
                return refused
    if not (sys.stdin.isatty() and sys.stdout.isatty()):  # Textual would spin for ever
        scripts = " / ".join(name for name in SCRIPT_COMMANDS if name in RUNNERS)
        print(f"coachtui needs a terminal; for scripts use coachtui {scripts}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if demo:
            from coachtui.importing.sample import open_demo_database

            fresh = getattr(args, "fresh", False)
            store = open_demo_database(Path(args.db) if args.db else None, fresh=fresh)
        else:
            store = Store.open(database_path(args.db))
            store.require_writable()  # the app writes: sessions, notes, its roster
    except StoreError as exc:
        return fail(str(exc))
    # no cyclic garbage collection until the roster is painted (the app turns it
    # back on then, and freezes what it is made of by then): the start builds
    # many objects and no cycles worth freeing, and a collection in the middle
    # of the first paint cost ~40 ms. Not over the demo's first build: that is
    # an import, with polars.
    gc.disable()
    from coachtui.app import CoachApp
    from coachtui.paths import cache_problem
    from coachtui.settings import load_settings

    settings, problems = load_settings()
    problems += [problem for problem in [cache_problem()] if problem]
    with store:
        app = CoachApp(
            store,
            settings,
            manager=manager,
            coach_rep=coach_rep,
        )
        for problem in problems:
            app.notify(problem, severity="warning", timeout=10, markup=False)
        app.run()
    if demo or args.demo:
        print(
            f"The demo database: {store.path}\n"
            "Every command takes --demo to use it: coachtui metrics --demo, "
            "coachtui export sessions --demo"
        )
    return 0


def _run_metrics(args: argparse.Namespace) -> int:
    import polars as pl

    from coachtui.cli.metrics_table import as_table, terminal_width
    from coachtui.review import output as metrics_output

    team = read_team(args)
    if isinstance(team, int):
        return team
    report = team.review.report
    rows = report.reps
    names = rows.get_column("rep").to_list()
    if args.rep is not None:
        rep = known_as(args.rep, names)
        if isinstance(rep, int):
            return rep
        rows = rows.filter(pl.col("rep") == rep)
    if args.manager is not None:
        manager = known_as(args.manager, {m for m in rows.get_column("manager") if m}, TEAM)
        if isinstance(manager, int):
            return manager
        rows = rows.filter(pl.col("manager") == manager)
    teams = sorted(set(rows.get_column("manager").to_list()), key=lambda m: (m is None, m or ""))
    if args.format == "csv":
        sys.stdout.write(metrics_output.as_csv(report, rows))
    elif args.format == "json":
        sys.stdout.write(metrics_output.as_json(report, rows, team.review.focus, teams))
    else:
        width = None if args.wide else terminal_width()
        sys.stdout.write(as_table(report, rows, team.review.focus, teams, width))
    if args.format != "csv":  # every part computed, for the diagnosis
        team.keep_review()
    return 0


def _playbook():
    """The playbook to name questions by, its problems said on stderr."""
    from coachtui.coaching.playbook import load_playbook
    from coachtui.settings import playbook_path

    playbook, problems = load_playbook(playbook_path())
    for problem in problems:
        print(f"coachtui: warning: {problem}", file=sys.stderr)
    return playbook


def _run_export(args: argparse.Namespace) -> int:
    from coachtui.coaching import export, records, search
    from coachtui.store import Store, StoreError

    playbook = _playbook()
    path = stored_database(args)
    if isinstance(path, int):
        return path
    try:
        with Store.open(path) as store:
            rep = coached_or_known(store, args.rep)
            if isinstance(rep, int):
                return rep
            sessions = records.sessions(store, playbook, rep, args.since)
            if args.search is not None:
                found = {hit.session_id for hit in search.search(store, args.search)}
                sessions = [record for record in sessions if record.session.id in found]
    except StoreError as exc:
        return fail(str(exc))
    writer = {"md": export.as_markdown, "csv": export.as_csv, "json": export.as_json}[args.format]
    sys.stdout.write(writer(sessions))
    return 0


def _run_backup(args: argparse.Namespace) -> int:
    from coachtui.doctor import backup
    from coachtui.paths import require_folder
    from coachtui.store import StoreError

    try:
        if args.path is not None:
            require_folder(args.path)
        target = backup(database_path(args.db), args.path)
    except StoreError as exc:
        return fail(str(exc))
    print(f"backed up to {target}")
    return 0


def _run_doctor(args: argparse.Namespace) -> int:
    from coachtui.doctor import doctor

    findings = doctor(database_path(args.db))
    for finding in findings:
        print(finding.line())
    return 0 if all(finding.ok for finding in findings) else 1


def _run_config(args: argparse.Namespace) -> int:
    from coachtui.doctor import backups_dir
    from coachtui.paths import cache_dir, data_dir
    from coachtui.settings import config_path, playbook_path

    for label, path in (
        ("configuration", config_path()),
        ("playbook", playbook_path()),
        ("database", database_path(args.db)),
        ("data folder", data_dir()),
        ("backups", backups_dir()),
        ("demo and cache", cache_dir()),
    ):
        state = "" if path.exists() else "  (not there yet)"
        print(f"{label:<15} {path}{state}")
    return 0


def _check_folders(args: argparse.Namespace) -> None:
    """Stop before anything is read or written when a folder coachtui uses
    could have been prepared by another user, or `--db` names a folder that
    is not there. (The cache folder is checked where it is used.)"""
    from coachtui.paths import data_dir, require_folder, require_trusted_folder
    from coachtui.settings import config_path

    for folder, setting in (
        (data_dir(), "XDG_DATA_HOME"),
        (config_path().parent, "XDG_CONFIG_HOME (or COACHTUI_CONFIG)"),
    ):
        if folder.is_dir():
            require_trusted_folder(folder, setting)
    require_folder(database_path(args.db))


# these only report: doctor names the folders it would refuse
REPORTERS = ("doctor", "config")

RUNNERS = {
    "brief": coaching.run_brief,
    "impact": coaching.run_impact,
    "commitments": coaching.run_commitments,
    "import": _run_import,
    "metrics": _run_metrics,
    "export": _run_export,
    "backup": _run_backup,
    "doctor": _run_doctor,
    "config": _run_config,
}


# the commands that compute the team's numbers and exit (coachtui.allocator)
NUMBERS_AND_EXIT = ("metrics", "brief", "impact")


def run() -> NoReturn:
    """`coachtui` as a process: the console script's and `python -m
    coachtui`'s entry (tests call `main`, in their own process or a child).

    Once a command is done, the collections as the interpreter shuts down
    would only walk what is about to go: 0.12-0.17 s after an import of a
    million deals, 0.11-0.14 s after a one-rep brief, under 0.03 s with what
    was made frozen (`gc.freeze`). A command that computes the numbers makes
    no cycles worth collecting as it runs either: the collector is off for
    it from the start. The app's own process is left as Python has it (it
    freezes what it is made of after the first paint)."""
    if sys.stdout is None:  # started with its output closed (`>&-`)
        sys.exit(fail("the standard output is closed: nowhere to write to; nothing was done"))
    args = _parser().parse_args()
    if args.command in NUMBERS_AND_EXIT:
        gc.disable()
    code = _main(args)
    if args.command in RUNNERS:  # not the app
        gc.freeze()
    if code == EXIT_STOPPED:  # ended by SIGINT, as the shell expects: a loop stops too
        with contextlib.suppress(OSError):
            sys.stdout.flush()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    return _main(_parser().parse_args(argv))


def _main(args: argparse.Namespace) -> int:
    if args.command in NUMBERS_AND_EXIT:
        give_back_after_a_moment()
    runner = RUNNERS.get(args.command)
    try:
        if args.command not in REPORTERS:
            _check_folders(args)
        refused = _use_the_demo(args)
        if refused is not None:
            return refused
        if runner is None:
            return _run_app(args, demo=args.command == "demo")
        code = runner(args)
        sys.stdout.flush()  # here, where a full disk can still be reported
        return code
    except KeyboardInterrupt:  # an import rolls back; a half backup or demo is removed
        fail("stopped (ctrl+c)")
        return EXIT_STOPPED
    except StoreError as exc:
        return fail(str(exc))
    except sqlite3.DatabaseError as exc:
        from coachtui.store import damaged

        return fail(damaged(database_path(args.db), exc))
    except OSError as exc:  # a full disk, or the output closed
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush
        if isinstance(exc, BrokenPipeError):
            return 1  # `coachtui metrics | head`: the reader has what it wanted
        return fail(f"{exc.strerror or exc} ({exc.filename or 'writing the output'})")
