#!/usr/bin/env python3
r"""Near-duplicate corpus generator: JSONL news dumps with gold near-duplicate clusters.

Builds a dump of N documents (10k, 100k or 1M; any N with --docs) in which about 30% of the
documents are planted copies of other documents, and writes the gold clusters beside it, so
that near-duplicate detection (newsclean's dedup stage, datasketch, rensa, datatrove) can be
scored for recall and precision on the same input. With --near-misses (off by default) it
also plants near misses: distinct stories that share a lot of text (outlet boilerplate, an
appended story, same-event wire sentences) and must NOT be merged. Standard library only;
deterministic for a given --seed and flag (seeded random.Random streams, every directory
listing sorted).

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
  reuse at the paragraph level would be an artifact of the generator. This guarantee holds
  only WITHOUT --near-misses: near-miss documents repeat paragraphs on purpose (see "Near
  misses" below); every other document still never repeats one.
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

Near misses (--near-misses)
---------------------------
Real dumps hold distinct stories that share much of their text, and a near-duplicate
detector must not merge them; without the flag the corpus has none, so a precision of 1.000
says little. With it, some distinct documents are built as near misses instead of being
drawn as above. Each is a distinct story from the same sentence pool, its own gold cluster
(unless the plan made it an original: then it gets planted copies like any other). They
fill slots drawn at random among the distinct documents, from a random stream of their own
("<seed>:near-misses"), so without the flag the corpus of a seed is byte-identical to the
one the generator wrote before the flag existed. The counts below are per 10k documents and
scale linearly with --docs (which must then be at least 1,000):

  outlet_boilerplate  3 outlets each get one standing paragraph of 2 or more pool sentences
                      and 40-90 words, fixed per outlet (it plays a disclaimer or an about-us
                      blurb). It opens (the first outlet) or ends (the other two) 30 of that
                      outlet's documents. 60% of them are short (briefs, teasers: 1-2
                      paragraphs of 1-3 sentences whose words are 30-90% of the
                      boilerplate's), so two short ones owe most of their 5-grams to the
                      boilerplate; the rest are of normal length (5-12 paragraphs). The
                      boilerplate's sentences occur in no other document, and no sentence of
                      a short one in another document of its outlet's group (nor in a
                      paragraph para_add gives to a copy of one).
  shared_appendix     15 groups of 3-8 documents that all end with the same appended
                      unrelated story (3-6 paragraphs of 2-4 sentences). The hosts' own text is
                      40-160% as long as the appendix (1 or more paragraphs of 2-4 sentences),
                      dates within 3 days, outlets at random.
  same_event          30 pairs (60%) or triples (40%) of documents from different outlets,
                      dated within 2 days, about "one event": they share 3-8 sentences,
                      20-35% of each member's sentences (in half of the groups as one block
                      in the same order, a wire passage placed anywhere; otherwise
                      scattered), and their other sentences are all different.

Measured on --docs 10000 --seed 1 (pairs = members of one group, documents and copies, that
gold puts in different clusters; min / median / max):

  kind                groups docs copies pairs  Jaccard                containment
  outlet_boilerplate       3   90     38  2632  0.033 / 0.108 / 0.581  0.072 / 0.579 / 0.741
    short-short                            954  0.156 / 0.400 / 0.581  0.275 / 0.641 / 0.741
    normal-short                          1312  0.050 / 0.084 / 0.248  0.265 / 0.557 / 0.741
    normal-normal                          366  0.033 / 0.048 / 0.138  0.072 / 0.118 / 0.272
  shared_appendix         15   88     49   615  0.188 / 0.314 / 0.489  0.330 / 0.548 / 0.708
  same_event              30   74     39   123  0.019 / 0.140 / 0.408  0.043 / 0.289 / 0.850

A short and a normal-length document of one outlet have a low Jaccard but a containment near
0.56: a containment-based detector must not merge them either. Between same_event documents
themselves Jaccard stays at 0.08-0.24 (containment 0.15-0.45); the 0.41 / 0.85 maxima come
from a copy truncated to little more than the shared sentences. At 100k (seed 1: 900 / 839 /
733 documents, 271,022 / 4,783 / 1,051 pairs, the boilerplate's sampled) the medians are the
same and the containment maxima 0.78 / 0.82 / 0.79; the run took 69 s and 0.55 GB.

Copies of a near-miss original are made by the machinery above, with one difference: its
shared paragraphs (the boilerplate, the appendix) start in the copy's head or tail, out of
reach of names, para_drop, para_reorder, truncate, para_add and edit (format still respaces
them, wrap adds lines around them), so every copy carries them. The kinds that need
paragraphs (para_drop, para_reorder, truncate) are not drawn for an original with fewer than
4 paragraphs of its own (short documents, small hosts; ordinary documents have at least 5).
The 5% publisher notices are drawn for near-miss documents as for any other.

The distinctness check then samples only the other distinct documents (still compared with
every distinct document, near misses included: an ordinary document sharing a long sentence
with a short boilerplate document reaches containment ~0.4, at 10k as at 100k), and the
sentence-sharing figures count only the other distinct documents.

Outputs
-------
In --out (default bench/work/dedup/, git-ignored), named by the label: the size label
(10k, 100k, 1m or the --docs number), then "-nm" with --near-misses, then "-s<seed>" unless
the seed is 1 (10k, 10k-nm, 10k-nm-s2, 3000-s7):
* <label>.jsonl       the dump, in shuffled order.
* <label>.gold.jsonl  one line per document, in the same order: {"id", "cluster" (shared by
                      an original and its copies, "c" + the original's number; a singleton
                      has its own), "original" (the original's id, or null), "kinds" (the
                      transformations in the order applied, [] if not a copy), "edit_p",
                      "jaccard", "containment" (floats for copies, null otherwise)}; with
                      --near-misses also "near_miss" (outlet_boilerplate, shared_appendix,
                      same_event or null) and "near_miss_group" (e.g. "shared_appendix-7", or
                      null). A copy of a near-miss original has its original's kind and group.
* <label>.stats.json  counts (documents, singletons, originals with copies, copies by kind,
                      clusters by size), file sizes, min/p10/median/p90/max of copy Jaccard
                      and containment (overall and per kind), redraws, timings, and the
                      distinctness check; with --near-misses "near_misses": per kind the
                      groups, documents (distinct ones), originals with copies, copies, pairs
                      (as in the table above) and the pairs measured (all of them, or 200,000
                      per kind drawn at random), n/min/p10/median/p90/max of their Jaccard and
                      containment (for outlet_boilerplate also by document length), and the
                      kind's parameters (boilerplate words per outlet, appendix words, shared
                      sentences).

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
                                      [--near-misses] [--out DIR] [--shared ../shared]
                                      [--check-sample K]
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
# Kinds that need at least STRUCTURAL_MIN paragraphs (para_drop then para_reorder needs 4);
# only near-miss documents have fewer.
STRUCTURAL = {"para_drop", "para_reorder", "truncate"}
STRUCTURAL_MIN = 4

# Near misses (--near-misses); counts are per 10k documents and scale with --docs.
NEAR_MISS_KINDS = ["outlet_boilerplate", "shared_appendix", "same_event"]
NEAR_MISS_MIN_DOCS = 1_000
BOILERPLATE_OUTLETS = 3
BOILERPLATE_DOCS = 30  # per outlet
BOILERPLATE_SHORT_SHARE = 0.6
BOILERPLATE_WORDS = (40, 90)
SHORT_OWN_WORDS = (0.3, 0.9)  # a short document's own words, as a share of the boilerplate's
APPENDIX_GROUPS = 15
APPENDIX_HOST_WORDS = (0.4, 1.6)  # a host's own words, as a share of the appendix's
EVENT_GROUPS = 30
EVENT_SHARED_SHARE = (0.20, 0.35)
NEAR_MISS_PAIR_SAMPLE = 200_000  # per kind; more pairs than this are sampled for the stats

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


def draw_paragraph(rng, pool_size, taken, avoid=frozenset()):
    """Sentence numbers for a new paragraph of 2-4 sentences that no document has used, none
    of them in avoid."""
    while True:
        paragraph = tuple(rng.sample(range(pool_size), rng.randint(2, 4)))
        if hash(paragraph) not in taken and avoid.isdisjoint(paragraph):
            taken.add(hash(paragraph))
            return paragraph


def draw_body(rng, pool_size, taken, avoid=frozenset()):
    """5-12 paragraphs of 2-4 sentences, no sentence twice (nor in avoid), no paragraph seen
    before.

    Returns the paragraphs and how many draws were thrown away for a repeated paragraph."""
    redraws = 0
    while True:
        sizes = [rng.randint(2, 4) for _ in range(rng.randint(5, 12))]
        ids = rng.sample(range(pool_size), sum(sizes))
        if not avoid.isdisjoint(ids):
            continue
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


def build_distinct(rng, pool, count, progress, near=None, taken=None):
    """All distinct documents; returns them, the paragraph key set and redraw count.

    With near (a NearMisses), its documents take their slots with their own bodies, days and
    outlets (taken then already holds their paragraph keys); the others are drawn as usual."""
    distinct, used_titles, redraws = Distinct(), set(), 0
    taken = set() if taken is None else taken
    size = len(pool.sentences)
    for i in range(count):
        special = near is not None and i in near.body
        if special:
            paragraphs = near.body[i]
        else:
            paragraphs, lost = draw_body(rng, size, taken,
                                         near.reserved if near is not None else frozenset())
            redraws += lost
        title = unique_title(rng, pool.headlines, used_titles)
        day, outlet = rng.randrange(DAYS), rng.randrange(len(OUTLETS))
        if special:
            day, outlet = near.day[i], near.outlet[i]
        distinct.add(paragraphs, title, day, outlet)
        progress("distinct", i + 1, count)
    return distinct, taken, redraws


# ---------------------------------------------------------------- near misses


class NearMisses:
    """Near-miss documents by distinct-document slot: body (paragraphs of sentence numbers),
    day, outlet, kind and group; `short` holds the short boilerplate documents."""

    def __init__(self):
        self.body, self.day, self.outlet, self.kind, self.group = {}, {}, {}, {}, {}
        self.fixed = {}  # slot -> (leading, trailing) shared paragraphs that copies keep
        self.avoid = {}  # group -> sentences the para_add of its copies must not draw
        self.reserved = frozenset()  # the boilerplate sentences: no other document draws them
        self.short = set()
        self.groups = {kind: [] for kind in NEAR_MISS_KINDS}
        self.info = {kind: {} for kind in NEAR_MISS_KINDS}

    def add(self, slot, kind, group, paragraphs, day, outlet, fixed=(0, 0)):
        self.body[slot], self.kind[slot], self.group[slot] = paragraphs, kind, group
        self.day[slot], self.outlet[slot] = day, outlet
        if fixed != (0, 0):
            self.fixed[slot] = fixed


def sentence_words(pool, ids):
    return sum(len(pool.words[s]) for s in ids)


def fresh_sentences(rng, pool, n, exclude):
    """n distinct sentence numbers, none in exclude."""
    while True:
        ids = rng.sample(range(len(pool.sentences)), n)
        if exclude.isdisjoint(ids):
            return ids


def register(paragraphs, taken):
    """Adds the paragraphs' keys to taken, or returns False when one is taken or repeated."""
    keys = [hash(p) for p in paragraphs]
    if len(set(keys)) != len(keys) or any(k in taken for k in keys):
        return False
    taken.update(keys)
    return True


def split_sizes(rng, n):
    """Paragraph sizes of 2-4 sentences summing to n (n >= 2)."""
    sizes = []
    while n > 0:
        size = min(n, rng.randint(2, 4))
        if n - size == 1:
            size = size + 1 if size < 4 else size - 1
        sizes.append(size)
        n -= size
    return sizes


def chunk(ids, sizes):
    out, start = [], 0
    for size in sizes:
        out.append(tuple(ids[start:start + size]))
        start += size
    return out


def fresh_paragraphs(rng, pool, taken, sizes, exclude):
    """Paragraphs of the given sizes, of new sentences (none in exclude), no key taken."""
    while True:
        paragraphs = chunk(fresh_sentences(rng, pool, sum(sizes), exclude), sizes)
        if register(paragraphs, taken):
            return paragraphs


def boilerplate_paragraph(rng, pool, taken):
    """An outlet's standing paragraph: 2 or more pool sentences, 40-90 words in all."""
    low, high = BOILERPLATE_WORDS
    while True:
        ids, words = [], 0
        while words < low:
            s = rng.randrange(len(pool.sentences))
            if s not in ids:
                ids.append(s)
                words += len(pool.words[s])
        if words <= high and len(ids) >= 2 and register([tuple(ids)], taken):
            return tuple(ids), words


def short_body(rng, pool, taken, exclude, shared_words):
    """1-2 paragraphs of 1-3 sentences whose words are 30-90% of the shared paragraph's, so
    that two such documents owe most of their 5-grams to it (up to 1,000 tries, then the
    last draw)."""
    low, high = (share * shared_words for share in SHORT_OWN_WORDS)
    tries = 0
    while True:
        tries += 1
        sizes = [rng.randint(1, 3) for _ in range(rng.randint(1, 2))]
        ids = fresh_sentences(rng, pool, sum(sizes), exclude)
        if tries > 1000 or low <= sentence_words(pool, ids) <= high:
            paragraphs = chunk(ids, sizes)
            if register(paragraphs, taken):
                return paragraphs


def normal_sizes(rng):
    return [rng.randint(2, 4) for _ in range(rng.randint(5, 12))]


def host_body(rng, pool, taken, exclude, target_words):
    """Paragraphs of 2-4 new sentences until about target_words words."""
    while True:
        sizes, ids, words = [], [], 0
        while words < target_words:
            sizes.append(rng.randint(2, 4))
            new = fresh_sentences(rng, pool, sizes[-1], exclude | set(ids))
            ids.extend(new)
            words += sentence_words(pool, new)
        paragraphs = chunk(ids, sizes)
        if register(paragraphs, taken):
            return paragraphs


def scaled(count, scale, minimum):
    return max(minimum, round(count * scale))


def build_near_misses(rng, pool, distinct_count, docs, taken):
    """The near-miss documents (see the module docstring), in slots drawn among the distinct
    documents; their paragraph keys go into taken. Uses its own random stream (rng), so the
    rest of the corpus is drawn as without --near-misses up to the first near-miss slot."""
    scale = docs / 10_000
    per_outlet = scaled(BOILERPLATE_DOCS, scale, 3)
    appendix_sizes = [rng.randint(3, 8) for _ in range(scaled(APPENDIX_GROUPS, scale, 1))]
    event_sizes = [2 if rng.random() < 0.6 else 3
                   for _ in range(scaled(EVENT_GROUPS, scale, 1))]
    total = BOILERPLATE_OUTLETS * per_outlet + sum(appendix_sizes) + sum(event_sizes)
    slots = iter(rng.sample(range(distinct_count), total))
    near = NearMisses()

    kind = "outlet_boilerplate"
    info = near.info[kind] = {"outlets": [], "boilerplate_words": [], "position": []}
    for g, outlet in enumerate(rng.sample(range(len(OUTLETS)), BOILERPLATE_OUTLETS), 1):
        group = f"{kind}-{g}"
        near.groups[kind].append(group)
        shared, words = boilerplate_paragraph(rng, pool, taken)
        at_start = g == 1  # the first outlet's paragraph opens its documents, the others' end them
        info["outlets"].append(OUTLETS[outlet][0])
        info["boilerplate_words"].append(words)
        info["position"].append("start" if at_start else "end")
        # No sentence of a short document occurs in another document of the outlet's group
        # (at 100k and more, random reuse would otherwise make some short ones ~contained):
        # the short ones are drawn first, each avoiding the sentences of those before it, then
        # the normal ones avoid all of theirs.
        shorts = [rng.random() < BOILERPLATE_SHORT_SHARE for _ in range(per_outlet)]
        short_used, bodies = set(shared), {}
        for n in (n for n, short in enumerate(shorts) if short):
            bodies[n] = short_body(rng, pool, taken, short_used, words)
            short_used.update(chain.from_iterable(bodies[n]))
        for n in (n for n, short in enumerate(shorts) if not short):
            bodies[n] = fresh_paragraphs(rng, pool, taken, normal_sizes(rng), short_used)
        for n, short in enumerate(shorts):
            slot = next(slots)
            if short:
                near.short.add(slot)
            paragraphs = [shared] + bodies[n] if at_start else bodies[n] + [shared]
            near.add(slot, kind, group, paragraphs, rng.randrange(DAYS), outlet,
                     (1, 0) if at_start else (0, 1))
        near.avoid[group] = frozenset(short_used)
        near.reserved |= set(shared)

    kind = "shared_appendix"
    info = near.info[kind] = {"appendix_words": [], "appendix_paragraphs": []}
    for g, size in enumerate(appendix_sizes, 1):
        group = f"{kind}-{g}"
        near.groups[kind].append(group)
        appendix = fresh_paragraphs(rng, pool, taken,
                                    [rng.randint(2, 4) for _ in range(rng.randint(3, 6))],
                                    set())
        used = set(chain.from_iterable(appendix))
        words = sentence_words(pool, used)
        info["appendix_words"].append(words)
        info["appendix_paragraphs"].append(len(appendix))
        day = rng.randrange(DAYS)
        for _ in range(size):
            body = host_body(rng, pool, taken, used, words * rng.uniform(*APPENDIX_HOST_WORDS))
            used.update(chain.from_iterable(body))
            near.add(next(slots), kind, group, body + appendix,
                     min(DAYS - 1, day + rng.randint(0, 3)), rng.randrange(len(OUTLETS)),
                     (0, len(appendix)))

    kind = "same_event"
    info = near.info[kind] = {"shared_sentences": [], "wire_blocks": 0}
    for g, size in enumerate(event_sizes, 1):
        group = f"{kind}-{g}"
        near.groups[kind].append(group)
        shared = fresh_sentences(rng, pool, rng.randint(3, 8), set())
        wire = rng.random() < 0.5  # the shared sentences as one block, in the same order
        info["shared_sentences"].append(len(shared))
        info["wire_blocks"] += wire
        used = set(shared)
        day = rng.randrange(DAYS)
        for outlet in rng.sample(range(len(OUTLETS)), size):
            total_sentences = max(len(shared) + 2,
                                  round(len(shared) / rng.uniform(*EVENT_SHARED_SHARE)))
            own = fresh_sentences(rng, pool, total_sentences - len(shared), used)
            used.update(own)
            while True:
                if wire:
                    at = rng.randint(0, len(own))
                    ids = own[:at] + shared + own[at:]
                else:
                    ids = own + shared
                    rng.shuffle(ids)
                paragraphs = chunk(ids, split_sizes(rng, len(ids)))
                if register(paragraphs, taken):
                    break
            near.add(next(slots), kind, group, paragraphs,
                     min(DAYS - 1, day + rng.randint(0, 2)), outlet)
    return near


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

    def __init__(self, title, paragraphs, head=(), tail=()):
        self.title = title
        self.head, self.paras, self.tail = list(head), list(paragraphs), list(tail)
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


def para_add(rng, draft, pool, taken, avoid):
    ids = draw_paragraph(rng, len(pool.sentences), taken, avoid)
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


def draw_kinds(rng, names_ok, paragraphs):
    if rng.random() < FORMAT_ONLY_SHARE:
        return ["format"]
    choices = [k for k in KINDS if (names_ok or k != "names")
               and (paragraphs >= STRUCTURAL_MIN or k not in STRUCTURAL)]
    kinds = rng.sample(choices, rng.randint(1, 3))
    if kinds == ["format"]:
        kinds = [rng.choice(choices[:-1])]
    return sorted(kinds, key=KINDS.index)


def make_copy(rng, pool, taken, title, paragraphs, names_ok, head=(), tail=(),
              avoid=frozenset()):
    """One candidate copy of an original: the kinds drawn, and the Draft they made. head and
    tail (a near-miss original's shared paragraphs) start as the draft's head and tail, out
    of reach of the paragraph-level kinds; para_add draws no sentence in avoid."""
    kinds = draw_kinds(rng, names_ok, len(paragraphs))
    draft = Draft(title, paragraphs, head, tail)
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
            para_add(rng, draft, pool, taken, avoid)
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

    def __init__(self, rng, pool, plan, distinct, taken, check, progress, near=None):
        self.rng, self.pool, self.plan, self.distinct = rng, pool, plan, distinct
        self.taken, self.check, self.progress = taken, check, progress
        self.near = near
        self.copies = []  # (kinds, edit_p, jaccard, containment)
        self.rejected = Counter()
        self.rejected_total = 0
        # Near-miss group -> [(gold cluster, 5-gram hashes, short)] of its documents and
        # copies; the hashes as an array (8 bytes each, a set would take ~60 at 1M documents).
        self.members = defaultdict(list)

    def mark_near_miss(self, gold, original, grams):
        """Adds the near-miss fields to a gold row (with --near-misses only) and keeps the
        shingles of a near-miss group's member (a near-miss document or a copy of one)."""
        if self.near is None:
            return
        gold["near_miss"] = self.near.kind.get(original)
        gold["near_miss_group"] = self.near.group.get(original)
        if gold["near_miss_group"]:
            self.members[gold["near_miss_group"]].append(
                (gold["cluster"], array("q", grams()), original in self.near.short))

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
        self.mark_near_miss(gold, i, lambda: self.original_shingles(i))
        return doc, gold

    def build_copy(self, doc, original):
        paragraphs = self.distinct.paragraphs(original, self.pool.sentences)
        reference = self.original_shingles(original)
        names_ok = self.distinct.has_names(original, self.pool)
        head, tail, avoid = [], [], frozenset()
        if self.near is not None and original in self.near.group:
            avoid = self.near.avoid.get(self.near.group[original], frozenset())
        if self.near is not None and original in self.near.fixed:
            # The shared boilerplate or appendix stays whole in every copy.
            lead, trail = self.near.fixed[original]
            end = len(paragraphs) - trail
            head, paragraphs, tail = paragraphs[:lead], paragraphs[lead:end], paragraphs[end:]
            names_ok = any(ANY_NAME.search(p) for p in paragraphs)
        notice = self.plan.notice_paragraph(doc)
        while True:
            kinds, draft = make_copy(self.rng, self.pool, self.taken,
                                     self.distinct.titles[original], paragraphs, names_ok,
                                     head, tail, avoid)
            text = draft.sep.join(draft.lines() + notice)
            grams = shingles(text)
            jaccard, containment = similarity(reference, grams)
            if containment >= MIN_CONTAINMENT:
                return kinds, draft, text, jaccard, containment, grams
            self.rejected_total += 1
            self.rejected.update(kinds)

    def write_copy(self, doc):
        rng, d = self.rng, self.distinct
        original = self.plan.copy_of[doc - self.plan.distinct]
        kinds, draft, text, jaccard, containment, grams = self.build_copy(doc, original)
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
        self.mark_near_miss(gold, original, lambda: grams)
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


def distinctness_stats(check, distinct, pool_size, skip=()):
    """The distinctness check's figures; sentence usage over the distinct documents not in
    skip (the near-miss documents, whose sentences are shared on purpose)."""
    usage = Counter()
    for i in range(len(distinct)):
        if i not in skip:
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


def short_distribution(values):
    """n, min, p10, median, p90, max, rounded to 4 digits."""
    return {k: (v if k == "n" else round(v, 4)) for k, v in distribution(values).items()}


def group_pairs(members, rng, budget):
    """Pairs (i, j) of a group's members in different gold clusters: all of them, or about
    budget of them drawn at random when there are more."""
    n = len(members)
    same = sum(c * (c - 1) // 2 for c in Counter(m[0] for m in members).values())
    total = n * (n - 1) // 2 - same
    if total <= budget:
        return total, [(i, j) for i in range(n) for j in range(i + 1, n)
                       if members[i][0] != members[j][0]]
    chosen = set()
    while len(chosen) < budget:
        i, j = sorted(rng.sample(range(n), 2))
        if members[i][0] != members[j][0]:
            chosen.add((i, j))
    return total, sorted(chosen)


def near_miss_stats(near, writer, seed):
    """Per kind: groups, documents, copies, and the Jaccard / containment of the pairs of
    members of one group that gold puts in different clusters (the pairs a detector must not
    merge); all pairs, or NEAR_MISS_PAIR_SAMPLE of them per kind drawn at random."""
    rng = random.Random(f"{seed}:near-miss-pairs")
    out = {}
    for kind in NEAR_MISS_KINDS:
        groups = near.groups[kind]
        slots = [i for i, k in near.kind.items() if k == kind]
        copies = sum(writer.plan.copies_per_original.get(i, 0) for i in slots)
        counts = {g: len(writer.members[g]) for g in groups}
        all_pairs = sum(n * (n - 1) // 2 for n in counts.values()) or 1
        pairs_total, measured = 0, []
        for g in groups:
            members = writer.members[g]
            budget = max(1, round(NEAR_MISS_PAIR_SAMPLE * counts[g] * (counts[g] - 1) / 2
                                  / all_pairs))
            total, chosen = group_pairs(members, rng, budget)
            pairs_total += total
            sets = {}  # one group's shingle sets at a time
            for i, j in chosen:
                for x in (i, j):
                    if x not in sets:
                        sets[x] = set(members[x][1])
                jac, con = similarity(sets[i], sets[j])
                length = "-".join(sorted("short" if members[x][2] else "normal" for x in (i, j)))
                measured.append((jac, con, length))
        entry = {
            "groups": len(groups),
            "documents": len(slots),
            "originals_with_copies": sum(1 for i in slots if i in writer.plan.copies_per_original),
            "copies": copies,
            "documents_per_group": short_distribution(counts.values()),
            "pairs": pairs_total,
            "pairs_measured": len(measured),
            "jaccard": short_distribution([m[0] for m in measured]),
            "containment": short_distribution([m[1] for m in measured]),
        }
        if kind == "outlet_boilerplate":
            entry["short_documents"] = len(near.short)
            entry["by_length"] = {
                length: {"pairs": sum(1 for m in measured if m[2] == length),
                         "jaccard": short_distribution([m[0] for m in measured
                                                        if m[2] == length]),
                         "containment": short_distribution([m[1] for m in measured
                                                            if m[2] == length])}
                for length in ("short-short", "normal-short", "normal-normal")}
        info = dict(near.info[kind])
        for key in ("appendix_words", "appendix_paragraphs", "shared_sentences"):
            if key in info:
                info[key] = short_distribution(info[key])
        entry.update(info)
        out[kind] = entry
    return out


def build_stats(args, label, plan, writer, check, distinct, pool, paths, timings, redraws,
                near=None):
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
        "distinctness": distinctness_stats(check, distinct, len(pool.sentences),
                                           near.body if near else ()),
        "headlines_in_pool": len(pool.headlines),
        **({"near_misses": near_miss_stats(near, writer, args.seed)} if near else {}),
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
    for kind, v in s.get("near_misses", {}).items():
        j, k = v["jaccard"], v["containment"]
        sampled = f" ({v['pairs_measured']} measured)" if v["pairs_measured"] < v["pairs"] else ""
        extra = f", {v['short_documents']} short" if "short_documents" in v else ""
        print(f"near misses {kind}: {v['groups']} groups, {v['documents']} documents{extra}, "
              f"{v['originals_with_copies']} of them originals with {v['copies']} copies; "
              f"{v['pairs']} pairs in different clusters{sampled}: Jaccard min {j.get('min')} "
              f"median {j.get('median')} max {j.get('max')}, containment min {k.get('min')} "
              f"median {k.get('median')} max {k.get('max')}")
        for length, b in v.get("by_length", {}).items():
            j, k = b["jaccard"], b["containment"]
            print(f"  {length}: {b['pairs']} pairs, Jaccard min {j.get('min')} median "
                  f"{j.get('median')} max {j.get('max')}, containment min {k.get('min')} "
                  f"median {k.get('median')} max {k.get('max')}")
    print("seconds: " + ", ".join(f"{k} {v}" for k, v in s["seconds"].items()))


# ---------------------------------------------------------------- main


def size_label(docs):
    for label, n in SIZES.items():
        if n == docs:
            return label
    return str(docs)


def corpus_label(docs, seed=1, near_misses=False):
    """The files' name: the size label, "-nm" with --near-misses, "-s<seed>" unless seed 1."""
    return size_label(docs) + ("-nm" if near_misses else "") + (f"-s{seed}" if seed != 1 else "")


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
    parser.add_argument("--near-misses", action="store_true",
                        help="add near-miss documents (shared outlet boilerplate, a shared "
                             "appended story, same-event articles) that a detector must not "
                             "merge; files get the label suffix -nm")
    args = parser.parse_args()
    args.docs = args.docs or SIZES[args.size or "10k"]
    if args.docs < 10:
        parser.error("--docs must be at least 10")
    if args.near_misses and args.docs < NEAR_MISS_MIN_DOCS:
        parser.error(f"--near-misses needs --docs of at least {NEAR_MISS_MIN_DOCS}")
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
    near, taken = None, set()
    if args.near_misses:
        # A random stream of its own: without the flag the corpus is drawn exactly as before.
        near = build_near_misses(random.Random(f"{args.seed}:near-misses"), pool,
                                 plan.distinct, args.docs, taken)
    distinct, taken, redraws = build_distinct(rng, pool, plan.distinct, progress, near, taken)
    lap("distinct")
    sample_size = args.check_sample if args.check_sample is not None else \
        default_sample(args.docs, plan.distinct)
    # A random stream of its own, so that --check-sample never changes the corpus. Near-miss
    # documents are not sampled (they resemble each other on purpose) but are still compared.
    sample_rng = random.Random(f"{args.seed}:distinctness")
    candidates = range(plan.distinct) if near is None else \
        [i for i in range(plan.distinct) if i not in near.body]
    sample = sorted(sample_rng.sample(candidates, min(sample_size, len(candidates))))
    check = DistinctnessCheck({
        i: distinct.shingles(i, pool, plan.notice[i]) for i in sample})
    lap("index")
    writer = Writer(rng, pool, plan, distinct, taken, check, progress, near)
    writer.run(paths["jsonl"], paths["gold"])
    lap("write")
    stats = build_stats(args, label, plan, writer, check, distinct, pool, paths, timings,
                        redraws, near)
    lap("stats")
    timings["total"] = round(time.perf_counter() - start, 1)
    return stats


def main():
    args = parse_args()
    check_shared(args.shared)
    label = corpus_label(args.docs, args.seed, args.near_misses)
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
