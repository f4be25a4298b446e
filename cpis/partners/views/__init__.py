"""Staff pages for partners, one module per record kind: the registry of a
place with its exports (partners), contact people (for roles that need them,
every view logged), agreements with their signed PDF, interest groups,
volunteers, their hours, and recognitions. Each page parses input, calls one
service or selector and renders."""
