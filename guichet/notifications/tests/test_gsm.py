"""GSM 03.38 / TS 23.038 encoding and TS 23.040 concatenation."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.notifications.gsm import (
    GSM7,
    GSM_BASIC,
    GSM_EXTENSION,
    UCS2,
    encode_segments,
    is_gsm7,
    transliterate,
)


def septets(text: str) -> list[int]:
    """The text as GSM-7 septets, an extension character as ESC (0x1B) + its code."""
    extension_codes = {"\f": 0x0A, "^": 0x14, "{": 0x28, "}": 0x29, "\\": 0x2F, "[": 0x3C}
    extension_codes |= {"~": 0x3D, "]": 0x3E, "|": 0x40, "€": 0x65}
    basic = GSM_BASIC[:27] + "\x1b" + GSM_BASIC[27:]  # put ESC back at 0x1B
    out = []
    for char in text:
        if char in extension_codes:
            out += [0x1B, extension_codes[char]]
        else:
            out.append(basic.index(char))
    return out


def test_basic_alphabet_has_128_codes_less_the_escape():
    assert len(GSM_BASIC) == 127
    assert len(set(GSM_BASIC)) == 127
    assert septets("@£$")[:3] == [0, 1, 2]
    assert septets("à") == [0x7F]
    assert septets("€") == [0x1B, 0x65]


@pytest.mark.parametrize(
    ("length", "parts"), [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)]
)
def test_gsm7_fits_160_alone_and_153_per_concatenated_part(length, parts):
    result = encode_segments("a" * length)
    assert result.encoding == GSM7
    assert result.count == parts


@pytest.mark.parametrize(("length", "parts"), [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_ucs2_fits_70_alone_and_67_per_concatenated_part(length, parts):
    result = encode_segments("ب" * length)
    assert result.encoding == UCS2
    assert result.count == parts


def test_extension_characters_count_twice():
    assert encode_segments("€" * 80).count == 1
    assert encode_segments("€" * 81).count == 2
    assert encode_segments("a" * 159 + "[").count == 2


def test_extension_character_is_moved_whole_to_the_next_part():
    result = encode_segments("a" * 152 + "€" + "b" * 10)
    assert result.parts[0] == "a" * 152
    assert result.parts[1].startswith("€")


def test_surrogate_pair_is_never_split():
    result = encode_segments("a" * 66 + "😀" + "b" * 10)
    assert result.encoding == UCS2
    assert result.parts[0] == "a" * 66
    assert result.parts[1].startswith("😀")


def test_french_accents_in_the_gsm_alphabet_are_kept():
    text = "Votre dossier a été déposé à Niamey ; où ? Ça, Élève, Ñ Ü ä ö ü ø Å æ ß"
    result = encode_segments(text)
    assert result.encoding == GSM7
    assert result.text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fenêtre", "Fenetre"),
        ("reçu", "recu"),
        ("âge, île, côte, sûr, Noël, maïs", "age, ile, cote, sur, Noel, mais"),
        ("cœur…", "coeur..."),
        ("« Oui » – l’acte", '" Oui " - l\'acte'),
        ("ɓaƙi ɗan ƴaƴa", "baki dan yaya"),
        ("Ɓ Ɗ Ƙ Ƴ", "B D K Y"),
        ("À bientôt", "A bientot"),
        ("e\u0301te\u0301", "été"),  # decomposed accents are recomposed, not dropped
    ],
)
def test_non_gsm_letters_are_transliterated_to_stay_in_gsm7(text, expected):
    result = encode_segments(text)
    assert result.encoding == GSM7
    assert result.text == expected


def test_without_transliteration_an_accent_outside_gsm_switches_to_ucs2(settings):
    settings.SMS_TRANSLITERATE = False
    result = encode_segments("Fenêtre")
    assert result.encoding == UCS2
    assert result.text == "Fenêtre"


def test_text_without_gsm_look_alike_is_sent_in_ucs2_unchanged():
    result = encode_segments("Fenêtre مرحبا")
    assert result.encoding == UCS2
    assert result.text == "Fenêtre مرحبا"
    assert transliterate("مرحبا") is None


def test_empty_text_is_one_empty_part():
    assert encode_segments("").parts == [""]


alphabet = st.sampled_from(
    list(GSM_BASIC) + list(GSM_EXTENSION) * 3 + list("êâîôûçëïœ…ɓɗƙƴ’«»") + ["😀", "ب", "中"]
)
gsm_only = st.sampled_from(list(GSM_BASIC) + list(GSM_EXTENSION) * 3)


def _check(result):
    assert "".join(result.parts) == result.text
    if result.encoding == GSM7:
        assert is_gsm7(result.text)
        limit = 160 if result.count == 1 else 153
        streams = [septets(part) for part in result.parts]
        assert all(len(stream) <= limit for stream in streams)
        whole = septets(result.text)
        assert [s for stream in streams for s in stream] == whole
        # No part boundary falls between an escape and the character it introduces.
        boundary = 0
        for stream in streams[:-1]:
            boundary += len(stream)
            assert whole[boundary - 1] != 0x1B
        for part, following in zip(result.parts, result.parts[1:], strict=False):
            # Greedy: a part is cut only when the next character would not fit.
            assert len(septets(part)) + len(septets(following[0])) > 153
    else:
        limit = 70 if result.count == 1 else 67
        for part in result.parts:
            assert len(part.encode("utf-16-be")) // 2 <= limit  # strict: raises on lone surrogate


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=alphabet, max_size=700))
def test_parts_rejoin_and_fit_for_any_text(text):
    _check(encode_segments(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=gsm_only, max_size=700))
def test_extension_characters_are_never_split_across_parts(text):
    result = encode_segments(text)
    assert result.encoding == GSM7
    assert result.text == text
    _check(result)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_any_unicode_text_is_encoded_within_limits(text):
    _check(encode_segments(text))
