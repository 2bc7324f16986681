from __future__ import annotations

from cleaner.config import Options
from cleaner.extract import extract, page_text, text_blocks
from cleaner.read import read

PARAS = [
    "The city council on Tuesday approved a budget that doubles spending on parks and "
    "playgrounds over the next five years, after months of debate among its members.",
    "Mayor Ana Lopez said the plan would create hundreds of jobs and give every neighbourhood "
    "a green space within a ten-minute walk of every home in the city.",
    "Critics argued that the money should go to road repairs instead, but the measure passed "
    "by seven votes to two late on Tuesday evening after a long session.",
]
PAGE = (
    "<html><head><title>Council approves new budget for city parks</title>"
    '<meta name="author" content="Jane Doe"></head><body>'
    "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
    "<article><h1>Council approves new budget for city parks</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAS)
    + "<ul><li>First point of a list</li><li>Second point of a list</li></ul>"
    "</article><footer>© 2024 City Paper</footer></body></html>"
)


def test_html_blocks_and_metadata() -> None:
    doc = extract(read(PAGE, name="p.html", max_bytes=10**7), source="p.html", options=Options())
    texts = [b.text for b in doc.blocks]
    for para in PARAS:
        assert para in texts
    assert "First point of a list\nSecond point of a list" in texts
    assert doc.title == "Council approves new budget for city parks"
    assert doc.author == "Jane Doe"
    assert all(b.kind != "line" for b in doc.blocks)
    assert "Home" not in texts


def test_text_blocks_group_lines_into_paragraphs() -> None:
    blocks = text_blocks("a  b\nc\n\n\n  d \r\n e\n")
    assert [(b.text, b.para) for b in blocks] == [("a b", 0), ("c", 0), ("d", 1), ("e", 1)]


def test_page_text_drops_scripts_and_styles() -> None:
    html = "<html><head><style>p{}</style></head><body><script>x=1</script><p>Hi</p></body></html>"
    assert page_text(html) == "Hi"


def test_trafilatura_finds_nothing_falls_back_to_page_text() -> None:
    html = "<html><body><footer><p>Only a tiny label</p></footer></body></html>"
    doc = extract(read(html, name="e.html", max_bytes=10**7), source="e.html", options=Options())
    assert any("fell back" in w or "whole page" in w for w in doc.warnings)
    assert [b.text for b in doc.blocks] == ["Only a tiny label"]
