"""Hand-written German lexicons for the tone cues, written in plain spelling (umlauts, ß).

Every entry is folded the same way as the customer's text before matching (`cues.fold`), so "Betrüger",
"Betrueger" and "Betruger" all hit the same entry. Regex patterns must therefore avoid upper-case escapes
(use [0-9], not \\d). The lists are deliberately about how people talk to an online shop's support,
plus the common German insults any customer might use; they carry no labels, only evidence for the model.
"""
from __future__ import annotations

# Name-calling nouns. Matched anywhere inside a word, because German glues them into compounds
# ("Vollidioten", "Saftladenidioten", "Drecksbetrüger").
INSULT_STEMS: tuple[str, ...] = (
    "idiot", "vollidiot", "trottel", "vollpfosten", "volltrottel", "versager", "wichser", "arschloch",
    "arschgeige", "arschkriecher", "hurensohn", "hurenkind", "bastard", "schwachkopf", "dummkopf", "hohlkopf",
    "dumpfbacke", "dummbatz", "dummschwätzer", "schwachmat", "pisser", "missgeburt", "abschaum", "gesindel",
    "dreckspack", "lumpenpack", "lügenpack", "gauner", "halsabschneider",
    "schmarotzer", "vollhorst", "stümper", "dilettant", "witzfigur", "hampelm", "kackbratze",
    "spacko", "spast", "penner", "honk", "dödel", "depp", "knalltüte", "flachpfeife", "lackaffe", "mistkerl",
    "mistst", "drecksau", "sau ", "schwein ", "schweine ", "drecksschwein", "mistschwein", "saftsack", "schlampe",
    "fotze", "evolutionsbremse", "hackfresse", "heuchler", "parasit", "ratten ", "lusche",
    "nichtsnutz", "taugenichts", "nulpe", "clown", "kasper", "affen ", "vollaffe", "loser ", "looser ",
    "schnorrer", "lump ", "lumpen ", "bande ", "kriminelle", "verbrecher", "mafia", "vollkoffer", "hackfressen",
    "gesocks", "pöbel", "verräter", "schwätzer", "gelaber", "ganove", "gangster", "hohlbirne", "hirni", "proleten",
    "sauhaufen", "pfuscher", "nichtskönner", "faulpelz", "schnarchnase", "brut ", "gelump", "gezücht",
    "dreckssack", "drecksäck", "mistvieh", "vollnull", "nullen ", "schmierlapp", "dumpfbacke",
    "lügenbande", "lügenpresse", "volksverräter", "gutmensch", "schmarotzer", "sozialschmarotzer", "kanaille",
    "primitivling", "hinterwäldler", "spinner", "psychopath", "heulsuse", "memme", "feigling",
    # Contempt for someone's mind, and people called vermin or loudmouths (issue 17: abuse without swear words).
    "dummheit", "blödheit", "analphabet", "spatzenhirn", "erbsenhirn", "hohlbrot", "knallkopf", "knallköpf",
    "armleuchter", "vollspack", "ungeziefer", "geschmeiß", "großmaul", "wichtigtuer", "rüpel", "halunke",
    "schnepfe", "tussi", "chaoten ", "hassprediger", "krawallmacher", "sesselpupser", "totalversager",
    "schnösel", "angeber", "spießer", "denunziant", "narzisst", "kriecher", "speichellecker", "schreihals",
    "schreihäls", "lügenbaron", "vollniete", "hirntot", "dachschaden", "waschlappen", "luder ", "wicht ",
    "trampel", "fettsack", "fettsau", "dickerchen", "hässlichkeit", "schmierfink", "subjekte ",
    "ignoranten", "verblödung", "kinderschänder", "ratte ", "eierlos", "duckmäuser", "bessermensch", "nazi",
    "faschist", "hetzer", "zicke", "dummbacke", "sesselfurzer", "pussy", "pussys", "visage",
    # slurs: whoever a customer aims them at, the message is abusive
    "kanake", "kanacke", "neger", "untermensch", "judensau", "schwuchtel", "polacke", "kümmeltürke",
    "kameltreiber", "itaker",
)

# Name-calling said as a phrase rather than a noun: mocking someone's mind, calling people dirt, wanting them
# chased away or locked up. Fires the insult cue like the stems above.
INSULT_PHRASES: tuple[str, ...] = (
    # "Pack" is also a pack of batteries: not after "ein", "pro", "im", "6er" ...
    r"\bpack\b(?!-)(?<!\bein pack)(?<!\beinen pack)(?<!\bpro pack)(?<!\bim pack)(?<!\bje pack)(?<!er-pack)(?<!er pack)",
    r"\b(kein|keiner|keinen|ohne|null|wenig) (ge)?hirn\b", r"\b(ihr|du|euch|dir|euer|eure|dein|deine)\b.{0,25}\b(ge)?hirn\b",
    r"\b(ge)?hirn (einschalten|eingeschaltet|benutzen)", r"\biq (von|eines|einer|wie)\b",
    r"\bniedrige[nmr]? iq\b", r"\biq (ist|liegt) .{0,20}(niedrig|unter|raumtemperatur|zimmertemperatur)",
    r"\bwas (hat|haben|habt|hast) (der|die|ihr|du|man|sie|er) (\w+ )?geraucht", r"\bkrank im kopf",
    r"\b(habt|hast) (\w+ ){0,2}einen (vogel|knall|sprung in der schüssel)\b", r"\bverzieh(t)? (dich|euch)\b",
    r"\bhau(t)? ab\s*([.!,]|$|ihr\b|du\b)", r"brut\b",  # "Brut", "Verbrecherbrut"
    r"\bdumm wie (brot|bohnenstroh|stroh|ein|eine|die|der)\b", r"\bdümmer als\b(?! gedacht)", r"\bnicht alle latten",
    r"\bdenken (ist|war) nicht (eure|deine|ihre)", r"\bgeistige[nr]? tiefflieger", r"\bder letzte dreck\b",
    r"\bdavon ?(jagen|gejagt|jagt)\b", r"\bzum teufel jagen",
    r"\bgehör(t|en) (\w+ ){0,2}(weggesperrt|eingesperrt|hinter gitter|in den knast|aus dem land|in die klapse)",
    r"\b(einen|nen) an der waffel", r"\bnichts im kopf\b", r"\bstroh im kopf", r"\bwider(n|t) (mich|einen|uns) an\b",
    r"\b(blöde|dumme|doofe|dämliche|alte|eingebildete) (kuh|ziege|nuss|gans)\b",
    r"\b(fauler|alter|blöder|dummer|fetter|eingebildeter|mieser) sack\b", r"\b(faule|alte|blöde|dumme|fette|miese) säcke\b",
    r"\b(ihr|du|lauter|alles|korrupte|diese|solche|totale|absolute) (pfeifen?|nieten?)\b",
    r"\b(totale|absolute|komplette|arrogante) null\b", r"\b(was für ein|so ein|du|ihr) lappen\b",
    r"\bwie (\w+ )?(dumm|dämlich|blöd|doof|hohl|bescheuert|bekloppt|hirnlos|beschränkt|naiv|verblödet) "
    r"(muss|kann|darf|müssen|können|seid|bist|ist|sind) (der|die|ihr|du|er|sie|jemand)\b",  # not "man": often oneself
    r"\bgeisteszustand", r"\b(blöde|dumme|doofe|dämliche) nudel\b",
)

# Accusations that are also plain words for other people: "Betrüger haben mein Konto gehackt" is a fraud report,
# "Ich bin doch kein Lügner" a defence. They insult only when aimed: at the addressee ("Ihr Betrüger!", "Sie
# Verbrecher"), as a verdict ("Nordwind ist ein Betrüger", "Verbrecher seid ihr"; not the question "Sind das
# Betrüger?"), alone ("Lügner!"), or in a compound naming a group ("Betrügerbande").
ACCUSATION_STEMS: tuple[str, ...] = (
    "betrüger", "lügner", "abzocker",
)
ACCUSATION_ENDINGS: frozenset[str] = frozenset({"", "s", "n", "e", "en", "er", "es", "em", "in", "innen"})
# Compounds that call a whole group names ("Betrügerbande", "Verbrecherladen"); "Betrügermail" is a description.
ACCUSATION_COMPOUND_HEADS: tuple[str, ...] = (
    "bande", "pack", "laden", "verein", "firma", "bude", "haufen", "gesindel", "gesocks", "truppe", "schwein",
    "sau", "sack", "säcke", "mafia", "brut", "clique",
)
# A verdict: "ist ein Betrüger", "das sind Verbrecher", "ihr seid Lügner".
VERDICT_VERBS: frozenset[str] = frozenset({"ist", "sind", "seid", "bist", "war", "waren", "sein"})

# Ordinary words that contain an insult or profanity stem; a token containing one of these is no hit.
LOOKALIKES: tuple[str, ...] = (
    "spastik", "marsch", "barsch", "verarsch", "schwachstell", "hetzerei", "honkong", "clownfisch",
    "schlamperei", "schlampig", "trampelpfad", "antifaschist", "nazizeit",
)

# Adjectives that insult only when aimed at someone ("ihr seid echt dämlich", not "blöd gelaufen").
INSULT_ADJECTIVES: tuple[str, ...] = (
    "dumm", "blöd", "bescheuert", "dämlich", "behindert", "hirnlos", "hirnverbrannt", "hirnamputiert",
    "gestört", "asozial", "minderbemittelt", "zurückgeblieben", "geisteskrank", "beschränkt", "bekloppt",
    "debil", "schwachsinnig", "unterbelichtet", "strohdumm", "saudumm", "dreckig", "verlogen", "erbärmlich",
    "armselig", "widerlich", "ekelhaft", "hässlich", "fett", "korrupt", "feige", "faul", "hinterfotzig",
    "scheinheilig", "verblödet", "doof", "geistig", "primitiv", "dreist",
    "strunzdumm", "stockdumm", "abartig", "jämmerlich", "geldgierig", "raffgierig", "hinterhältig",
    "niederträchtig", "skrupellos", "widerwärtig", "hohl", "verstrahlt",
)
# Of those, the ones so coarse that they insult whatever they are said about ("hirnlose Kommentare").
COARSE_ADJECTIVES: tuple[str, ...] = (
    "hirnlos", "hirnverbrannt", "hirnamputiert", "geisteskrank", "verblödet", "strunzdumm", "saudumm",
    "stockdumm", "strohdumm", "verstrahlt", "schwachsinnig", "hinterfotzig",
)

# Of those, the ones that also describe things in a shop's chat ("die Seite ist gestört", "kam dreckig an",
# "die Farbe ist hässlich"): they insult only in "ihr seid / du bist / sind Sie ... gestört" or right before a
# person ("dreckige Lügner").
THING_ADJECTIVES: tuple[str, ...] = (
    "gestört", "behindert", "beschränkt", "dreckig", "fett", "faul", "feige", "geistig", "primitiv", "hässlich",
    "ekelhaft", "widerlich", "erbärmlich", "armselig", "jämmerlich", "abartig", "hohl",
)
# Being verbs that aim an adjective at the addressee: "ihr seid dumm", "wie blöd bist du", "sind Sie dämlich".
COPULAS: frozenset[str] = frozenset({"seid", "bist", "sind", "sein", "bleibt", "bleibst"})
# "Sie"/"sie" is also "they" and "it"; "ihre" also "her". Before the adjective ("Sie sind dumm") it is the
# addressee; after it ("zu fett, kann ich sie umtauschen") usually the thing.
AMBIGUOUS_PRONOUNS: frozenset[str] = frozenset({"sie", "ihnen", "ihre"})

SECOND_PERSON: frozenset[str] = frozenset(
    {"du", "dich", "dir", "dein", "deine", "ihr", "euch", "euer", "eure", "euren", "sie", "ihnen", "ihre"}
)

# People an insulting adjective can be aimed at in the third person ("diese dummen Typen", "der Fahrer ist dämlich").
PERSON_NOUNS: frozenset[str] = frozenset(
    {"leute", "menschen", "typen", "typ", "kerl", "kerle", "mitarbeiter", "mitarbeiterin", "mitarbeitern",
     "politiker", "fahrer", "chef", "chefin", "bot", "frau", "mann", "manager", "verkäufer", "berater",
     "beraterin", "kollege", "kollegin", "firma", "bande", "gestalten", "person", "personen", "volk", "weib",
     # who a customer scolds in a shop's support chat, and who people scold in public
     "support", "kundenservice", "kundendienst", "hotline", "team", "zusteller", "bote", "paketbote",
     "lieferant", "händler", "verkäuferin", "teamleiter", "programmierer", "geschäftsführer",
     "geschäftsführung", "vorstand", "management", "chefetage", "personal", "regierung", "minister",
     "ministerin", "kanzler", "kanzlerin", "journalisten", "partei", "parteien", "typen", "männer", "frauen"}
)

NEGATIONS: frozenset[str] = frozenset({"nicht", "kein", "keine", "keinen", "keiner", "nie", "niemals"})

# Coarse words: labelled abusive in the data when they are part of the message's tone.
PROFANITY_STEMS: tuple[str, ...] = (
    "scheis", "scheiß", "fick", "arsch", "kacke", "kack", "pisse", "fresse", "drecks", "bullshit", "fuck",
    "shit", "wtf", "verfluchte", "hure", "titten", "wixx", "wichs", "kotzbrocken", "möse", "pimmel", "bumsen",
    "pissen", "angepisst", "verkackt", "beschissen", "bescheißen",
)

PROFANITY_PHRASES: tuple[str, ...] = (
    r"\bleck mich\b", r"\bhalt(s|et)? (die|dein|euer|eure|das) (fresse|maul|klappe)\b", r"\bhalts maul\b",
    r"\bso ein dreck\b", r"\bmaul\b", r"\bverpiss", r"\bzum teufel\b", r"\bgeht sterben\b",
    r"\bleckt? (mich|uns)\b", r"\bkreuzweise\b", r"\bschnauze\b(?! (gestrichen )?voll)",
)

# Everyday expletives that signal anger without insulting anyone.
MILD_PROFANITY: tuple[str, ...] = (
    r"\bverdammt", r"\bmist\b", r"\bmistding", r"\bverarsch", r"\bzum kotzen\b", r"\bkotzt\b", r"\bnervt\b",
    r"\bnervig", r"\bmann ey\b", r"\bboah?\b", r"\balter\b", r"\bey\b", r"\bmeine güte\b",
    r"\bverflixt", r"\bsaublöd", r"\bfrechheit", r"\bunverschämt", r"\bdreist",
    r"\bankotz", r"\b(ich )?(könnte|könnt) kotzen",
)

# Threats against people: always abusive, whatever the reason.
THREAT_PATTERNS: tuple[str, ...] = (
    r"\bich (komme?|komm) (vorbei|zu euch|persönlich)", r"\bich weiß,? wo", r"\bbereuen\b",
    r"\bmach(e)? (euch|dich|sie) (fertig|kalt|platt)", r"\babfackeln", r"\banzünden", r"\bin die luft",
    r"\baufs maul\b", r"\bauf die fresse\b", r"\beine reinhauen", r"\bumbringen", r"\babstechen",
    r"\bkalt ?machen", r"\bpass(t)? (bloß|bloss|nur) auf\b", r"\bverprügeln", r"\bich finde (dich|euch)( schon| noch)?\s*([.!,]|$|und\b|verlass|wo\b)",
    r"\bwo (du|ihr) wohn", r"\beuch (kriege|krieg) ich\b", r"\bschlag(e)? (euch|dich)", r"\bihr werdet (schon )?sehen",
    r"\bzu spüren\b", r"\bkopf ab\b", r"\baufhängen\b", r"\bvergasen", r"\berschießen",
    # wishing people harm: "Verrecken sollt ihr", "Ich hoffe, euer Laden geht pleite", "Fahrt zur Hölle"
    r"\bverreck", r"\bkrepier", r"\bzur hölle\b", r"\bpest an den hals", r"\bwarm anziehen",
    r"\bwenn ich (dich|euch|ihn|sie|den|die) (\w+ ){0,3}erwische", r"\bhau(e)? (ich )?(dich|euch|ihn) um\b",
    r"\bdann knallt'?s", r"\ban die wand stellen", r"\bausrotten", r"\bausmerzen", r"\babknallen",
    r"\btotschlagen", r"\berschlagen\b",
    r"\b(ich hoffe|hoffentlich)\b(?!.{0,40}\bnicht\b).{0,40}\b(pleite|zugrunde)\b",
)

LEGAL_PATTERNS: tuple[str, ...] = (
    r"\b(rechts)?anwält", r"\b(rechts)?anwalt", r"\banwaltlich", r"\brechtliche schritte", r"\bjuristisch",
    r"\bgericht", r"\bverklag", r"\bklage\b", r"\beinklagen", r"\bverbraucherzentrale", r"\bverbraucherschutz",
    r"\bstrafanzeige", r"\banzeige (erstatten|erstatte|stellen)", r"\bzeige (euch|sie|dich) an\b", r"\bpolizei",
    r"\bschlichtungsstelle", r"\brechtsschutz", r"\bfrist (von|bis)", r"\bfristsetzung", r"\bmahnbescheid",
    r"\bbetrugsanzeige", r"\bbundesnetzagentur", r"\bdatenschutzbehörde", r"\bmein recht\b", r"\bgesetzlich",
)

CANCEL_PATTERNS: tuple[str, ...] = (
    r"\bnie wieder\b", r"\bnie mehr\b", r"\bniemals wieder\b", r"\bkunde gewesen", r"\bkunden gewesen",
    # "woanders" only as shopping elsewhere ("Ich wohne jetzt woanders" is a new address); "kündigen" and
    # "Konto löschen" are everyday requests (newsletter, GDPR), not threats: the learned model reads those.
    r"\b(bestell|kauf|einkauf)\w* .{0,25}\bwoanders\b", r"\bwoanders (bestellen|kaufen|einkaufen)",
    r"\bkonkurrenz", r"\bzum letzten mal\b", r"\b(war|ist) (das )?das letzte mal\b", r"\bdas letzte mal,? dass ich",
    r"\bletzte bestellung",
    r"\bbei amazon\b", r"\bbei otto\b", r"\bverzichte (gerne )?auf euch", r"\bohne mich\b",
)

# Going public is a threat only as an announcement ("das poste ich auf Facebook"); a platform's name is not.
_PLATFORM = r"(facebook|instagram|twitter|tiktok|youtube|social media|reddit|google|trustpilot|netz|internet)"
_PUBLISH = r"(posten|poste|teilen|teile|schreiben|schreibe|stellen|stelle|veröffentlich\w*|berichten|berichte|lade\w*)"
PUBLIC_PATTERNS: tuple[str, ...] = (
    r"\b(schlechte|negative|miese|vernichtende) (bewertung|rezension|kritik)", r"\btrustpilot",
    r"\bbewertung (schreiben|abgeben|hinterlassen)", r"\b(1|ein|einen|null) stern", r"\bbewertungsportal",
    rf"\b{_PUBLISH}\b.{{0,40}}\b{_PLATFORM}", rf"\b{_PLATFORM}\b.{{0,40}}\b{_PUBLISH}\b", r"\bposte ich",
    r"\b(an|zur) (die )?(presse|zeitung|medien)\b", r"\böffentlich (machen|mache|anprangern)",
    r"\b(allen|jedem|überall) (erzählen|erzähle|sagen|sage|schreiben|schreibe)", r"\bshitstorm",
    r"\bwarne (alle|jeden|andere)", r"\b(jeden|alle|andere) .{0,30}vor (euch|ihnen|nordwind) warnen",
    r"\bvor (euch|ihnen|nordwind|diesem (shop|laden)) warnen", r"\bwarentest", r"\bnicht (weiter)?empfehlen",
    r"\babraten\b", r"\bbekannt machen",
)

_COUNT_WORD = r"(zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|zig|x|[0-9]+)"
_ORDINAL = r"(zweiten|dritten|vierten|fünften|sechsten|siebten|x-ten|xten|zigsten|hundertsten|[0-9]+\.?)"

REPEAT_CONTACT_PATTERNS: tuple[str, ...] = (
    rf"\bzum {_ORDINAL} mal", rf"\b{_COUNT_WORD} ?-?mal\b", r"\bschon wieder\b", r"\bwieder mal\b",
    r"\bmal wieder\b", r"\bimmer wieder\b", r"\bjedes mal\b", r"\bzigmal\b", r"\bmehrfach\b", r"\bmehrmals\b",
    r"\bwiederholt\b", r"\bständig\b", r"\bdauernd\b", r"\bbereits (\w+ )?(geschrieben|angerufen|gemeldet|gefragt|mitgeteilt|erklärt)",
    r"\bschon (\w+ )?(geschrieben|angerufen|gemeldet|gefragt|mitgeteilt|erklärt)", r"\bkeine antwort",
    r"\b(niemand|keiner) (meldet|antwortet|ruft)", r"\bnoch ?mal\b", r"\bjedes? ?mal", r"\bwie oft (noch|denn|soll|muss|habe|hab|ich)\b",
    r"\bzum hundertsten\b", r"\bimmer (die|das) gleiche",
)

_DURATION = r"(tag|tagen|woche|wochen|monat|monaten|stunde|stunden|jahr)"
WAITING_PATTERNS: tuple[str, ...] = (
    rf"\bseit ([0-9]+|einer|einem|zwei|drei|vier|fünf|sechs|sieben|acht|zehn|vielen|mehreren|etlichen|über) {_DURATION}",
    rf"\bseit {_DURATION}\b", r"\bwarte(n|t)? (\w+ ){0,3}seit", r"\bimmer noch (nicht|kein|nichts)",
    r"\bnoch immer (nicht|kein|nichts)", r"\bbis heute (nicht|kein|nichts)", r"\bewig", r"\bewigkeit",
    r"\büberfällig", rf"\bnach ([0-9]+|zwei|drei|vier|fünf|sechs|vielen) {_DURATION}", r"\bimmer noch\b",
    rf"\b([0-9]+|zwei|drei|vier|fünf|sechs) {_DURATION} (her|zu spät|verspätung|überfällig|gewartet|warten)",
    r"\bwarten (lassen|und warten)", r"\bwie lange (noch|denn|soll)",
)

SARCASM_PATTERNS: tuple[str, ...] = (
    r"\b(toller|super|klasse|spitzen|grandioser|hervorragender|großartiger|erstklassiger) (kunden)?service",
    r"\bdanke für nichts", r"\bvielen dank auch\b", r"\bdanke auch\b", r"\bna (toll|super|klasse|prima|bravo|großartig)",
    r"\bganz (toll|groß|großes kino)", r"\bgroßes kino", r"\bbravo\b", r"\bherzlichen glückwunsch", r"\bgratuliere",
    r"\bweiter so\b", r"\bsehr witzig", r"\bwie witzig", r"\blustig\b", r"\bhumor\b", r"\bläuft bei euch",
    r"\bgroß geschrieben", r"[\"„“”'‚‘]+ ?(kunden)?service ?[\"„“”'‘’]+", r"\bwahnsinnig (toll|kompetent|schnell)",
    r"\bwie (schön|toll|nett) ?(,|!|dass)", r"\bwirklich (toll|super|klasse)", r"\bchapeau", r"\bapplaus",
    r"\bhut ab\b", r"\bganz ehrlich\b", r"\bechte? glanzleistung", r"\bmeisterleistung",
)

DEMAND_PATTERNS: tuple[str, ...] = (
    r"\bsofort\b", r"\bumgehend", r"\bunverzüglich", r"\bich erwarte", r"\bich verlange", r"\bich fordere",
    r"\bbis spätestens", r"\bletzte chance", r"\bletztmalig", r"\bjetzt endlich", r"\bendlich\b",
    r"\bich will (jetzt|sofort|mein geld)", r"\bheute noch\b", r"\bsonst\b",
)

INCOMPETENCE_PATTERNS: tuple[str, ...] = (
    r"\bunfähig", r"\binkompetent", r"\bunzuverlässig", r"\bkatastroph", r"\bskandal", r"\bunmöglich",
    r"\bfrechheit", r"\bunverschämt", r"\bzumutung", r"\babzocke", r"\bbetrug\b", r"\bchaos", r"\bschlecht",
    r"\b(ein|so ein|der reinste|schlechter|echter|kompletter|absoluter) witz\b", r"\bwitzlos", r"\blachnummer",
    r"\blächerlich", r"\bnutzlos", r"\bunzumutbar", r"\binakzeptabel", r"\bunprofessionell", r"\bdesaster", r"\barmutszeugnis", r"\bschande", r"\bsauerei",
    r"\bsaftladen", r"\bverein\b",
    # "Laden" is a shop ("Habt ihr einen Laden in Hamburg?") and "laden" is loading ("Die Seite will nicht laden"):
    # only "was für ein / euer / dieser Laden" is the scornful one.
    r"\b(was für ein|so ein|so einen|dieser|diesen|diesem|euer|eurem|euren|ihr|ihren|mist|drecks|scheiß)\s?laden\b",
    r"\bsie noch alle\b", r"\bnoch alle tassen", r"\bhaufen\b", r"\b(es|jetzt|mir) reicht\b", r"\breicht('?s| es)? (jetzt|endgültig|mir)\b(?! schon)", r"\bwütend",
    r"\bsauer\b", r"\bverärgert", r"\benttäuscht", r"\bfassungslos", r"\bgeht (ja )?gar nicht\b(?! (an|aus|auf|zu|mehr|rein|raus|ab|los|durch|weg))", r"\bverarscht",
)

ANGRY_EMOJI: tuple[str, ...] = ("😡", "🤬", "😤", "💩", "🖕", "👎", "😠", "🙄", "😒", "🤮", "🤡")

# Upper-case tokens that are just acronyms, not shouting.
ACRONYMS: frozenset[str] = frozenset(
    {"DHL", "DPD", "GLS", "UPS", "PDF", "AGB", "IBAN", "PIN", "SMS", "EUR", "DSGVO", "USB", "LED", "HDMI",
     "PLZ", "OK", "TV", "PC", "BIC", "PAYPAL", "SEPA", "ID", "TAN", "EAN", "FAQ", "CH", "AT", "DE", "USA",
     "HERMES", "MWST", "GMBH", "NR", "ABC", "WLAN", "DVD", "CD", "XL", "XXL", "RAM", "SSD", "HD", "LCD",
     "APP", "IOS", "URL", "WWW", "EU", "CHF", "AG", "KG", "ÖBB", "SBB", "DB", "ICE", "FCK", "AFD", "SPD",
     "CDU", "CSU", "FDP", "ARD", "ZDF", "BILD"}
)

# --- valence: does the message report something bad, whatever its tone? (bot/tone/valence.py) -----------
# Everyday German for things going wrong, for displeasure, and for the opposite. They are evidence for the
# learned valence score only. Mind the folding: "schön" folds to "schon", so only its inflected forms are listed.
# A calm "Das Paket ist leider beschädigt" is negative valence, not frustration.
VALENCE_FAULT: tuple[str, ...] = (
    r"\bkaputt", r"\bdefekt", r"beschädigt", r"\bschaden\b", r"schäden\b", r"\bgebrochen", r"\bgerissen",
    r"\bfehler", r"störung", r"\bausfall", r"\bausgefallen", r"\bfällt (\w+ )?aus\b", r"\bfunktioniert (\w+ )?nicht",
    r"\bgeht (\w+ )?nicht\b", r"\bklappt (\w+ )?nicht", r"\bproblem", r"\bmangel", r"\bmängel", r"\bpanne",
    r"\bgesperrt", r"\bverloren", r"\bgestohlen", r"\bundicht", r"\bfalsch", r"\bfehlt", r"\bfehlen\b",
    r"\baußer betrieb", r"\bentfällt", r"\bentfallen", r"\bsperrung", r"\brisiko", r"\brisiken",
    r"\bgefährlich", r"\blücke", r"\bnutzlos", r"\bunbrauchbar", r"\bungültig", r"\bverletz",
    r"\babgebrochen", r"\babgeplatzt", r"\bgesplittert", r"\bgesprungen", r"\bzerkratzt",
    r"\bverbogen", r"\bverbeult", r"\bklemmt", r"\bhakt\b", r"\bwackelt", r"\bleckt", r"\btropft", r"\brost",
    r"\bschimmel", r"\bloch\b", r"\blöcher", r"\bverfärbt", r"\beingelaufen", r"\bausgeblichen", r"\brauscht",
    r"\bflackert", r"\büberhitzt", r"\bnirgends", r"\bnirgendwo",
    # Things that do not work or did not arrive, as support chats say it (issue 17: calm fault reports).
    r"\bnicht (angekommen|erhalten|bekommen|geliefert|zugestellt|gebucht|erstattet)", r"\bnie (angekommen|erhalten|bekommen)",
    r"\b(kommt|kam|geht|ging|startet|reagiert|lädt|lässt sich|schaltet|druckt|lädt sich|verbindet sich|öffnet sich)( \w+)? (nicht|nich|net|ned|kaum)\b",
    r"\bstürzt (\w+ )?ab", r"\babgelehnt", r"\bdoppelt (abgebucht|berechnet|belastet)", r"\bzu viel (berechnet|abgebucht)",
    r"\bverschwunden", r"\bkein(e|en)? (antwort|rückmeldung|bestätigung|geld|erstattung|gutschrift|lieferung|zugang)\b",
    r"\bfehlermeldung", r"\bfehlgeschlagen", r"\bhängt\b", r"\bzerbrochen", r"\bzerrissen", r"\bkratzer", r"\bdelle",
    r"\b(nix|nichts) (funzt|funktioniert|geht|klappt)\b", r"\bfunzt (\w+ )?(nicht|nich|net|ned)\b",
    r"\bstimm(t|en) (\w+ )?(nicht|nie)\b", r"\bteurer (geworden|als vorher|als früher)", r"\bpreiserhöhung",
    r"\bbeschwer", r"\breklamation", r"\breklamier", r"\bkritik", r"\bkritisier", r"\bzu (heiß|kalt|laut|eng|voll|klein|groß|teuer|spät|wenig|lang)\b",
)
VALENCE_DELAY: tuple[str, ...] = (
    r"verspät", r"verzöger", r"\bzu spät", r"\bwarten\b", r"\bwarte\b", r"\bwartezeit", r"\bgewartet",
    r"\bverschoben", r"\bstorniert", r"\bgestrichen", r"\babgesagt", r"\bsteck\w* (\w+ )?fest", r"\bhäng\w* (\w+ )?fest",
    r"\bfest ?gesessen", r"\bimmer noch\b", r"\bnoch immer\b", r"\bseit (tagen|wochen|stunden|monaten)",
    r"\bverpasst", r"\bnicht (angekommen|gekommen|da)\b", r"\bumsonst gewartet", r"\bstreik",
)
VALENCE_DISPLEASURE: tuple[str, ...] = (
    r"\bleider\b", r"\bschade\b", r"\bärger", r"\benttäusch", r"\bunzufrieden", r"\bnervig", r"\bnervt",
    r"\bgenervt", r"\bfrust", r"\bmies", r"\bschlecht", r"katastroph", r"\bchaos", r"\bzumutung", r"\bunmöglich",
    r"\bpeinlich", r"\barmutszeugnis", r"\bunfassbar", r"\bunglaublich", r"\btypisch\b", r"\bschon wieder\b",
    r"\bmal wieder\b", r"\bwieder mal\b", r"\bwie immer\b", r"\büberteuert", r"\bzu teuer", r"\babzocke",
    r"\bdreckig", r"\bschmutzig", r"\beklig", r"\büberfüllt", r"\bstinkt", r"\bsauer\b", r"\bwütend",
    r"\bversagt", r"\bwitz\b", r"\bfrechheit", r"\bunverschämt", r"\bhorror", r"\bdesaster", r"\bmist\b",
    r"\bblöd", r"\bdoof", r"\bätzend", r"\bnicht (euer|ihr|dein|ihr) ernst", r"\bangst\b", r"\bärgern",
    r"\bimmer (dasselbe|dieselbe|derselbe|das gleiche|die gleiche)", r"\bgeprellt", r"\bhinterher\b", r"\bstreit",
    r"\bbester (kunden)?service", r"\bsorgen\b", r"\bwarum (immer|schon wieder|nie)\b", r"\bgrr+",
    # strong judgements of how bad something is (issue 17): general words, not a support chat's only
    r"\bekelhaft", r"\bwiderlich", r"\bunterste schublade", r"\bzutiefst", r"\bunzumutbar", r"\binakzeptabel",
    r"\blächerlich", r"\bärgerlich", r"\bschwachsinn", r"\bblödsinn", r"\bunsinn\b", r"\bmurks", r"\bpfusch",
    r"\bschrott", r"\bunterirdisch", r"\bfurchtbar", r"\bschrecklich", r"\bentsetz", r"\bempör", r"\bgrauenhaft",
    r"\bhirnrissig", r"\babsurd", r"\bernsthaft ?\?", r"\bhasse\b", r"\bich hass", r"\bärgernis",
    r"\bleidensgeschichte", r"\bnicht (gut|schön|okay|ok|in ordnung|akzeptabel|hinnehmbar|nachvollziehbar)\b",
    r":-?\(", r"😡", r"😠", r"🙄", r"😒", r"😤", r"👎", r"😞", r"😢",
)
VALENCE_PRAISE: tuple[str, ...] = (
    r"\bdanke", r"\bsuper\b", r"\btoll\b", r"\bprima\b", r"\bklasse\b", r"\bperfekt", r"\bzufrieden", r"\bfreu",
    r"\bschöne[nrs]?\b", r"\blob\b", r"\bempfehl", r"\bpünktlich", r"\bschnell\b", r"\btop\b", r"\bbestens",
    r"\bhilfreich", r"\blecker", r"\bbegeistert", r"\bgefällt", r"\bwunderbar", r"\bgenial", r"\bspitze",
    r"👍", r"😊", r"🙂", r"😄", r"😀", r"😍", r"❤", r":-?\)", r";-?\)", r"\bhaha", r"\blol\b",
)
# "Kein Problem", "nicht schlimm": negation that takes the bad news back.
VALENCE_REASSURANCE: tuple[str, ...] = (
    r"\bkein problem", r"\bnicht schlimm", r"\balles gut", r"\bpasst\b", r"\bmacht nichts", r"\bkeine eile",
    r"\berledigt", r"\bkeine sorge", r"\bnicht dringend", r"\bzum glück", r"\bwieder\b.{0,20}\bfunktioniert\b",
)

# --- issue 17: disappointment, repeated failure, relief ------------------------------------------------
# Repeated failure: the problem persists after the customer or we tried something. Negative valence; it
# feeds the escalation build-up and earns an acknowledgement, it is never an insult.
REPEATED_FAILURE_PATTERNS: tuple[str, ...] = (
    r"\bimmer ?noch (nicht|nichts|nix|kein|net|ned|nich|der|die|das|dasselbe|derselbe|dieselbe|gleich)",
    r"\bimmernoch\b", r"\bnoch immer (nicht|nichts|nix|kein)", r"\bnach wie vor (nicht|nichts|nix|kein|der|die|das)",
    r"\bweiterhin (nicht|nichts|kein|kaputt|defekt)", r"\b(schon|bereits|doch schon) (alles )?(probiert|versucht|ausprobiert|gemacht|getan)",
    r"\b(hab|habe|hatte)s?( ich)? (doch |schon |bereits |alles |das )+(probiert|versucht|ausprobiert|gemacht)",
    r"\bohne erfolg", r"\berfolglos", r"\bwieder (nicht|nichts|nix|kein|keine|net|ned|nich|nur)\b",
    r"\b(schon|und|mal|leider) wieder (kaputt|defekt|falsch|beschädigt|storniert|das gleiche|dasselbe|der gleiche|die gleiche)",
    r"\b(das|der|die|den)(selbe|gleiche)n? (problem|fehler|fehlermeldung|meldung|stand)",
    r"\bgleiche(s|n)? (problem|fehler|spiel|theater)\b", r"\bbringt (leider )?(nichts|nix)\b",
    r"\bhat (auch |leider |wieder |leider auch |aber )?(nicht|nichts|nix) (geholfen|gebracht|funktioniert|geklappt)",
    r"\btrotzdem (nicht|kein|nichts|nix)\b", r"\bzum (zweiten|dritten|vierten|fünften|wiederholten) mal",
    r"\b(nichts|nix) (hat )?(geholfen|gebracht|funktioniert)", r"\bkeine (der|dieser) (lösungen|tipps)",
    r"\bauch (beim|nach dem) (zweiten|dritten|neustart|umtausch)", r"\bfunktioniert nach wie vor",
    r"\b(geht|klappt|funktioniert)( es)? (leider )?(immer noch|immernoch|wieder) (nicht|net|ned|nich)",
)
# Disappointment and being let down, said without insult.
DISAPPOINTMENT_PATTERNS: tuple[str, ...] = (
    # Only the words that say it: the acknowledgement "... dass Sie enttäuscht sind" rests on this cue.
    r"\benttäusch", r"\bschade\b", r"\bmehr (\w+ )?erwartet", r"\bhatte mich .{0,25}gefreut", r"\bunzufrieden",
    r"\bnicht zufrieden",
)
# Annoyance said in plain words, without insult: explicit, but names no cause an acknowledgement could repeat.
ANNOYANCE_PATTERNS: tuple[str, ...] = (
    r"\bfrustrier", r"\bärgerlich", r"\bfinde (ich )?(es|das) (\w+ )?nicht (gut|ok|okay|in ordnung|fair)\b", r"\bärgert mich", r"\bregt mich auf", r"\bnicht (in ordnung|okay|ok|fair)\b",
    r"\b(hilft|bringt) mir (leider |so |das |überhaupt |gar )?(nicht|nichts|nix|null)\b",
    r"\bkeine (lust|geduld|nerven) mehr", r"\b(verliere|verlier) (\w+ )?(die )?(lust|geduld)", r"\bseufz",
    r"\bmenno", r"\blatein am ende", r"\bnicht (meine|die) frage", r"\b(hab|habe) ich nicht gefragt",
    r"\b(verstehst|verstehen) (du|sie) (mich )?(einfach |leider |wohl )?nicht\b", r"\b(viel )?zu lange\b",
    r"\bverappelt", r"\bveräppelt", r"\bfaxen dicke", r"\bnase (gestrichen )?voll", r"\bschnauze voll",
    r"\bnicht weiter\b", r"\bnicht (zu )?fassen", r"\bdarf (doch )?nicht wahr sein",
)
# Worry and distress: a feeling the customer expressed, not anger ("Ich mache mir langsam Sorgen").
WORRY_PATTERNS: tuple[str, ...] = (
    r"\b(mache|mach|machen) (mir|uns) (\w+ ){0,2}sorgen", r"\bbeunruhig", r"\bnervös", r"\bverzweifel",
    r"\bhabe angst\b", r"\bhab angst\b", r"\bangst, dass", r"\bpanik", r"\bbin (total |echt |ganz )?(aufgelöst|fertig)\b",
)
# Relief, thanks and praise: keeps a happy "Hat funktioniert, danke!!" from reading as angry ("!!" then
# intensifies the joy). Negated and sarcastic forms are left to the model (the sarcasm cue fires beside it).
POSITIVE_PATTERNS: tuple[str, ...] = (
    r"\bdanke", r"\bdank (dir|euch|ihnen)\b", r"\bbesten dank", r"\bvielen dank", r"\bmerci\b", r"\bthx\b",
    r"\bdanggsch", r"\bsuper\b", r"\bperfekt", r"\btoll\b", r"\bklasse\b", r"\bprima\b", r"\bspitze",
    r"\bgenial", r"\bwunderbar", r"\bwunderschön", r"\bfantastisch", r"\bhammer\b", r"\bmega\b", r"\btop\b",
    r"\btipptopp", r"\bbestens\b", r"\bfreu", r"\bbegeistert", r"(?<!un)(?<!nicht )(?<!nicht so )zufrieden\b", r"\berleichter",
    r"\bzum glück", r"\bgott sei dank", r"\bpuh\b", r"\bjuhu", r"\bjuchu", r"\byay\b", r"\byippie", r"\bhurra",
    r"\bgeschafft\b", r"\bhat'?s? (?!nicht|nie|leider)(\w+ )?(geklappt|funktioniert|geholfen)\b",
    r"\b(geht|klappt|funktioniert|läuft)( es| alles)? (jetzt )?wieder\b(?! nicht| nich| net| ned)",
    r"\bwieder da\b", r"\berledigt\b", r"\bgelöst\b", r"\bhilfreich", r"\bnett\b", r"\blieb\b", r"\bcool\b",
    r"\bnice\b", r"\bgut zu wissen", r"\bschöne[nrs]? (tag|abend|wochenende|sonntag|feierabend|feiertage)",
    r"\bfrohe", r"\bfroh\b", r"\bdankbar", r"\bglücklich",
    r"👍", r"😊", r"🙂", r"😄", r"😀", r"😍", r"🎉", r"☺", r"❤", r"🥰", r"😁",
)
