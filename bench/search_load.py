"""The search benchmark's load: query kinds drawn from the index's own values, sent from N concurrent
clients (asyncio tasks, one keep-alive connection each) against ``GET /api/search``; latency percentiles,
throughput, errors and partial facets per run, runs repeated while the machine is busy."""

from __future__ import annotations

import asyncio
import random
import time

import httpx

from docsearch.engine import Engine
from docsearch.fields import REGISTRY
from docsearch.settings import Settings
from machine_facts import JvmWatch
from run_watch import Meter, log, wait_until_quiet
from search_pages import _feminine
from search_words import ADJECTIVES, NOUNS_F, NOUNS_M, PLACES, VERBS

BUSY_SHARE = 0.08  # a run during which other processes used more of the machine's CPU is repeated


# How many of each facet's most frequent values the workload draws from.
TOP_VALUES = {"persons": 400, "laws": 60, "cases": 300, "topics": 20, "doc_type": 20, "organizations": 50, "court": 20}


def top_values(engine: Engine, settings: Settings) -> dict[str, list[str]]:
    """The most frequent values of some facets (keys of ``docsearch.fields.REGISTRY``), most frequent first."""
    body = {"size": 0, "aggs": {key: {"terms": {"field": REGISTRY[key].field, "size": n}}
                                for key, n in TOP_VALUES.items()}}
    aggs = engine.search(settings.documents_alias, body)["aggregations"]
    return {key: [str(b["key"]) for b in aggs[key]["buckets"]] for key in TOP_VALUES}


def _noun_phrase(rng: random.Random, article: str = "def") -> str:
    """A noun with an adjective agreeing with it, from the most frequent words of the corpus's vocabulary;
    ``article``: "def" (el/la), "de" (del/de la) or "" (none)."""
    gender = rng.choice("mf")
    noun = rng.choice((NOUNS_M if gender == "m" else NOUNS_F)[:80])
    adjective = rng.choice(ADJECTIVES[:60])
    adjective = adjective if gender == "m" else _feminine(adjective)
    lead = {"def": "el " if gender == "m" else "la ", "de": "del " if gender == "m" else "de la ", "": ""}[article]
    return f"{lead}{noun} {adjective}"


def meaning_queries(seed: int) -> tuple[list[str], list[str]]:
    """Plain descriptions of 5-10 words and questions (``¿cuándo procede …?``), the queries hybrid search also
    searches by meaning: a few written as a user would, the rest drawn from the corpus's vocabulary."""
    rng = random.Random(f"meaning:{seed}")
    np = _noun_phrase
    descriptions = ["pagos fraccionados a testaferros para comprar inmuebles en Lima",
                    "policía entra a una vivienda sin orden del juez",
                    "ocultamiento de dinero del narcotráfico mediante empresas de fachada"]
    descriptions += [f"{np(rng)} {np(rng, 'de')} en {rng.choice(PLACES[:20])}",
                     f"{np(rng)} y {np(rng)} {np(rng, 'de')}",
                     f"{np(rng)} que {rng.choice(VERBS)} {np(rng)}",
                     f"{np(rng)} contra {np(rng)} por {np(rng, '')}",
                     f"{np(rng, '')} {np(rng, 'de')} en {rng.choice(PLACES[:20])}"]
    questions = ["¿cuándo procede la prisión preventiva por peligro de fuga?",
                 "¿puede el fiscal incautar bienes sin autorización judicial?"]
    questions += [f"¿cuándo procede {np(rng)} {np(rng, 'de')}?",
                  f"¿cuándo procede {np(rng)} por {np(rng, '')}?",
                  f"¿qué requisitos exige {np(rng)} {np(rng, 'de')}?",
                  f"¿cómo se acredita {np(rng)} en {np(rng)}?"]
    for text in descriptions + questions:
        assert 5 <= len(text.split()) <= 11, text
    return descriptions, questions


def workload(values: dict[str, list[str]], seed: int = 7) -> dict[str, list[dict]]:
    """Query kinds, each a few concrete requests (params of GET /api/search)."""
    descriptions, questions = meaning_queries(seed)
    persons, laws, cases = values["persons"], values["laws"], values["cases"]
    frequent, rare = persons[0], persons[-1]
    surname = " ".join(persons[len(persons) // 3].split()[-2:])
    dl = next((v for v in laws if v.startswith("Decreto Legislativo")), "Decreto Legislativo 1106")
    case = next((v for v in cases if v.startswith("Casación")), cases[0])
    court = values["court"][0]
    return {
        "plain": [{"q": q} for q in ["prisión preventiva", "lavado de activos", "organización criminal",
                                     "colaboración eficaz", "incautación cocaína Callao", "peligro procesal arraigo",
                                     "testaferro empresa", "extinción de dominio"]],
        "rare": [{"q": q} for q in ["fentanilo", "ácido sulfúrico Pisco", "Caballococha", surname, rare]],
        "phrase": [{"q": q} for q in ['"organización criminal"', '"prisión preventiva" Callao',
                                      '"lavado de activos" "delito fuente"', f'"{frequent}"']],
        "citation": [{"q": q} for q in ["DL 1106", "Decreto Legislativo N.° 1106", "D. Leg. 1106", "art. 296 del CP",
                                        "artículo 317 del Código Penal", "Ley 30077", "art. 268 del CPP", case]],
        "prefix": [{"q": q} for q in ["incaut*", "lava*", "narcotr*", "coca*", "extradi*"]],
        "boolean": [{"q": q} for q in ["cocaína AND (Callao OR Paita) NOT marihuana", "lavado -minería",
                                       "+testaferro +inmueble", "fentanilo OR heroína"]],
        "field": [{"q": q} for q in [f'person:"{frequent}"', f'law:"{dl}" prisión', f'court:"{court}"',
                                     "drug:fentanilo", "year:2019 lavado"]],
        "facets_off": [{"q": q, "facets": "false"} for q in ["prisión preventiva", "lavado de activos",
                                                             "organización criminal"]],
        "filtered": [{"q": "prisión preventiva", "doc_type": "sentencia"},
                     {"q": "incautación", "laws": dl},
                     {"q": "", "persons": frequent},
                     {"q": "lavado de activos", "topics": values["topics"][0], "year": "2020"},
                     {"q": "", "doc_type": "casación"}],
        "year_range": [{"q": q, "year_from": "2015", "year_to": "2020"} for q in ["lavado de activos", "cocaína"]],
        "sort_date": [{"q": q, "sort": "date_desc"} for q in ["organización criminal", "DL 1106"]],
        "deep_page": [{"q": q, "page": "100"} for q in ["prisión preventiva", "cocaína"]],
        "listing": [{"q": ""}],
        "description": [{"q": q} for q in descriptions],
        "question": [{"q": q} for q in questions],
    }


def schedule(kinds: dict[str, list[dict]], seed: int, length: int = 2000) -> list[tuple[str, dict]]:
    """Every kind in equal shares, in a seeded shuffled order."""
    rng = random.Random(f"schedule:{seed}")
    names = sorted(kinds)
    out = []
    while len(out) < length:
        batch = [(name, rng.choice(kinds[name])) for name in names]
        rng.shuffle(batch)
        out += batch
    return out


def probe(client: httpx.Client, kinds: dict[str, list[dict]]) -> dict:
    """One request of each concrete query: status, hits, and whether the API applied the feature asked."""
    out = {}
    for name, requests in kinds.items():
        rows = []
        for params in requests:
            resp = client.get("/api/search", params=params)
            row = {"params": params, "status": resp.status_code}
            if resp.status_code == 200:
                body = resp.json()
                query = body.get("query") or {}
                results = body.get("results") or []
                row.update(total=body.get("total"), took_ms=body.get("took_ms"), bytes=len(resp.content),
                           sort=body.get("sort"), interpreted=query.get("interpreted"), mode=query.get("mode"),
                           translated=(query.get("translated") or {}).get("text"), answer=bool(body.get("answer")),
                           by_meaning=sum(1 for r in results if r.get("matched") in ("semantic", "both")))
                years = [r.get("year") for r in body.get("results", []) if r.get("year") is not None]
                if "year_from" in params:
                    row["years_in_range"] = all(int(params["year_from"]) <= y <= int(params["year_to"])
                                                for y in years)
                if params.get("sort") == "date_desc":
                    row["years_sorted"] = years == sorted(years, reverse=True)
            else:
                row["body"] = resp.text[:300]
            rows.append(row)
        out[name] = rows
    return out


async def _level(url: str, plan: list[tuple[str, dict]], clients: int, warmup: float, duration: float,
                 headers: dict[str, str]) -> dict:
    samples: list[tuple[str, float, float, int, int | None, bool]] = []  # kind, start, s, status, took, partial
    errors: list[str] = []
    position = [0]
    t_measure = time.monotonic() + warmup
    t_end = t_measure + duration

    async def client_loop(index: int) -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits, headers=headers) as client:
            while True:
                start = time.monotonic()
                if start >= t_end:
                    return
                kind, params = plan[position[0] % len(plan)]
                position[0] += 1
                took, partial = None, False
                try:
                    resp = await client.get("/api/search", params=params)
                    status = resp.status_code
                    if status == 200:
                        answer = resp.json()
                        took, partial = answer.get("took_ms"), bool(answer.get("partial_facets"))
                    elif len(errors) < 5:
                        errors.append(f"{status} {kind} {params}: {resp.text[:200]}")
                except httpx.HTTPError as exc:
                    status = -1
                    if len(errors) < 5:
                        errors.append(f"{type(exc).__name__} {kind} {params}: {exc}")
                seconds = time.monotonic() - start
                if start >= t_measure:
                    samples.append((kind, start, seconds, status, took, partial))

    cpu0 = time.process_time()
    await asyncio.gather(*(client_loop(i) for i in range(clients)))
    return {"samples": samples, "errors": errors, "bench_cpu_s": time.process_time() - cpu0,
            "wall_s": time.monotonic() - t_measure}


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def summarise_run(raw: dict, duration: float) -> dict:
    samples = raw["samples"]
    lat = [s[2] * 1000 for s in samples]
    took = [s[4] for s in samples if s[4] is not None]
    per_kind: dict[str, dict] = {}
    for kind in sorted({s[0] for s in samples}):
        ks = [s for s in samples if s[0] == kind]
        kl = [s[2] * 1000 for s in ks]
        kt = [s[4] for s in ks if s[4] is not None]
        per_kind[kind] = {"n": len(ks), "p50": pct(kl, 50), "p95": pct(kl, 95), "took_p50": pct(kt, 50),
                          "errors": sum(1 for s in ks if s[3] != 200), "partial": sum(1 for s in ks if s[5])}
    return {"requests": len(samples), "rps": len(samples) / duration, "p50": pct(lat, 50), "p95": pct(lat, 95),
            "p99": pct(lat, 99), "max": max(lat) if lat else float("nan"), "took_p50": pct(took, 50),
            "took_p95": pct(took, 95), "errors": sum(1 for s in samples if s[3] != 200),
            "partial": sum(1 for s in samples if s[5]),
            "first_errors": raw["errors"], "bench_cpu_s": raw["bench_cpu_s"], "per_kind": per_kind}


def measure(url: str, plan: list[tuple[str, dict]], levels: list[int], runs: int, warmup: float, duration: float,
            engine: Engine, api_pid: int | None, max_discard: int = 3, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    out: dict = {}
    for clients in levels:
        rows, discarded = [], []
        run = 0
        while len(rows) < runs:
            run += 1
            waited = wait_until_quiet()
            offset = random.Random(f"offset:{clients}:{run}").randrange(len(plan))
            rotated = plan[offset:] + plan[:offset]
            with Meter([api_pid] if api_pid else []) as meter, JvmWatch(engine) as jvm:
                raw = asyncio.run(_level(url, rotated, clients, warmup, duration, headers))
            row = summarise_run(raw, duration)
            row.update(cpu=meter.cpu, jvm=jvm.result, pytest_seen=meter.pytest_seen, waited_s=waited)
            others = meter.cpu["other_s"] - row["bench_cpu_s"]
            busy = others > BUSY_SHARE * meter.cpu["machine_capacity_s"]
            if (meter.pytest_seen or busy) and len(discarded) < max_discard:
                discarded.append(row)
                why = "a pytest ran" if meter.pytest_seen else f"other processes used {others:.0f} CPU-s"
                log(f"{clients:>2} clients, run {run}: {why}; discarded, run again in a minute")
                time.sleep(60)
                continue
            rows.append(row)
            log(f"{clients:>2} clients, run {run}: {row['rps']:.1f} req/s, p50 {row['p50']:.0f} ms, "
                f"p95 {row['p95']:.0f} ms, p99 {row['p99']:.0f} ms, errors {row['errors']}, "
                f"partial facets {row['partial']}"
                + (" (pytest ran)" if meter.pytest_seen else ""))
            for line in row["first_errors"]:
                log(f"   error: {line}")
        out[str(clients)] = rows
        if discarded:
            out.setdefault("_discarded", {})[str(clients)] = discarded
    return out
