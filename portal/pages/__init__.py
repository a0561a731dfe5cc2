"""The portal's pages, one blueprint per group; each module says what its pages do."""

from portal.pages import auth, contact, inzage, preferences, rights, start

BLUEPRINTS = (
    start.blueprint,
    auth.blueprint,
    contact.blueprint,
    preferences.blueprint,
    inzage.blueprint,
    rights.blueprint,
)
