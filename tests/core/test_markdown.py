"""Organisers' Markdown becomes a small, safe subset of HTML."""

from forum_app.core.markdown import render_markdown


def test_markdown_basics_are_kept():
    html = str(render_markdown("**Bold** and *it*\n\n- one\n- two\n\n> quote\n\n`code`"))
    for part in ("<strong>Bold</strong>", "<em>it</em>", "<li>one</li>", "<blockquote>",
                 "<code>code</code>"):
        assert part in html


def test_scripts_handlers_and_bad_links_are_removed():
    html = str(render_markdown(
        "<script>alert(1)</script><img src=x onerror=alert(2)>"
        "[bad](javascript:alert(3)) <a href='https://darkhan.mn' onclick='x()'>ok</a>"
        "<iframe src='https://evil.example'></iframe><b style='color:red'>b</b>"))
    assert "script" not in html and "alert" not in html and "onerror" not in html
    assert "<img" not in html and "iframe" not in html and "style" not in html
    assert "javascript" not in html and "onclick" not in html
    assert '<a href="https://darkhan.mn" rel="nofollow noopener">ok</a>' in html


def test_headings_sit_below_the_page_headings():
    html = str(render_markdown("# Big\n\n## Also big\n\n### Smaller"))
    assert "<h1" not in html and "<h2" not in html
    assert "<h3>Big</h3>" in html and "<h3>Also big</h3>" in html and "<h4>Smaller</h4>" in html


def test_empty_text_renders_nothing():
    assert str(render_markdown(None)) == "" and str(render_markdown("")) == ""
