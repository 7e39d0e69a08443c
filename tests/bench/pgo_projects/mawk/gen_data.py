#!/usr/bin/env python3
"""Writes the text the mawk workloads read (tests/bench/pgo_projects.py calls it; nothing is downloaded).

Training and benchmark read different files of different shapes, generated from one fixed seed so
every run and every mode sees the same bytes: train_log.txt (web-server log lines), train_text.txt
(prose from a small vocabulary) and bench.csv (comma-separated sales records with a free-text comment).

Usage: gen_data.py <folder>
"""
import os
import random
import sys

WORDS = ("the of and to in is was for that with on as by at from this it be are an or not have which "
         "but all were when we there can more if no out so said what up its about into than them only "
         "other new some could time these two may then first any like now my such make over our even "
         "most after also made many before must through back years where much your way well down "
         "should because each just those people how too little state good very world still own see "
         "men work long get here between both life being under never day same another know while last "
         "might great old year off come since against go came right used take three").split()
PATHS = ["/", "/index.html", "/api/v1/items", "/api/v1/users", "/static/app.js", "/static/style.css",
         "/login", "/logout", "/search", "/images/logo.png", "/docs/guide", "/feed.xml"]
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) Firefox/115.0", "curl/7.88.1", "Wget/1.21.3",
          "Mozilla/5.0 (Windows NT 10.0) Chrome/119.0", "python-requests/2.28", "Googlebot/2.1"]
REGIONS = ["north", "south", "east", "west", "central", "overseas"]
PRODUCTS = ["widget", "gadget", "gizmo", "doohickey", "sprocket", "flange", "bracket", "valve", "pump"]


def train_log(rng, path, lines):
    with open(path, "w") as out:
        for i in range(lines):
            ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            day, hour = 1 + i * 28 // lines, rng.randrange(24)
            method = rng.choice(["GET"] * 8 + ["POST", "PUT", "DELETE"])
            path_ = rng.choice(PATHS)
            if rng.random() < 0.3:
                path_ += f"?q={rng.choice(WORDS)}&page={rng.randrange(9)}"
            status = rng.choice([200] * 12 + [301, 304, 404, 500, 403])
            size = rng.randrange(100, 90000)
            out.write(f'{ip} - - [{day:02d}/Nov/2026:{hour:02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d} +0000] '
                      f'"{method} {path_} HTTP/1.1" {status} {size} "{rng.choice(AGENTS)}"\n')


def prose(rng, words):
    sentence = [rng.choice(WORDS) for _ in range(words)]
    sentence[0] = sentence[0].capitalize()
    return " ".join(sentence)


def train_text(rng, path, lines):
    with open(path, "w") as out:
        for _ in range(lines):
            out.write(prose(rng, rng.randrange(6, 18)) + (". " if rng.random() < 0.5 else ", ") +
                      prose(rng, rng.randrange(3, 10)) + ".\n")


def bench_csv(rng, path, lines):
    with open(path, "w") as out:
        out.write("id,date,region,product,quantity,unit_price,comment\n")
        for i in range(lines):
            comment = prose(rng, rng.randrange(2, 12))
            if rng.random() < 0.1:
                comment += f" ref #{rng.randrange(100000)}"
            out.write(f"{i},2026-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d},{rng.choice(REGIONS)},"
                      f"{rng.choice(PRODUCTS)},{rng.randrange(1, 500)},{rng.randrange(100, 99999) / 100:.2f},"
                      f"{comment}\n")


def main():
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(16)
    train_log(rng, os.path.join(folder, "train_log.txt"), 60000)
    train_text(rng, os.path.join(folder, "train_text.txt"), 40000)
    bench_csv(rng, os.path.join(folder, "bench.csv"), 150000)


if __name__ == "__main__":
    main()
