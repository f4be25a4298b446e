"""The data-protection officer's pages, one module per screen: the data-subject
requests (requests); import the modules directly."""
