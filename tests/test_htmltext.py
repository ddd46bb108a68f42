"""HTML mail to text: hostile markup converts in linear time, and the text keeps its order."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from db.ingest import htmltext
from db.ingest.htmltext import html_to_text

MB = 1_000_000
# Each used to stall the import: a lazy regex rescanning from every unclosed tag, or nh3's
# parser walking a stack as deep as the document (or a tag's attribute list) for each new tag.
HOSTILE = {
    "unclosed style": "<style",
    "unclosed script": "<script",
    "unclosed title in head": "<head><title>",
    "br without >": "<br",
    "li without >": "<li ",
    "nested divs": "<div>",
    "nested lists": "<ul>",
    "nested formatting": "<div><p><b>x",
    "tags formed around stripped ones": "<<b>div>",
    "quoted > in attributes": '<div a="x>y" b>',
    "template in table": "<table><template><td>",
}
CHILD = """
import json, sys
from db.ingest.htmltext import html_to_text
lead = "<p>Please refund me</p>"
out = {}
for name, unit in json.loads(sys.argv[1]).items():
    out[name] = html_to_text(lead + unit * (%d // len(unit)))[:40]
attrs = "".join(f" a{i}=v" for i in range(%d // 7))
for tag in ("div", "script"):
    out[f"{tag} with many attributes"] = html_to_text(lead + f"<{tag}{attrs}>")
    out[f"{tag} with many attributes, cut off"] = html_to_text(lead + f"<{tag}{attrs}")
print(json.dumps(out))
"""


def test_a_megabyte_of_hostile_html_converts_in_linear_time():
    # Linear, each takes a fraction of a second; the old code needed minutes for any of them.
    # A child process, because a regex stuck in C cannot be interrupted from a thread.
    units = json.dumps(HOSTILE)
    run = subprocess.run(
        [sys.executable, "-c", CHILD % (MB, MB), units],
        capture_output=True,
        text=True,
        timeout=5 * (len(HOSTILE) + 4),  # a generous 5 s per megabyte converted
        check=True,
    )
    texts = json.loads(run.stdout)
    assert len(texts) == len(HOSTILE) + 4
    for name, text in texts.items():
        assert text.startswith("Please refund me"), name
    assert texts["unclosed style"] == "Please refund me"  # the rest is one unclosed style
    assert texts["nested divs"] == "Please refund me"
    assert texts["tags formed around stripped ones"].startswith("Please refund me\n<div><div>")


def test_text_after_a_table_stays_after_it():
    mail = (
        "<p>Kind regards</p><table><tr><td><b>Tom Becker</b></td></tr>"
        "<tr><td>Fleet manager</td></tr></table><p>P.S. Sent from my desk</p>"
    )
    assert html_to_text(mail) == "Kind regards\nTom Becker\nFleet manager\n\nP.S. Sent from my desk"


def test_a_newline_right_after_pre_is_not_text():
    assert html_to_text("Log:<pre>\nline 1\nline 2</pre>") == "Log:line 1\nline 2"


def test_an_unclosed_style_or_script_hides_only_what_follows_it():
    assert html_to_text("<p>Hello</p><style>p {color: red}") == "Hello"
    assert html_to_text("Hi <script>x()</script>there <script>y()") == "Hi there"


def test_angle_brackets_in_text_and_attributes_never_leak_markup():
    mail = '<p title="a > b">5 < 6 &amp; 7 > 3</p><img alt="<b>" src=x>done'
    assert html_to_text(mail) == "5 < 6 & 7 > 3\ndone"


def test_removing_a_tag_never_forms_a_new_one():
    assert html_to_text("<<b>div>x") == "<div>x"
    assert html_to_text("a</<b>div>b") == "adiv>b"  # '</<b>' is one bogus comment


def test_a_tag_cut_off_at_the_end_is_dropped():
    assert html_to_text('Thanks <img src="x.png" alt="logo') == "Thanks"
    assert html_to_text("Thanks <b") == "Thanks"
    assert html_to_text("a < b <") == "a < b <"


def test_template_content_is_not_text():
    assert html_to_text("<template><p>hidden</p></template>shown") == "shown"


def test_html_beyond_the_cap_is_not_converted(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(htmltext, "HTML_CAP", 40)
    assert html_to_text("<p>first words</p>" + " " * 30 + "<p>late words</p>") == "first words"
