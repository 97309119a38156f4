"""How big a paper may be: limits that keep every build under a minute on a small machine and
every file within what the output formats hold. Each is far beyond any real committee paper
(the Walsall sample has 60 numbered paragraphs and 1,500 words) and is reported, with its
place, as a diagnostic; docs/SECURITY.md lists them.
"""

from __future__ import annotations

MAX_TEXT_BYTES = 2_000_000  # one section, appendix or YAML file
MAX_IMAGE_BYTES = 20_000_000  # one picture file
MAX_ATTACHMENT_BYTES = 100_000_000  # one file of the paper that it links to (a plan, a spreadsheet)
MAX_ATTACHED_PDF_PAGES = 500  # one PDF appendix, whose pages are added to the paper's PDF
MAX_IMAGE_PIXELS = 40_000_000  # one picture: a 7,000 × 5,700 photograph
MAX_MARKDOWN_NESTING = 20  # lists, quotes, emphasis and links inside one another
MAX_INLINES_PER_BLOCK = 2_000  # words, emphasis, links and references in one paragraph or cell
MAX_TABLE_ROWS = 1_000
MAX_TABLE_COLUMNS = 30  # an A4 page cannot show more, even landscape
MAX_BLOCKS_PER_PAPER = 4_000  # paragraphs, headings and table rows, in all its files
MAX_INLINES_PER_PAPER = 40_000  # pieces of text: words between formatting, emphasis, links, references
MAX_YAML_DEPTH = 20  # paper.yaml, meeting files and style.yaml nest four or five levels
MAX_YAML_TEXT = 10_000  # characters in one YAML value
