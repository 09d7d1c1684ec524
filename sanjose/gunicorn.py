"""gunicorn settings (`gunicorn -c python:sanjose.gunicorn sanjose.wsgi:application`): an
access log on stdout with the secrets of URLs redacted (sanjose.log_filters), and no
client address or browser in it (personal data the site has no use for in a log)."""

from gunicorn.glogging import Logger

from sanjose.log_filters import redact

accesslog = "-"
logger_class = "sanjose.gunicorn.RedactingGunicornLogger"
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(L)ss "%(f)s"'


class RedactingGunicornLogger(Logger):
    """gunicorn's logger, with the request line, path, query and referrer redacted."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        if isinstance(atoms.get("q"), str):  # the query string, without its "?"
            atoms["q"] = redact("?" + atoms["q"])[1:]
        return atoms
