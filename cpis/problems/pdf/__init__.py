"""A problem's case write-up as a PDF: `writeup.render_writeup`; the page
layout in `layout`, the assessment's part in `assessment`."""
