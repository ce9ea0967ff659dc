"""`python -m formcheck` runs the command line."""

from formcheck.cli import app

app(prog_name="formcheck")
