"""Which functions exist, which routes each one serves, where its entry points are, and what the
API's document says of each route.

The table everything else is derived from or checked against: the functions' own routers, the
local gateway, ``serverless.yml``, and the OpenAPI document (generated from this table and the
models by ``python -m functions.openapi``). Data only: importing this module imports no function.
"""

from __future__ import annotations

from typing import Any

from shared.http.openapi import OPENAPI_MEDIA_TYPE
from shared.http.routes import BASE_PATH, Contract, Function, Operation, Route, Toegang

__all__ = ["BASE_PATH", "FUNCTIONS", "Function", "Route", "Toegang", "function"]

# The contracts of other standards whose existing clients connect unchanged (README, "Connecting
# an existing OMC, Open Forms or MOZa component"): their routes follow those documents, vendored
# in specs/, and are not in this service's own OpenAPI document.
KLANTINTERACTIES = Contract("/klantinteracties/api/v1", "openklant-klantinteracties.openapi.yaml")
MOZA_PROFIELSERVICE = Contract("/api/profielservice/v1", "moza-profielservice-api.json")

# The problems an operation answers besides those of the caller's token (401, 403, 500, 503) and
# of a path parameter (404, 405). A JSON body: invalid (400), too large (413), not JSON (415).
BODY_ERRORS = (400, 413, 415)
# A change: a malformed If-Match or path parameter (400) too, no If-Match (428), a stale one (412),
# a profile the BRP or the Handelsregister no longer keeps: read-only (409).
CHANGE_ERRORS = (*BODY_ERRORS, 409, 412, 428)
# A removal: no body; what it removes may not be there (404).
REMOVAL_ERRORS = (400, 404, 409, 412, 428)


def _route(key: str, toegang: Toegang = Toegang.PARTIJ, **operation: Any) -> Route:
    """``METHOD /path``, who may call it, and its operation."""
    method, path = key.split(" ", 1)
    return Route(method, path, toegang, Operation(**operation))


def _change(key: str, headers: tuple[str, ...] = (), **operation: Any) -> Route:
    """A change of the profile: it needs If-Match, takes the caller's trace, and answers with the
    whole new profile and its ETag."""
    operation.setdefault("errors", CHANGE_ERRORS)
    return _route(
        key,
        body="Profiel",
        parameters=("IfMatch", "Traceparent"),
        headers=("ETag", *headers),
        **operation,
    )


def _koppeling(key: str, contract: Contract) -> Route:
    """``METHOD /path`` of another standard's contract, for an organisation's existing client."""
    method, path = key.split(" ", 1)
    return Route(method, path, Toegang.KOPPELING, contract=contract)


def _removal(key: str, **operation: Any) -> Route:
    answer = "Verwijderd: het nieuwe profiel."
    return _change(key, answer=answer, errors=REMOVAL_ERRORS, **operation)


FUNCTIONS: tuple[Function, ...] = (
    Function(
        "get-profile",
        "functions.get_profile",
        (
            _route(
                "GET /profiel",
                operation_id="leesProfiel",
                summary="Het eigen profiel",
                description="Het profiel van de ingelogde burger of onderneming, met de `ETag` "
                'van deze versie. Een profiel dat nooit is opgeslagen is leeg, met `ETag` `"0"`. '
                "Met `registratie`: wat de BRP (burger) of het Handelsregister (onderneming) nu "
                "zegt - het geregistreerde adres, de aanhef, de naam en de vestigingen - gelezen "
                "bij de bron en nergens opgeslagen; is die bron onbereikbaar, dan staat er "
                "`beschikbaar: false` en is de rest van het profiel er gewoon.",
                answer="Het profiel.",
                body="Profiel",
                headers=("ETag",),
            ),
            _route(
                "GET /profiel/contactgegevens/{contactgegevenId}",
                operation_id="leesContactgegeven",
                summary="Eén contactgegeven",
                description="Eén contactgegeven uit het eigen profiel.",
                answer="Het contactgegeven.",
                body="Contactgegeven",
                headers=("ETag",),
                errors=(400, 404),
            ),
            _route(
                "GET /profiel/organisaties",
                operation_id="leesVoorkeurenPerOrganisatie",
                summary="Voorkeuren per organisatie",
                description="Per organisatie uit het register, en per dienst: de voorkeuren die "
                "gelden en het e-mailadres en telefoonnummer dat zij zou gebruiken, en of dat "
                "afwijkt van het niveau erboven.",
                answer="Het overzicht.",
                body="OrganisatieOverzicht",
                headers=("ETag",),
            ),
            _route(
                "GET /profiel/export",
                operation_id="exporteerProfiel",
                summary="Alles wat over u bewaard wordt",
                description="Eén JSON-document met alles wat de Profiel Service over de partij "
                "bewaart (AVG artikel 15 en 20): het profiel met alle voorkeuren, de status van "
                "elke verificatie (nooit een code), de keuzes over delen, de historie en de "
                "inzage; de gegevens uit de basisregistratie met hun bron. De export wordt zelf "
                "vastgelegd in het Logboek Dataverwerkingen.",
                answer="De export (ook als bestand te bewaren: `Content-Disposition`).",
                body="Export",
                headers=("Content-Disposition",),
            ),
            _route(
                "GET /adressen",
                operation_id="zoekAdres",
                summary="Adres aanvullen uit de BAG",
                description="De adressen in de Basisregistratie Adressen en Gebouwen (BAG) bij een "
                "postcode en huisnummer (en huisletter of toevoeging): om een adres in een "
                "formulier aan te vullen voordat het als postadres wordt vastgelegd. Is de BAG "
                "onbereikbaar, dan 503.",
                answer="De gevonden adressen; leeg als er geen zijn.",
                body="Adressuggesties",
                parameters=("Postcode", "Huisnummer", "Huisletter", "Huisnummertoevoeging"),
                errors=(400,),
            ),
            _route(
                "GET /openapi.json",
                operation_id="leesOpenapi",
                summary="Dit OpenAPI-document",
                description="De beschrijving van deze API, zonder inloggen op te halen en vanaf "
                "elke origin te lezen (CORS).",
                answer="Het OpenAPI-document.",
                toegang=Toegang.IEDEREEN,
                body="OpenapiDocument",
                media_type=OPENAPI_MEDIA_TYPE,
                headers=("access-control-allow-origin",),
                errors=(500,),
                tag=("Documentatie", "Dit OpenAPI-document."),
            ),
        ),
        tag=("Profiel", "Het eigen profiel lezen."),
    ),
    Function(
        "update-profile",
        "functions.update_profile",
        (
            _route(
                "DELETE /profiel",
                operation_id="verwijderProfiel",
                summary="Profiel verwijderen",
                description="Verwijdert het profiel en alle verificaties (AVG artikel 17); elk "
                "geverifieerd e-mailadres krijgt een bericht. De historie legt de verwijdering "
                "vast (zonder waarden); het Logboek Dataverwerkingen blijft, zoals de wet vraagt, "
                "en de inzage toont het. Organisaties vinden daarna geen profiel; een nieuw "
                "profiel begint met de `ETag` van dit antwoord. Alleen de persoon zelf, een "
                "vertegenwoordiger van de onderneming of een curator; een gemachtigde of "
                "bewindvoerder krijgt 403.",
                answer="Verwijderd.",
                status=204,
                parameters=("IfMatch", "Traceparent"),
                headers=("ETag",),
                errors=(400, 404, 412, 428),
            ),
            _change(
                "POST /profiel/contactgegevens",
                operation_id="voegContactgegevenToe",
                summary="Contactgegeven toevoegen",
                description="Voegt een e-mailadres of telefoonnummer toe; er gaat een "
                "verificatiecode naar het nieuwe adres. Het antwoord is het hele nieuwe profiel; "
                "`Location` wijst naar het nieuwe contactgegeven.",
                answer="Toegevoegd: het nieuwe profiel.",
                status=201,
                request="ContactgegevenToevoegen",
                headers=("Location",),
                errors=(*CHANGE_ERRORS, 429),
            ),
            _change(
                "PATCH /profiel/contactgegevens/{contactgegevenId}",
                operation_id="wijzigContactgegeven",
                summary="Contactgegeven wijzigen",
                description="Wijzigt het adres of de omschrijving, of maakt het contactgegeven "
                "het standaardadres van zijn soort. Alleen de meegestuurde velden veranderen; "
                "`omschrijving: null` verwijdert de omschrijving. Een nieuw adres krijgt een "
                "verificatiecode; een vervangen geverifieerd e-mailadres een bericht.",
                answer="Gewijzigd: het nieuwe profiel.",
                request="ContactgegevenWijzigen",
                errors=(*CHANGE_ERRORS, 404, 429),
            ),
            _removal(
                "DELETE /profiel/contactgegevens/{contactgegevenId}",
                operation_id="verwijderContactgegeven",
                summary="Contactgegeven verwijderen",
                description="Verwijdert het contactgegeven; was het het standaardadres, dan wordt "
                "het volgende van zijn soort standaard. Een verwijderd geverifieerd e-mailadres "
                "krijgt een bericht.",
            ),
            _change(
                "PUT /profiel/postadres",
                operation_id="zetPostadres",
                summary="Postadres vastleggen",
                description="Legt het correspondentieadres vast, naast het geregistreerde adres "
                "uit de BRP of het Handelsregister: een Nederlands adres (`soort: nederlands`), "
                "een postbus (`soort: postbus`) of een buitenlands adres (`soort: buitenlands`). "
                "Een Nederlands adres moet in de BAG staan: postcode, huisnummer en huisletter of "
                "toevoeging worden daar opgezocht, straat en woonplaats komen uit de BAG, en de "
                "nummeraanduiding wordt met de datum bewaard. Staat het er niet in, dan 400 met "
                "het veld dat niet klopt; is de BAG onbereikbaar, dan 503 en wordt niets "
                "vastgelegd.",
                answer="Vastgelegd: het nieuwe profiel.",
                request="PostadresInvoer",
            ),
            _removal(
                "DELETE /profiel/postadres",
                operation_id="verwijderPostadres",
                summary="Postadres verwijderen",
                description="Verwijdert het postadres.",
            ),
            _change(
                "PUT /profiel/contactnaam",
                operation_id="zetContactnaam",
                summary="Contactnaam vastleggen",
                description="De naam waarmee organisaties de partij aanschrijven, als hun doel "
                "het veld `contactnaam` toestaat: een eigen naam, of met `uitRegister: true` de "
                "aanschrijfwijze uit de BRP (of de naam uit het Handelsregister). Is die bron "
                "onbereikbaar, dan 503.",
                answer="Vastgelegd: het nieuwe profiel.",
                request="ContactnaamZetten",
            ),
            _removal(
                "DELETE /profiel/contactnaam",
                operation_id="verwijderContactnaam",
                summary="Contactnaam verwijderen",
                description="Verwijdert de contactnaam.",
            ),
            _change(
                "PATCH /profiel/voorkeuren",
                operation_id="wijzigVoorkeuren",
                summary="Standaardvoorkeuren wijzigen",
                description="Wijzigt de standaardvoorkeuren als JSON Merge Patch (RFC 7396): "
                "objecten worden samengevoegd, `null` wist een keuze. Een vertegenwoordiger wiens "
                "token een vestiging noemt, wijzigt die van de vestiging.",
                answer="Gewijzigd: het nieuwe profiel.",
                request="VoorkeurenWijziging",
                request_types=("application/json", "application/merge-patch+json"),
                errors=CHANGE_ERRORS,
            ),
            _change(
                "PUT /profiel/delen",
                operation_id="zetDelen",
                summary="Delen met organisaties",
                description="Met welke organisaties de contactgegevens gedeeld worden: "
                "`geweigerd` sluit organisaties uit, `alleenMet` beperkt het delen tot de "
                "genoemde (`null`: iedereen die niet geweigerd is). Alleen de persoon zelf, een "
                "vertegenwoordiger van de onderneming of een curator; een gemachtigde of "
                "bewindvoerder krijgt 403.",
                answer="Vastgelegd: het nieuwe profiel.",
                request="Delen",
            ),
            _change(
                "PUT /profiel/voorkeuren/organisaties/{oin}",
                operation_id="zetOrganisatievoorkeuren",
                summary="Voorkeuren voor een organisatie",
                description="Legt de voorkeuren vast voor één organisatie uit het register; die "
                "voor haar diensten blijven staan.",
                answer="Vastgelegd: het nieuwe profiel.",
                request="Voorkeurset",
                errors=(*CHANGE_ERRORS, 404),
            ),
            _removal(
                "DELETE /profiel/voorkeuren/organisaties/{oin}",
                operation_id="verwijderOrganisatievoorkeuren",
                summary="Voorkeuren voor een organisatie verwijderen",
                description="Verwijdert de voorkeuren voor de organisatie, met die voor haar "
                "diensten.",
            ),
            _change(
                "PUT /profiel/voorkeuren/organisaties/{oin}/diensten/{dienst}",
                operation_id="zetDienstvoorkeuren",
                summary="Voorkeuren voor een dienst",
                description="Legt de voorkeuren vast voor één dienst van een organisatie uit het "
                "register.",
                answer="Vastgelegd: het nieuwe profiel.",
                request="Voorkeurset",
                errors=(*CHANGE_ERRORS, 404),
            ),
            _removal(
                "DELETE /profiel/voorkeuren/organisaties/{oin}/diensten/{dienst}",
                operation_id="verwijderDienstvoorkeuren",
                summary="Voorkeuren voor een dienst verwijderen",
                description="Verwijdert de voorkeuren voor de dienst.",
            ),
        ),
        tag=(
            "Profiel wijzigen",
            "Contactgegevens, postadres, voorkeuren en delen wijzigen. Elke wijziging vraagt "
            "`If-Match` met de actuele `ETag` van het profiel.",
        ),
    ),
    Function(
        "verify-contact",
        "functions.verify_contact",
        (
            _route(
                "POST /profiel/contactgegevens/{contactgegevenId}/verificatiecode",
                operation_id="verstuurVerificatiecode",
                summary="Nieuwe verificatiecode",
                description="Stuurt een nieuwe code naar het contactgegeven: een e-mail of een "
                "sms. Een code heeft 6 cijfers, is 15 minuten geldig en werkt één keer; een "
                "nieuwe code maakt de vorige ongeldig. Hoogstens 5 codes per contactgegeven per "
                "15 minuten, minstens 60 seconden ertussen, en hoogstens 10 per profiel per 15 "
                "minuten.",
                answer="Verstuurd.",
                status=202,
                body="VerificatiecodeVerzonden",
                errors=(400, 404, 409, 429),
            ),
            _route(
                "POST /profiel/contactgegevens/{contactgegevenId}/verificatie",
                operation_id="bevestigVerificatie",
                summary="Verificatiecode invoeren",
                description="Met de juiste code is het contactgegeven geverifieerd. Geen "
                "`If-Match` nodig: de code hoort bij het adres waarheen hij ging, niet bij een "
                "versie van het profiel. Na 5 foute pogingen is de code geblokkeerd.",
                answer="Geverifieerd: het contactgegeven, met de nieuwe `ETag` van het profiel.",
                body="Contactgegeven",
                request="VerificatieBevestigen",
                parameters=("Traceparent",),
                headers=("ETag",),
                errors=(*BODY_ERRORS, 404, 409),
            ),
        ),
        tag=(
            "Verificatie",
            "Een contactgegeven verifiëren met een code die naar het adres wordt gestuurd.",
        ),
    ),
    Function(
        "lookup-preferences",
        "functions.lookup_preferences",
        (
            _route(
                "POST /opvragingen",
                operation_id="vraagVoorkeurenOp",
                summary="Contactvoorkeuren opvragen",
                description="Voor organisaties, met een client-credentials access token (zie het "
                "securityschema `organisatie`). Per betrokkene, in de gevraagde volgorde: niet "
                "beschikbaar (geen profiel, of er wordt niet met deze organisatie gedeeld: die "
                "twee zijn niet te onderscheiden), of precies de velden die het doel toestaat; "
                "een adres alleen als het geverifieerd en niet verouderd is. Elke opvraging wordt "
                "per betrokkene vastgelegd in het Logboek Dataverwerkingen, in de trace van "
                "`traceparent`; lukt dat niet, dan 503 en wordt niets verstrekt.",
                answer="De resultaten, één per betrokkene.",
                toegang=Toegang.ORGANISATIE,
                body="Opvragingsresultaten",
                request="Opvraging",
                parameters=("FscAuthorization", "Traceparent"),
                headers=("traceparent",),
                errors=BODY_ERRORS,
            ),
        ),
        tag=(
            "Opvragingen",
            "Voor organisaties: contactvoorkeuren opvragen voor een doel waarvoor zij een "
            "toekenning hebben.",
        ),
    ),
    Function(
        "report-delivery",
        "functions.report_delivery",
        (
            _route(
                "POST /onbestelbaar",
                operation_id="meldOnbestelbaar",
                summary="Onbestelbaar adres melden",
                description="Voor organisaties, met een client-credentials access token (zie het "
                "securityschema `organisatie`): berichten naar een e-mailadres of telefoonnummer "
                "dat de organisatie voor dit doel (en deze dienst) kreeg, komen blijvend niet aan. "
                "Alleen als het precies het adres is dat de organisatie nu voor dit doel zou "
                "krijgen, wordt het onbestelbaar: dan krijgt geen organisatie het meer, hoort de "
                "eigenaar het via een ander geverifieerd e-mailadres of ziet het bij het volgende "
                "bezoek, en maakt een nieuwe verificatie het weer bestelbaar. Het antwoord is "
                "altijd 202 zonder inhoud, wat er ook mee gebeurde. Elke melding wordt "
                "vastgelegd in het Logboek Dataverwerkingen, in de trace van `traceparent`; lukt "
                "dat niet, dan 503 en verandert er niets.",
                answer="Ontvangen.",
                toegang=Toegang.ORGANISATIE,
                status=202,
                request="Onbestelbaarmelding",
                parameters=("FscAuthorization", "Traceparent"),
                headers=("traceparent",),
                errors=BODY_ERRORS,
            ),
            _route(
                "POST /notifynl/afleverberichten",
                operation_id="ontvangAfleverbericht",
                summary="Ontvangstbericht van NotifyNL",
                description="Alleen voor NotifyNL: de callback met de afleverstatus van een "
                "bericht dat de Profiel Service zelf verstuurde (een verificatiecode of een "
                "melding), met het bearer token dat in NotifyNL voor de callback is ingesteld "
                "(`PROFIEL_NOTIFY_CALLBACK_TOKEN`; geen token of een ander: 401). Bij `status: "
                "permanent-failure` wordt het contactgegeven waarvoor het bericht was "
                "onbestelbaar, zolang het nog het adres heeft waarheen het bericht ging; elke "
                "andere status verandert niets, en een referentie die niet van de Profiel Service "
                "is evenmin.",
                answer="Verwerkt.",
                toegang=Toegang.IEDEREEN,
                status=204,
                request="Afleverbericht",
                errors=(*BODY_ERRORS, 401, 500, 503),
            ),
        ),
        tag=(
            "Onbestelbaar",
            "Een adres waar berichten blijvend niet aankomen: gemeld door een organisatie die "
            "het kreeg, of door NotifyNL bij een bericht van de Profiel Service zelf.",
        ),
    ),
    Function(
        "read-access-log",
        "functions.access_log",
        (
            _route(
                "GET /profiel/inzage",
                operation_id="leesInzage",
                summary="Wie keek in het profiel",
                description="De opvragingen door organisaties uit het Logboek Dataverwerkingen, "
                "nieuwste eerst, in pagina's: `limiet` per pagina, `vanaf` de `volgende` van de "
                "vorige pagina.",
                answer="Een pagina van de inzage.",
                body="Inzage",
                parameters=("Limiet", "Vanaf"),
                errors=(400,),
            ),
            _route(
                "GET /profiel/historie",
                operation_id="leesHistorie",
                summary="Historie van het profiel",
                description="De eigen wijzigingen van het profiel, nieuwste eerst: welke velden, "
                "wanneer en in welke rol, nooit de waarden.",
                answer="De historie.",
                body="Historie",
            ),
            _route(
                "GET /profiel/contactmomenten",
                operation_id="leesContactmomenten",
                summary="Contact met organisaties",
                description="Wanneer een organisatie contact met de partij zocht, zoals haar "
                "systeem (bijvoorbeeld de Output Management Component van NotifyNL na een "
                "bericht) dat vastlegde: de organisatie uit het register, het kanaal, het "
                "onderwerp, wanneer, en of het contact lukte - nooit de inhoud van het bericht. "
                "Nieuwste eerst.",
                answer="De contactmomenten.",
                body="Contactmomenten",
            ),
        ),
        tag=(
            "Inzage",
            "Wie wanneer gegevens opvroeg (Logboek Dataverwerkingen), de historie van de eigen "
            "wijzigingen, en het contact dat organisaties zochten.",
        ),
    ),
    Function(
        "klantinteracties",
        "functions.klantinteracties",
        (
            _koppeling("GET /partijen", KLANTINTERACTIES),
            _koppeling("GET /partijen/{uuid}", KLANTINTERACTIES),
            _koppeling("GET /digitaleadressen", KLANTINTERACTIES),
        ),
    ),
    # MOZa's profielservice contract: its two reads, for MOZa's notification component. None of
    # its writes is offered, to anyone - they would let an organisation write a person's profile:
    # `contactgegeven` (POST/PUT/DELETE) would put an address there nobody proved to own and that
    # organisations would then be given, bypassing the code that verifies it; `voorkeur` would
    # choose for the person how they are reached, and by whom; `emailverificatie` is the owner's
    # own verification by code (`POST /profiel/contactgegevens/{id}/verificatiecode`);
    # `te-verwijderen-op` is MOZa's retention, where here a profile lives until its owner erases
    # it; `dienstverlener` (and its `diensten`) would let a client rewrite the register, which is
    # the platform team's (`profiel register load`). The person changes the profile through this
    # service's own API; an unserved path of the contract answers 404 (docs/api.md).
    Function(
        "moza-profielservice",
        "functions.moza_profielservice",
        (
            _koppeling("POST /partij", MOZA_PROFIELSERVICE),
            _koppeling("POST /partijen/bulk", MOZA_PROFIELSERVICE),
        ),
    ),
    # The writes of the Klantinteracties API its existing clients make: NotifyNL's OMC records
    # each message it sent (a klantcontact, its betrokkene and onderwerpobject), which becomes a
    # contact moment the partij sees (no content); Open Forms saves an address for next time,
    # which becomes an unverified contact detail only its owner can verify. Nothing else of that
    # API is written here (functions/klantcontacten).
    Function(
        "record-contact",
        "functions.klantcontacten",
        (
            _koppeling("POST /klantcontacten", KLANTINTERACTIES),
            _koppeling("POST /betrokkenen", KLANTINTERACTIES),
            _koppeling("POST /onderwerpobjecten", KLANTINTERACTIES),
            _koppeling("POST /maak-klantcontact", KLANTINTERACTIES),
            _koppeling("POST /digitaleadressen", KLANTINTERACTIES),
        ),
    ),
    Function("process-log", "functions.process_log", consumes_profile_stream=True),
)


def function(name: str) -> Function:
    return next(f for f in FUNCTIONS if f.name == name)
