"""The ``docsearch`` command line: a face of the system beside the API.

Like the API it composes the core (``docsearch/``) and ``ingestion/``; nothing imports it. This module is the
command table: what the commands do lives beside it (``searching``, ``documents``, ``batches``, ``audit``; the terminal
rendering of the service's marked HTML in ``render``; the facet options, generated from the field registry,
in ``filters``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from cli import audit, batches, collection_settings, custody, documents, entities, searching, users, watching
from cli.backup import app as backup_app
from cli.filters import NO_FILTERS, Filters, with_filters
from docsearch.engine import Engine, quiet_client_logs
from docsearch.migration import migrate
from docsearch.schema import audit_alias, drop_indices, ensure_indices, entities_alias, schema_status
from docsearch.search import MAX_PAGE_SIZE, SORTS
from docsearch.settings import Settings, get_settings
from ingestion import submit
from ingestion.reconcile import Reconciler
from ingestion.states import Mode
from samples import corpus as sample_corpus
from services import stack

app = typer.Typer(help="docsearch: search legal and prosecution material.", no_args_is_help=True,
                  add_completion=False)
services_app = typer.Typer(help="Start, stop and inspect the local services.", no_args_is_help=True)
index_app = typer.Typer(help="Manage the search indices.", no_args_is_help=True)
app.add_typer(services_app, name="services")
app.add_typer(index_app, name="index")
app.add_typer(backup_app, name="backup")
users_app = typer.Typer(help="Users, passwords and API tokens (on the server).", no_args_is_help=True)
app.add_typer(users_app, name="users")
audit_app = typer.Typer(help="Check and read the audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
entities_app = typer.Typer(help="One identity per person, company and criminal organisation: look up, merge, "
                           "split (on the server; audited).", no_args_is_help=True)
app.add_typer(entities_app, name="entities")
custody_app = typer.Typer(help="The chain of custody of the originals: where each came from, a check of the "
                          "store, the check of an export (docs/custody.md).", no_args_is_help=True)
app.add_typer(custody_app, name="custody")
saved_app = typer.Typer(help="A user's saved searches: save, list, rename, delete, run (on the server; audited).",
                        no_args_is_help=True)
app.add_typer(saved_app, name="saved")
watches_app = typer.Typer(help="A user's watches of saved searches, entities and collections (on the server; "
                          "audited), and the daily digests.", no_args_is_help=True)
app.add_typer(watches_app, name="watches")
collections_app = typer.Typer(help="Collections: display names, hidden from default searches, classification of "
                               "new documents (on the server; audited).", no_args_is_help=True)
app.add_typer(collections_app, name="collections")
console = Console(soft_wrap=True)

SAMPLE_COLLECTION = "muestra"
Only = Annotated[Optional[str], typer.Option(help="Comma-separated subset: engine,redis,worker,api.")]


def _components(only: str | None) -> tuple[str, ...]:
    if not only:
        return stack.COMPONENTS
    chosen = tuple(part.strip() for part in only.split(",") if part.strip())
    unknown = [c for c in chosen if c not in stack.COMPONENTS]
    if unknown:
        raise typer.BadParameter(f"unknown component(s): {', '.join(unknown)}; "
                                 f"choose from {', '.join(stack.COMPONENTS)}")
    return tuple(c for c in stack.COMPONENTS if c in chosen)


def _start(settings, components: tuple[str, ...], nodes: int = 1) -> None:
    try:
        stack.up(settings, components, report=_report, nodes=nodes)
    except RuntimeError as exc:
        console.print(f"[red]could not start:[/] {exc}")
        raise typer.Exit(1) from None


def _report(name: str, state: str) -> None:
    hint = ""
    if state.startswith("needs-rebuild"):
        hint = ("  (docsearch watches rebuild)" if name.endswith("-watches")
                else "  (docsearch index migrate)" if name == get_settings().documents_alias else "")
    console.print(f"  [bold]{name:8}[/] {state}{hint}")


@services_app.command("up")
def services_up(
    only: Only = None,
    nodes: Annotated[int, typer.Option(min=1, max=9, help="Engine nodes: 3 starts a cluster on this machine "
                                       "(ports from the engine URL's up, replicas 1; docs/operating.md).")] = 1,
) -> None:
    """Start the engine, Redis, a worker and the API (each only if not already running)."""
    settings = get_settings()
    _start(settings, _components(only), nodes)
    if nodes > 1:
        clustered = stack.cluster_settings(settings, nodes)
        console.print(f"  cluster of {nodes} nodes; for other commands set DOCSEARCH_ENGINE_NODES={clustered.engine_nodes} "
                      "DOCSEARCH_INDEX_REPLICAS=1")


@services_app.command("down")
def services_down(only: Only = None) -> None:
    """Stop what `services up` started."""
    stack.down(get_settings(), _components(only), report=_report)


@services_app.command("status")
def services_status() -> None:
    for name, state in stack.status(get_settings()).items():
        _report(name, state)


@app.command()
def up(sample: Annotated[bool, typer.Option(help="Load the sample corpus.")] = True) -> None:
    """Start everything, load the sample corpus, and print where to search."""
    settings = get_settings()
    console.print("[bold]Starting docsearch[/]")
    _start(settings, stack.COMPONENTS)
    if sample:
        _load_sample(settings)
    console.print(f"\n[bold green]docsearch is running:[/] {stack.api_url(settings)}/  "
                  f"(API docs: {stack.api_url(settings)}/docs)")
    if settings.env == "development":
        users.first_sign_in(settings, stack.api_url(settings))


@app.command()
def down() -> None:
    """Stop every local service."""
    services_down(None)


def _load_sample(settings: Settings) -> None:
    folder = settings.data_dir / "sample"
    paths = sample_corpus.generate(folder)
    engine = Engine.connect(settings)
    missing = [p for p in paths if engine.get(settings.documents_alias, _sha256(p), _source_includes=["id"]) is None]
    if not missing:
        console.print(f"  [bold]sample  [/] {len(paths)} documents already indexed")
        return
    store = users.accounts(settings)
    if store.collection(SAMPLE_COLLECTION) is None:  # training material: every signed-in user reads it
        store.set_collection(SAMPLE_COLLECTION, default_classification="public")
    console.print(f"  [bold]sample  [/] loading {len(missing)} documents into collection '{SAMPLE_COLLECTION}'")
    try:
        batches.ingest(missing, SAMPLE_COLLECTION, None, wait=True)
    except typer.Exit:  # a failed sample file is listed with its reason; the rest is loaded
        pass


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="PDF files or folders (searched recursively).", exists=True)],
    collection: Annotated[str, typer.Option(help="Collection to file the documents under.")] = "default",
    doc_type: Annotated[Optional[str], typer.Option(help="Document type, if known.")] = None,
    wait: Annotated[bool, typer.Option(help="Show progress until every file is done, then every failed file.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The batch as JSON on stdout (progress on stderr).")] = False,
) -> None:
    """Load PDFs: each file is stored, queued and indexed by the workers (exit 2 when any failed)."""
    batch_id = batches.ingest(paths, collection, doc_type, wait, as_json)
    if not wait and not as_json:
        console.print(f"batch {batch_id} queued; follow it with: docsearch batch {batch_id}")


@app.command()
def batch(batch_id: str,
          as_json: Annotated[bool, typer.Option("--json", help="The summary and every failed file as JSON.")] = False,
          ) -> None:
    """Show a batch: counts by state and every failed file with its reason."""
    batches.show(batch_id, as_json)


@app.command()
def retry(
    batch_id: str,
    reason: Annotated[Optional[list[str]], typer.Option(help="Only failures with this reason (repeatable).")] = None,
    wait: Annotated[bool, typer.Option(help="Show progress until every file is done.")] = True,
) -> None:
    """Queue the failed files of a batch again."""
    settings = get_settings()
    batches.requeued(batch_id, submit.retry(Engine.connect(settings), settings, batch_id, reason), wait)


@app.command()
def reprocess(
    batch_id: str,
    stage: Annotated[str, typer.Option(help="all | ocr | nlp (tag the indexed text again, and make its passage "
                                              "vectors again where their model changed).")] = Mode.NLP.value,
    wait: Annotated[bool, typer.Option(help="Show progress until every file is done.")] = True,
) -> None:
    """Process the indexed files of a batch again: everything, only scans (OCR), or only the language analysis
    (entities, metadata, and passage vectors made by another model)."""
    settings = get_settings()
    try:
        ids = submit.reprocess(Engine.connect(settings), settings, batch_id, stage)
    except ValueError as exc:  # not a stage
        raise typer.BadParameter(str(exc)) from exc
    batches.requeued(batch_id, ids, wait)


@app.command()
def reconcile() -> None:
    """Queue again the files lost by a broker restart or a dead worker (the workers also do it on their own)."""
    reconciler = Reconciler.create(get_settings())
    report = reconciler.run_once()
    console.print(f"{report['checked']} stale files checked, {len(report['requeued'])} queued again")


Sort = Annotated[str, typer.Option(help=f"One of: {', '.join(SORTS)}.")]


@app.command()
@with_filters()
def search(
    q: Annotated[str, typer.Argument(metavar="QUERY", help="The query (docs/search.md: words, \"phrases\", OR, -word, field:value).")] = "",
    filters: Filters = NO_FILTERS,
    page: Annotated[int, typer.Option(help="Page of results, from 1.")] = 1,
    size: Annotated[int, typer.Option(help=f"Results per page (at most {MAX_PAGE_SIZE}).")] = 10,
    sort: Sort = "relevance",
    facets: Annotated[bool, typer.Option("--facets", help="Also print the facet counts.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The search service's answer as JSON (for jq).")] = False,
    ids: Annotated[bool, typer.Option("--ids", help="Only the ids of the results, one a line.")] = False,
) -> None:
    """Search as the web page does: titles, best pages with hits, the query's reading, facets."""
    searching.run(q, filters, page=page, size=size, sort=sort, facets=facets, as_json=as_json, ids=ids)


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="The document's id.")],
    page: Annotated[Optional[int], typer.Option(help="The page to print (default: the page that ranks best "
                                                "for --q, else 1).")] = None,
    q: Annotated[str, typer.Option("--q", help="Style this query's hits on the page.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="The document and the page as JSON.")] = False,
) -> None:
    """A document: its metadata, its entities by type, and one page's text."""
    documents.show(doc_id, page, q, as_json)


@app.command()
def get(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="The document's id.")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output",
                                                   help="File or folder (default: its loaded name, here).")] = None,
) -> None:
    """Save the original file of a document."""
    documents.get(doc_id, output)


@app.command()
@with_filters()
def export(
    q: Annotated[str, typer.Argument(metavar="QUERY", help="The query, as for `docsearch search`.")] = "",
    filters: Filters = NO_FILTERS,
    query: Annotated[Optional[str], typer.Option("--q", help="The query, as an option (instead of QUERY).")] = None,
    ids: Annotated[Optional[list[str]], typer.Option("--id", help="A document to export instead of a search "
                                                     "(repeat for several).")] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="The ZIP to write.")] = Path("export.zip"),
    limit: Annotated[int, typer.Option(help="At most this many documents, in result order (at most 1000).")] = 100,
    sort: Sort = "relevance",
    as_user: Annotated[Optional[str], typer.Option("--as-user", help="Only what this user may read.")] = None,
) -> None:
    """The originals of a search's results (or of --id documents) in a ZIP for court: SHA256SUMS, manifest.json
    (who, when, the query, every file's sha256, size, names and loads) and its signature (docs/custody.md)."""
    if query is not None and q:
        raise typer.BadParameter("give the query once: as QUERY or as --q")
    custody.export(query if query is not None else q, filters, ids or [], output, limit, sort, as_user)


@index_app.command("ensure")
def index_ensure() -> None:
    """Create missing indices behind their aliases (idempotent)."""
    settings = get_settings()
    for alias, state in ensure_indices(Engine.connect(settings), settings).items():
        _report(alias, state)


@index_app.command("status")
def index_status() -> None:
    settings = get_settings()
    for alias, state in schema_status(Engine.connect(settings), settings).items():
        _report(alias, state)


@index_app.command("migrate")
def index_migrate(
    drop_old: Annotated[bool, typer.Option("--drop-old", help="Remove the old index once the alias has moved.")] = False,
    per_second: Annotated[Optional[float], typer.Option(help="Copy at most this many documents a second.")] = None,
) -> None:
    """Build the documents' index again with the current mapping while it is searched and loaded, then switch to it
    at once (docs/operating.md); nothing to do when it is current. Re-analyse afterwards with `docsearch reprocess
    <batch> --stage nlp` where the change needs it (new entity types)."""
    settings = get_settings()
    done = migrate(Engine.connect(settings), settings, drop_old=drop_old, per_second=per_second,
                   say=lambda line: console.print(line))
    if done["state"] == "current":
        console.print(f"{done['alias']} is current ({done['index']})")
    else:
        console.print(f"[green]{done['alias']} → {done['index']}[/] in {done['seconds']} s: {done['copied']} copied, "
                      f"{done['already']} written meanwhile, {done['removed']} removed meanwhile"
                      + ("" if done["old_kept"] else f"; {done['from']} removed"))


@index_app.command("reset")
def index_reset(yes: Annotated[bool, typer.Option("--yes", help="Confirm: every indexed document is removed.")] = False) -> None:
    """Delete and recreate the indices of documents and loads (the stored originals, the users, the audit
    trail and the entity identities stay; load the originals again to index them)."""
    if not yes:
        console.print("[red]This deletes every indexed document and batch record.[/] Run again with --yes to confirm.")
        raise typer.Exit(1)
    settings = get_settings()
    engine = Engine.connect(settings)
    drop_indices(engine, settings, keep=(settings.accounts_alias, audit_alias(settings), entities_alias(settings)))
    for alias, state in ensure_indices(engine, settings).items():
        _report(alias, state)


Role = Annotated[str, typer.Option(help="admin, prosecutor, judge, analyst or viewer.")]
Groups = Annotated[Optional[list[str]], typer.Option("--group", help="A group (repeat for several).")]
Password = Annotated[Optional[str], typer.Option(help="The password (default: asked, or one line of stdin).")]


Email = Annotated[Optional[str], typer.Option(help="Where the user's watch notifications are e-mailed (\"\" removes it).")]


@users_app.command("create")
def users_create(username: str, role: Role = "viewer", group: Groups = None, password: Password = None,
                 email: Email = None) -> None:
    """Create a user (the first administrator: `docsearch users create admin --role admin`)."""
    users.create(username, role, group or [], password, email)


@users_app.command("list")
def users_list() -> None:
    users.listing()


@users_app.command("passwd")
def users_passwd(username: str, password: Password = None) -> None:
    """Set a user's password (also unlocks it; its sign-ins end)."""
    users.change(username, password=password, ask_password=True)


@users_app.command("set")
def users_set(username: str, role: Annotated[Optional[str], typer.Option(help="A new role.")] = None,
              group: Groups = None,
              disabled: Annotated[Optional[bool], typer.Option("--disabled/--enabled")] = None,
              email: Email = None) -> None:
    """Change a user's role, groups (replaced by those given), state or e-mail address."""
    users.change(username, role=role, groups=group, disabled=disabled, email=email)


@users_app.command("token")
def users_token(username: str, name: Annotated[str, typer.Option(help="What the token is for.")] = "cli") -> None:
    """Create an API token for a user (printed once on stdout)."""
    users.token(username, name)


@audit_app.command("verify")
def audit_verify(
    anchor: Annotated[Optional[str], typer.Option(help="SEQ:HASH kept outside the system (a head printed "
                                                  "earlier): also check that record still has that hash.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The result as JSON.")] = False,
) -> None:
    """Check the chain of the audit trail; exit 1, naming the seqs, when a record was changed or removed."""
    audit.verify(anchor, as_json)


@audit_app.command("list")
def audit_list(
    actor: Annotated[Optional[str], typer.Option(help="Only this user.")] = None,
    action: Annotated[Optional[str], typer.Option(help="Only this action (login, search, download, ...).")] = None,
    since: Annotated[Optional[str], typer.Option(help="From this date or time, or back from now (7d, 24h).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Up to this date or time.")] = None,
    q: Annotated[Optional[str], typer.Option("--q", help="Words of a search's query, or a target.")] = None,
    size: Annotated[int, typer.Option(help="Records to show.")] = 50,
    after: Annotated[Optional[int], typer.Option(help="Only records before this seq (the next page).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The records as JSON.")] = False,
) -> None:
    """The audit trail's records, newest first."""
    audit.list_records(actor, action, since, until, q, size, after, as_json)


@custody_app.command("verify")
def custody_verify(as_json: Annotated[bool, typer.Option("--json", help="The result as JSON.")] = False) -> None:
    """Re-hash every stored original and check it against the index; exit 1, naming each, when an original
    was modified, is missing, or is stored but unknown (an orphan). Recorded in the audit trail."""
    custody.verify(as_json)


@custody_app.command("show")
def custody_show(doc_id: Annotated[str, typer.Argument(metavar="ID", help="The document's id (its sha256).")],
                 as_json: Annotated[bool, typer.Option("--json", help="As JSON.")] = False) -> None:
    """A document's sha256, size and every load of its bytes (who, when, which collection and batch), and
    whether its stored original still hashes to its id (exit 1 when not)."""
    custody.show(doc_id, as_json)


@custody_app.command("check-export")
def custody_check_export(
    path: Annotated[Path, typer.Argument(metavar="FILE.zip", exists=True, dir_okay=False, help="An export.")],
    key: Annotated[Optional[Path], typer.Option(help="The issuer's public key (PEM); default: this deployment's "
                                                "key if it has one, else the key inside the export.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The result as JSON.")] = False,
) -> None:
    """Check an export's signature and every file's sha256; exit 1 when anything does not match."""
    custody.check(path, key, as_json)


@custody_app.command("key")
def custody_key(output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write the PEM here.")] = None,
                ) -> None:
    """This deployment's public key for exports (PEM), to publish; its id on stderr."""
    custody.key(output)


def main() -> None:
    quiet_client_logs()
    app()


@collections_app.command("list")
def collections_list(
    as_json: Annotated[bool, typer.Option("--json", help="Every collection's settings as JSON.")] = False,
) -> None:
    """Every collection: its display name, whether default searches leave it out, its new documents' class and grants."""
    collection_settings.list_collections(as_json)


@collections_app.command("set")
def collections_set(
    name: str,
    display_name: Annotated[Optional[str], typer.Option(help="The name the interface shows; \"\" removes it.")] = None,
    hidden: Annotated[Optional[bool], typer.Option("--hidden/--shown", help="Leave it out of searches that choose no "
                                                  "collection (still found when chosen), or search it again.")] = None,
    classification: Annotated[Optional[str], typer.Option(help="public, reserved or sealed: its new documents'.")] = None,
) -> None:
    """Change a collection's display name, whether default searches leave it out, or its new documents'
    classification; what is not given (its grants too) stays as it was."""
    collection_settings.set_collection(name, display_name, hidden, classification)


@entities_app.command("show")
def entities_show(
    id_or_name: Annotated[str, typer.Argument(metavar="ID_OR_NAME", help="An entity id, or its name with --type.")],
    kind: Annotated[Optional[str], typer.Option("--type", help="per, org or criminal_org (to look a name up).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The record as JSON.")] = False,
) -> None:
    """An identity: its name, spellings, aliases and DNI/RUC."""
    entities.show(id_or_name, kind, as_json)


@entities_app.command("merge")
def entities_merge(
    source: Annotated[str, typer.Argument(help="The identity merged away.")],
    target: Annotated[str, typer.Argument(help="The identity it becomes part of.")],
) -> None:
    """Two identities are one: SOURCE's spellings and documents go to TARGET."""
    entities.merge(source, target)


@entities_app.command("split")
def entities_split(
    id: Annotated[str, typer.Argument(help="The identity split.")],
    spellings: Annotated[list[str], typer.Option("--spelling", help="A spelling that names someone else (repeat).")],
    name: Annotated[Optional[str], typer.Option(help="The new identity's name (default: the first spelling).")] = None,
) -> None:
    """One identity is two: the documents naming ID under the spellings given name a new identity."""
    entities.split(id, spellings, name)


User = Annotated[str, typer.Option("--user", "-u", help="The user whose saved searches and watches these are.")]
Delivery = Annotated[str, typer.Option(help="immediate (each document as it is indexed) or daily (one e-mail a day).")]
AsJson = Annotated[bool, typer.Option("--json", help="As JSON.")]


@saved_app.command("list")
def saved_list(user: User, as_json: AsJson = False) -> None:
    """The user's saved searches."""
    watching.saved_list(user, as_json)


@saved_app.command("add")
@with_filters()
def saved_add(
    name: Annotated[str, typer.Argument(help="The name it is listed under.")],
    user: User,
    q: Annotated[str, typer.Option("--q", help="The query, as `docsearch search` takes it.")] = "",
    filters: Filters = NO_FILTERS,
    mode: Annotated[Optional[str], typer.Option(help="lexical, semantic or hybrid.")] = None,
    watch: Annotated[Optional[str], typer.Option(help="Also watch it: immediate or daily.")] = None,
) -> None:
    """Save a search (its query, filters and mode) under a name; --watch to be told of new documents it finds."""
    watching.saved_add(user, name, q, filters, mode, watch)


@saved_app.command("rename")
def saved_rename(id: Annotated[str, typer.Argument(help="The saved search.")],
                 name: Annotated[str, typer.Argument(help="Its new name.")], user: User) -> None:
    """Rename a saved search (its watch keeps watching, under the new name)."""
    watching.saved_rename(user, id, name)


@saved_app.command("delete")
def saved_delete(id: Annotated[str, typer.Argument(help="The saved search.")], user: User) -> None:
    """Delete a saved search and its watch."""
    watching.saved_delete(user, id)


@saved_app.command("run")
def saved_run(id: Annotated[str, typer.Argument(help="The saved search.")], user: User,
              size: Annotated[int, typer.Option(help="Results shown.")] = 10, as_json: AsJson = False) -> None:
    """Run a saved search as the user would (only what the user may read)."""
    watching.saved_run(user, id, size, as_json)


@watches_app.command("list")
def watches_list(user: User, as_json: AsJson = False) -> None:
    """The user's watches."""
    watching.watches_list(user, as_json)


@watches_app.command("add")
def watches_add(
    user: User,
    saved: Annotated[Optional[str], typer.Option("--saved", help="A saved search's id.")] = None,
    entity: Annotated[Optional[tuple[str, str]], typer.Option(
        "--entity", metavar="FIELD VALUE", help="An entity: its facet and name, e.g. criminal_orgs 'Los Pulpos'.")] = None,
    collection: Annotated[Optional[str], typer.Option(help="A collection the user may read.")] = None,
    delivery: Delivery = "immediate",
) -> None:
    """Watch a saved search, an entity or a collection: each document indexed from now on that it finds, and the user
    may read, goes to the user's inbox (and e-mail)."""
    watching.watches_add(user, saved, entity, collection, delivery)


@watches_app.command("set")
def watches_set(
    id: Annotated[str, typer.Argument(help="The watch.")], user: User,
    delivery: Annotated[Optional[str], typer.Option(help="immediate or daily.")] = None,
    active: Annotated[Optional[bool], typer.Option("--resume/--pause", help="Resume or pause it.")] = None,
) -> None:
    """Change a watch's delivery, pause or resume it."""
    watching.watches_set(user, id, delivery, active)


@watches_app.command("delete")
def watches_delete(id: Annotated[str, typer.Argument(help="The watch.")], user: User) -> None:
    """Stop watching."""
    watching.watches_delete(user, id)


@watches_app.command("rebuild")
def watches_rebuild() -> None:
    """Build the watches index again at the current schema version, when `docsearch index status` says it needs
    a rebuild (after an upgrade): every watch is kept."""
    watching.rebuild_index()


@watches_app.command("digest")
def watches_digest() -> None:
    """Send today's daily digests now, if their hour (digest_hour_utc) has come and they were not sent (the workers
    do this on their own)."""
    watching.digest()


@app.command()
def inbox(
    user: User,
    size: Annotated[int, typer.Option(help="Notifications shown, newest first.")] = 20,
    unread: Annotated[bool, typer.Option("--unread", help="Only the unread ones.")] = False,
    mark_read: Annotated[bool, typer.Option("--mark-read", help="Then mark them all read.")] = False,
    as_json: AsJson = False,
) -> None:
    """The user's notifications: documents their watches found, that they may read now."""
    watching.inbox(user, size, unread, mark_read, as_json)


if __name__ == "__main__":
    main()
