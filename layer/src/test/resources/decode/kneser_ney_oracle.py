#!/usr/bin/env python3
"""Independent oracle for KneserNeyEstimator: interpolated modified Kneser-Ney (Chen & Goodman 1998, KenLM
conventions: adjusted counts raw at the highest order and for n-grams starting with <s>, uniform base over the
vocabulary without <s>, fallback discounts for tiny corpora as documented in KneserNeyEstimator).

Computes the full interpolated distribution P(w | h) recursively (no back-off form) and prints, for the corpus below,
the expected log10 probability of every seen n-gram, the log10 gamma of every seen history, and log10 P(w | h) for
some unseen queries.  Run: python3 kneser_ney_oracle.py > kneser_ney_expected.txt  (values are generated once and
stored; tests do not run Python).
"""
import math
from collections import defaultdict

CORPUS = [
    "the cat sat on the mat",
    "the dog sat on the log",
    "the cat ate the fish",
    "a dog ate a bone",
    "the cat sat",
    "a cat sat on a mat",
    "the dog ate",
    "the fish sat on the mat",
    "a cat ate the fish",
    "the dog sat on the mat",
    "the cat sat on the log",
    "the bird sat",
]
ORDER = 3
QUERIES = [
    ("the", "the", "cat"), ("cat", "the", "dog"), ("<s>", "bird", "sat"), ("on", "a", "log"),
    ("dog", "zebra", "</s>"), ("the", "mat", "<unk>"), ("zebra",), ("a", "fish"), ("mat", "</s>"),
]


def grams_of(sentences, order):
    raw = [defaultdict(int) for _ in range(order)]
    preceding = [defaultdict(set) for _ in range(order)]
    for s in sentences:
        toks = ["<s>"] + s.split() + ["</s>"]
        for i in range(1, len(toks)):
            for m in range(1, order + 1):
                if i - m + 1 < 0:
                    break
                g = tuple(toks[i - m + 1:i + 1])
                raw[m - 1][g] += 1
                if i - m >= 0:
                    preceding[m - 1][g].add(toks[i - m])
    adjusted = []
    for m in range(1, order + 1):
        a = {}
        for g, c in raw[m - 1].items():
            a[g] = c if (m == order or g[0] == "<s>") else len(preceding[m - 1][g])
        adjusted.append(a)
    return adjusted


def discounts(a):
    t = [sum(1 for v in a.values() if v == k) for k in range(5)]
    if t[1] == 0 or t[2] == 0:
        return (0.5, 0.5, 0.5), "fixed 0.5"
    y = t[1] / (t[1] + 2 * t[2])
    if t[3] > 0 and t[4] > 0:
        d = (1 - 2 * y * t[2] / t[1], 2 - 3 * y * t[3] / t[2], 3 - 4 * y * t[4] / t[3])
        if 0 < d[0] < 1 and 0 < d[1] < 2 and 0 < d[2] < 3:
            return d, "modified"
    return (y, y, y), "single"


def main():
    adjusted = grams_of(CORPUS, ORDER)
    vocab = ["<unk>", "<s>", "</s>"]
    for s in CORPUS:
        for w in s.split():
            if w not in vocab:
                vocab.append(w)
    predicted = [w for w in vocab if w != "<s>"]
    disc = []
    for m in range(ORDER):
        d, mode = discounts(adjusted[m])
        disc.append(d)
        print("# order %d discounts %s: %r" % (m + 1, mode, d))

    def stats(h, m):
        a = adjusted[m - 1]
        follow = {g[-1]: c for g, c in a.items() if g[:-1] == h}
        return follow

    def gamma(h, m):
        follow = stats(h, m)
        total = sum(follow.values())
        d = disc[m - 1]
        n = [sum(1 for c in follow.values() if min(c, 3) == k) for k in (1, 2, 3)]
        return (d[0] * n[0] + d[1] * n[1] + d[2] * n[2]) / total

    def prob(w, h):
        """Interpolated P(w | h) for a history h of length len(h), all orders below included."""
        m = len(h) + 1
        if m == 0:
            return 1.0 / len(predicted)
        lower = prob(w, h[1:]) if m > 1 else 1.0 / len(predicted)
        follow = stats(h, m)
        if not follow:
            return lower
        total = sum(follow.values())
        d = disc[m - 1]
        c = follow.get(w, 0)
        own = max(c - d[min(c, 3) - 1], 0) / total if c > 0 else 0.0
        return own + gamma(h, m) * lower

    for m in range(1, ORDER + 1):
        for g in sorted(adjusted[m - 1]):
            print("ngram\t%s\t%.17g" % (" ".join(g), math.log10(prob(g[-1], g[:-1]))))
    for m in range(1, ORDER):
        histories = sorted({g[:-1] for g in adjusted[m]})
        for h in histories:
            print("backoff\t%s\t%.17g" % (" ".join(h), math.log10(gamma(h, m + 1))))
    # Sums over the vocabulary: each must be 1.
    for h in [(), ("the",), ("<s>", "the"), ("sat", "on")]:
        assert abs(sum(prob(w, h) for w in predicted) - 1) < 1e-12, h
    for q in QUERIES:
        h, w = q[:-1], q[-1]
        hh = tuple(x if x in vocab else "<unk>" for x in h)
        ww = w if w in vocab else "<unk>"
        print("query\t%s\t%s\t%.17g" % (" ".join(h), w, math.log10(prob(ww, hh[-(ORDER - 1):] if hh else ()))))


main()
