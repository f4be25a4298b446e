"""The surveys' files: a wave's response-level data as CSV, XLSX and SPSS .sav."""
