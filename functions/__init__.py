"""The Profiel Service functions: one folder each, a pure ``core`` and thin entry points.

``registry`` is the table of functions and their routes that everything else is derived from or
checked against: the functions' own routers, the local gateway, ``serverless.yml``.
"""
