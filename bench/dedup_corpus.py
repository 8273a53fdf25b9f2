#!/usr/bin/env python3
r"""Near-duplicate corpus generator: JSONL news dumps with gold near-duplicate clusters.

Builds a dump of N documents (10k, 100k or 1M; any N with --docs) in which about 30% of the
documents are planted copies of other documents, and writes the gold clusters beside it, so
that near-duplicate detection (newsclean's dedup stage, datasketch, rensa, datatrove) can be
scored for recall and precision on the same input. Standard library only; deterministic for a
given --seed (one random.Random for the corpus, every directory listing sorted).

Sources (read at run time from ../shared, never copied into the repository)
---------------------------------------------------------------------------
* corpora/bbc/<topic>/*.txt -- 2,225 BBC articles; line 1 is the headline. The one file that
  is not valid UTF-8 is skipped.
* corpora/ukraine_war_2022/articles/*.txt -- 447 English articles (no headline line); they
  bring the real spelling variants (Kiev/Kyiv, Zelensky/Zelenskyy, Kharkov/Kharkiv, ...).

Every article is split into sentences (a regex splitter: [.!?], an optional closing quote,
then white space and a capital). Sentences of 6-60 words are kept, minus scraping debris
(newsletter/subscribe/advertisement prompts, URLs, two sentences glued without a space,
all-capital lines) and exact repeats: the sentence pool, 44,372 sentences (the sources hold
~52k sentences in all, ~3.8k of them repeats from the BBC's duplicate articles). The 2,095
distinct BBC headlines form a separate headline pool.

Distinct documents
------------------
The distinct documents (originals and singletons) are NOT the source articles -- whole
articles would give the dump 2,225 stories and ~100 exact duplicate pairs. Each distinct
document is assembled from sentences drawn at random from the whole pool (mixing articles):
5-12 paragraphs of 2-4 sentences, no sentence twice in a document. Its title is a random BBC
headline, with a number or a word appended when that headline is already taken, so titles
never repeat. Guarantees and measured properties:

* No paragraph (the exact sequence of its sentences) ever occurs in two distinct documents:
  a set of paragraph keys rejects repeats and the document is redrawn (`paragraph_redraws`
  in the stats). A paragraph shared by many stories looks like boilerplate to a cleaner, so
  reuse at the paragraph level would be an artifact of the generator.
* Sentences are reused: a document draws ~25 sentences, so at 1M documents (700k distinct)
  each pool sentence is drawn ~390 times. The stats report the most distinct documents
  sharing one sentence, and how similar distinct documents get to each other (see
  "Distinctness check" below). Two distinct documents share at most a sentence or two:
  their word-5-gram Jaccard stays near 0.1, but containment (overlap over the SMALLER set)
  reaches ~0.3 when a short document shares one long sentence with another -- keep that in
  mind before scoring a containment-based detector at thresholds that low.

Fields of a dump line: {"id": "d0000001", "title", "text" (paragraphs joined by a blank
line; the title is not repeated in the text), "date" (YYYY-MM-DD, 2022-01-01..2023-12-31),
"url" ("https://<outlet>/<title-slug>-<number>"), "outlet" (one of 20 invented domains under
the reserved .example TLD)}.

About 5% of ALL documents, drawn independently of the clusters, end with a publisher notice
paragraph (one of 8, e.g. "This article was translated with the help of AI and reviewed by
our editors."), the one paragraph that repeats verbatim across distinct documents. It is
boilerplate a cleaner may remove, not a duplicate signal: an original may carry one and its
copy not, or the other way round.

Planted copies (gold clusters)
------------------------------
Copies make up round(0.3 * N) documents. Originals are drawn among the distinct documents and
get 1-3 copies each (clusters of 2-4). Every copy is made from its ORIGINAL, never from
another copy, by 1-3 transformations, applied and recorded in this fixed order:

  names         swap spelling variants (Kyiv<->Kiev, Zelensky/Zelenskiy/Zelenskyy, Kharkiv/
                Kharkov, Odesa/Odessa, Donbas/Donbass, Lviv/Lvov, Mykolaiv/Nikolaev,
                Chernihiv/Chernigov); only drawn when the original contains one
  para_drop     drop one paragraph (never the first)
  para_reorder  swap two paragraphs (never the first)
  truncate      a short first version: keep the first 30-70% of paragraphs (at least 2);
                containment stays high while Jaccard falls
  para_add      insert a paragraph of 2-4 new random sentences (not at the top)
  edit          substitute (half) or delete (half) a fraction p of words, p uniform in
                [0.01, 0.15]; substitutes come from the pool's vocabulary; p is recorded
  headline      a new title (another headline); 40% of the time also the text's first line
  wrap          1-3 pieces of page furniture: a byline "By <Name>, <Outlet>", an "Updated
                <date>" line, "Advertisement", a newsletter prompt, a "Read more: <headline>"
                teaser between paragraphs, a "Related: <headline>" line at the end
  format        the same words with other white space and punctuation: doubled spaces,
                extra blank lines, hard-wrapped lines, curly<->straight quotes, commas removed
                or added, trailing spaces. The word sequence is unchanged, so a format-only
                copy is an exact duplicate once case, punctuation and spacing are folded
                (Jaccard 1.0 unless exactly one of the pair carries a notice).

10% of copies are format-only; the others draw 1-3 kinds uniformly (never format alone).
After a copy is built, its word 5-gram SET (words = re.findall(r"\w+", text.lower()), the
"text" field only, notices included, title excluded) is compared with the original's:
Jaccard = |A&B| / |A or B|, containment = |A&B| / min(|A|, |B|). A copy with containment below
0.5 is not a copy any more: it is thrown away and redrawn from scratch (new kinds), which
mostly removes heavy edits (p above ~0.13 breaks more than half of the 5-grams), so the
accepted edit_p distribution leans below its 0.15 ceiling. The number of redraws is in the
stats.

Copy metadata: date = original's date + 0..7 days (95%) or + 30..400 days (5%, a late
republication; may fall after 2023); outlet differs from the original's 70% of the time. Ids
number the distinct documents first (d0000001..) and the copies after them, so a copy's id is
always higher than its original's -- but the file order is a seeded shuffle of all documents,
so a copy comes before its original about half of the time, as in real dumps. A tool that keeps
"the first document in input order" must therefore not assume the original survives.

Outputs in --out (default bench/work/dedup/, git-ignored), named by the size label:
* <label>.jsonl       the dump, in shuffled order.
* <label>.gold.jsonl  one line per document, in the same order: {"id", "cluster" (shared by
                      an original and its copies, "c" + the original's number; a singleton
                      has its own), "original" (the original's id, or null), "kinds" (the
                      transformations in the order applied, [] if not a copy), "edit_p",
                      "jaccard", "containment" (floats for copies, null otherwise)}.
* <label>.stats.json  counts (documents, singletons, originals with copies, copies by kind,
                      clusters by size), file sizes, min/p10/median/p90/max of copy Jaccard
                      and containment (overall and per kind), redraws, timings, and the
                      distinctness check.

Distinctness check
------------------
For a random sample of distinct documents (all of them up to 20k documents, 2,000 up to 200k,
500 above; --check-sample overrides), the highest word-5-gram Jaccard and containment against
ANY other distinct document is found exactly, not estimated. Indexing the 5-grams of every
distinct document would not fit in memory at 1M (~350M postings), so the inverted index
(5-gram hash -> sample documents) is built over the SAMPLE only, and every distinct document
is streamed past it while the dump is written: its shared 5-grams count the overlap with each
sample document it touches. The stats report max, p99 and mean of the per-document maximum,
and the most distinct documents sharing one sentence. Hashes are Python's hash() of the
5-gram tuple, salted per process: collisions (64-bit) are negligible, and every reported
figure is an exact set computation, so results do not depend on the salt.

The 5-grams of a distinct document are not re-tokenized: they are the union of its
sentences' precomputed 5-grams and the 4 that straddle each pair of consecutive sentences
(every pool sentence has at least 4 words), which gives the same set as tokenizing its text.

Speed and memory: documents are streamed to disk (under temporary ".partial" names, renamed
when complete, so a benchmark never reads a half-written corpus); distinct documents are
kept in memory as arrays of sentence numbers, copies are rebuilt from them when written.
Measured on the shared 2-core machine: 10k in ~30 s (0.8 GB peak, all 7,000 distinct
documents indexed for the check), 100k in ~1.5-2.5 min (0.5 GB, 335 MB dump), 1M in ~11.5
min (1.1 GB peak, 3.4 GB dump).

Usage: python3 bench/dedup_corpus.py [--size 10k|100k|1m | --docs N] [--seed 1]
                                      [--out DIR] [--shared ../shared] [--check-sample K]
"""

import argparse
import datetime
import json
import os
import random
import re
import statistics
import sys
import time
from array import array
from collections import Counter, defaultdict
from itertools import chain

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}

COPY_SHARE = 0.30
FORMAT_ONLY_SHARE = 0.10
NOTICE_SHARE = 0.05
MIN_CONTAINMENT = 0.5
SHINGLE = 5
FIRST_DAY = datetime.date(2022, 1, 1).toordinal()
DAYS = 730  # 2022-01-01 .. 2023-12-31

KINDS = ["names", "para_drop", "para_reorder", "truncate", "para_add", "edit", "headline",
         "wrap", "format"]

OUTLETS = [
    ("northwindherald.example", "Northwind Herald"),
    ("dailyledger.example", "The Daily Ledger"),
    ("eastbaytribune.example", "East Bay Tribune"),
    ("meridianpost.example", "Meridian Post"),
    ("harbourgazette.example", "Harbour Gazette"),
    ("thecontinental.example", "The Continental"),
    ("rivertonobserver.example", "Riverton Observer"),
    ("globalwire.example", "Global Wire"),
    ("capitalchronicle.example", "Capital Chronicle"),
    ("westmarchtimes.example", "Westmarch Times"),
    ("bluehillnews.example", "Bluehill News"),
    ("dispatch24.example", "Dispatch 24"),
    ("eveningcourier.example", "Evening Courier"),
    ("metrosentinel.example", "Metro Sentinel"),
    ("coastalrecord.example", "Coastal Record"),
    ("highlandpress.example", "Highland Press"),
    ("newsrounddaily.example", "Newsround Daily"),
    ("citizenjournal.example", "Citizen Journal"),
    ("openplainsreview.example", "Open Plains Review"),
    ("saltmarshstar.example", "Saltmarsh Star"),
]

NOTICES = [
    "This article was translated with the help of AI and reviewed by our editors.",
    "Copyright 2022 Northwind Media. All rights reserved.",
    "© 2023 Meridian Post Ltd. This material may not be published, broadcast, rewritten or "
    "redistributed.",
    "This story has been updated to correct the spelling of a name.",
    "Reporting by our correspondents; editing by the news desk.",
    "Our coverage is free to read. Support independent journalism by becoming a subscriber.",
    "Additional reporting by wire agencies. Views expressed are the author's own.",
    "This content was produced with machine translation and may contain errors.",
]

BYLINES = ["Anna Kowalski", "James Whitfield", "Priya Raman", "Tomasz Nowak", "Elena Petrenko",
           "Daniel Okafor", "Sophie Laurent", "Mark Ellison", "Hannah Brooks", "Oleh Bondar",
           "Claire Dubois", "Samuel Reyes"]
ADVERTS = ["Advertisement", "ADVERTISEMENT", "Story continues below advertisement"]
NEWSLETTERS = ["Sign up for our newsletter",
               "Sign up for our daily newsletter to get the top stories in your inbox",
               "Subscribe to our morning briefing"]
TEASERS = ["Read more: {h}", "READ MORE: {h}"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
TITLE_WORDS = ["Live", "Update", "Analysis", "Explained", "Latest", "Report", "Briefing",
               "Watch", "Opinion", "Focus", "Inside", "Review"]

NAME_VARIANTS = [
    ["Kyiv", "Kiev"],
    ["Zelensky", "Zelenskyy", "Zelenskiy"],
    ["Kharkiv", "Kharkov"],
    ["Odesa", "Odessa"],
    ["Donbas", "Donbass"],
    ["Lviv", "Lvov"],
    ["Mykolaiv", "Nikolaev"],
    ["Chernihiv", "Chernigov"],
]
VARIANT_GROUP = {v: g for g, group in enumerate(NAME_VARIANTS) for v in group}
ANY_NAME = re.compile(r"\b(" + "|".join(sorted(VARIANT_GROUP, key=len, reverse=True)) + r")\b")

SENTENCE_END = re.compile(r"[.!?][\"”’]?(?=\s+[\"“‘]?[A-Z])")
DEBRIS = re.compile(r"newsletter|sign up|subscribe (?:to|now|today)|\badvertisement|click here|"
                    r"follow (?:us|our)|on telegram|read more|rights reserved|copyright \d|"
                    r"privacy (?:notice|policy)|cookie|https?:|www\.|@|©", re.IGNORECASE)
GLUED = re.compile(r"[a-z]{2}[.!?][A-Z][a-z]")  # "...with us.Sign up": two sentences, no space
WORD = re.compile(r"\w+")
VOCAB_WORD = re.compile(r"[A-Za-z]{3,}")
CORE = re.compile(r"^(\W*)(\w+)(.*)$")
STRAIGHT_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


# ---------------------------------------------------------------- sources


class Pool:
    """Sentences, headlines and vocabulary drawn from the shared corpora."""

    def __init__(self, sentences, headlines):
        self.sentences = sentences
        self.headlines = headlines
        vocab = set()
        for sentence in sentences:
            vocab.update(w.lower() for w in VOCAB_WORD.findall(sentence))
        self.vocab = sorted(vocab)
        # Lower-cased words per sentence and notice: the words of a distinct document are
        # their concatenation, so its shingles need no regex over the whole text.
        self.words = [WORD.findall(s.lower()) for s in sentences]
        self.notice_words = [WORD.findall(n.lower()) for n in NOTICES]
        self.gram_sets = [frozenset(word_shingles(w)) for w in self.words]
        self.notice_gram_sets = [frozenset(word_shingles(w)) for w in self.notice_words]
        self.has_name = bytearray(bool(ANY_NAME.search(s)) for s in sentences)


def read_text(path):
    """The file's text, or None when it is not valid UTF-8."""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except UnicodeDecodeError:
        return None


def split_sentences(paragraph):
    paragraph = " ".join(paragraph.split())
    out, start = [], 0
    for m in SENTENCE_END.finditer(paragraph):
        out.append(paragraph[start:m.end()].strip())
        start = m.end()
    out.append(paragraph[start:].strip())
    return out


def keep_sentence(sentence):
    words = sentence.split()
    return (6 <= len(words) <= 60 and sentence[-1] in ".!?\"”’"
            and not DEBRIS.search(sentence) and not GLUED.search(sentence)
            and not sentence.isupper() and len(WORD.findall(sentence)) >= SHINGLE - 1)


def article_sentences(body):
    """Kept sentences of an article body (paragraphs separated by blank lines)."""
    out = []
    for paragraph in re.split(r"\n\s*\n", body):
        out.extend(s for s in split_sentences(paragraph) if keep_sentence(s))
    return out


def sorted_files(folder, suffix=".txt"):
    return [os.path.join(folder, n) for n in sorted(os.listdir(folder)) if n.endswith(suffix)]


def load_pool(shared):
    bbc = os.path.join(shared, "corpora", "bbc")
    ukraine = os.path.join(shared, "corpora", "ukraine_war_2022", "articles")
    sentences, headlines = {}, {}
    for topic in sorted(os.listdir(bbc)):
        if not os.path.isdir(os.path.join(bbc, topic)):
            continue
        for path in sorted_files(os.path.join(bbc, topic)):
            text = read_text(path)
            if text is None or "\n" not in text.strip():
                continue
            headline, body = text.strip().split("\n", 1)
            headlines.setdefault(" ".join(headline.split()), None)
            sentences.update((s, None) for s in article_sentences(body))
    for path in sorted_files(ukraine):
        text = read_text(path)
        if text is not None:
            sentences.update((s, None) for s in article_sentences(text))
    return Pool(list(sentences), [h for h in headlines if h])


def check_shared(shared):
    for sub in (("corpora", "bbc"), ("corpora", "ukraine_war_2022", "articles")):
        if not os.path.isdir(os.path.join(shared, *sub)):
            sys.exit(f"error: {os.path.join(shared, *sub)} not found; the dedup corpus is "
                     f"built from ../shared (give its location with --shared)")


# ---------------------------------------------------------------- distinct documents


class Distinct:
    """Distinct documents as arrays of sentence numbers (-1 ends a paragraph)."""

    def __init__(self):
        self.flat = array("i")
        self.offsets = array("q", [0])
        self.titles = []
        self.days = array("H")
        self.outlets = bytearray()

    def __len__(self):
        return len(self.titles)

    def add(self, paragraphs, title, day, outlet):
        for paragraph in paragraphs:
            self.flat.extend(paragraph)
            self.flat.append(-1)
        self.offsets.append(len(self.flat))
        self.titles.append(title)
        self.days.append(day)
        self.outlets.append(outlet)

    def paragraphs(self, i, sentences):
        out, current = [], []
        for s in self.flat[self.offsets[i]:self.offsets[i + 1]]:
            if s < 0:
                out.append(" ".join(current))
                current = []
            else:
                current.append(sentences[s])
        return out

    def sentence_ids(self, i):
        return [s for s in self.flat[self.offsets[i]:self.offsets[i + 1]] if s >= 0]

    def shingles(self, i, pool, notice):
        """shingles() of document i's text (with its notice, 0 = none), without the regex:
        the union of its sentences' precomputed 5-grams and of the 5-grams that straddle two
        consecutive sentences (every sentence has at least 4 words, so none straddles 3)."""
        ids = self.sentence_ids(i)
        units = [pool.words[s] for s in ids]
        sets = [pool.gram_sets[s] for s in ids]
        if notice:
            units.append(pool.notice_words[notice - 1])
            sets.append(pool.notice_gram_sets[notice - 1])
        straddling = []
        for a, b in zip(units, units[1:]):
            w = a[1 - SHINGLE:] + b[:SHINGLE - 1]
            straddling.extend(zip(w, w[1:], w[2:], w[3:], w[4:]))
        out = set().union(*sets)
        out.update(map(hash, straddling))
        return out

    def has_names(self, i, pool):
        return any(pool.has_name[s] for s in self.sentence_ids(i))


def draw_paragraph(rng, pool_size, taken):
    """Sentence numbers for a new paragraph of 2-4 sentences that no document has used."""
    while True:
        paragraph = tuple(rng.sample(range(pool_size), rng.randint(2, 4)))
        if hash(paragraph) not in taken:
            taken.add(hash(paragraph))
            return paragraph


def draw_body(rng, pool_size, taken):
    """5-12 paragraphs of 2-4 sentences, no sentence twice, no paragraph seen before.

    Returns the paragraphs and how many draws were thrown away for a repeated paragraph."""
    redraws = 0
    while True:
        sizes = [rng.randint(2, 4) for _ in range(rng.randint(5, 12))]
        ids = rng.sample(range(pool_size), sum(sizes))
        paragraphs, start = [], 0
        for size in sizes:
            paragraphs.append(tuple(ids[start:start + size]))
            start += size
        keys = [hash(p) for p in paragraphs]
        if not any(k in taken for k in keys) and len(set(keys)) == len(keys):
            taken.update(keys)
            return paragraphs, redraws
        redraws += 1


def unique_title(rng, headlines, used):
    title = rng.choice(headlines)
    while title in used:
        base = rng.choice(headlines)
        if rng.random() < 0.5:
            title = f"{base} {rng.randint(2, 999)}"
        else:
            title = f"{base}: {rng.choice(TITLE_WORDS)} {rng.randint(2, 99)}"
    used.add(title)
    return title


def build_distinct(rng, pool, count, progress):
    """All distinct documents; returns them, the paragraph key set and redraw count."""
    distinct, taken, used_titles, redraws = Distinct(), set(), set(), 0
    size = len(pool.sentences)
    for i in range(count):
        paragraphs, lost = draw_body(rng, size, taken)
        redraws += lost
        title = unique_title(rng, pool.headlines, used_titles)
        distinct.add(paragraphs, title, rng.randrange(DAYS), rng.randrange(len(OUTLETS)))
        progress("distinct", i + 1, count)
    return distinct, taken, redraws


# ---------------------------------------------------------------- plan


class Plan:
    """Who is a copy of whom, who carries a notice, and the file order."""

    def __init__(self, rng, docs):
        copies = round(docs * COPY_SHARE)
        self.docs, self.distinct = docs, docs - copies
        counts, left = [], copies
        while left > 0:
            counts.append(min(rng.randint(1, 3), left))
            left -= counts[-1]
        originals = sorted(rng.sample(range(self.distinct), len(counts)))
        self.copy_of = array("i")
        self.copies_per_original = {}
        for original, n in zip(originals, counts):
            self.copy_of.extend([original] * n)
            self.copies_per_original[original] = n
        self.notice = bytearray(docs)
        for doc in range(docs):
            if rng.random() < NOTICE_SHARE:
                self.notice[doc] = rng.randrange(len(NOTICES)) + 1
        self.order = list(range(docs))
        rng.shuffle(self.order)

    def notice_paragraph(self, doc):
        n = self.notice[doc]
        return [NOTICES[n - 1]] if n else []


# ---------------------------------------------------------------- copies


class Draft:
    """A copy under construction: lines before the body, the body, lines after it."""

    def __init__(self, title, paragraphs):
        self.title = title
        self.head, self.paras, self.tail = [], list(paragraphs), []
        self.sep = "\n\n"
        self.edit_p = None

    def lines(self):
        return self.head + self.paras + self.tail


def swap_names(rng, draft):
    """Every name found takes one spelling of its group other than its first one in the text."""
    first = {}
    for m in ANY_NAME.finditer("\n".join(draft.paras)):
        first.setdefault(VARIANT_GROUP[m.group(1)], m.group(1))
    target = {g: rng.choice([v for v in NAME_VARIANTS[g] if v != found])
              for g, found in sorted(first.items())}
    draft.paras = [ANY_NAME.sub(lambda m: target[VARIANT_GROUP[m.group(1)]], p)
                   for p in draft.paras]


def para_drop(rng, draft):
    del draft.paras[rng.randrange(1, len(draft.paras))]


def para_reorder(rng, draft):
    i, j = rng.sample(range(1, len(draft.paras)), 2)
    draft.paras[i], draft.paras[j] = draft.paras[j], draft.paras[i]


def truncate(rng, draft):
    n = len(draft.paras)
    keep = min(n - 1, max(2, round(n * rng.uniform(0.3, 0.7))))
    draft.paras = draft.paras[:keep]


def para_add(rng, draft, pool, taken):
    ids = draw_paragraph(rng, len(pool.sentences), taken)
    draft.paras.insert(rng.randint(1, len(draft.paras)), " ".join(pool.sentences[s] for s in ids))


def substitute(rng, token, vocab):
    m = CORE.match(token)
    word = rng.choice(vocab)
    if not m:
        return word
    if m.group(2)[0].isupper():
        word = word.capitalize()
    return m.group(1) + word + m.group(3)


def pick(rng, n, rate):
    """Random positions for about rate * n of n items (rounded at random)."""
    return rng.sample(range(n), min(n, int(n * rate + rng.random())))


def edit_words(rng, draft, vocab):
    p = rng.uniform(0.01, 0.15)
    draft.edit_p = round(p, 4)
    edited = []
    for para in draft.paras:
        tokens = para.split(" ")
        for i in pick(rng, len(tokens), p):
            tokens[i] = None if rng.random() < 0.5 else substitute(rng, tokens[i], vocab)
        kept = [t for t in tokens if t is not None]
        edited.append(" ".join(kept) if kept else para)
    draft.paras = edited


def other_headline(rng, headlines, avoid):
    while True:
        h = rng.choice(headlines)
        if not avoid.startswith(h):
            return h


def new_headline(rng, draft, headlines):
    draft.title = other_headline(rng, headlines, draft.title)
    if rng.random() < 0.4:
        draft.head.insert(0, draft.title)


def random_stamp(rng):
    day = datetime.date.fromordinal(FIRST_DAY + rng.randrange(DAYS))
    return (f"Updated {day.day} {MONTHS[day.month - 1]} {day.year}, "
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}")


def furniture(rng, piece, headlines):
    """One line of page furniture for wrap."""
    if piece == "byline":
        return f"By {rng.choice(BYLINES)}, {rng.choice(OUTLETS)[1]}"
    if piece == "updated":
        return random_stamp(rng)
    if piece == "advert":
        return rng.choice(ADVERTS)
    if piece == "newsletter":
        return rng.choice(NEWSLETTERS)
    if piece == "teaser":
        return rng.choice(TEASERS).format(h=rng.choice(headlines))
    return f"Related: {rng.choice(headlines)}"


def wrap(rng, draft, headlines):
    """Bylines and time stamps go on top, a related link at the end, the rest in between."""
    pieces = ["byline", "updated", "advert", "newsletter", "teaser", "related"]
    for piece in rng.sample(pieces, rng.randint(1, 3)):
        line = furniture(rng, piece, headlines)
        if piece in ("byline", "updated"):
            draft.head.append(line)
        elif piece == "related":
            draft.tail.append(line)
        else:
            draft.paras.insert(rng.randint(1, len(draft.paras)), line)


def swap_quotes(text):
    """Curly quotes to straight ones, or, in a text without curly quotes, the other way."""
    if any(q in text for q in "“”‘’"):
        return text.translate(STRAIGHT_QUOTES)
    text = re.sub(r'(^|[\s(])"', r"\1“", text)
    return text.replace('"', "”").replace("'", "’")


def drop_commas(rng, line):
    """Drop about 40% of the commas that are followed by a space."""
    parts = line.split(", ")
    dropped = set(pick(rng, len(parts) - 1, 0.4))
    return parts[0] + "".join((" " if i in dropped else ", ") + part
                              for i, part in enumerate(parts[1:]))


def add_commas(rng, line):
    """A comma after about 2% of the words that end in a letter or digit."""
    tokens = line.split(" ")
    for i in pick(rng, len(tokens) - 1, 0.02):
        if tokens[i][-1:].isalnum():
            tokens[i] += ","
    return " ".join(tokens)


def hard_wrap(line, width):
    """Break a line at spaces into lines of at most width characters (longer words alone)."""
    out, current, length = [], [], -1
    for word in line.split(" "):
        if current and length + 1 + len(word) > width:
            out.append(" ".join(current))
            current, length = [], -1
        current.append(word)
        length += 1 + len(word)
    out.append(" ".join(current))
    return "\n".join(out)


def double_spaces(rng, line):
    tokens = line.split(" ")
    for i in pick(rng, len(tokens) - 1, 0.08):
        tokens[i] += " "
    return " ".join(tokens)


def reformat(rng, draft):
    """Same words, other white space and punctuation (see the module docstring)."""
    ops = set(rng.sample(["commas", "quotes", "rewrap", "spaces", "trailing"], rng.randint(2, 4)))
    lines = draft.lines()
    if "commas" in ops:
        lines = [add_commas(rng, drop_commas(rng, line)) for line in lines]
    if "quotes" in ops:
        lines = [swap_quotes(line) for line in lines]
    if "rewrap" in ops:
        width = rng.randint(60, 80)
        lines = [hard_wrap(line, width) if rng.random() < 0.7 else line for line in lines]
    if "spaces" in ops:
        lines = [double_spaces(rng, line) for line in lines]
        draft.sep = rng.choice(["\n\n\n", "\n \n", "\n\n"])
    if "trailing" in ops:
        lines = ["\n".join(part + rng.choice(["", " ", "  ", "\t"]) for part in line.split("\n"))
                 for line in lines]
    draft.head, draft.paras, draft.tail = [], lines, []


def draw_kinds(rng, names_ok):
    if rng.random() < FORMAT_ONLY_SHARE:
        return ["format"]
    choices = [k for k in KINDS if names_ok or k != "names"]
    kinds = rng.sample(choices, rng.randint(1, 3))
    if kinds == ["format"]:
        kinds = [rng.choice(choices[:-1])]
    return sorted(kinds, key=KINDS.index)


def make_copy(rng, pool, taken, title, paragraphs, names_ok):
    """One candidate copy of an original: the kinds drawn, and the Draft they made."""
    kinds = draw_kinds(rng, names_ok)
    draft = Draft(title, paragraphs)
    for kind in kinds:
        if kind == "names":
            swap_names(rng, draft)
        elif kind == "para_drop":
            para_drop(rng, draft)
        elif kind == "para_reorder":
            para_reorder(rng, draft)
        elif kind == "truncate":
            truncate(rng, draft)
        elif kind == "para_add":
            para_add(rng, draft, pool, taken)
        elif kind == "edit":
            edit_words(rng, draft, pool.vocab)
        elif kind == "headline":
            new_headline(rng, draft, pool.headlines)
        elif kind == "wrap":
            wrap(rng, draft, pool.headlines)
        elif kind == "format":
            reformat(rng, draft)
    return kinds, draft


# ---------------------------------------------------------------- similarity


def shingles(text):
    return word_shingles(WORD.findall(text.lower()))


def word_shingles(words):
    """Hashes of the word 5-grams, as a set."""
    return {hash(g) for g in zip(*(words[i:] for i in range(SHINGLE)))}


def similarity(a, b):
    """(Jaccard, containment) of two shingle sets."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))


class DistinctnessCheck:
    """Per sample document, the highest Jaccard and containment against any other distinct
    document, from an inverted index over the sample's shingles only (see the docstring)."""

    def __init__(self, sample_sets):
        self.docs = list(sample_sets)
        self.sizes = [len(sample_sets[d]) for d in self.docs]
        self.position = {d: i for i, d in enumerate(self.docs)}
        self.index = defaultdict(list)
        for i, d in enumerate(self.docs):
            for h in sample_sets[d]:
                self.index[h].append(i)
        self.keys = set(self.index)
        self.best_jaccard = [0.0] * len(self.docs)
        self.best_containment = [0.0] * len(self.docs)

    def observe(self, doc, grams):
        if not self.docs:
            return
        overlap = Counter(chain.from_iterable(map(self.index.__getitem__, grams & self.keys)))
        overlap.pop(self.position.get(doc, -1), None)
        n = len(grams)
        for i, inter in overlap.items():
            size = self.sizes[i]
            jaccard = inter / (size + n - inter)
            containment = inter / min(size, n)
            if jaccard > self.best_jaccard[i]:
                self.best_jaccard[i] = jaccard
            if containment > self.best_containment[i]:
                self.best_containment[i] = containment


# ---------------------------------------------------------------- writing


def doc_id(n):
    return f"d{n:07d}"


def make_url(outlet, title, n):
    slug = "-".join(re.findall(r"[a-z0-9]+", title.lower())[:8])
    return f"https://{OUTLETS[outlet][0]}/{slug}-{n}"


def record(n, title, text, day, outlet):
    return {"id": doc_id(n), "title": title, "text": text,
            "date": datetime.date.fromordinal(FIRST_DAY + day).isoformat(),
            "url": make_url(outlet, title, n), "outlet": OUTLETS[outlet][0]}


class Writer:
    """Streams the dump and the gold file, building copies and collecting statistics."""

    def __init__(self, rng, pool, plan, distinct, taken, check, progress):
        self.rng, self.pool, self.plan, self.distinct = rng, pool, plan, distinct
        self.taken, self.check, self.progress = taken, check, progress
        self.copies = []  # (kinds, edit_p, jaccard, containment)
        self.rejected = Counter()
        self.rejected_total = 0

    def original_shingles(self, i):
        return self.distinct.shingles(i, self.pool, self.plan.notice[i])

    def write_distinct(self, i):
        paragraphs = self.distinct.paragraphs(i, self.pool.sentences)
        text = "\n\n".join(paragraphs + self.plan.notice_paragraph(i))
        if self.check.docs:
            self.check.observe(i, self.original_shingles(i))
        d = self.distinct
        doc = record(i + 1, d.titles[i], text, d.days[i], d.outlets[i])
        gold = {"id": doc["id"], "cluster": f"c{i + 1:07d}", "original": None,
                "kinds": [], "edit_p": None, "jaccard": None, "containment": None}
        return doc, gold

    def build_copy(self, doc, original):
        paragraphs = self.distinct.paragraphs(original, self.pool.sentences)
        reference = self.original_shingles(original)
        names_ok = self.distinct.has_names(original, self.pool)
        notice = self.plan.notice_paragraph(doc)
        while True:
            kinds, draft = make_copy(self.rng, self.pool, self.taken,
                                     self.distinct.titles[original], paragraphs, names_ok)
            text = draft.sep.join(draft.lines() + notice)
            jaccard, containment = similarity(reference, shingles(text))
            if containment >= MIN_CONTAINMENT:
                return kinds, draft, text, jaccard, containment
            self.rejected_total += 1
            self.rejected.update(kinds)

    def write_copy(self, doc):
        rng, d = self.rng, self.distinct
        original = self.plan.copy_of[doc - self.plan.distinct]
        kinds, draft, text, jaccard, containment = self.build_copy(doc, original)
        late = rng.random() < 0.05
        day = d.days[original] + (rng.randint(30, 400) if late else rng.randint(0, 7))
        outlet = d.outlets[original]
        if rng.random() < 0.7:
            outlet = rng.choice([o for o in range(len(OUTLETS)) if o != outlet])
        record_ = record(doc + 1, draft.title, text, day, outlet)
        jaccard, containment = round(jaccard, 4), round(containment, 4)
        self.copies.append((kinds, draft.edit_p, jaccard, containment))
        gold = {"id": record_["id"], "cluster": f"c{original + 1:07d}",
                "original": doc_id(original + 1), "kinds": kinds, "edit_p": draft.edit_p,
                "jaccard": jaccard, "containment": containment}
        return record_, gold

    def run(self, dump_path, gold_path):
        with open(dump_path, "w", encoding="utf-8") as dump, \
                open(gold_path, "w", encoding="utf-8") as gold_file:
            for done, doc in enumerate(self.plan.order, 1):
                if doc < self.plan.distinct:
                    record_, gold = self.write_distinct(doc)
                else:
                    record_, gold = self.write_copy(doc)
                dump.write(json.dumps(record_, ensure_ascii=False) + "\n")
                gold_file.write(json.dumps(gold) + "\n")
                self.progress("write", done, self.plan.docs)


# ---------------------------------------------------------------- statistics


def quantile(sorted_values, q):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def distribution(values):
    v = sorted(values)
    if not v:
        return {}
    return {"n": len(v), "min": v[0], "p10": quantile(v, 0.10), "median": quantile(v, 0.5),
            "p90": quantile(v, 0.90), "max": v[-1]}


def copy_stats(copies):
    by_kind = {}
    for kind in KINDS:
        with_kind = [c for c in copies if kind in c[0]]
        by_kind[kind] = {
            "copies": len(with_kind),
            "alone": sum(1 for c in with_kind if c[0] == [kind]),
            "jaccard_median": quantile(sorted(c[2] for c in with_kind), 0.5),
            "containment_median": quantile(sorted(c[3] for c in with_kind), 0.5),
        }
    return {
        "jaccard": distribution([c[2] for c in copies]),
        "containment": distribution([c[3] for c in copies]),
        "edit_p": distribution([c[1] for c in copies if c[1] is not None]),
        "jaccard_1": sum(1 for c in copies if c[2] == 1.0),
        "kinds_per_copy": dict(sorted(Counter(str(len(c[0])) for c in copies).items())),
        "by_kind": by_kind,
    }


def distinctness_stats(check, distinct, pool_size):
    usage = Counter()
    for i in range(len(distinct)):
        usage.update(distinct.sentence_ids(i))
    jac, con = sorted(check.best_jaccard), sorted(check.best_containment)

    def summary(v):
        return {"max": v[-1], "p99": quantile(v, 0.99), "mean": round(statistics.fmean(v), 4)} \
            if v else {}
    return {
        "sample": len(check.docs),
        "max_jaccard_to_any_other": summary([round(x, 4) for x in jac]),
        "max_containment_to_any_other": summary([round(x, 4) for x in con]),
        "sampled_with_max_jaccard_at_least": {
            str(t): sum(1 for x in jac if x >= t) for t in (0.3, 0.5)},
        "sampled_with_max_containment_at_least": {
            str(t): sum(1 for x in con if x >= t) for t in (0.3, 0.5)},
        "sentences_in_pool": pool_size,
        "sentences_used": len(usage),
        "max_distinct_docs_sharing_a_sentence": max(usage.values()) if usage else 0,
        "mean_distinct_docs_per_used_sentence": round(sum(usage.values()) / max(1, len(usage)),
                                                      1),
    }


def build_stats(args, label, plan, writer, check, distinct, pool, paths, timings, redraws):
    sizes = Counter(n + 1 for n in plan.copies_per_original.values())
    sizes[1] = plan.distinct - len(plan.copies_per_original)
    kinds = Counter(k for c in writer.copies for k in c[0])
    return {
        "label": label, "seed": args.seed,
        "documents": plan.docs,
        "distinct_documents": plan.distinct,
        "singletons": sizes[1],
        "originals_with_copies": len(plan.copies_per_original),
        "copies": len(plan.copy_of),
        "clusters_by_size": {str(k): sizes[k] for k in sorted(sizes)},
        "copies_by_kind": {k: kinds[k] for k in KINDS},
        "format_only_copies": sum(1 for c in writer.copies if c[0] == ["format"]),
        "documents_with_notice": sum(1 for n in plan.notice if n),
        "copies_rejected_for_containment": writer.rejected_total,
        "rejected_by_kind": {k: writer.rejected[k] for k in KINDS if writer.rejected[k]},
        "paragraph_redraws": redraws,
        "bytes": {name: os.path.getsize(paths[name]) for name in ("jsonl", "gold")},
        "copy_similarity": copy_stats(writer.copies),
        "distinctness": distinctness_stats(check, distinct, len(pool.sentences)),
        "headlines_in_pool": len(pool.headlines),
        "seconds": timings,
    }


def print_summary(stats):
    s, c, d = stats, stats["copy_similarity"], stats["distinctness"]
    print(f"{s['label']}: {s['documents']} documents, {s['bytes']['jsonl'] / 1e6:.1f} MB; "
          f"{s['singletons']} singletons, {s['originals_with_copies']} originals with "
          f"{s['copies']} copies; clusters by size {s['clusters_by_size']}")
    print("copies by kind: " + ", ".join(f"{k} {n}" for k, n in s["copies_by_kind"].items())
          + f"; format only {s['format_only_copies']}; "
          f"redrawn for containment < 0.5: {s['copies_rejected_for_containment']}")
    for name in ("jaccard", "containment"):
        v = c[name]
        print(f"copy {name}: min {v['min']} p10 {v['p10']} median {v['median']} "
              f"p90 {v['p90']} max {v['max']}")
    j, k = d["max_jaccard_to_any_other"], d["max_containment_to_any_other"]
    if j:
        print(f"distinctness ({d['sample']} sampled distinct docs vs all distinct docs): "
              f"max Jaccard max {j['max']} p99 {j['p99']} mean {j['mean']}; "
              f"max containment max {k['max']} p99 {k['p99']} mean {k['mean']}")
    print(f"sentences: {d['sentences_used']}/{d['sentences_in_pool']} used, at most "
          f"{d['max_distinct_docs_sharing_a_sentence']} distinct docs share one "
          f"(mean {d['mean_distinct_docs_per_used_sentence']}); "
          f"paragraph redraws {s['paragraph_redraws']}")
    print("seconds: " + ", ".join(f"{k} {v}" for k, v in s["seconds"].items()))


# ---------------------------------------------------------------- main


def size_label(docs):
    for label, n in SIZES.items():
        if n == docs:
            return label
    return str(docs)


def default_sample(docs, distinct):
    if docs <= 20_000:
        return distinct
    return 2_000 if docs <= 200_000 else 500


def make_progress(total_docs):
    step = max(1, total_docs // 10)

    def progress(phase, done, total):
        if total_docs >= 100_000 and (done % step == 0 or done == total):
            print(f"  {phase}: {done}/{total}", file=sys.stderr, flush=True)
    return progress


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="The corpus design and the gold format are described in the module docstring "
               "at the top of bench/dedup_corpus.py.")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--size", choices=list(SIZES),
                       help="10k, 100k or 1m documents (default 10k)")
    group.add_argument("--docs", type=int,
                       help="any number of documents (>= 10); files are named after it "
                            "unless it is one of the sizes")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "work", "dedup"),
                        help="output folder (default bench/work/dedup)")
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"),
                        help="the shared material (default ../shared beside the repository)")
    parser.add_argument("--check-sample", type=int,
                        help="distinct documents in the distinctness check (default: all up "
                             "to 20k documents, 2000 up to 200k, 500 above; 0 = skip)")
    args = parser.parse_args()
    args.docs = args.docs or SIZES[args.size or "10k"]
    if args.docs < 10:
        parser.error("--docs must be at least 10")
    return args


def generate(args, label, paths):
    """Builds the corpus into paths (temporary names) and returns its statistics."""
    rng = random.Random(args.seed)
    progress = make_progress(args.docs)
    timings, start = {}, time.perf_counter()

    def lap(name):
        timings[name] = round(time.perf_counter() - start - sum(timings.values()), 1)

    pool = load_pool(args.shared)
    lap("load")
    plan = Plan(rng, args.docs)
    distinct, taken, redraws = build_distinct(rng, pool, plan.distinct, progress)
    lap("distinct")
    sample_size = args.check_sample if args.check_sample is not None else \
        default_sample(args.docs, plan.distinct)
    # A random stream of its own, so that --check-sample never changes the corpus.
    sample_rng = random.Random(f"{args.seed}:distinctness")
    sample = sorted(sample_rng.sample(range(plan.distinct), min(sample_size, plan.distinct)))
    check = DistinctnessCheck({
        i: distinct.shingles(i, pool, plan.notice[i]) for i in sample})
    lap("index")
    writer = Writer(rng, pool, plan, distinct, taken, check, progress)
    writer.run(paths["jsonl"], paths["gold"])
    lap("write")
    stats = build_stats(args, label, plan, writer, check, distinct, pool, paths, timings,
                        redraws)
    lap("stats")
    timings["total"] = round(time.perf_counter() - start, 1)
    return stats


def main():
    args = parse_args()
    check_shared(args.shared)
    label = size_label(args.docs)
    os.makedirs(args.out, exist_ok=True)
    final = {"jsonl": os.path.join(args.out, f"{label}.jsonl"),
             "gold": os.path.join(args.out, f"{label}.gold.jsonl"),
             "stats": os.path.join(args.out, f"{label}.stats.json")}
    # Written under temporary names and renamed at the end, so that a benchmark reading the
    # previous corpus of the same size never sees a half-written file.
    partial = {name: path + ".partial" for name, path in final.items()}
    stats = generate(args, label, partial)
    with open(partial["stats"], "w", encoding="utf-8") as f:
        json.dump(stats, f, indent=2, ensure_ascii=False)
        f.write("\n")
    for name in ("jsonl", "gold", "stats"):
        os.replace(partial[name], final[name])
    print_summary(stats)


if __name__ == "__main__":
    main()
