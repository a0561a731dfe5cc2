"""gunicorn's settings in a Profiel Service function's image on OpenFaaS.

of-watchdog runs ``fprocess`` (the Dockerfile: ``gunicorn --config gunicorn.conf.py``) and
forwards every request to its ``upstream_url``, the address bound here. Any setting can be
overridden without a new image through gunicorn's own ``GUNICORN_CMD_ARGS`` (e.g.
``--threads 8``), set in stack.yml's ``environment``.
"""

# of-watchdog's upstream_url; nothing else is meant to reach this server.
bind = "127.0.0.1:5000"

# index.py's application factory: it reads the OpenFaaS secrets into the environment before it
# imports the function named by FUNCTION_PACKAGE.
wsgi_app = "index:create_app()"

# One process with a few threads, as the functions run on Knative: requests of different
# subjects run side by side, and share nothing (shared/http/resolver.py). More load means more
# replicas, not more processes per replica (each would hold its own copy of the function).
workers = 1
worker_class = "gthread"
threads = 4

# No access log: its lines carry the path as sent, and a wrong URL may carry an identifier. The
# service logs each request itself, with the route template only.
accesslog = None
errorlog = "-"

# gunicorn's control socket (for gunicornc) would go under $HOME, which the read-only root
# filesystem does not let it create; nothing here uses it.
control_socket_disable = True
