"""The editorial core behind ``press.workflow``: ``rules`` (who may do what, what publishing needs,
the fingerprint of content), ``events`` (the signals of press/signals.py, sent on commit) and
``writing`` (every write of a release). Import from ``press.workflow``."""
