"""Texts on every page: the layout, navigation, login, errors. Key -> (Dutch, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "site.name": ("Mijn profiel", "My profile"),
    "site.tagline": (
        "Uw contactgegevens en voorkeuren voor de overheid, op één plek",
        "Your contact details and preferences for the government, in one place",
    ),
    "skip.to.content": ("Naar de inhoud", "Skip to content"),
    "nav.label": ("Hoofdmenu", "Main menu"),
    "nav.contact": ("Mijn gegevens", "My details"),
    "nav.preferences": ("Mijn voorkeuren", "My preferences"),
    "nav.inzage": ("Wie heeft mijn gegevens gebruikt", "Who used my details"),
    "nav.rights": ("Downloaden of verwijderen", "Download or delete"),
    "language.label": ("Taal", "Language"),
    "language.switch": ("English", "Nederlands"),
    "logout": ("Uitloggen", "Log out"),
    "logged.in.as": ("Ingelogd als", "Logged in as"),
    "who.burger": ("burger", "citizen"),
    "who.eidas": ("Europese burger (eIDAS)", "European citizen (eIDAS)"),
    "who.ondernemer": ("ondernemer", "business"),
    "who.vestiging": ("ondernemer, vestiging", "business, branch"),
    "home.title": ("Mijn profiel bij de overheid", "My profile with the government"),
    "home.intro": (
        (
            "Hier regelt u hoe de overheid contact met u opneemt: uw e-mailadres en "
            "telefoonnummer, of u post liever digitaal of op papier krijgt, en per organisatie wat "
            "u wilt. U ziet ook welke organisatie uw gegevens gebruikte, en waarom."
        ),
        (
            "Here you choose how the government contacts you: your e-mail address and phone "
            "number, whether you want post digitally or on paper, and what you want per "
            "organisation. You also see which organisation used your details, and why."
        ),
    ),
    "home.login": ("Inloggen", "Log in"),
    "home.login.means": (
        (
            "U logt in met DigiD, met eHerkenning (voor een bedrijf) of met een Europees "
            "inlogmiddel (eIDAS)."
        ),
        (
            "You log in with DigiD, with eHerkenning (for a business) or with a European login "
            "means (eIDAS)."
        ),
    ),
    "logged.out": ("U bent uitgelogd.", "You have logged out."),
    "error.title": ("Er ging iets mis", "Something went wrong"),
    "error.csrf": (
        "Dit formulier is verlopen of kwam niet van deze website. Probeer het opnieuw.",
        "This form has expired or did not come from this website. Please try again.",
    ),
    "error.login": (
        "Inloggen is niet gelukt. Probeer het opnieuw.",
        "Logging in did not work. Please try again.",
    ),
    "error.unavailable": (
        "Deze dienst is nu niet bereikbaar. Probeer het later opnieuw.",
        "This service cannot be reached right now. Please try again later.",
    ),
    "error.not.found": ("Deze pagina bestaat niet.", "This page does not exist."),
    "error.stale": (
        (
            "Uw gegevens zijn intussen gewijzigd, in een ander venster of door iemand anders. "
            "Bekijk ze hieronder en probeer het opnieuw."
        ),
        (
            "Your details have changed in the meantime, in another window or by someone else. "
            "Check them below and try again."
        ),
    ),
    "error.read.only": (
        "Dit profiel kan alleen nog worden bekeken, niet gewijzigd.",
        "This profile can only be viewed, not changed.",
    ),
    "error.too.many": (
        "U hebt dit te vaak geprobeerd. Wacht even en probeer het dan opnieuw.",
        "You have tried this too often. Please wait a moment and try again.",
    ),
    "error.summary": ("Controleer dit:", "Please check:"),
    "back.home": ("Naar de startpagina", "To the home page"),
    "saved": ("Opgeslagen.", "Saved."),
    "api.message.note": (
        "De foutmelding komt van de Profiel Service en is in het Nederlands.",
        "The error message comes from the Profiel Service and is in Dutch.",
    ),
    "footer.about": (
        "Referentieportaal van de Profiel Service — open source (EUPL-1.2).",
        "Reference portal of the Profiel Service — open source (EUPL-1.2).",
    ),
}
