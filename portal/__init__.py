"""The reference portal: a separate relying party in front of the Profiel Service.

It shows portal builders (MijnOverheid, gemeenten, Ondernemersplein) how to integrate: the person
logs in with OIDC (authorization code + PKCE) at the identity provider, the portal keeps the
tokens on the server, and every page calls the Profiel Service API over HTTP as any portal would.
Server-rendered, without JavaScript; NL Design System components (docs/portal.md).
"""
