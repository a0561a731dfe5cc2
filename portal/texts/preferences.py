"""Texts of the preferences pages: key -> (Dutch, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "preferences.title": ("Mijn voorkeuren", "My preferences"),
    "preferences.intro": (
        (
            "Hier kiest u hoe de overheid contact met u opneemt. Uw standaardvoorkeuren gelden voor "
            "alle organisaties. Voor een organisatie of een dienst kunt u iets anders kiezen."
        ),
        (
            "Here you choose how the government contacts you. Your default preferences apply to "
            "every organisation. For an organisation or a service you can choose something else."
        ),
    ),
    # Who changes what: a branch, the whole company.
    "preferences.vestiging.notice": (
        (
            "U wijzigt de voorkeuren van vestiging {naam} (vestigingsnummer {nummer}). Kiest u "
            "'Geen voorkeur', dan geldt wat de onderneming heeft gekozen."
        ),
        (
            "You are changing the preferences of branch {naam} (branch number {nummer}). If you "
            "choose 'No preference', the company's choice applies."
        ),
    ),
    "preferences.vestiging.notice.unknown": (
        (
            "U wijzigt de voorkeuren van deze vestiging. Kiest u 'Geen voorkeur', dan geldt wat de "
            "onderneming heeft gekozen."
        ),
        (
            "You are changing the preferences of this branch. If you choose 'No preference', the "
            "company's choice applies."
        ),
    ),
    "preferences.vestiging.unavailable": (
        (
            "We kunnen nu niet zien om welke vestiging het gaat, omdat het Handelsregister niet "
            "bereikbaar is. Probeer het later opnieuw."
        ),
        (
            "We cannot see which branch this is right now, because the Business Register cannot "
            "be reached. Please try again later."
        ),
    ),
    "preferences.ondernemer.notice": (
        "U wijzigt de voorkeuren van de hele onderneming.",
        "You are changing the preferences of the whole company.",
    ),
    # The default level.
    "preferences.default.title": ("Standaardvoorkeuren", "Default preferences"),
    "preferences.default.intro": (
        (
            "Deze voorkeuren gelden voor alle organisaties, behalve als u voor een organisatie iets "
            "anders kiest."
        ),
        (
            "These preferences apply to all organisations, unless you choose something else for an "
            "organisation."
        ),
    ),
    "preferences.default.save": ("Standaardvoorkeuren opslaan", "Save default preferences"),
    "preferences.saved": ("Uw voorkeuren zijn opgeslagen.", "Your preferences have been saved."),
    # The fields of a level.
    "preferences.none": ("Geen voorkeur", "No preference"),
    "preferences.correspondentie.legend": (
        "Hoe wilt u post krijgen?",
        "How do you want to receive post?",
    ),
    "preferences.correspondentie.digitaal": ("Digitaal", "Digitally"),
    "preferences.correspondentie.post": ("Op papier, per post", "On paper, by post"),
    "preferences.channels.legend": (
        "Langs welke weg mag een organisatie u een bericht sturen?",
        "How may an organisation send you a message?",
    ),
    "preferences.channel.email": ("Per e-mail", "By e-mail"),
    "preferences.channel.sms": ("Per sms", "By text message (SMS)"),
    "preferences.channel.berichtenbox": (
        "In de Berichtenbox van MijnOverheid",
        "In the MijnOverheid Message Box",
    ),
    "preferences.channel.portaal": (
        "Op de website of in de app van de organisatie",
        "On the organisation's website or in its app",
    ),
    "preferences.channel.post": ("Met een brief per post", "With a letter by post"),
    "preferences.channel.short.email": ("e-mail", "e-mail"),
    "preferences.channel.short.sms": ("sms", "text message"),
    "preferences.channel.short.berichtenbox": ("Berichtenbox", "Message Box"),
    "preferences.channel.short.portaal": (
        "website of app van de organisatie",
        "the organisation's website or app",
    ),
    "preferences.channel.short.post": ("brief", "letter"),
    "preferences.channel.yes": ("Ja", "Yes"),
    "preferences.channel.no": ("Nee", "No"),
    "preferences.taal.label": (
        "In welke taal wilt u berichten krijgen?",
        "In which language do you want to receive messages?",
    ),
    "preferences.taal.other": ("Andere taal ({code})", "Other language ({code})"),
    "preferences.aanhef.legend": (
        "Hoe wilt u worden aangesproken?",
        "How do you want to be addressed?",
    ),
    "preferences.aanhef.formeel": ("Formeel, met 'u'", "Formally"),
    "preferences.aanhef.informeel": ("Informeel, met 'je'", "Informally"),
    "preferences.aanhef.neutraal": (
        "Neutraal, zonder 'meneer' of 'mevrouw'",
        "Neutral, without 'Mr' or 'Ms'",
    ),
    "preferences.email.label": (
        "Welk e-mailadres mag deze organisatie gebruiken?",
        "Which e-mail address may this organisation use?",
    ),
    "preferences.email.default": ("Mijn standaard e-mailadres", "My default e-mail address"),
    "preferences.email.unverified": (
        "{adres} (nog niet bevestigd)",
        "{adres} (not confirmed yet)",
    ),
    # Language names, as a page in that language shows them.
    "preferences.language.nl": ("Nederlands", "Dutch"),
    "preferences.language.en": ("Engels", "English"),
    "preferences.language.de": ("Duits", "German"),
    "preferences.language.fr": ("Frans", "French"),
    "preferences.language.es": ("Spaans", "Spanish"),
    "preferences.language.pl": ("Pools", "Polish"),
    "preferences.language.tr": ("Turks", "Turkish"),
    "preferences.language.ar": ("Arabisch", "Arabic"),
    "preferences.language.uk": ("Oekraïens", "Ukrainian"),
    # What applies, per organisation.
    "preferences.organisations.title": ("Per organisatie", "Per organisation"),
    "preferences.organisations.intro": (
        "Dit gebruikt elke organisatie nu als zij u een bericht stuurt.",
        "This is what each organisation now uses when it sends you a message.",
    ),
    "preferences.organisations.none": (
        "Er zijn nog geen organisaties aangesloten.",
        "No organisations are connected yet.",
    ),
    "preferences.organisation.differs": (
        "Anders dan uw standaardvoorkeuren",
        "Different from your default preferences",
    ),
    "preferences.organisation.same": (
        "Zoals uw standaardvoorkeuren",
        "As your default preferences",
    ),
    "preferences.organisation.differs.services": (
        "Eigen keuze voor: {diensten}",
        "Own choice for: {diensten}",
    ),
    "preferences.organisation.not.shared": (
        "U deelt uw gegevens niet met deze organisatie. Zij krijgt niets uit uw profiel.",
        (
            "You do not share your details with this organisation. It gets nothing from your "
            "profile."
        ),
    ),
    "preferences.organisation.edit": (
        "Wijzig voorkeuren voor {naam}",
        "Change preferences for {naam}",
    ),
    "preferences.summary.post": ("Post", "Post"),
    "preferences.summary.channels": ("Berichten", "Messages"),
    "preferences.summary.taal": ("Taal", "Language"),
    "preferences.summary.aanhef": ("Aanspreken", "Addressing"),
    "preferences.summary.email": ("E-mailadres", "E-mail address"),
    "preferences.summary.phone": ("Telefoonnummer", "Phone number"),
    "preferences.summary.channels.yes": ("wel: {kanalen}", "yes: {kanalen}"),
    "preferences.summary.channels.no": ("niet: {kanalen}", "no: {kanalen}"),
    "preferences.summary.no.address": ("Geen", "None"),
    # One organisation.
    "preferences.organisation.title": ("Voorkeuren voor {naam}", "Preferences for {naam}"),
    "preferences.organisation.intro": (
        (
            "Wat u hier kiest, geldt alleen voor {naam}. Kiest u 'Geen voorkeur', dan gelden uw "
            "standaardvoorkeuren."
        ),
        (
            "What you choose here applies only to {naam}. If you choose 'No preference', your "
            "default preferences apply."
        ),
    ),
    "preferences.organisation.now": ("Wat nu geldt", "What applies now"),
    "preferences.organisation.choose": ("Uw keuze voor {naam}", "Your choice for {naam}"),
    "preferences.organisation.save": ("Opslaan voor {naam}", "Save for {naam}"),
    "preferences.organisation.remove.title": (
        "Terug naar uw standaardvoorkeuren",
        "Back to your default preferences",
    ),
    "preferences.organisation.remove.intro": (
        (
            "Hiermee verwijdert u alles wat u voor {naam} en haar diensten hebt gekozen. Dan gelden "
            "weer uw standaardvoorkeuren."
        ),
        (
            "This removes everything you chose for {naam} and its services. Then your default "
            "preferences apply again."
        ),
    ),
    "preferences.organisation.remove": (
        "Gebruik mijn standaardvoorkeuren voor {naam}",
        "Use my default preferences for {naam}",
    ),
    "preferences.organisation.removed": (
        "Voor {naam} gelden nu weer uw standaardvoorkeuren.",
        "Your default preferences now apply to {naam} again.",
    ),
    "preferences.services.title": ("Per dienst", "Per service"),
    "preferences.services.intro": (
        "Voor een dienst van {naam} kunt u ook iets anders kiezen.",
        "For a service of {naam} you can also choose something else.",
    ),
    "preferences.service.own": ("Eigen keuze", "Own choice"),
    "preferences.service.follows": ("Zoals voor {naam}", "As for {naam}"),
    "preferences.service.edit": (
        "Wijzig voorkeuren voor {dienst}",
        "Change preferences for {dienst}",
    ),
    "preferences.back": ("Terug naar Mijn voorkeuren", "Back to My preferences"),
    "preferences.back.organisation": ("Terug naar {naam}", "Back to {naam}"),
    # One service.
    "preferences.service.title": (
        "Voorkeuren voor {dienst} van {naam}",
        "Preferences for {dienst} of {naam}",
    ),
    "preferences.service.intro": (
        (
            "Wat u hier kiest, geldt alleen voor {dienst}. Kiest u 'Geen voorkeur', dan geldt wat u "
            "voor {naam} hebt gekozen, of anders uw standaardvoorkeuren."
        ),
        (
            "What you choose here applies only to {dienst}. If you choose 'No preference', what you "
            "chose for {naam} applies, or otherwise your default preferences."
        ),
    ),
    "preferences.service.choose": ("Uw keuze voor {dienst}", "Your choice for {dienst}"),
    "preferences.service.save": ("Opslaan voor {dienst}", "Save for {dienst}"),
    "preferences.service.remove.title": (
        "Terug naar de voorkeuren voor {naam}",
        "Back to the preferences for {naam}",
    ),
    "preferences.service.remove.intro": (
        (
            "Hiermee verwijdert u wat u voor {dienst} hebt gekozen. Dan geldt weer wat voor {naam} "
            "geldt."
        ),
        "This removes what you chose for {dienst}. Then what applies to {naam} applies again.",
    ),
    "preferences.service.remove": (
        "Gebruik de voorkeuren voor {naam}",
        "Use the preferences for {naam}",
    ),
    "preferences.service.removed": (
        "Voor {dienst} gelden nu weer de voorkeuren voor {naam}.",
        "The preferences for {naam} now apply to {dienst} again.",
    ),
    # Sharing.
    "preferences.share.section": ("Delen met organisaties", "Sharing with organisations"),
    "preferences.share.title": (
        "Met wie deelt u uw gegevens?",
        "Who do you share your details with?",
    ),
    "preferences.share.intro": (
        (
            "Een organisatie vraagt uw contactgegevens en voorkeuren op als zij u een bericht wil "
            "sturen. Kiest u 'Niet delen', dan krijgt die organisatie niets uit uw profiel. Voor "
            "haar lijkt het dan alsof u geen profiel hebt."
        ),
        (
            "An organisation looks up your contact details and preferences when it wants to send "
            "you a message. If you choose 'Do not share', that organisation gets nothing from your "
            "profile. To the organisation, it looks as if you have no profile."
        ),
    ),
    "preferences.share.company": (
        "Dit geldt voor de hele onderneming.",
        "This applies to the whole company.",
    ),
    "preferences.share.legend": ("Delen met {naam}", "Share with {naam}"),
    "preferences.share.yes": ("Delen", "Share"),
    "preferences.share.no": ("Niet delen", "Do not share"),
    "preferences.share.save": ("Keuzes opslaan", "Save choices"),
    "preferences.share.saved": ("Uw keuzes zijn opgeslagen.", "Your choices have been saved."),
    "preferences.share.all": (
        "U deelt uw gegevens met alle organisaties.",
        "You share your details with all organisations.",
    ),
    "preferences.share.not.with": (
        "U deelt uw gegevens niet met: {namen}.",
        "You do not share your details with: {namen}.",
    ),
    "preferences.share.link": (
        "Kies met welke organisaties u uw gegevens deelt",
        "Choose which organisations you share your details with",
    ),
    "preferences.share.forbidden": (
        (
            "U mag niet kiezen met wie dit profiel wordt gedeeld. Dat kiest alleen de persoon zelf "
            "of een curator."
        ),
        (
            "You may not choose with whom this profile is shared. Only the person themselves or a "
            "guardian (curator) can choose that."
        ),
    ),
    # Branches, for the whole company: read only.
    "preferences.branches.title": ("Voorkeuren van vestigingen", "Preferences of branches"),
    "preferences.branches.intro": (
        (
            "Deze vestigingen hebben eigen voorkeuren. Die houdt de vertegenwoordiger van de "
            "vestiging bij. U kunt ze hier alleen bekijken."
        ),
        (
            "These branches have preferences of their own. The branch's representative keeps them "
            "up to date. You can only view them here."
        ),
    ),
    "preferences.branches.branch": ("Vestiging", "Branch"),
    "preferences.branches.organisations": (
        "Eigen keuzes voor organisaties",
        "Own choices for organisations",
    ),
    # Problems the API reports.
    "preferences.conflict": (
        "Dit kon niet worden opgeslagen: {reden}",
        "This could not be saved: {reden}",
    ),
}
