"""Texts of the rights pages (download or delete): key -> (Dutch, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "rights.title": (
        "Uw gegevens downloaden of verwijderen",
        "Download or delete your details",
    ),
    "rights.intro": (
        (
            "De wet (de AVG) geeft u rechten over uw gegevens. U mag altijd zien welke gegevens "
            "wij van u hebben (artikel 15). U mag ze ook in een bestand meenemen, bijvoorbeeld "
            "naar een andere dienst (artikel 20). En u mag ons vragen om uw gegevens te "
            "verwijderen (artikel 17)."
        ),
        (
            "The law (the GDPR) gives you rights over your details. You may always see which "
            "details we have about you (article 15). You may also take them with you in a file, "
            "for example to another service (article 20). And you may ask us to delete your "
            "details (article 17)."
        ),
    ),
    "rights.download.title": ("Uw gegevens downloaden", "Download your details"),
    "rights.download.text": (
        (
            "U krijgt één bestand met alles wat wij van u bewaren: uw contactgegevens, uw "
            "voorkeuren, de wijzigingen in uw profiel, welke organisaties uw gegevens hebben "
            "opgevraagd en de contactmomenten. Het bestand is in JSON, een gewone tekstvorm die "
            "andere programma's kunnen lezen. Wij leggen vast dat u het bestand hebt gedownload."
        ),
        (
            "You get one file with everything we keep about you: your contact details, your "
            "preferences, the changes to your profile, which organisations asked for your details "
            "and the contact moments. The file is in JSON, a plain text form that other programs "
            "can read. We record that you downloaded the file."
        ),
    ),
    "rights.download.button": ("Download mijn gegevens", "Download my details"),
    "rights.download.caution": (
        "Bewaar het bestand op een veilige plek. Er staan persoonlijke gegevens in.",
        "Keep the file in a safe place. It contains personal details.",
    ),
    "rights.erase.title": ("Uw profiel verwijderen", "Delete your profile"),
    "rights.erase.text": (
        (
            "Wilt u niet meer dat wij uw contactgegevens en voorkeuren bewaren? Dan kunt u uw "
            "profiel verwijderen. Op de volgende pagina leest u precies wat er wordt verwijderd, "
            "en wat blijft. U moet het daar nog bevestigen."
        ),
        (
            "Do you no longer want us to keep your contact details and preferences? Then you can "
            "delete your profile. On the next page you can read exactly what is deleted, and what "
            "stays. You confirm it there."
        ),
    ),
    "rights.erase.start": ("Profiel verwijderen", "Delete profile"),
    # The confirmation page
    "rights.confirm.title": (
        "Wilt u uw profiel verwijderen?",
        "Do you want to delete your profile?",
    ),
    "rights.confirm.erased.title": ("Dit wordt verwijderd", "This is deleted"),
    "rights.confirm.erased.contact": (
        "uw e-mailadressen en telefoonnummers, en of ze zijn gecontroleerd",
        "your e-mail addresses and phone numbers, and whether they were checked",
    ),
    "rights.confirm.erased.address": ("uw postadres", "your postal address"),
    "rights.confirm.erased.name": (
        "de naam waarmee organisaties u aanspreken",
        "the name organisations address you by",
    ),
    "rights.confirm.erased.preferences": (
        "al uw voorkeuren, ook die per organisatie",
        "all your preferences, also those per organisation",
    ),
    "rights.confirm.erased.sharing": (
        "uw keuzes met welke organisaties uw gegevens worden gedeeld",
        "your choices about which organisations your details are shared with",
    ),
    "rights.confirm.erased.contacts": (
        "de contactmomenten die organisaties hebben vastgelegd",
        "the contact moments organisations recorded",
    ),
    "rights.confirm.stays.title": ("Dit blijft bewaard", "This is kept"),
    "rights.confirm.stays.log": (
        (
            "Welke organisatie wanneer uw gegevens heeft opgevraagd, en waarom. Dit staat in het "
            "Logboek Dataverwerkingen. De wet verplicht ons om dat te bewaren. U kunt het blijven "
            "bekijken op de pagina 'Wie heeft mijn gegevens gebruikt'."
        ),
        (
            "Which organisation asked for your details, when, and why. This is in the Logboek "
            "Dataverwerkingen (the processing log). The law requires us to keep it. You can still "
            "see it on the page 'Who used my details'."
        ),
    ),
    "rights.confirm.stays.history": (
        (
            "Wanneer uw profiel is gewijzigd en verwijderd, en door wie. Uw gegevens zelf staan "
            "daar niet in."
        ),
        (
            "When your profile was changed and deleted, and by whom. Your details themselves are "
            "not in it."
        ),
    ),
    "rights.confirm.after": (
        (
            "Organisaties krijgen daarna geen contactgegevens meer van ons. Hebt u een "
            "gecontroleerd e-mailadres? Dan krijgt u daar een bericht dat uw profiel is "
            "verwijderd. Uw gegevens in de Basisregistratie Personen (BRP) of het Handelsregister "
            "veranderen niet. U kunt later altijd opnieuw een profiel maken."
        ),
        (
            "After that, organisations no longer get contact details from us. Do you have a "
            "checked e-mail address? Then you get a message there that your profile was deleted. "
            "Your details in the Personal Records Database (BRP) or the Business Register do not "
            "change. You can always make a new profile later."
        ),
    ),
    "rights.confirm.check": (
        "Ik begrijp dat mijn gegevens worden verwijderd",
        "I understand that my details will be deleted",
    ),
    "rights.confirm.check.missing": (
        "Zet een vinkje als u zeker weet dat u uw profiel wilt verwijderen.",
        "Tick the box if you are sure you want to delete your profile.",
    ),
    "rights.confirm.button": ("Verwijder mijn profiel", "Delete my profile"),
    "rights.confirm.cancel": ("Nee, ik wil mijn profiel houden", "No, I want to keep my profile"),
    "rights.confirm.forbidden": (
        (
            "U mag dit profiel niet verwijderen. Alleen de persoon zelf, een curator of een "
            "vertegenwoordiger van het bedrijf mag dat. Een gemachtigde of een bewindvoerder mag "
            "het niet."
        ),
        (
            "You may not delete this profile. Only the person themselves, a guardian (curator) or "
            "a representative of the company may do so. An authorised person or an administrator "
            "(bewindvoerder) may not."
        ),
    ),
    "rights.confirm.nothing": (
        (
            "Er is geen profiel om te verwijderen. Wij bewaren geen contactgegevens of voorkeuren "
            "van u."
        ),
        "There is no profile to delete. We keep no contact details or preferences of yours.",
    ),
    "rights.back": ("Terug naar downloaden of verwijderen", "Back to download or delete"),
    # After the erasure
    "rights.erased.title": ("Uw profiel is verwijderd", "Your profile has been deleted"),
    "rights.erased.text": (
        (
            "Wij bewaren geen contactgegevens en voorkeuren meer van u. Organisaties krijgen ze "
            "niet meer van ons."
        ),
        (
            "We no longer keep contact details and preferences of yours. Organisations no longer "
            "get them from us."
        ),
    ),
    "rights.erased.log": (
        (
            "Welke organisatie uw gegevens heeft opgevraagd, ziet u nog steeds op de pagina 'Wie "
            "heeft mijn gegevens gebruikt'."
        ),
        (
            "Which organisation asked for your details, you can still see on the page 'Who used "
            "my details'."
        ),
    ),
    "rights.erased.again": (
        (
            "U bent nog ingelogd. Wilt u toch weer contactgegevens of voorkeuren opgeven? Dat kan "
            "altijd, bij 'Mijn gegevens'."
        ),
        (
            "You are still logged in. Do you want to give contact details or preferences again "
            "after all? You can always do so, under 'My details'."
        ),
    ),
    "rights.erased.to.inzage": ("Wie heeft mijn gegevens gebruikt", "Who used my details"),
}
