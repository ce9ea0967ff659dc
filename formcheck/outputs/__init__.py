"""Batch outputs: the terminal table, summary JSON/CSV, JUnit XML and the HTML report."""

from formcheck.outputs.html import html_report, video_dir_for, write_html
from formcheck.outputs.junit import junit_xml, write_junit
from formcheck.outputs.summary import render_csv, render_table, summary_dict, write_summary

__all__ = [
    "html_report",
    "junit_xml",
    "render_csv",
    "render_table",
    "summary_dict",
    "video_dir_for",
    "write_html",
    "write_junit",
    "write_summary",
]
