"""Noise patterns as data: labels that scrapers leave in article text, in several languages.

Two kinds of entries:

* ``LABELS``: a block that consists of one of these phrases and nothing else (ignoring case,
  surrounding punctuation, a count such as "Share 12" and bullet characters) is noise. Labels are
  matched against the *whole* block, never inside prose, so adding a phrase here cannot remove a
  sentence that merely contains it.
* ``PREFIXES``: short blocks that *start* with one of these phrases (photo credits, bylines,
  "Read more: ..." teasers, cookie and newsletter calls). A length cap in ``settings`` keeps a
  long sentence that happens to start that way.

Languages: en, de, fr, es, pt, it, ru (plus a few nl/pl where the label is common).
Each category name is also the reason ``explain`` prints.
"""

from __future__ import annotations

import re

LABELS: dict[str, tuple[str, ...]] = {
    "share/social label": (
        # en
        "share", "shares", "share this", "share this article", "share this story",
        "share this post", "share on facebook", "share on twitter", "share via email",
        "share article", "share story", "shared", "tweet", "tweet this", "pin", "pin it", "email",
        "e-mail", "print", "print this article", "whatsapp", "facebook", "twitter", "x",
        "linkedin", "reddit", "pinterest", "tumblr", "telegram", "flipboard", "messenger", "sms",
        "copy link", "copy url", "link copied", "like", "follow", "follow us", "save",
        "save article", "bookmark", "comment", "comments", "gift article", "listen",
        "listen to article", "listen to this article", "facebook twitter", "email facebook twitter",
        "facebook twitter email", "facebook twitter linkedin", "facebook twitter whatsapp",
        "google+", "youtube", "instagram", "rss", "vk", "xing", "mastodon", "bluesky", "threads",
        "share on", "share this:", "share via", "share this on facebook",
        "share this on twitter", "share this on whatsapp", "share this on linkedin",
        "print options", "print this page", "pin it for later", "pin this for later",
        "enjoy the post? pin it for later", "enjoy this post? pin it for later",
        "like this post? pin it for later",
        # de
        "teilen", "artikel teilen", "beitrag teilen", "drucken", "twittern", "merken",
        "kommentieren", "versenden", "link kopieren", "vorlesen",
        # fr
        "partager", "partager cet article", "partager sur facebook", "partager sur twitter",
        "imprimer", "envoyer", "commenter", "copier le lien",
        # es / pt
        "compartir", "compartir en facebook", "compartir en twitter", "imprimir", "enviar",
        "comentar", "compartilhar", "compartilhe", "copiar link", "copiar enlace",
        # it
        "condividi", "condividi su facebook", "stampa", "commenta",
        # ru
        "поделиться", "поделитесь", "печать", "распечатать", "комментировать",
        # nl / pl
        "delen", "udostępnij",
    ),
    "ad label": (
        "advertisement", "advertising", "advert", "ad", "ads", "sponsored", "sponsored content",
        "paid content", "paid post", "promoted", "promoted content", "partner content",
        "story continues below advertisement", "article continues below advertisement",
        "continue reading below", "article continues below", "story continues below",
        "continue reading the main story", "advertisement continue reading the main story",
        "scroll to continue with content", "skip advertisement", "ad feedback",
        "report this ad", "ad choices", "adchoices", "supported by",
        "anzeige", "werbung", "sponsored post", "publicité", "publicite", "annonce",
        "contenu sponsorisé", "publicidad", "anuncio", "contenido patrocinado",
        "publicidade", "anúncio", "conteúdo patrocinado", "pubblicità", "pubblicita",
        "contenuto sponsorizzato", "реклама", "спонсорский материал", "advertentie", "reklama",
    ),
    "navigation label": (
        "home", "homepage", "menu", "main menu", "navigation", "search", "search for",
        "skip to content", "skip to main content", "skip to navigation", "back to top",
        "top", "next", "previous", "next article", "previous article", "next story",
        "previous story", "more", "show more", "load more", "see more", "view more",
        "login", "log in", "sign in", "log out", "sign out", "register", "my account",
        "close", "open", "toggle navigation", "expand", "collapse", "loading", "loading...",
        "wird geladen", "chargement", "cargando", "carregando",
        "caricamento", "загрузка", "memuat", "memuat...",
        "startseite", "suche", "anmelden", "abmelden", "nach oben", "weiter", "zurück",
        "mehr", "accueil", "rechercher", "recherche", "connexion", "se connecter", "suivant",
        "précédent", "inicio", "portada", "buscar", "búsqueda", "iniciar sesión", "siguiente",
        "anterior", "início", "pesquisar", "entrar", "próximo", "cerca", "accedi",
        "successivo", "precedente", "главная", "поиск", "войти", "меню", "далее", "назад",
    ),
    "read more/related label": (
        "read more", "read more:", "more stories", "more news", "related", "related articles",
        "related stories", "related content", "related news", "related posts", "related topics",
        "related coverage", "recommended", "recommended for you", "recommended stories",
        "you may also like", "you might also like", "you may be interested in", "read next",
        "read also", "see also", "also read", "also on", "more from", "more on this story",
        "more on this topic", "most popular", "most read", "most viewed", "trending",
        "trending now", "top stories", "latest news", "latest", "editor's picks",
        "editors' picks", "don't miss", "in case you missed it", "what to read next",
        "topics", "tags", "categories", "filed under", "explore more",
        "lesen sie auch", "mehr zum thema", "das könnte sie auch interessieren", "auch interessant",
        "weitere artikel", "verwandte artikel", "themen", "meistgelesen", "empfehlungen",
        "lire aussi", "à lire aussi", "a lire aussi", "lire la suite", "voir aussi",
        "sur le même sujet",
        "les plus lus", "articles similaires", "leer más", "lee también", "te puede interesar",
        "noticias relacionadas", "lo más leído", "más noticias", "leia mais", "leia também",
        "veja também", "notícias relacionadas", "mais lidas", "leggi anche", "leggi di più",
        "articoli correlati", "potrebbe interessarti", "i più letti", "читайте также",
        "читать далее", "похожие статьи", "по теме", "популярное", "lees ook", "czytaj też",
        "czytaj także",
    ),
    "newsletter/subscription call": (
        "subscribe", "subscribe now", "subscribe today", "subscribe to our newsletter",
        "sign up", "sign up now", "sign up for our newsletter", "newsletter", "newsletters",
        "get the newsletter", "join now", "become a member", "support us", "donate",
        "already a subscriber?", "subscriber only", "subscribers only", "premium",
        "abonnieren", "newsletter abonnieren", "jetzt abonnieren", "abo", "jetzt registrieren",
        "s'abonner", "abonnez-vous", "je m'abonne", "inscrivez-vous", "suscríbete",
        "suscribirse", "suscribirme", "assine", "assinar", "inscreva-se", "iscriviti",
        "abbonati", "подписаться", "подпишитесь",
    ),
    "comment call": (
        "leave a comment", "leave a reply", "post a comment", "add a comment", "view comments",
        "show comments", "join the conversation", "join the discussion", "comments are closed",
        "no comments", "kommentare", "kommentar schreiben", "commentaires",
        "ajouter un commentaire",
        "comentarios", "deja un comentario", "comentários", "deixe um comentário", "commenti",
        "lascia un commento", "комментарии", "оставить комментарий",
    ),
    "media player text": (
        # the accessibility strings video players leave in the page text
        "end of dialog window", "beginning of dialog window", "this is a modal window",
        "escape will cancel and close the window", "play video", "pause", "mute", "unmute",
        "fullscreen", "now playing", "watch video",
    ),
    "cookie/consent notice": (
        "accept", "accept all", "accept cookies", "i accept", "agree", "i agree", "ok", "got it",
        "reject all", "manage cookies", "cookie settings", "cookie policy", "manage preferences",
        "privacy settings", "akzeptieren", "alle akzeptieren", "zustimmen", "accepter",
        "tout accepter", "j'accepte", "aceptar", "aceptar todo", "aceitar", "accetta",
        "accetto", "принять",
    ),
    "copyright/footer": (
        "all rights reserved", "privacy policy", "privacy", "terms of use", "terms of service",
        "terms and conditions", "terms", "contact", "contact us", "about", "about us",
        "imprint", "impressum", "datenschutz", "datenschutzerklärung", "kontakt", "agb",
        "mentions légales", "politique de confidentialité", "nous contacter",
        "aviso legal", "política de privacidad", "contacto", "política de privacidade",
        "contato", "privacy policy and cookie policy", "sitemap", "site map", "careers", "faq",
        "help", "accessibility",
    ),
}

# Prefixes: a block that starts with one of these and is short (see settings) is noise.
PREFIXES: dict[str, tuple[str, ...]] = {
    "photo credit/caption": (
        "photo:", "photo by", "photos:", "photograph:", "photograph by", "picture:",
        "image:", "image by", "images:", "image source:", "image copyright", "image caption",
        "media caption", "credit:", "credits:", "photo credit", "caption:", "illustration:",
        "(photo", "(image", "(credit", "getty images", "foto:", "fotos:", "bild:", "bildquelle:",
        "quelle:", "crédit photo", "crédits photo", "photo :", "crédit :", "foto de",
        "imagen:", "fuente:", "créditos:", "фото:", "иллюстрация:",
    ),
    "read more/related label": (
        "read more:", "read more about", "read also:", "see also:", "related:",
        "more:", "recommended:", "watch:", "watch now:", "video:", "listen:", "podcast:",
        "lesen sie auch:", "mehr zum thema:", "auch interessant:", "lire aussi :",
        "lire aussi:", "à lire aussi :", "à lire aussi:", "a lire aussi :", "voir aussi :",
        "leer más:", "lee también:", "leia mais:", "leia também:", "veja também:",
        "leggi anche:", "читайте также:", "смотрите также:",
    ),
    "newsletter/subscription call": (
        "sign up for", "sign up to", "subscribe to", "get our newsletter", "get the latest",
        "newsletter:", "want more", "enjoy unlimited access", "to continue reading",
        "be sure to sign up", "sign up below", "make sure to sign up",
        "already a subscriber", "you have reached your", "jetzt abonnieren", "melden sie sich",
        "abonnez-vous", "inscrivez-vous", "suscríbete", "assine", "iscriviti",
        "подпишитесь",
    ),
    "comment call": (
        # comment-form notes of blog software, in the languages above
        "your email address will not be published", "required fields are marked",
        "deine e-mail-adresse wird nicht veröffentlicht", "erforderliche felder sind",
        "votre adresse e-mail ne sera pas publiée", "les champs obligatoires sont indiqués",
        "tu dirección de correo electrónico no será publicada",
        "los campos obligatorios están marcados", "o seu endereço de e-mail não será publicado",
        "o seu endereço de email não será publicado", "campos obrigatórios são marcados",
        "il tuo indirizzo email non sarà pubblicato", "i campi obbligatori sono contrassegnati",
        "ваш адрес email не будет опубликован", "обязательные поля помечены",
    ),
    "call to action": (
        "got a tip", "have a tip", "send us a tip", "click here", "tap here",
        "download the app", "get the app", "download our app",
        "hier klicken", "klicken sie hier", "cliquez ici", "haga clic aquí", "haz clic aquí",
        "clique aqui", "clicca qui", "нажмите здесь",
    ),
    "cookie/consent notice": (
        "we use cookies", "this site uses cookies", "this website uses cookies",
        "by continuing to use", "by using this site", "by using our site", "cookies help us",
        "wir verwenden cookies", "diese website verwendet cookies", "nous utilisons des cookies",
        "ce site utilise des cookies", "utilizamos cookies", "este sitio utiliza cookies",
        "usamos cookies", "utilizziamo i cookie", "questo sito utilizza cookie",
        "мы используем файлы cookie", "мы используем cookie",
    ),
    "copyright/footer": (
        "©", "(c)", "copyright", "all rights reserved", "alle rechte vorbehalten",
        "tous droits réservés", "todos los derechos reservados", "todos os direitos reservados",
        "tutti i diritti riservati", "все права защищены",
    ),
    "byline": (
        "by ", "written by", "posted by", "reported by", "words by", "story by",
        "von ", "par ", "por ", "di ", "автор:", "автор ", "texto:", "text:", "texte :",
    ),
}

# Phrases that mark a short block as a footer wherever they stand in it
# ("2025 ABC, Inc., WABC-TV New York. All Rights Reserved.").
_FOOTERS: tuple[str, ...] = (
    "all rights reserved", "alle rechte vorbehalten", "tous droits réservés",
    "todos los derechos reservados", "todos os direitos reservados", "tutti i diritti riservati",
    "все права защищены",
)

# Section headings that articles of every kind use ("Conclusion", "Pros", "Fazit"): a short
# line equal to one of them is a subheading of the article, never an inserted label.
SUBHEADINGS: frozenset[str] = frozenset(
    {
        "introduction", "overview", "background", "summary", "conclusion", "conclusions",
        "final thoughts", "key takeaways", "key points", "the bottom line", "bottom line",
        "pros", "cons", "pros & cons", "pros and cons", "verdict", "our verdict", "the verdict",
        "what we like", "what we don't like", "what i like", "key features", "specifications",
        "methodology", "references", "sources",
        "einleitung", "zusammenfassung", "fazit", "vorteile", "nachteile", "quellen",
        "résumé", "avantages", "inconvénients",
        "introducción", "resumen", "conclusión", "ventajas", "desventajas", "fuentes",
        "introdução", "resumo", "conclusão", "vantagens", "desvantagens", "fontes",
        "introduzione", "riassunto", "conclusione", "conclusioni", "vantaggi", "svantaggi",
        "fonti", "введение", "заключение", "вывод", "выводы", "итоги", "плюсы", "минусы",
        "источники",
    }
)  # fmt: skip

# Separators between a headline and the site name in a page title ("Headline - Site").
TITLE_SEPARATORS: tuple[str, ...] = (" - ", " | ", " – ", " — ", " : ", " :: ", " · ", " » ")

# Prefix categories that apply even to a block reading as prose (a cookie notice is a sentence);
# the others (credits, bylines, copyright lines, "Read more" teasers) only to non-prose blocks,
# so "Copyright law changed in 2019 after years of debate." stays.
PREFIX_EVEN_IF_PROSE: frozenset[str] = frozenset(
    {"cookie/consent notice", "newsletter/subscription call", "comment call"}
)

# Words that mark a dateline or timestamp line ("Published 3 hours ago", "Updated: 12 March").
DATELINE_WORDS: tuple[str, ...] = (
    "published", "updated", "last updated", "posted", "posted on", "first published",
    "modified", "veröffentlicht", "aktualisiert", "stand", "publié", "publié le", "mis à jour",
    "publicado", "actualizado", "atualizado", "pubblicato", "aggiornato", "опубликовано",
    "обновлено", "ago", "min read", "minute read", "minutes read", "lesezeit", "lecture",
)

MONTHS: tuple[str, ...] = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "januar", "februar", "märz", "juni", "juli", "oktober", "dezember",
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre", "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre", "janeiro",
    "fevereiro", "março", "maio", "junho", "julho", "setembro", "outubro", "novembro",
    "dezembro", "gennaio", "febbraio", "aprile", "maggio", "giugno", "luglio", "settembre",
    "ottobre", "dicembre", "января", "февраля", "марта", "апреля", "мая", "июня", "июля",
    "августа", "сентября", "октября", "ноября", "декабря",
)

_BULLETS = "•·|–—-*>»«›‹►▶■□●◦→"


# The frame around a label: bullets and punctuation at either edge, an optional count after it.
_LABEL_EDGE = rf"[\s{re.escape(_BULLETS)}:.!?()\[\]]*"
_LABEL_COUNT = r"(?:\s*\(?\d[\d.,kKmM]*\)?)?"


_Node = dict[str, "_Node"]  # a trie of phrases: next character -> rest ("" marks an end)


def _longest_first(phrases: tuple[str, ...]) -> str:
    """The phrases as one alternation, longest first (so a match ends as late as it can)."""
    return "|".join(sorted((re.escape(p) for p in phrases), key=len, reverse=True))


def _trie(phrases: tuple[str, ...]) -> str:
    """The phrases as one alternation with common beginnings factored out ("share", "share
    this", "shared" -> "share(?:\\ this|d)?"), for speed: the regex engine tries a few branches
    per position instead of every phrase in turn. It matches what :func:`_longest_first` does,
    and where it does: sibling branches begin with letters that differ even ignoring case, so
    the phrases that fit at one position are prefixes of each other, and the greedy ``?`` tries
    the longest first (tests/test_noise.py checks the letters of the lists here)."""
    root: _Node = {}
    for phrase in phrases:
        node = root
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}  # a phrase ends here
    return _trie_body(root)


def _trie_body(node: _Node) -> str:
    branches = [re.escape(char) + _trie_body(node[char]) for char in sorted(node) if char]
    if not branches:
        return ""
    if len(branches) == 1 and "" not in node:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")


def _label_regex(body: str) -> re.Pattern[str]:
    return re.compile(rf"^{_LABEL_EDGE}(?:{body}){_LABEL_COUNT}{_LABEL_EDGE}$", re.IGNORECASE)


def _prefix_regex(body: str) -> re.Pattern[str]:
    return re.compile(rf"^[\s{re.escape(_BULLETS)}]*(?:{body})", re.IGNORECASE)


LABEL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, _label_regex(_longest_first(phrases))) for reason, phrases in LABELS.items()
)
PREFIX_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, _prefix_regex(_longest_first(phrases))) for reason, phrases in PREFIXES.items()
)
# Prefilters: one regex that matches exactly when some pattern above does (the union of their
# phrases in the same frame), so the per-reason loop runs only on the few blocks that are noise.
# Bylines are left out: ``pattern_reason`` never reports them.
ANY_LABEL = _label_regex(_trie(tuple(p for phrases in LABELS.values() for p in phrases)))
ANY_PREFIX = _prefix_regex(
    _trie(tuple(p for reason, phrases in PREFIXES.items() if reason != "byline" for p in phrases))
)
# Searched for anywhere in a line, so built as tries: a case-insensitive search tries the
# pattern at every position, and a trie fails there after a few branches, not after each phrase.
DATELINE_PATTERN = re.compile(r"\b(?:" + _trie(DATELINE_WORDS) + r")\b", re.IGNORECASE)
MONTH_PATTERN = re.compile(r"\b(?:" + _trie(MONTHS) + r")\.?\b", re.IGNORECASE)
FOOTER_PHRASES = re.compile(_trie(_FOOTERS), re.IGNORECASE)
# The phrases an ASCII line can hold, for a substring test (noise._has_footer_phrase).
ASCII_FOOTER_PHRASES = tuple(p.lower() for p in _FOOTERS if p.isascii())
# A footer phrase spans at least this many words of a block: a cheap test before the search
# (which would mostly meet one-word lines).
FOOTER_MIN_WORDS = min(len(re.findall(r"\w+", p)) for p in _FOOTERS)
DATE_NUMERIC = re.compile(
    r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b\d{1,2}:\d{2}\b|\b(?:19|20)\d\d\b"
)

# A block that is nothing but links, addresses or handles ("twitter.com/someone",
# "name@paper.com", "https://..."): contact lines and stray link text, never article prose.
_LINK = (
    r"(?:https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|@\w{2,}|[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|co|io|de|fr|uk|br|ru|it|es)(?:/\S*)?)"
)
BARE_LINKS = re.compile(rf"^[\s{re.escape(_BULLETS)}]*{_LINK}(?:[\s,;|]+{_LINK})*[\s.]*$")

# Reporting credits that close wire stories: "Additional reporting by ..." (a non-prose block)
# and "... contributed to this report." (even as a sentence); short blocks only
# (settings.CREDIT_MAX_WORDS).
REPORTING_CREDIT = re.compile(
    r"^(?:additional reporting|reporting|editing|writing|compiled) by\b", re.IGNORECASE
)
CONTRIBUTED_CREDIT = re.compile(
    r"contributed (?:reporting )?to this (?:report|story|article)\.?$", re.IGNORECASE
)
# A copyright notice by its opening: the mark, then a year or "by" ("Copyright 2007 by Bay City
# News", "© 2019 The Associated Press"); a sentence about copyright law does not open so.
COPYRIGHT_NOTICE = re.compile(
    r"^(?:©|\(c\)|copyright\b)(?:\s*(?:©|\(c\)|copyright\b))*\s*(?:(?:19|20)\d\d\b|by\b)",
    re.IGNORECASE,
)
PREFIX_PATTERNS_BY_REASON: dict[str, re.Pattern[str]] = dict(PREFIX_PATTERNS)

# Lowercase words allowed inside a byline's name part ("By Jane Doe and John Roe, Reuters").
BYLINE_JOINERS: frozenset[str] = frozenset(
    "and und et y e i и & de da van von der den del della di du le la staff writer reporter "
    "correspondent editor in".split()
)

# Short words allowed on a dateline besides dates ("Nov 19, 2019, 10:31 pm CST", "um 14:30 Uhr").
DATE_GLUE: frozenset[str] = frozenset(
    "am pm a m p on at um uhr le à el de del do da di в г the of on h hours hour minutes minute "
    "min mins days day weeks week months month hrs hr utc gmt cet cest est edt cst cdt pst pdt "
    "bst ist jst mez mesz updated published posted stunden stunde minuten tagen heures jours "
    "horas días dias ore giorni часов часа дней и".split()
)
