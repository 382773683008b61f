from coachtui.cli import run

run()
