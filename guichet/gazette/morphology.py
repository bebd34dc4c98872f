"""French word analysis for search, the same for documents and queries and for both databases.

One word → one index token, in five steps:

1. an exceptions table (below) for the forms the next steps get wrong (irregular participles);
2. the lemma (simplemma's French dictionary, folded: accents never matter): « notifiée » → « notifié », « valent » → « valoir »,
   « publique » → « public »;
3. the legal-French derivation step: the noun of a legal act is brought to its verb
   (« notification » → « notifier », « publication » → « publier », « abrogation » →
   « abroger »; the curated table `DEVERBAL`), since texts use the noun and the participle for
   the same act (« la notification de la décision » / « la décision notifiée »);
4. accents removed, then Snowball's French stemmer; 5. one final « e » dropped.

So `notifiée`, `notifié`, `notification` meet (« notifi »), `publication` meets `publiée` and not
`publique` (« publi » / « public »), `tenu`/`tenus` and `vaut`/`valent` meet. The golden tables
in tests/test_morphology.py are the contract.
"""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer

from guichet.gazette.numbering import fold

_STEMMER = snowballstemmer.stemmer("french")

# Forms the lemmatiser leaves apart from their family (simplemma gives « tenus » → « tenu » but
# « tenu » → « tenir »). Keys and values are lower case, accents kept.
EXCEPTIONS = {
    "tenu": "tenir",
    "tenus": "tenir",
    "tenue": "tenir",
    "tenues": "tenir",
    "vaut": "valoir",
    "valent": "valoir",
    "notifiée": "notifier",
    "notifiées": "notifier",
    "notifié": "notifier",
    "notifiés": "notifier",
    "accusé": "accuser",
    "accusés": "accuser",
    "accusée": "accuser",
    "accusées": "accuser",
    "publique": "public",
    "donnée": "donnée",  # the noun (simplemma: « donner »), as « données »
    "publiques": "public",
    # simplemma's lemma of « licencié » is the adjective « licencié »: in labour law the dismissed
    # employee is the participle of « licencier » (« le salarié licencié », C. trav. L1232-6).
    "licencié": "licencier",
    "licenciée": "licencier",
    "licenciés": "licencier",
    "licenciées": "licencier",
}
# Nouns of legal acts brought to their verb (step 3): the acts that texts name both ways
# (« la notification de la décision » / « la décision notifiée »). A curated list, not a rule: a
# rule on every « -ation » also merges words of other meanings (« contraction » / « contracter »).
DEVERBAL = {
    "abrogation": "abroger",
    "adoption": "adopter",
    "affiliation": "affilier",
    "application": "appliquer",
    "approbation": "approuver",
    "attribution": "attribuer",
    "autorisation": "autoriser",
    "certification": "certifier",
    "codification": "codifier",
    "communication": "communiquer",
    "consultation": "consulter",
    "déclaration": "déclarer",
    "délibération": "délibérer",
    "délégation": "déléguer",
    "désignation": "désigner",
    "exécution": "exécuter",
    "homologation": "homologuer",
    "immatriculation": "immatriculer",
    "justification": "justifier",
    "liquidation": "liquider",
    "majoration": "majorer",
    "modification": "modifier",
    "nomination": "nommer",
    "notification": "notifier",
    "prolongation": "prolonger",
    "promulgation": "promulguer",
    "prorogation": "proroger",
    "publication": "publier",
    "ratification": "ratifier",
    "réclamation": "réclamer",
    "rectification": "rectifier",
    "résiliation": "résilier",
    "révocation": "révoquer",
    "signification": "signifier",
    "suspension": "suspendre",
    "validation": "valider",
    "vérification": "vérifier",
}


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, str]:
    """simplemma's French form → lemma table, both sides folded (lower case, no accents), so
    that a word typed without its accents finds the same lemma ("donnees" = "données"). Where two
    accented forms fold together, the one whose lemma sorts first wins (deterministic)."""
    try:  # the raw bytes table: ten times faster to walk than the public mapping
        from simplemma.strategies.dictionaries.dictionary_factory import (
            _load_dictionary_from_disk,
        )

        source = _load_dictionary_from_disk("fr")
    except ImportError:  # pragma: no cover - another simplemma layout
        from simplemma.strategies.dictionaries import DefaultDictionaryFactory

        source = DefaultDictionaryFactory().get_dictionary("fr")
    table: dict[str, str] = {}
    for form, value in source.items():
        form = form.decode() if isinstance(form, bytes) else form
        value = value.decode() if isinstance(value, bytes) else value
        key = fold(form) if not form.isascii() else form.lower()
        lemma_ = fold(value) if not value.isascii() else value.lower()
        if key not in table or lemma_ < table[key]:
            table[key] = lemma_
    return table


@lru_cache(maxsize=1)
def _lemmas() -> frozenset[str]:
    return frozenset(_dictionary().values())


def in_lexicon(word: str) -> bool:
    """Whether `word` (folded) is a French word form or lemma of simplemma's dictionary, or one of
    the tables here: a real word, not a typo."""
    return (
        word in _dictionary()
        or word in _lemmas()
        or word in _FOLDED_EXCEPTIONS
        or word in _FOLDED_DEVERBAL
    )


_FOLDED_EXCEPTIONS = {fold(k): fold(v) for k, v in EXCEPTIONS.items()}
_FOLDED_DEVERBAL = {fold(k): fold(v) for k, v in DEVERBAL.items()}


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """Steps 1–3: the word's family head, folded (lower case, no accents)."""
    word = fold(word)
    if word in _FOLDED_EXCEPTIONS:
        return _FOLDED_EXCEPTIONS[word]
    table = _dictionary()
    base = table.get(word, word)
    base = _FOLDED_EXCEPTIONS.get(base, base)
    singular = base[:-1] if base.endswith("s") else base
    return _FOLDED_DEVERBAL.get(singular, base)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """One word → its index token: family head, unaccented, Snowball French stem, final "e" off."""
    token = _STEMMER.stemWord(lemma(word))
    return token[:-1] if len(token) > 3 and token.endswith("e") else token
