"""Response models: they shape the OpenAPI schema and pin the public JSON."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.errors import ERROR_CODES
from docsearch.search.notices import WARNING_CODES
from ingestion.states import BatchState, Reason, Status


class PageHit(BaseModel):
    page: int = Field(description="Page number, starting at 1.", examples=[3])
    snippet: str = Field(description="HTML-escaped text; query hits wrapped in <mark>.",
                         examples=["decomisaron 120 kg de <mark>clorhidrato</mark> de cocaína"])


class PassageHit(BaseModel):
    page: int = Field(description="Page number, starting at 1.")
    start: int = Field(description="Where the passage starts in the page's text (characters).")
    end: int = Field(description="Where it ends (exclusive).")
    score: float = Field(description="Cosine similarity of its vector to the query's.")


class Translation(BaseModel):
    text: str = Field(description="The query translated.", examples=["lavado de activos mediante inmuebles"])
    source: str = Field(description="The query's language.", examples=["en"])
    target: str = Field(description="The language it was translated to.", examples=["es"])
    via: str = Field(description="How: apertium+glossary, or glossary alone when the translator is not installed.")


class PassageText(BaseModel):
    id: str = Field(description="The document holding the passage.")
    title: str | None = None
    page: int
    start: int = Field(description="Where the passage starts in the page's text (characters).")
    end: int = Field(description="Where it ends (exclusive).")
    score: float = Field(description="Cosine similarity of the passage to the question or passage asked about.")
    text: str = Field(description="The passage (plain text, trimmed).")


class Answer(PassageText):
    html: str = Field(description="The passage HTML-escaped, the question's words in <mark>.")


class SearchResult(BaseModel):
    id: str = Field(description="sha256 of the original file.")
    title: str | None
    doc_type: str | None = None
    collection: str | None = None
    institution: str | None = None
    year: int | None = None
    language: str | None = None
    page_count: int | None = None
    score: float | None = None
    pages: list[PageHit] = Field(description="The document's best pages for the query (at most 3).")
    matched: Literal["lexical", "semantic", "both", "translation"] = Field(
        "lexical", description="How it was found: by the query's words, by their meaning (its passages' vectors), "
        "both, or by the words of the query translated.")
    passages: list[PassageHit] = Field(default_factory=list,
                                       description="Its passages nearest the query's meaning (hybrid and semantic modes).")


class FacetValue(BaseModel):
    value: str
    count: int = Field(description="Documents with this value (given every other selected filter).")
    selected: bool


class ExpansionInfo(BaseModel):
    term: str = Field(description="Words of the query the legal thesaurus knows.", examples=["coima"])
    alternatives: list[str] = Field(description="Also searched, as the same thing.", examples=[["soborno", "cohecho"]])
    related: list[str] = Field(default_factory=list, description="Related terms: they only rank a document higher.")


class QueryNotice(BaseModel):
    code: str = Field(description="One of " + ", ".join(f"`{c}`" for c in WARNING_CODES) + "; `other` for a warning "
                      "without a code.", examples=["unclosed_quote"])
    message: str = Field(description="The warning in English, as `warnings` lists it.")
    params: dict[str, Any] = Field(default_factory=dict, description="What it names: `position` (a character of "
                                   "the query, from 1), `word`, `operator`, `field`, `fields`.",
                                   examples=[{"position": 7}])


class QueryReading(BaseModel):
    q: str = Field(description="The query as sent.")
    interpreted: str = Field(description="How it was read, in the query language (citations in canonical form).",
                             examples=['law:"Decreto Legislativo 1106" lavado'])
    warnings: list[str] = Field(description="Slips read sensibly (an unclosed quote, a dangling OR, ...).")
    notices: list[QueryNotice] = Field(default_factory=list, description="The same warnings, each with a stable "
                                       "`code` and the values it names, for a client to say in its own language.")
    approximate: bool = Field(description="True when nothing matched exactly and typos were allowed.")
    relaxed: bool = Field(False, description="True when some results hold only part of the query's words "
                          "(those holding every word come first).")
    all_words: int | None = Field(None, description="Documents holding every word of the query; null when "
                                  "the query asks for every word anyway (one word, `+word`, `AND`, quotes).")
    expansions: list[ExpansionInfo] = Field(default_factory=list, description="Synonyms and abbreviations "
                                            "also searched (docs/thesaurus.md); `interpreted` shows them too.")
    mode: Literal["lexical", "semantic", "hybrid"] = Field(
        "lexical", description="The mode used: `lexical` when asked, or when the query holds identifiers, phrases, "
        "fields or operators (searched by their words alone), or when the index has no vectors yet.")
    asked_mode: Literal["lexical", "semantic", "hybrid"] = Field(
        "hybrid", description="The mode asked for: the request's `mode`, or the server's default "
        "(`DOCSEARCH_DEFAULT_SEARCH_MODE`) when it names none. `mode` differs when the server searched by words alone.")
    translated: Translation | None = Field(
        None, description="The query in the archive's other language (English <-> Spanish), also searched.")


_SEARCH_EXAMPLE: dict[str, Any] = {
    "total": 1, "took_ms": 41, "page": 1, "size": 10, "sort": "relevance", "next_search_after": None,
    "query": {"q": "DL 1106 lavado", "interpreted": 'law:"Decreto Legislativo 1106" lavado', "warnings": [],
              "approximate": False, "relaxed": False, "all_words": None, "expansions": []},
    "results": [{"id": "8e88bcf8b8704ad8dc543f4b856a817e2dbb9db2715c9147271f61e024360597",
                 "title": "Recurso de Nulidad 456-2019/Callao", "doc_type": "recurso de nulidad",
                 "collection": "jurisprudencia", "institution": "Corte Suprema de Justicia", "year": 2019,
                 "language": "es", "page_count": 2, "score": 7.31,
                 "pages": [{"page": 2, "snippet": "Conforme al artículo 10 del Decreto Legislativo N.° <mark>1106</mark>, "
                                                  "el <mark>lavado</mark> de activos es autónomo."}]}],
    "facets": {"year": [{"value": "2019", "count": 1, "selected": False}],
               "laws": [{"value": "Decreto Legislativo 1106", "count": 1, "selected": False}]},
    "partial_facets": [],
}


class SearchResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_SEARCH_EXAMPLE]})

    total: int = Field(description="Number of matching documents.")
    took_ms: int = Field(description="Time the search took in the service, every engine request of it included (ms).")
    page: int
    size: int
    sort: str = Field(description="relevance, date_desc or date_asc.")
    results: list[SearchResult]
    next_search_after: str | None = Field(
        None, description="Pass as search_after (same q, filters and sort) for the next page; null on the last.")
    query: QueryReading
    facets: dict[str, list[FacetValue]] | None = Field(
        None, description="Per facet, its top values with document counts; `year` lists every year (a histogram).",
        examples=[{"laws": [{"value": "Decreto Legislativo 1106", "count": 12, "selected": False}]}])
    partial_facets: list[str] | None = Field(
        None, description="Facets whose time budget ran out: their counts may be incomplete.", examples=[[]])
    answer: Answer | None = Field(
        None, description="For a question (first page, hybrid or semantic mode): the passage of the first results "
        "nearest its meaning.")
    facets_missing: dict[str, int] | None = Field(
        None, description="Per facet counted apart, the documents without a value (given every other selection): "
        "`year` counts the documents with no year, selected by the filter value `none` (`year=none`).",
        examples=[{"year": 3}])


class FieldInfo(BaseModel):
    key: str = Field(description="The field's name: its facet name and filter parameter.", examples=["persons"])
    labels: dict[str, str] = Field(description="What to call it, by language.",
                                   examples=[{"es": "Personas", "en": "People"}])
    kind: str = Field(description="text, year, code (a short value) or name (words of a name).")
    facet: bool = Field(description="Counted in a search's facets and taken as a filter.")
    entity: str | None = Field(description="The entity type whose canonical forms fill it (entity_summary type).")
    query: str | None = Field(description="Its name in the query language (person:quispe); null if none.")
    aliases: list[str] = Field(description="Other names the query language takes for it.")


class FacetValues(BaseModel):
    facet: str
    prefix: str
    partial: bool = Field(description="True when the time budget ran out.")
    values: list[FacetValue]


class EntityRow(BaseModel):
    type: str = Field(description="Entity type (GET /api/fields names the field holding it).", examples=["law"])
    canonical: str = Field(examples=["Decreto Legislativo 1106"])
    count: int = Field(description="Mentions in the document.")
    surfaces: list[str] = Field(description="How it was written (up to 10 spellings).")
    pages: list[int] = Field(description="Pages that mention it.")


class PageInfo(BaseModel):
    page: int
    language: str | None = None
    chars: int | None = Field(None, description="Characters of text on the page.")
    ocr: bool = Field(False, description="The text was read by OCR.")
    ocr_confidence: float | None = Field(None, description="Tesseract's mean word confidence (0-100), OCR pages only.")
    entities: dict[str, list[str]] = Field(default_factory=dict, description="Entities on the page, by type.")


class PdfInfo(BaseModel):
    title: str | None = None
    author: str | None = None
    created: str | None = None
    producer: str | None = None


class Inferred(BaseModel):
    doc_type: str | None = None
    institution: str | None = None
    year: int | None = None
    topics: list[str] = Field(default_factory=list)
    signals: dict = Field(default_factory=dict, description="What the inference rested on.")


class Load(BaseModel):
    """One load of a document's bytes (a file record and its batch)."""

    file: str = Field(description="The file record's id (`<batch_id>-<seq>`).")
    batch: str | None = None
    collection: str | None = None
    name: str | None = Field(None, description="The name it was loaded under, with its path inside an archive.")
    uploader: str | None = Field(None, description="Who loaded it (null: server tooling).")
    origin: str | None = Field(None, description="api, cli or import.")
    loaded_at: str | None = Field(None, description="When it was received.")
    finished_at: str | None = None
    status: str | None = Field(None, description="indexed, duplicate (the same bytes twice in one load), failed, ...")


class Custody(BaseModel):
    """Where the original came from: its hash and size, and every load of its bytes the caller may see."""

    sha256: str = Field(description="sha256 of the original: its id and its name in the store.")
    size: int | None = Field(None, description="Bytes.")
    ingested_at: str | None = None
    loads: list[Load] = Field(default_factory=list, description="Oldest first.")


class DocumentDetail(BaseModel):
    id: str = Field(description="sha256 of the original file.")
    title: str | None = None
    collection: str | None = None
    classification: str | None = Field(None, description="public, reserved or sealed (who may read it).")
    readers: list[str] = Field(default_factory=list, description="The users a sealed document is open to.")
    doc_type: str | None = None
    institution: str | None = Field(None, description="Issuing court or office.")
    year: int | None = None
    language: str | None = None
    topics: list[str] = Field(default_factory=list)
    page_count: int | None = None
    file_size: int | None = Field(None, description="Bytes.")
    parser: str | None = Field(None, description="What read the text layer (pdfium or pypdf).")
    ocr_pages: int | None = Field(None, description="Pages read by OCR.")
    source_paths: list[str] = Field(default_factory=list, description="Every name the file was loaded under.")
    source_names: list[str] = Field(default_factory=list)
    batch_ids: list[str] = Field(default_factory=list)
    file_ids: list[str] = Field(default_factory=list)
    pdf: PdfInfo | None = Field(None, description="The PDF's own metadata.")
    ingested_at: str | None = None
    entities: dict[str, list[str]] = Field(default_factory=dict, description="Canonical forms by entity type.")
    entity_summary: list[EntityRow] = Field(default_factory=list, description="One row per distinct entity, "
                                            "most frequent first.")
    inferred: Inferred | None = Field(None, description="What was inferred from the text, beside what the "
                                      "uploader said.")
    pages: list[PageInfo] = Field(default_factory=list, description="Every page, without its text "
                                  "(GET /api/documents/{id}/pages/{n} has it).")
    custody: Custody | None = Field(None, description="Chain of custody of the original (docs/custody.md).")


class PageText(BaseModel):
    page: int
    page_count: int | None = None
    text: str = Field(description="The page's text.")
    html: str = Field(description="The text HTML-escaped, with the query's hits wrapped in <mark>.")
    hits: int = Field(description="Number of marked hits.")
    language: str | None = None
    ocr: bool = False
    ocr_confidence: float | None = None
    chars: int | None = None
    entities: dict[str, list[str]] = Field(description="Entities on this page, by type (canonical forms).")


class SimilarDocuments(BaseModel):
    id: str
    results: list[SearchResult]


class SimilarPassages(BaseModel):
    id: str
    page: int
    start: int
    results: list[PassageText]


class CitingDocument(BaseModel):
    id: str
    title: str | None = None
    doc_type: str | None = None
    institution: str | None = None
    year: int | None = None
    count: int = Field(description="Times this document cites it.")
    pages: list[int] = Field(description="Pages where it does.")


class CitedBy(BaseModel):
    canonical: str = Field(examples=["Decreto Legislativo 1106"])
    type: str | None = Field(description="law, case or ref (a document cited by its number); null when nothing cites it.")
    total: int = Field(description="Documents citing it.")
    mentions: int = Field(description="Citations counted in the documents listed.")
    results: list[CitingDocument]


class EntityDocument(BaseModel):
    id: str
    title: str | None = None
    doc_type: str | None = None
    year: int | None = None
    collection: str | None = None
    mentions: int = Field(description="Times the document names the entity.")
    pages: list[int] = Field(description="Pages that name it.")


class LinkedValue(BaseModel):
    value: str
    pages: int = Field(description="Pages naming both (the stronger link).")
    documents: int = Field(description="Documents naming both.")


class LinkedEntities(BaseModel):
    field: str = Field(description="A facet of GET /api/search (persons, criminal_orgs, cases, ...).")
    type: str
    values: list[LinkedValue]


class EntityIdentity(BaseModel):
    id: str = Field(description="The archive's identity (GET /api/entities/{id}); the same for every spelling.",
                    examples=["per-3f9a0c1d2b4e5f60"])
    dni: list[str] = Field(default_factory=list, description="DNI numbers the caller's documents print beside it.")
    ruc: list[str] = Field(default_factory=list, description="RUC numbers the caller's documents print beside it.")


class EntityPage(BaseModel):
    field: str = Field(examples=["criminal_orgs"])
    type: str = Field(examples=["criminal_org"])
    value: str = Field(examples=["Los Injertos del Cono"])
    documents: int = Field(description="Documents that name it (of those the caller may read).")
    pages: int = Field(description="Pages that name it.")
    first_year: int | None = None
    last_year: int | None = None
    identity: EntityIdentity | None = Field(None, description="For persons, companies and criminal organisations: "
                                            "the one identity its spellings across the archive resolve to.")
    variants: list[str] = Field(description="How the documents write it.")
    spellings: list[str] = Field(default_factory=list, description="The names the documents give it, before they "
                                 "were resolved to this identity (what a split moves).")
    results: list[EntityDocument] = Field(description="Documents naming it, most mentions first (the newest 20).")
    linked: list[LinkedEntities] = Field(description="Entities named with it, per field: on the same page "
                                         "first, then in the same document.")


class EntityMerge(BaseModel):
    source: str = Field(min_length=1, max_length=100, description="The identity merged away.")
    target: str = Field(min_length=1, max_length=100, description="The identity it becomes part of.")


class EntitySplit(BaseModel):
    id: str = Field(min_length=1, max_length=100, description="The identity split.")
    spellings: list[str] = Field(min_length=1, max_length=50, description="Its spellings that name someone else "
                                 "(as its page lists them).")
    name: str | None = Field(None, max_length=256, description="The new identity's name (default: the first "
                             "spelling).")


class EntityCorrection(BaseModel):
    entity: EntityPage = Field(description="The corrected identity, as the caller sees it.")
    new: EntityPage | None = Field(None, description="After a split: the new identity.")


class NetworkNode(BaseModel):
    id: str = Field(description="type:value, e.g. 'per:Teodoro Quispe Mamani'.")
    field: str = Field(description="Its facet (persons, criminal_orgs, ...).")
    type: str
    value: str
    documents: int = Field(description="Selected documents naming it.")


class NetworkEdge(BaseModel):
    source: str
    target: str
    pages: int = Field(description="Pages of the selected documents naming both: the edge's weight.")


class Network(BaseModel):
    q: str
    types: list[str] = Field(description="The entity facets drawn (those asked for, or the default).")
    documents: int = Field(description="Documents the search selects (of those the caller may read).")
    nodes: list[NetworkNode]
    edges: list[NetworkEdge] = Field(description="Heaviest first, at most 300.")


class Suggestion(BaseModel):
    value: str
    type: str = Field(description="title or a facet name (persons, laws, ...).")
    count: int = Field(description="Documents with this value.")


class Suggestions(BaseModel):
    prefix: str
    suggestions: list[Suggestion]


class BatchCreated(BaseModel):
    batch_id: str


class FileStatus(BaseModel):
    name: str = Field(description="The name given, with the path inside an archive: `archivo.zip/2019/a.pdf`.")
    status: Status
    reason: Reason | None = Field(None, description="Reason code when failed (see the README's table).")
    message: str | None = Field(None, description="What happened, in words.")
    note: str | None = Field(None, description="Something worth knowing that is not a failure.")
    document_id: str | None = None
    sha256: str | None = None
    size: int | None = None
    pages: int | None = None
    ocr_pages: int | None = Field(None, description="Pages read by OCR.")
    attempts: int | None = None
    updated_at: str | None = None
    doc_type: str | None = Field(None, description="The document type given for this file (or for the archive it "
                                                   "came in), which wins over the load's `doc_type`.")


class QueuePlace(BaseModel):
    position: int = Field(description="1: next to be taken by a worker; n: n-1 loads have files queued before it.")
    batches_ahead: int = Field(description="Other loads with files waiting or in work that were queued before it.")
    files_ahead: int = Field(description="Their files still waiting or in work.")
    files_processing: int = Field(description="Of those, the files a worker is working on now.")


class BatchStatus(BaseModel):
    id: str
    name: str | None = Field(None, description="What to call the load: its first file or folder, and how many "
                                               "others came with it (`expedientes.zip`, `a.pdf (+41)`); null for "
                                               "loads made before loads were named.",
                             examples=["expedientes.zip"])
    state: BatchState
    created_at: str
    collection: str | None
    doc_type: str | None
    origin: str | None = Field(description="api, cli or import.")
    total: int = Field(description="Files in the load (archive entries counted one by one).")
    counts: dict[str, int] = Field(description="Files by status.", examples=[{"queued": 0, "processing": 2,
                                   "indexed": 95, "duplicate": 1, "failed": 2}])
    reasons: dict[str, int] = Field(description="Failed files by reason code.")
    pages_done: int
    ocr_pages_done: int
    elapsed_s: float | None = Field(description="Seconds since the first file started (to the last one, when done).")
    pages_per_s: float | None
    files_per_s: float | None
    eta_s: float | None = Field(description="Estimated seconds left, at the pace so far; null while nothing moves "
                                            "(no file started, or none finished yet).")
    queue: QueuePlace | None = Field(None, description="Where the load waits, while none of its files has started "
                                                       "(state `queued`); null otherwise.")
    files_matching: int | None = Field(None, description="Files matching the status filter (all listed or not).")
    files: list[FileStatus] | None = None


class Requeued(BaseModel):
    batch_id: str
    requeued: int = Field(description="Files queued again.")


class ErrorInfo(BaseModel):
    code: str = Field(description="Stable: one of " + ", ".join(f"`{c}`" for c in ERROR_CODES) + ". A client says "
                      "the error in its language by this code, and shows `message` for a code it does not know.")
    message: str
    detail: object | None = None


class ErrorResponse(BaseModel):
    error: ErrorInfo


class HitBox(BaseModel):
    x: float = Field(description="Left edge, as a fraction of the page image's width (0..1).")
    y: float = Field(description="Top edge, as a fraction of the page image's height (0..1).")
    w: float = Field(description="Width, as a fraction of the page image's width.")
    h: float = Field(description="Height, as a fraction of the page image's height.")
    hit: int = Field(description="Which hit (from 0, in page order); a phrase wrapped across lines has one box per line.")


class PageBoxes(BaseModel):
    page: int
    width: float = Field(description="The page's width in PDF points, as displayed (rotation applied).")
    height: float = Field(description="The page's height in PDF points, as displayed.")
    text_layer: bool = Field(description="False for a scanned page: its text was read by OCR, which has no "
                                         "positions, so hits cannot be placed (and `boxes` is empty).")
    hits: int = Field(description="Hits placed on the page.")
    boxes: list[HitBox] = Field(description="Where the hits the page view marks for `q` are, in page order.")


class UserInfo(BaseModel):
    username: str = Field(validation_alias="name")
    role: str
    groups: list[str] = Field(default_factory=list)
    email: str | None = None
    disabled: bool = False
    created_at: str | None = None
    updated_at: str | None = None
    last_used_at: str | None = None
    model_config = ConfigDict(populate_by_name=True)


class Me(BaseModel):
    username: str
    role: str
    groups: list[str]
    collections: dict[str, list[str]] = Field(description="Rights per collection (read, write, manage).")


class SignedIn(BaseModel):
    user: Me
    csrf_token: str = Field(description="Send it as X-CSRF-Token with every change made under this sign-in.")


class TokenInfo(BaseModel):
    id: str
    name: str | None = None
    created_at: str | None = None
    last_used_at: str | None = None


class NewToken(TokenInfo):
    token: str = Field(description="The token itself: shown once, stored only as a hash.")


class Grant(BaseModel):
    principal: str = Field(pattern=r"^(user|group):[a-z0-9][a-z0-9._-]{1,63}$", examples=["group:fiscalia-lima"])
    rights: list[Literal["read", "write", "manage"]] = Field(min_length=1)


class CollectionInfo(BaseModel):
    name: str
    default_classification: Literal["public", "reserved", "sealed"] = "reserved"
    grants: list[Grant] = Field(default_factory=list)
    display_name: str | None = Field(None, description="The name the interface shows; null: its name.")
    hidden: bool = Field(False, description="Left out of a search that chooses no collection.")
    updated_at: str | None = None


class CollectionLabel(BaseModel):
    name: str = Field(examples=["lima"])
    display_name: str | None = Field(None, description="The name the interface shows; null: its name.",
                                     examples=["Fiscalía de Lima — Crimen Organizado"])
    hidden: bool = Field(False, description="Left out of a search that chooses no collection.")


class CustodyFinding(BaseModel):
    kind: Literal["modified", "missing", "orphan"] = Field(
        description="modified: its bytes no longer hash to its name; missing: an indexed document's original is "
                    "not stored; orphan: a stored file that no document or file record names.")
    sha256: str = Field(description="The name it is stored under (a document's id).")
    path: str = Field(description="Where, under the store's root.")
    detail: str = ""
    actual: str | None = Field(None, description="What a modified file's bytes hash to now.")


class CustodyReport(BaseModel):
    ok: bool = Field(description="Every original is there, unchanged, and known.")
    started_at: str
    finished_at: str
    seconds: float
    documents: int = Field(description="Indexed documents checked.")
    files: int = Field(description="Stored originals re-hashed.")
    bytes: int = Field(description="Bytes re-hashed.")
    counts: dict[str, int] = Field(description="Findings by kind (modified, missing, orphan).")
    findings: list[CustodyFinding] = Field(description="The findings (the first 10,000).")
    listed: int
    complete_list: bool = Field(description="Whether every finding is listed.")


class WatchTarget(BaseModel):
    saved_search: str | None = Field(None, description="kind `search`: the saved search watched.")
    field: str | None = Field(None, description="kind `entity`: the entity facet, e.g. `criminal_orgs`.")
    value: str | None = Field(None, description="kind `entity`: the entity as its facet and page show it.")
    identity: str | None = Field(None, description="kind `entity`: the archive's identity it was resolved to, "
                                 "which any spelling of the name finds.")
    collection: str | None = Field(None, description="kind `collection`: the collection watched.")


class Watch(BaseModel):
    id: str
    kind: Literal["search", "entity", "collection"]
    label: str = Field(description="What is watched, as the inbox and e-mails name it.")
    target: WatchTarget
    delivery: Literal["immediate", "daily"] = Field(description="`immediate`: each document as it is indexed; "
                                                    "`daily`: one e-mail a day (the inbox shows them at once).")
    active: bool = Field(description="A paused watch finds nothing until it is resumed.")
    created_at: str
    updated_at: str


class SavedSearch(BaseModel):
    id: str
    name: str
    q: str = ""
    filters: dict[str, list[str]] = Field(default_factory=dict)
    mode: Literal["lexical", "semantic", "hybrid"] | None = None
    sort: str = "relevance"
    year_from: int | None = None
    year_to: int | None = None
    created_at: str
    updated_at: str
    watch: Watch | None = Field(None, description="Its watch, when it is watched.")


class NewSavedSearch(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["Los Injertos del Cono: lavado"])
    q: str = Field("", max_length=1000)
    filters: dict[str, list[str]] = Field(default_factory=dict, examples=[{"criminal_orgs": ["Los Injertos del Cono"]}])
    mode: Literal["lexical", "semantic", "hybrid"] | None = None
    sort: Literal["relevance", "date_desc", "date_asc"] = "relevance"
    year_from: int | None = Field(None, ge=0, le=9999)
    year_to: int | None = Field(None, ge=0, le=9999)


class SavedSearchChange(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class NewWatch(BaseModel):
    kind: Literal["search", "entity", "collection"]
    delivery: Literal["immediate", "daily"] = "immediate"
    saved_search: str | None = Field(None, max_length=64, description="kind `search`: the saved search's id.")
    field: str | None = Field(None, max_length=64, description="kind `entity`: an entity facet, e.g. `criminal_orgs`.")
    value: str | None = Field(None, max_length=512, description="kind `entity`: the entity as its page shows it.")
    collection: str | None = Field(None, max_length=100, description="kind `collection`: a collection you may read.")


class WatchChange(BaseModel):
    delivery: Literal["immediate", "daily"] | None = None
    active: bool | None = None


class Notification(BaseModel):
    id: str
    watch_id: str
    watch_kind: str
    watch_label: str
    document_id: str
    title: str
    page: int | None = None
    snippet: str | None = Field(None, description="HTML-safe; the words found are in `<mark>`.")
    at: str = Field(description="When the document was announced.")
    read: bool


class Inbox(BaseModel):
    unread: int = Field(description="Unread notifications of documents you may read now.")
    items: list[Notification]


class Unread(BaseModel):
    unread: int


class MarkRead(BaseModel):
    ids: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=1000)
    all: bool = Field(False, description="Mark every notification read.")


# -- working tools: case folders, stars, tags and notes, batch search (docsearch/folders.py, annotations.py,
# batchsearch.py) ----------------------------------------------------------------------------------------------
Member = Annotated[str, Field(max_length=110, pattern=r"^(user|group):\S.*$", examples=["user:ana", "group:fiscalia-lima"])]
DocId = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class FolderDocument(BaseModel):
    document_id: str
    title: str | None = None
    collection: str | None = None
    doc_type: str | None = None
    institution: str | None = Field(None, description="Court or office.")
    year: int | None = None
    page_count: int | None = None
    note: str = ""
    added_by: str | None = None
    added_at: str | None = None


class Folder(BaseModel):
    id: str
    name: str
    owner: str
    note: str = ""
    members: list[str] = Field(description="Who shares it: `user:<name>` or `group:<group>`; they add and remove "
                               "documents, the owner alone renames, shares and deletes it.")
    count: int = Field(description="Documents in it that you may read (the others are neither shown nor counted).")
    mine: bool = Field(description="You own it.")
    created_at: str
    updated_at: str


class FolderDetail(Folder):
    items: list[FolderDocument]


class NewFolder(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["Caso Los Gavilanes del Rímac"])
    note: str = Field("", max_length=4000)
    members: list[Member] = Field(default_factory=list, max_length=100)


class FolderChange(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=200)
    note: str | None = Field(None, max_length=4000)
    members: list[Member] | None = Field(None, max_length=100, description="The members, all of them (sharing).")


class NewFolderItem(BaseModel):
    document_id: DocId
    note: str = Field("", max_length=4000)


class FolderItemChange(BaseModel):
    note: str = Field(max_length=4000)


class FolderItem(BaseModel):
    document_id: str
    note: str = ""
    added_by: str | None = None
    added_at: str | None = None


class Mark(BaseModel):
    document_id: str
    page: int | None = Field(None, description="The page it is on; none: the document as a whole.")
    starred: bool
    tags: list[str]
    note: str
    updated_at: str | None = None


class MarkChange(BaseModel):
    page: int | None = Field(None, ge=1, le=100_000, description="A page; none: the document as a whole.")
    starred: bool | None = None
    tags: list[Annotated[str, Field(max_length=50)]] | None = Field(None, max_length=20,
                                                                     examples=[["testigo clave", "apelación"]])
    note: str | None = Field(None, max_length=4000)


class MarkedDocument(BaseModel):
    title: str | None = None
    collection: str | None = None
    doc_type: str | None = None
    institution: str | None = None
    year: int | None = None
    page_count: int | None = None


class ListedMark(Mark):
    document: MarkedDocument


class TagCount(BaseModel):
    tag: str
    count: int = Field(description="Documents you may read that carry it.")


class BatchSearchBody(BaseModel):
    text: str = Field("", max_length=200_000, description="One line per search (names, DNI numbers, case numbers, "
                      "organisations); empty lines are skipped.", examples=["Juan Pérez Soto\n40123456\nLos Gavilanes"])
    lines: list[Annotated[str, Field(max_length=2000)]] = Field(
        default_factory=list, max_length=1000, description="The lines, instead of `text`.")
    top: int = Field(3, ge=0, le=10, description="Documents listed per line.")


class BatchDocument(BaseModel):
    id: str
    title: str


class BatchRow(BaseModel):
    line: int = Field(description="Its number in the list, from 1.")
    text: str
    query: str = Field(description="What was searched: a plain line as a phrase, a line in the query language as written.")
    total: int | None = Field(description="Documents you may read that match; none when the line has an error.")
    approximate: bool = Field(description="Found with typos allowed, or with only some of its words.")
    top: list[BatchDocument]
    error: str | None = None


class BatchSearchAnswer(BaseModel):
    count: int = Field(description="Lines searched.")
    rows: list[BatchRow]
