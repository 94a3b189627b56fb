"""Who is quoted, and what articles attribute their information to.

Quotes (`extract_quotes`, the quotes.csv table):

* direct: text between “…”, «…» or straight "…" (paired in order inside one
  paragraph, so a quote may cross a sentence boundary; a typographic opening
  mark also closes an opened “ quote, as some sites type “…“). A quoted span of
  fewer than 3 words, or one that is mostly an entity name (“جون أفريك”), is a
  name in quotation marks, not a quote.
* reported: a cue verb (قال، أكد، أضاف، أشار، صرح، اعتبر، أوضح، كتب، شدد، أبرز، لفت،
  ذكر، أفاد، رأى، عبّر عن … and their feminine/present forms, with و/ف clitics)
  followed within 12 words by أن/إن/أنه/بأن (or إلى after أشار) or ":"; the
  quote is the rest of the sentence. When a direct quote starts right there,
  only the direct quote is kept.

Attribution, for the cue governing a quote (the nearest cue before it in its
sentence, else a cue right after it, "…"، قال فلان):

1. a participle cue (قائلا، مؤكدا، مشيرا، مبرزا، مضيفا، موضحا، مشددا …) takes the
   speaker of the nearest earlier cue of its sentence, else of the previous
   quote of its paragraph;
2. the subject after the cue: the first PER/ORG mention starting within 6
   words after it, scanning no further than a preposition, أن/إن or the quote;
3. a role phrase right after the cue ("الوزير الفرنسي", "الوكالة الفرنسية") is
   resolved to the earlier PER (person roles) or ORG (media/institution roles)
   mention whose own words or 5 preceding words share most words with the
   role phrase (article removed), the most recent on ties; none shared: no speaker;
4. a PER/ORG mention just before the cue (subject first: "أن دارمانان قال");
5. without a usable cue: the speaker of the previous quote of the paragraph,
   else the nearest PER/ORG mention before the quote in its sentence or the
   previous sentence of the same paragraph. Otherwise speaker_id is None.

Quotes with the same wording in several articles share a `group_id`: token
3-gram Jaccard similarity >= 0.6 (token sets for quotes under 3 words),
grouped transitively (union-find).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.arabic import normalize, strip_article, word_spans

QUOTE_COLUMNS = ["doc_id", "source", "sent_id", "start", "end", "quote", "cue", "speaker_id",
                 "speaker_name", "kind", "group_id"]
_FINITE = ("قال قالت يقول تقول أكد أكدت يؤكد تؤكد أضاف أضافت يضيف تضيف أشار أشارت يشير تشير "
           "صرح صرحت اعتبر اعتبرت يعتبر تعتبر أوضح أوضحت يوضح توضح كتب كتبت يكتب تكتب شدد شددت "
           "أبرز أبرزت لفت لفتت ذكر ذكرت أفاد أفادت رأى رأت يرى ترى عبر عبرت أعرب أعربت")
_PARTICIPLES = "قائلا قائلة مؤكدا مؤكدة مشيرا مشيرة مبرزا مبرزة مضيفا مضيفة موضحا موضحة " \
               "مشددا مشددة معتبرا معتبرة لافتا لافتة"
FINITE_CUES = frozenset(normalize(w) for w in _FINITE.split())
PARTICIPLE_CUES = frozenset(normalize(w) for w in _PARTICIPLES.split())
_EXPRESS = frozenset({normalize(w) for w in ("عبر", "عبرت", "أعرب", "أعربت")})  # need عن
_COMPLEMENTIZERS = frozenset(normalize(w) for w in "أن إن أنه أنها أنهم بأن بأنه بأنها".split())
_POINT = frozenset(normalize(w) for w in "أشار أشارت يشير تشير مشيرا مشيرة".split())
_STOP = frozenset(normalize(w) for w in "في عن على مع إلى من منذ خلال عقب بعد قبل لدى".split())
_ADVERBS = frozenset(normalize(w) for w in "حينها أيضا كذلك بدوره بدورها جهته جهتها من".split())
_PERSON_ROLES = frozenset(normalize(w) for w in (
    "وزير مسؤول رئيس مدير ناطق متحدث سفير أمين قائد والي عامل نائب مستشار زعيم مفوض خبير"
).split())
_ORG_ROLES = frozenset(normalize(w) for w in (
    "مجلة صحيفة جريدة وكالة موقع قناة إذاعة وزارة مديرية مؤسسة منظمة هيئة تقرير بلاغ بيان"
).split())
_NOT_A_VERB_AFTER = frozenset(normalize(w) for w in "أحد إحدى من أكثر".split())
_OPEN_CLOSE = {"“": "”“", "«": "»", '"': '"', "„": "”“"}
_MIN_QUOTE_WORDS = 3
_SUBJECT_WINDOW = 6
_COMPLEMENT_WINDOW = 12


def cue_form(norm: str) -> str:
    """A normalised token without a leading و/ف conjunction, if that leaves a cue verb."""
    if norm in FINITE_CUES or norm in PARTICIPLE_CUES:
        return norm
    if norm[:1] in ("و", "ف") and (norm[1:] in FINITE_CUES or norm[1:] in PARTICIPLE_CUES):
        return norm[1:]
    return ""


def quote_spans(text: str, para_bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of the text inside paired quotation marks, paragraph by paragraph."""
    spans = []
    for para_start, para_end in para_bounds:
        opened, opener = -1, ""
        for index in range(para_start, para_end):
            char = text[index]
            if opened < 0 and char in _OPEN_CLOSE:
                opened, opener = index, char
            elif opened >= 0 and char in _OPEN_CLOSE[opener]:
                if index > opened + 1:
                    spans.append((opened + 1, index))
                opened = -1
    return spans


class _Doc:
    """One document's words, sentences and PER/ORG mentions, with lookups by offset."""

    def __init__(self, text: str, sentences: pd.DataFrame, mentions: pd.DataFrame) -> None:
        self.text = text
        self.words = word_spans(text)
        self.word_starts = [w[0] for w in self.words]
        rows = sentences.sort_values("start")
        self.sents = list(zip(rows["sent_id"], rows["para_id"], rows["start"], rows["end"],
                              strict=True))
        self.sent_starts = [s[2] for s in self.sents]
        people = mentions[mentions["label"].isin(["PER", "ORG"])].sort_values(["start", "end"])
        self.mentions = list(people[["start", "end", "label", "entity_id", "entity_name",
                                     "text"]].itertuples(index=False, name=None))

    def word_at(self, char: int) -> int:
        """Index of the first word starting at or after `char`."""
        return bisect_left(self.word_starts, char)

    def sentence_of(self, char: int) -> tuple[int, int, int, int]:
        return self.sents[max(bisect_right(self.sent_starts, char) - 1, 0)]

    def paragraphs(self) -> list[tuple[int, int]]:
        bounds: dict[int, list[int]] = {}
        for _, para, start, end in self.sents:
            bounds.setdefault(para, [start, end])[1] = end
        return [tuple(b) for _, b in sorted(bounds.items())]

    def mention_at_word(self, word: int) -> tuple | None:
        start, end = self.words[word][0], self.words[word][1]
        for mention in self.mentions:
            if mention[0] < end and mention[1] > start:
                return mention
        return None

    def context(self, mention: tuple) -> set[str]:
        """Words of a mention and of the 5 words before it, without the article."""
        first, last = self.word_at(mention[0]), self.word_at(mention[1])
        return {strip_article(w[2]) for w in self.words[max(first - 5, 0):last]}


def _role_speaker(doc: _Doc, word: int, limit: int) -> tuple | None:
    """Resolve a role phrase ("الوزير الفرنسي") starting at `word` (step 3)."""
    head = doc.words[word][2]
    if not head.startswith("ال") or strip_article(head) not in _PERSON_ROLES | _ORG_ROLES:
        return None
    label = "PER" if strip_article(head) in _PERSON_ROLES else "ORG"
    role = {strip_article(head)}
    for w in doc.words[word + 1:min(word + 3, limit)]:
        if w[2] in _STOP or w[2] in _COMPLEMENTIZERS or not w[2].startswith("ال"):
            break
        role.add(strip_article(w[2]))
    best, best_score = None, 0
    for mention in doc.mentions:
        if mention[0] >= doc.words[word][0]:
            break
        score = len(role & doc.context(mention)) if mention[2] == label else 0
        if score and score >= best_score:
            best, best_score = mention, score
    return best


def _cue_speaker(doc: _Doc, cue: int, limit: int) -> tuple | None:
    """Steps 2-4: subject after the cue, role phrase, subject before the cue."""
    first_content = None
    for word in range(cue + 1, min(cue + 1 + _SUBJECT_WINDOW, limit)):
        norm = doc.words[word][2]
        if norm in _STOP or norm in _COMPLEMENTIZERS:
            break
        mention = doc.mention_at_word(word)
        if mention is not None:
            return mention
        if first_content is None and norm not in _ADVERBS:
            first_content = word
    if first_content is not None:
        role = _role_speaker(doc, first_content, limit)
        if role is not None:
            return role
    if cue > 0:
        before = doc.mention_at_word(cue - 1)
        if before is not None:
            return before
    return None


def _find_cues(doc: _Doc) -> list[tuple[int, str]]:
    """(word index, cue form) of every cue verb; عبر counts only when عن follows."""
    cues = []
    for index, (_, _, norm) in enumerate(doc.words):
        form = cue_form(norm)
        if not form:
            continue
        if form in _EXPRESS and not any(w[2] == "عن" for w in doc.words[index + 1:index + 4]):
            continue
        if index > 0 and doc.words[index - 1][2] in _NOT_A_VERB_AFTER:  # "أحد أبرز": adjective
            continue
        cues.append((index, form))
    return cues


def _quotes_of_doc(doc_id: str, source: str, doc: _Doc) -> list[dict]:
    cues = _find_cues(doc)
    items = []  # (start, end, kind, cue word or None, postposed)
    quoted = [(s, e) for s, e in quote_spans(doc.text, doc.paragraphs()) if _is_quote(doc, s, e)]
    for start, end in quoted:
        sentence = doc.sentence_of(start)
        before = [c for c in cues if sentence[2] <= doc.words[c[0]][0] < start]
        after = [c for c in cues if doc.word_at(end) <= c[0] < doc.word_at(end) + 3]
        cue = before[-1] if before else (after[0] if after else None)
        items.append((start, end, "direct", cue))
    for index, form in cues:
        sentence = doc.sentence_of(doc.words[index][0])
        for word in range(index + 1, min(index + 1 + _COMPLEMENT_WINDOW, len(doc.words))):
            w_start, w_end, norm = doc.words[word]
            if w_start >= sentence[3]:
                break
            between = doc.text[doc.words[word - 1][1]:w_start]
            colon = ":" in between
            if norm in _COMPLEMENTIZERS or (form in _POINT and norm == "الي") or colon:
                begin = w_start if colon else w_end
                nearby = [q for q in quoted if begin <= q[0] <= begin + 25
                          or q[0] <= begin < q[1]]
                if not nearby and sentence[3] - begin > 1:
                    items.append((begin, sentence[3], "reported", (index, form)))
                break
            if any(q[0] <= w_start < q[1] for q in quoted):
                break
    rows = []
    last_speaker: dict[int, tuple | None] = {}
    for start, end, kind, cue in sorted(items, key=lambda item: item[0]):
        sent_id, para, sent_start, _ = doc.sentence_of(start)
        speaker = None
        if cue is not None and cue[1] in PARTICIPLE_CUES:
            finite = [c for c in cues if sent_start <= doc.words[c[0]][0]
                      and c[0] < cue[0] and c[1] in FINITE_CUES]
            if finite:
                speaker = _cue_speaker(doc, finite[-1][0], finite[-1][0] + _SUBJECT_WINDOW + 1)
            speaker = speaker or last_speaker.get(para)
        elif cue is not None:
            limit = doc.word_at(start) if cue[0] < doc.word_at(start) else len(doc.words)
            speaker = _cue_speaker(doc, cue[0], limit)
        if speaker is None:
            speaker = last_speaker.get(para) or _preceding_mention(doc, start, para)
        last_speaker[para] = speaker or last_speaker.get(para)
        if kind == "reported" and any(r["kind"] == "reported" and r["start"] <= start < r["end"]
                                      for r in rows):
            continue  # a cue inside reported speech: the outer quote already covers it
        text = doc.text[start:end].strip(" ،,.\n" + "".join(_OPEN_CLOSE) + "”»")
        rows.append({"doc_id": doc_id, "source": source, "sent_id": int(sent_id),
                     "start": start, "end": end, "quote": text,
                     "cue": cue[1] if cue else "",
                     "speaker_id": speaker[3] if speaker else None,
                     "speaker_name": speaker[4] if speaker else None, "kind": kind})
    return rows


def _is_quote(doc: _Doc, start: int, end: int) -> bool:
    """Enough words, and not mostly an entity name in quotation marks."""
    words = doc.words[doc.word_at(start):doc.word_at(end)]
    if len(words) < _MIN_QUOTE_WORDS:
        return False
    named = sum(1 for w in words if any(m[0] < w[1] and m[1] > w[0] for m in doc.mentions))
    return named * 2 <= len(words)


def _preceding_mention(doc: _Doc, start: int, para: int) -> tuple | None:
    """Nearest PER/ORG mention before `start` in its sentence or the previous one (same para)."""
    sentence = doc.sentence_of(start)
    position = doc.sents.index(sentence)
    earliest = sentence[2]
    if position > 0 and doc.sents[position - 1][1] == para:
        earliest = doc.sents[position - 1][2]
    found = [m for m in doc.mentions if earliest <= m[0] and m[1] <= start]
    return found[-1] if found else None


def quote_groups(quotes: pd.Series, threshold: float = 0.6) -> list[int]:
    """Group index of each quote: token 3-gram Jaccard >= threshold, transitively."""
    shingles = []
    for text in quotes:
        tokens = [w[2] for w in word_spans(str(text))]
        grams = {" ".join(tokens[i:i + 3]) for i in range(len(tokens) - 2)} or set(tokens)
        shingles.append(grams)
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for row, grams in enumerate(shingles):
        for gram in grams:
            rows.append(row)
            cols.append(vocabulary.setdefault(gram, len(vocabulary)))
    parent = list(range(len(shingles)))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    if vocabulary:
        matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                                   shape=(len(shingles), len(vocabulary)))
        shared = sparse.triu(matrix @ matrix.T, k=1).tocoo()
        sizes = np.array([len(g) for g in shingles], dtype=float)
        jaccard = shared.data / (sizes[shared.row] + sizes[shared.col] - shared.data)
        for a, b in zip(shared.row[jaccard >= threshold], shared.col[jaccard >= threshold],
                        strict=True):
            root_a, root_b = find(int(a)), find(int(b))
            parent[max(root_a, root_b)] = min(root_a, root_b)
    roots = [find(node) for node in range(len(shingles))]
    numbering: dict[int, int] = {}
    return [numbering.setdefault(root, len(numbering)) for root in roots]


def _annotated_documents(documents: pd.DataFrame, sentences: pd.DataFrame,
                         mentions: pd.DataFrame) -> Iterator[tuple[str, str, _Doc]]:
    """(doc_id, source, _Doc) for every document that has sentences, in table order."""
    sentences_by_doc = dict(tuple(sentences.groupby("doc_id")))
    mentions_by_doc = dict(tuple(mentions.groupby("doc_id")))
    empty_mentions = mentions.iloc[0:0]
    for doc_id, source, text in zip(documents["doc_id"], documents["source"],
                                    documents["text"].fillna(""), strict=True):
        if doc_id in sentences_by_doc:
            doc = _Doc(str(text), sentences_by_doc[doc_id],
                       mentions_by_doc.get(doc_id, empty_mentions))
            yield doc_id, "" if pd.isna(source) else str(source), doc


def extract_quotes(documents: pd.DataFrame, sentences: pd.DataFrame,
                   mentions: pd.DataFrame) -> pd.DataFrame:
    """Direct and reported quotes with their speaker (the quotes.csv table), see module doc."""
    rows: list[dict] = []
    for doc_id, source, doc in _annotated_documents(documents, sentences, mentions):
        rows.extend(_quotes_of_doc(doc_id, source, doc))
    table = pd.DataFrame(rows, columns=QUOTE_COLUMNS[:-1])
    table = table.sort_values(["doc_id", "start", "kind"], ignore_index=True)
    groups = quote_groups(table["quote"])
    table["group_id"] = [f"q{group:05d}" for group in groups]
    return table[QUOTE_COLUMNS]


CITED_COLUMNS = ["doc_id", "source", "sent_id", "start", "end", "cue", "cited_text", "cited_id",
                 "cited_name"]
_ALONE = {normalize(w): w for w in "حسب بحسب وحسب وفق ووفق وفقا ووفقا طبقا".split()}
_AGENCY = frozenset(normalize(w) for w in "وكالة مصدر مصادر".split())
_DOCUMENTS = frozenset(normalize(w) for w in "بلاغ تقرير بيان".split())
_CITED_MAX_WORDS = 8


def _cited_cue(words: list[tuple[int, int, str]], index: int) -> tuple[str, int]:
    """(cue, index of the first word of the cited phrase) for a cue at `index`, else ("", -1)."""
    norm = words[index][2]
    nxt = words[index + 1][2] if index + 1 < len(words) else ""
    if norm in _ALONE:
        return (norm[1:] if norm[1:] in _ALONE else norm), index + 1
    if norm in ("نقلا", "ونقلا") and nxt == "عن":
        return "نقلا عن", index + 2
    if cue_form(norm) in ("افاد", "افادت") and strip_article(nxt) in _DOCUMENTS:
        return f"افاد {nxt}", index + 1
    if norm in _DOCUMENTS and nxt.startswith("ل"):
        return f"{norm} ل", index + 1
    for prefix in ("", "و", "ل", "ب", "ال", "وال", "لل"):
        if norm.startswith(prefix) and norm[len(prefix):] in _AGENCY:
            return norm[len(prefix):], index
    return "", -1


def cited_sources(documents: pd.DataFrame, sentences: pd.DataFrame,
                  mentions: pd.DataFrame) -> pd.DataFrame:
    """What articles attribute information to (the cited_sources.csv table).

    Cues: حسب، بحسب، وفق، وفقا ل، طبقا ل، نقلا عن، أفاد بلاغ/تقرير/بيان، بلاغ ل، تقرير ل،
    بيان ل، وكالة، مصدر، مصادر (with clitics). The cited phrase runs from the cue
    (included for وكالة/مصدر/مصادر) up to the next comma, full stop or colon, at
    most 8 words. It is linked to the first PER/ORG mention overlapping it, else,
    when it starts with a role phrase ("الوكالة الفرنسية"), to the mention that
    phrase refers to (as for quote speakers).
    """
    rows = []
    for doc_id, source, doc in _annotated_documents(documents, sentences, mentions):
        index = 0
        while index < len(doc.words):
            cue, first = _cited_cue(doc.words, index)
            if not cue or first >= len(doc.words):
                index += 1
                continue
            sentence = doc.sentence_of(doc.words[index][0])
            last = first
            while (last + 1 < len(doc.words) and last + 1 - first < _CITED_MAX_WORDS
                   and doc.words[last + 1][0] < sentence[3]
                   and not any(p in doc.text[doc.words[last][1]:doc.words[last + 1][0]]
                               for p in "،,.:;؛")):
                last += 1
            start, end = doc.words[first][0], doc.words[last][1]
            linked = next((m for m in doc.mentions if m[0] < end and m[1] > start), None)
            if linked is None:  # "الوكالة الفرنسية": a role phrase for an earlier mention
                linked = _role_speaker(doc, first, last + 1)
            rows.append({"doc_id": doc_id, "source": "" if pd.isna(source) else str(source),
                         "sent_id": int(sentence[0]), "start": start, "end": end, "cue": cue,
                         "cited_text": doc.text[start:end],
                         "cited_id": linked[3] if linked else None,
                         "cited_name": linked[4] if linked else None})
            index = last + 1
    table = pd.DataFrame(rows, columns=CITED_COLUMNS)
    return table.sort_values(["doc_id", "start"], ignore_index=True)
