"""`make load`: the public API under production settings and gunicorn,
driven by locust. Not part of the test run."""
