"""Texts of the "Mijn gegevens" pages (``/gegevens``): key -> (Dutch, English).

Dutch at B1 level: short sentences, "u", the words a person uses (bevestigen, not verifiëren).
"""

TEXTS: dict[str, tuple[str, str]] = {
    "contact.title": ("Mijn gegevens", "My details"),
    "contact.intro": (
        (
            "Hier ziet u wat de overheid van u weet, en hoe organisaties contact met u kunnen "
            "opnemen. U kunt uw e-mailadressen, telefoonnummers, correspondentieadres en "
            "contactnaam zelf aanpassen."
        ),
        (
            "Here you see what the government knows about you, and how organisations can contact "
            "you. You can change your e-mail addresses, phone numbers, correspondence address and "
            "contact name yourself."
        ),
    ),
    # --- the registration -------------------------------------------------------------------
    "contact.brp.title": (
        "Zo staat u in de Basisregistratie Personen (BRP)",
        "How you are registered in the Personal Records Database (BRP)",
    ),
    "contact.brp.unavailable": (
        (
            "De BRP is nu niet bereikbaar. Daarom ziet u hier nu niet uw naam en adres uit de BRP. "
            "Probeer het later opnieuw."
        ),
        (
            "The Personal Records Database (BRP) cannot be reached right now. That is why you do "
            "not see your name and address from the BRP here. Please try again later."
        ),
    ),
    "contact.brp.unknown": (
        "De BRP kent u niet. Daarom ziet u hier geen naam en adres uit de BRP.",
        (
            "The Personal Records Database (BRP) does not know you. That is why you see no name "
            "and address from the BRP here."
        ),
    ),
    "contact.brp.name": ("Naam", "Name"),
    "contact.brp.address": ("Adres", "Address"),
    "contact.brp.greeting": ("Aanhef in een brief", "Greeting in a letter"),
    "contact.brp.wrong": (
        "Klopt dit niet? Geef dat door aan uw gemeente. Hier kunt u dit niet veranderen.",
        "Is this wrong? Tell your municipality. You cannot change it here.",
    ),
    "contact.kvk.title": (
        "Zo staat uw onderneming in het Handelsregister van de KVK",
        "How your business is registered in the KVK Business Register",
    ),
    "contact.kvk.unavailable": (
        (
            "Het Handelsregister is nu niet bereikbaar. Daarom ziet u hier nu niet de gegevens "
            "van uw onderneming. Probeer het later opnieuw."
        ),
        (
            "The Business Register cannot be reached right now. That is why you do not see your "
            "business's details here. Please try again later."
        ),
    ),
    "contact.kvk.unknown": (
        "Het Handelsregister kent deze onderneming niet.",
        "The Business Register does not know this business.",
    ),
    "contact.kvk.name": ("Naam", "Name"),
    "contact.kvk.trade.names": ("Handelsnamen", "Trade names"),
    "contact.kvk.address": ("Adres", "Address"),
    "contact.kvk.branches": ("Vestigingen", "Branches"),
    "contact.kvk.branches.caption": (
        "De vestigingen van uw onderneming",
        "The branches of your business",
    ),
    "contact.kvk.branch.number": ("Vestigingsnummer", "Branch number"),
    "contact.kvk.branch.name": ("Naam", "Name"),
    "contact.kvk.branch.address": ("Adres", "Address"),
    "contact.kvk.branch.kind": ("Soort", "Kind"),
    "contact.kvk.branch.main": ("Hoofdvestiging", "Head office"),
    "contact.kvk.branch.other": ("Nevenvestiging", "Branch"),
    "contact.kvk.branch.yours": ("U beheert deze vestiging", "You manage this branch"),
    "contact.kvk.branch.login": (
        "U bent ingelogd voor één vestiging: {naam} (vestigingsnummer {nummer}).",
        "You are logged in for one branch: {naam} (branch number {nummer}).",
    ),
    "contact.kvk.wrong": (
        "Klopt dit niet? Geef dat door aan de KVK. Hier kunt u dit niet veranderen.",
        "Is this wrong? Tell the KVK. You cannot change it here.",
    ),
    "contact.eidas.title": ("Uw registratie", "Your registration"),
    "contact.eidas.none": (
        (
            "U bent ingelogd met een Europees inlogmiddel (eIDAS). U staat niet in een "
            "Nederlandse basisregistratie. Daarom ziet u hier geen naam en adres uit een register."
        ),
        (
            "You logged in with a European login means (eIDAS). You are not in a Dutch base "
            "register. That is why you see no name and address from a register here."
        ),
    ),
    "contact.read.only": (
        (
            "Volgens de basisregistratie wordt deze persoon of onderneming daar niet meer "
            "bijgehouden, bijvoorbeeld na overlijden of vertrek naar het buitenland. Daarom kunt u "
            "dit profiel alleen nog bekijken. U kunt niets meer veranderen."
        ),
        (
            "According to the base register, this person or business is no longer kept there, for "
            "example after death or a move abroad. That is why you can only view this profile. You "
            "can no longer change anything."
        ),
    ),
    # --- contact details --------------------------------------------------------------------
    "contact.details.title": (
        "E-mailadressen en telefoonnummers",
        "E-mail addresses and phone numbers",
    ),
    "contact.details.intro": (
        "Organisaties krijgen alleen een adres dat u hebt bevestigd met een code.",
        "Organisations only get an address you have confirmed with a code.",
    ),
    "contact.details.none": (
        "U hebt nog geen e-mailadres of telefoonnummer opgegeven.",
        "You have not given an e-mail address or phone number yet.",
    ),
    "contact.kind": ("Soort", "Kind"),
    "contact.kind.email": ("E-mailadres", "E-mail address"),
    "contact.kind.telefoonnummer": ("Telefoonnummer", "Phone number"),
    "contact.description": ("Omschrijving", "Description"),
    "contact.description.none": ("Geen", "None"),
    "contact.standard": ("Standaardadres", "Standard address"),
    "contact.standard.yes.email": (
        "Ja, dit is uw standaard-e-mailadres",
        "Yes, this is your standard e-mail address",
    ),
    "contact.standard.yes.telefoonnummer": (
        "Ja, dit is uw standaardtelefoonnummer",
        "Yes, this is your standard phone number",
    ),
    "contact.standard.no": ("Nee", "No"),
    "contact.status": ("Status", "Status"),
    "contact.status.geverifieerd": ("Bevestigd", "Confirmed"),
    "contact.status.geverifieerd.on": ("Bevestigd op {datum}", "Confirmed on {datum}"),
    "contact.status.niet-geverifieerd": ("Nog niet bevestigd", "Not confirmed yet"),
    "contact.status.verouderd": ("Bevestig opnieuw", "Please confirm again"),
    "contact.status.onbestelbaar": ("Berichten komen niet aan", "Messages do not arrive"),
    "contact.explain.niet-geverifieerd": (
        (
            "Vul de code in uit het bericht dat we naar {adres} stuurden. Een code is 15 minuten "
            "geldig. Geen code gekregen, of is hij verlopen? Kies dan: Stuur een nieuwe code."
        ),
        (
            "Enter the code from the message we sent to {adres}. A code is valid for 15 minutes. "
            "No code received, or has it expired? Then choose: Send a new code."
        ),
    ),
    "contact.explain.verouderd": (
        (
            "U hebt dit adres meer dan 18 maanden geleden bevestigd. Bevestig het opnieuw: vraag "
            "een nieuwe code aan. We sturen die naar {adres}."
        ),
        (
            "You confirmed this address more than 18 months ago. Please confirm it again: ask for "
            "a new code. We will send it to {adres}."
        ),
    ),
    "contact.explain.onbestelbaar": (
        (
            "Berichten naar {adres} komen niet aan (gemeld op {datum}). Organisaties krijgen dit "
            "adres daarom niet meer. Klopt het adres? Vraag dan een nieuwe code aan en vul die in. "
            "Klopt het niet? Verwijder het en voeg het goede adres toe."
        ),
        (
            "Messages to {adres} do not arrive (reported on {datum}). That is why organisations "
            "no longer get this address. Is the address right? Then ask for a new code and enter "
            "it. Is it wrong? Remove it and add the right address."
        ),
    ),
    "contact.code.label": ("Code uit het bericht", "Code from the message"),
    "contact.code.hint": ("De code heeft 6 cijfers.", "The code has 6 digits."),
    "contact.code.submit": ("Bevestig code", "Confirm code"),
    "contact.code.submit.for": ("Bevestig code voor {adres}", "Confirm code for {adres}"),
    "contact.code.new": ("Stuur een nieuwe code", "Send a new code"),
    "contact.code.new.for": (
        "Stuur een nieuwe code naar {adres}",
        "Send a new code to {adres}",
    ),
    "contact.make.standard": ("Maak dit mijn standaardadres", "Make this my standard address"),
    "contact.make.standard.for": (
        "Maak dit mijn standaardadres: {adres}",
        "Make this my standard address: {adres}",
    ),
    "contact.remove": ("Verwijder", "Remove"),
    "contact.remove.for": ("Verwijder {adres}", "Remove {adres}"),
    "contact.add.title": (
        "Een e-mailadres of telefoonnummer toevoegen",
        "Add an e-mail address or phone number",
    ),
    "contact.add.intro": (
        (
            "U kunt 5 e-mailadressen en 3 telefoonnummers opgeven. We sturen een code naar het "
            "nieuwe adres. Daarmee bevestigt u dat het van u is."
        ),
        (
            "You can give 5 e-mail addresses and 3 phone numbers. We send a code to the new "
            "address. With it, you confirm that it is yours."
        ),
    ),
    "contact.add.kind": ("Wat wilt u toevoegen?", "What do you want to add?"),
    "contact.add.address": ("E-mailadres of telefoonnummer", "E-mail address or phone number"),
    "contact.add.address.hint": (
        "Een Nederlands telefoonnummer mag zonder +31, bijvoorbeeld 0612345678.",
        "A Dutch phone number may be written without +31, for example 0612345678.",
    ),
    "contact.add.description": ("Omschrijving (niet verplicht)", "Description (optional)"),
    "contact.add.description.hint": (
        "Bijvoorbeeld: werk, privé of mobiel.",
        "For example: work, private or mobile.",
    ),
    "contact.add.submit": ("Toevoegen en code sturen", "Add and send a code"),
    # --- what a change did (status messages after Post/Redirect/Get) ------------------------
    "contact.done.toegevoegd": (
        "We hebben een code gestuurd naar {adres}. Vul de code hieronder in.",
        "We sent a code to {adres}. Enter the code below.",
    ),
    "contact.done.code": (
        "We hebben een nieuwe code gestuurd naar {adres}. Vul de code hieronder in.",
        "We sent a new code to {adres}. Enter the code below.",
    ),
    "contact.done.geverifieerd": (
        "Gelukt: {adres} is bevestigd.",
        "Done: {adres} is confirmed.",
    ),
    "contact.done.standaard": (
        "{adres} is nu uw standaardadres.",
        "{adres} is now your standard address.",
    ),
    "contact.done.verwijderd": ("Het adres is verwijderd.", "The address has been removed."),
    "contact.done.postadres": (
        "Uw correspondentieadres is opgeslagen.",
        "Your correspondence address has been saved.",
    ),
    "contact.done.postadres.verwijderd": (
        "Uw correspondentieadres is verwijderd.",
        "Your correspondence address has been removed.",
    ),
    "contact.done.contactnaam": (
        "Uw contactnaam is opgeslagen.",
        "Your contact name has been saved.",
    ),
    "contact.done.contactnaam.verwijderd": (
        "Uw contactnaam is verwijderd.",
        "Your contact name has been removed.",
    ),
    # --- correspondence address -------------------------------------------------------------
    "contact.postadres.title": ("Correspondentieadres", "Correspondence address"),
    "contact.postadres.intro.brp": (
        (
            "Wilt u post op een ander adres krijgen dan uw adres in de BRP? Geef dan hier een "
            "correspondentieadres op."
        ),
        (
            "Do you want to get post at another address than your address in the BRP? Then give a "
            "correspondence address here."
        ),
    ),
    "contact.postadres.intro.kvk": (
        (
            "Wilt u post op een ander adres krijgen dan het adres in het Handelsregister? Geef dan "
            "hier een correspondentieadres op."
        ),
        (
            "Do you want to get post at another address than the address in the Business "
            "Register? Then give a correspondence address here."
        ),
    ),
    "contact.postadres.intro.geen": (
        (
            "Wilt u post krijgen? Geef dan hier een correspondentieadres op. Dat kan een adres in "
            "het buitenland zijn, een adres in Nederland of een postbus."
        ),
        (
            "Do you want to get post? Then give a correspondence address here. This can be an "
            "address abroad, an address in the Netherlands or a PO box."
        ),
    ),
    "contact.postadres.registered.brp": ("Adres in de BRP", "Address in the BRP"),
    "contact.postadres.registered.kvk": (
        "Adres in het Handelsregister",
        "Address in the Business Register",
    ),
    "contact.postadres.current": ("Uw correspondentieadres", "Your correspondence address"),
    "contact.postadres.none": (
        "U hebt geen correspondentieadres opgegeven.",
        "You have not given a correspondence address.",
    ),
    "contact.postadres.registered.none": ("Niet bekend", "Not known"),
    "contact.postadres.postbus": ("Postbus {nummer}", "PO Box {nummer}"),
    "contact.postadres.form.title": (
        "Een correspondentieadres in Nederland opgeven",
        "Give a correspondence address in the Netherlands",
    ),
    "contact.postadres.form.intro": (
        (
            "Vul uw postcode en huisnummer in. Wij zoeken het adres op in de Basisregistratie "
            "Adressen en Gebouwen (BAG)."
        ),
        (
            "Enter your postcode and house number. We look up the address in the Dutch register "
            "of addresses and buildings (BAG)."
        ),
    ),
    "contact.postadres.postcode": ("Postcode", "Postcode"),
    "contact.postadres.postcode.hint": ("Bijvoorbeeld 1234 AB.", "For example 1234 AB."),
    "contact.postadres.huisnummer": ("Huisnummer", "House number"),
    "contact.postadres.huisletter": ("Huisletter (niet verplicht)", "House letter (optional)"),
    "contact.postadres.toevoeging": (
        "Toevoeging (niet verplicht)",
        "House number addition (optional)",
    ),
    "contact.postadres.search": ("Zoek adres", "Find address"),
    "contact.postadres.remove": (
        "Verwijder mijn correspondentieadres",
        "Remove my correspondence address",
    ),
    "contact.postadres.not.found": (
        "Wij vinden geen adres met dit huisnummer bij deze postcode.",
        "We find no address with this house number at this postcode.",
    ),
    "contact.postadres.no.letter": (
        "Wij vinden dit adres niet met deze huisletter.",
        "We do not find this address with this house letter.",
    ),
    "contact.postadres.no.addition": (
        "Wij vinden dit adres niet met deze toevoeging.",
        "We do not find this address with this addition.",
    ),
    "contact.postadres.confirm.title": (
        "Controleer uw correspondentieadres",
        "Check your correspondence address",
    ),
    "contact.postadres.confirm.one": (
        "Wij vonden dit adres. Is dit het adres waar u post wilt krijgen?",
        "We found this address. Is this where you want to get post?",
    ),
    "contact.postadres.confirm.several": (
        "Wij vonden {aantal} adressen op dit huisnummer. Kies het adres waar u post wilt krijgen.",
        "We found {aantal} addresses at this house number. Choose where you want to get post.",
    ),
    "contact.postadres.confirm.choice": ("Welk adres is het?", "Which address is it?"),
    "contact.postadres.use": ("Gebruik dit adres", "Use this address"),
    "contact.postadres.other": ("Zoek een ander adres", "Find another address"),
    "contact.postbus.title": ("Een postbus opgeven", "Give a PO box"),
    "contact.postbus.intro": (
        "Wilt u post krijgen in een postbus in Nederland? Vul dan de gegevens van de postbus in.",
        "Do you want to get post in a PO box in the Netherlands? Then enter the PO box's details.",
    ),
    "contact.postbus.nummer": ("Postbusnummer", "PO box number"),
    "contact.postbus.postcode": ("Postcode van de postbus", "Postcode of the PO box"),
    "contact.postbus.woonplaats": ("Plaats", "Town or city"),
    "contact.postbus.save": ("Sla postbus op", "Save PO box"),
    "contact.buitenland.title": (
        "Een adres in het buitenland opgeven",
        "Give an address abroad",
    ),
    "contact.buitenland.intro": (
        (
            "Woont u buiten Nederland? Schrijf uw adres zoals het op een envelop moet staan. Kies "
            "daarna het land."
        ),
        (
            "Do you live outside the Netherlands? Write your address as it should be on an "
            "envelope. Then choose the country."
        ),
    ),
    "contact.buitenland.regel1": ("Adresregel 1", "Address line 1"),
    "contact.buitenland.regel1.hint": (
        "Bijvoorbeeld uw straat en huisnummer.",
        "For example your street and house number.",
    ),
    "contact.buitenland.regel2": ("Adresregel 2 (niet verplicht)", "Address line 2 (optional)"),
    "contact.buitenland.regel2.hint": (
        "Bijvoorbeeld uw postcode en woonplaats.",
        "For example your postcode and town or city.",
    ),
    "contact.buitenland.regel3": ("Adresregel 3 (niet verplicht)", "Address line 3 (optional)"),
    "contact.buitenland.land": ("Land", "Country"),
    "contact.buitenland.land.choose": ("Kies een land", "Choose a country"),
    "contact.buitenland.save": (
        "Sla adres in het buitenland op",
        "Save address abroad",
    ),
    # --- contact name -----------------------------------------------------------------------
    "contact.naam.title": ("Contactnaam", "Contact name"),
    "contact.naam.intro": (
        "Met deze naam mogen organisaties u aanspreken, als ze die naam nodig hebben.",
        "Organisations may address you by this name, if they need it.",
    ),
    "contact.naam.current": ("Uw contactnaam", "Your contact name"),
    "contact.naam.none": (
        "U hebt geen contactnaam opgegeven.",
        "You have not given a contact name.",
    ),
    "contact.naam.label": ("Nieuwe contactnaam", "New contact name"),
    "contact.naam.save": ("Sla contactnaam op", "Save contact name"),
    "contact.naam.from.brp": ("Gebruik mijn naam uit de BRP", "Use my name from the BRP"),
    "contact.naam.from.kvk": (
        "Gebruik de naam uit het Handelsregister",
        "Use the name from the Business Register",
    ),
    "contact.naam.remove": ("Verwijder mijn contactnaam", "Remove my contact name"),
}
