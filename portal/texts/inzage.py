"""Texts of the inzage page (who used my details): key -> (Dutch, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "inzage.title": ("Wie heeft mijn gegevens gebruikt", "Who used my details"),
    "inzage.intro": (
        (
            "Op deze pagina ziet u welke organisatie uw contactgegevens heeft opgevraagd, en "
            "waarom. U ziet ook wanneer uw profiel is gewijzigd, en door wie, en wanneer een "
            "organisatie contact met u heeft gezocht."
        ),
        (
            "On this page you see which organisation asked for your contact details, and why. You "
            "also see when your profile was changed, and by whom, and when an organisation "
            "contacted you."
        ),
    ),
    "inzage.moment.unknown": ("Niet bekend", "Not known"),
    # (a) the lookups
    "inzage.lookups.title": ("Opgevraagd door organisaties", "Asked for by organisations"),
    "inzage.lookups.intro": (
        (
            "Een organisatie mag uw contactgegevens alleen opvragen voor een doel dat in de wet "
            "staat. Elke keer wordt dat vastgelegd. De nieuwste staat bovenaan."
        ),
        (
            "An organisation may only ask for your contact details for a purpose the law allows. "
            "Every time, this is recorded. The newest is at the top."
        ),
    ),
    "inzage.lookups.empty": (
        "Er heeft nog geen organisatie uw gegevens opgevraagd.",
        "No organisation has asked for your details yet.",
    ),
    "inzage.lookups.empty.more": (
        "Er zijn geen oudere opvragingen.",
        "There are no older requests.",
    ),
    "inzage.lookup.when": ("Wanneer", "When"),
    "inzage.lookup.purpose": ("Waarvoor", "What for"),
    "inzage.lookup.basis": ("Volgens welke wet", "Under which law"),
    "inzage.lookup.basis.unknown": ("Niet bekend", "Not known"),
    "inzage.lookup.result": ("Resultaat", "Result"),
    "inzage.lookup.failed": (
        "De opvraging is mislukt. De organisatie heeft geen gegevens gekregen.",
        "The request failed. The organisation got no details.",
    ),
    "inzage.lookup.unknown.organisation": (
        "Een organisatie die niet meer in het register staat",
        "An organisation that is no longer in the register",
    ),
    "inzage.lookup.oin": ("Organisatienummer (OIN): {oin}", "Organisation number (OIN): {oin}"),
    "inzage.lookups.older": ("Oudere opvragingen tonen", "Show older requests"),
    "inzage.lookups.newest": ("Terug naar de nieuwste", "Back to the newest"),
    # (b) the history
    "inzage.history.title": ("Wijzigingen in uw profiel", "Changes to your profile"),
    "inzage.history.intro": (
        (
            "Wanneer is uw profiel gewijzigd, wat is er gewijzigd, en door wie. De gegevens zelf "
            "staan hier niet. De nieuwste staat bovenaan."
        ),
        (
            "When your profile was changed, what was changed, and by whom. The details themselves "
            "are not shown here. The newest is at the top."
        ),
    ),
    "inzage.history.empty": (
        "Uw profiel is nog niet gewijzigd.",
        "Your profile has not been changed yet.",
    ),
    "inzage.history.when": ("Wanneer", "When"),
    "inzage.history.what": ("Wat", "What"),
    "inzage.history.who": ("Door wie", "By whom"),
    "inzage.action.aangemaakt": ("Profiel gemaakt", "Profile created"),
    "inzage.action.gewijzigd": ("Gewijzigd", "Changed"),
    "inzage.action.verwijderd": ("Profiel verwijderd", "Profile deleted"),
    "inzage.action.fields": ("{action}: {fields}", "{action}: {fields}"),
    "inzage.field.contactgegevens.email": ("e-mailadres", "e-mail address"),
    "inzage.field.contactgegevens.telefoonnummer": ("telefoonnummer", "phone number"),
    "inzage.field.postadres": ("postadres", "postal address"),
    "inzage.field.contactnaam": ("naam om u aan te spreken", "name to address you by"),
    "inzage.field.voorkeuren.correspondentie": (
        "post digitaal of op papier",
        "post digitally or on paper",
    ),
    "inzage.field.voorkeuren.kanalen": ("hoe u berichten wilt krijgen", "how you get messages"),
    "inzage.field.voorkeuren.voorkeursadressen": ("voorkeursadres", "preferred address"),
    "inzage.field.voorkeuren.taal": ("taal", "language"),
    "inzage.field.voorkeuren.weergave": ("aanhef", "form of address"),
    "inzage.field.voorkeuren.organisaties": (
        "voorkeuren per organisatie",
        "preferences per organisation",
    ),
    "inzage.field.voorkeuren.vestigingen": (
        "voorkeuren per vestiging",
        "preferences per branch",
    ),
    "inzage.field.delen": (
        "met welke organisaties uw gegevens worden gedeeld",
        "which organisations your details are shared with",
    ),
    "inzage.door.burger": ("uzelf", "you"),
    "inzage.door.vertegenwoordiger": ("een vertegenwoordiger", "a representative"),
    "inzage.door.gemachtigde": ("een gemachtigde", "an authorised person"),
    "inzage.door.curator": ("een curator", "a guardian (curator)"),
    "inzage.door.bewindvoerder": ("een bewindvoerder", "an administrator (bewindvoerder)"),
    "inzage.door.organisatie": ("een organisatie", "an organisation"),
    "inzage.door.systeem": ("de Profiel Service", "the Profiel Service"),
    "inzage.door.unknown": ("niet bekend", "not known"),
    # (c) the contact moments
    "inzage.contacts.title": ("Contact met u", "Contact with you"),
    "inzage.contacts.intro": (
        (
            "Wanneer een organisatie u een bericht heeft gestuurd, en over welk onderwerp. De "
            "inhoud van het bericht staat hier niet. De nieuwste staat bovenaan."
        ),
        (
            "When an organisation sent you a message, and about which subject. The content of the "
            "message is not shown here. The newest is at the top."
        ),
    ),
    "inzage.contacts.empty": (
        "Er zijn nog geen contactmomenten vastgelegd.",
        "No contact moments have been recorded yet.",
    ),
    "inzage.contact.when": ("Wanneer", "When"),
    "inzage.contact.organisation": ("Organisatie", "Organisation"),
    "inzage.contact.channel": ("Hoe", "How"),
    "inzage.contact.subject": ("Onderwerp", "Subject"),
    "inzage.contact.success": ("Gelukt", "Succeeded"),
    "inzage.success.yes": ("Ja", "Yes"),
    "inzage.success.no": ("Nee", "No"),
    "inzage.success.unknown": ("Niet bekend", "Not known"),
    "inzage.channel.email": ("e-mail", "e-mail"),
    "inzage.channel.sms": ("sms", "text message"),
    "inzage.channel.post": ("post", "post"),
    "inzage.channel.brief": ("brief", "letter"),
    "inzage.channel.telefoon": ("telefoon", "phone"),
    "inzage.channel.berichtenbox": ("Berichtenbox", "Berichtenbox"),
    "inzage.channel.portaal": ("website of app", "website or app"),
}
