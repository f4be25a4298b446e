"""Reads for data protection, one module per screen: the data-subject requests
(requests); import the modules directly."""
