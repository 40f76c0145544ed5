"""A class on a real JupyterHub, on loopback: the links, the hand-outs, the image, the sizing.

JupyterHub with the dummy authenticator and the local process spawner (each student's
home a temporary folder), configurable-http-proxy from npm, and the course as a local
bare git repository served as a file:// URL. The single-user environment has the
course installed as its wheel installs it (not editable, as in a hub image), and runs
from the students' homes, so nothing relies on a source checkout.

Needs configurable-http-proxy: `npm install --prefix build/npm configurable-http-proxy@5.3.0`.
Without it these tests skip with that reason, except in CI (CONVLIB_REQUIRE_HUB=1),
where they fail. CONVLIB_HUB_STUDENTS (default 5) sets the class size. The sizing
measured here goes to build/hub/sizing.json (README, "Hub administrators").
"""

import concurrent.futures
import json
import os
import pathlib
import re
import secrets
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.parse
import uuid

import course
import handout
import links
import pytest
import setuptools
from test_links import commit, published_course

pytestmark = pytest.mark.course
ROOT = course.ROOT
PROXY = ROOT / "build" / "npm" / "node_modules" / ".bin" / "configurable-http-proxy"
SIZING = ROOT / "build" / "hub"
STUDENTS = int(os.environ.get("CONVLIB_HUB_STUDENTS", "5"))
CLASS_NOTEBOOK = "01_sliding_window.ipynb"  # widgets, exercises and their checks
CELL_TIMEOUT = 120  # seconds for one cell, however busy the machine
MB = 2**20

if not (PROXY.exists() or shutil.which("configurable-http-proxy")):
    reason = ("hub tests skipped: no configurable-http-proxy (npm install --prefix build/npm "
              "configurable-http-proxy@5.3.0)")
    if os.environ.get("CONVLIB_REQUIRE_HUB"):
        raise RuntimeError(reason.replace("skipped", "required (CONVLIB_REQUIRE_HUB=1)"))
    pytest.skip(reason, allow_module_level=True)

import psutil  # noqa: E402
import requests  # noqa: E402
import websocket  # noqa: E402
from jupyter_server.services.kernels.connection.base import deserialize_binary_message  # noqa: E402


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(*command):
    subprocess.run(command, check=True, capture_output=True)


# --- The single-user image and the course repository --------------------------------------

@pytest.fixture(scope="module")
def image(tmp_path_factory):
    """A Python environment with the course installed as a hub image has it: not editable.

    What a pure-Python wheel of the course holds is what pyproject.toml lists: the
    packages' .py files, their package data and the top-level modules; they are copied so (building the wheel with pip would fetch
    setuptools from the network). The dependencies (the pinned set) are this test
    environment's, reached through a .pth path line: that line does not run this
    environment's editable-install hook, so `convlib` comes from the copy alone.
    """
    prefix = tmp_path_factory.mktemp("image")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(prefix)], check=True)
    site = pathlib.Path(sysconfig.get_paths(vars={"base": str(prefix), "platbase": str(prefix)})["purelib"])
    table = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = table.get("packages")
    packages = listed if isinstance(listed, list) else setuptools.find_packages(str(ROOT), include=["convlib*"])
    wheel = [path for package in packages for path in (ROOT / package.replace(".", "/")).glob("*.py")]
    wheel += [path for package, patterns in table.get("package-data", {}).items() for pattern in patterns
              for path in (ROOT / package.replace(".", "/")).glob(pattern)]
    wheel += [ROOT / f"{module}.py" for module in table.get("py-modules", [])]
    for path in wheel:
        (site / path.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, site / path.relative_to(ROOT))
    (site / "course-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # PyTorch is the tests' optional oracle, not part of the image (binder/environment.yml):
    # a notebook's `try: import torch` must find it missing there, as on a real hub.
    (site / "torch").mkdir()
    (site / "torch" / "__init__.py").write_text('raise ImportError("PyTorch is not in the course image")\n')
    for shared in ("share/jupyter", "etc/jupyter"):  # JupyterLab's assets, nbgitpuller's server extension
        (prefix / shared).parent.mkdir(parents=True, exist_ok=True)
        (prefix / shared).symlink_to(pathlib.Path(sys.prefix) / shared)
    return prefix


def test_the_image_recipe_installs_the_pinned_course_not_editable_with_nbgitpuller():
    install = [line for line in (ROOT / "binder" / "postBuild").read_text().splitlines() if "pip install" in line]
    assert len(install) == 1 and " -e " not in install[0], install
    assert all(part in install[0] for part in ("-c constraints.txt", '".[lab]"', "nbgitpuller")), install


def test_every_notebook_imports_from_the_installed_course_outside_a_checkout(image, tmp_path):
    imports = sorted({line.strip() for path in course.paths(course.LEARNER)
                      for cell in json.loads(path.read_text())["cells"] if cell["cell_type"] == "code"
                      for line in "".join(cell["source"]).splitlines()
                      if re.match(r"(import|from) (convlib|numpy|scipy|matplotlib|ipywidgets|PIL)\b", line.strip())})
    script = "\n".join(imports + ["import convlib, pathlib", "print(pathlib.Path(convlib.__file__).resolve())"])
    result = subprocess.run([str(image / "bin" / "python"), "-c", script], cwd=tmp_path, capture_output=True,
                            text=True, env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert len(imports) >= 5 and pathlib.Path(result.stdout.strip()).is_relative_to(image.resolve())


@pytest.fixture(scope="module")
def course_repo(tmp_path_factory):
    """The course as the instructor publishes it: main (this checkout's files) and the
    graded hand-out, in a bare repository the hub clones from over file://."""
    work = published_course(tmp_path_factory.mktemp("course"))
    handout.build(work)
    bare = work.parent / "convolution-unfolded.git"
    _run("git", "clone", "--quiet", "--bare", str(work), str(bare))
    return work, bare


# --- The hub ------------------------------------------------------------------------------

class Hub:
    """A running JupyterHub driven through its REST API with a service token."""

    def __init__(self, url, token, homes, pid, log):
        self.url, self.homes, self.pid, self.log = url, homes, pid, log
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"token {token}"

    def call(self, method, path, expect=(200, 201, 202, 204), **kwargs):
        response = self.api.request(method, f"{self.url}/hub/api{path}", timeout=60, **kwargs)
        assert response.status_code in expect, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def log_tail(self, characters=4000):
        return self.log.read_text(errors="replace")[-characters:]

    def server_pid(self, name):
        return self.call("GET", f"/users/{name}")["servers"][""]["state"]["pid"]

    def start(self, name):
        """Create `name`, start their server, and return a session logged in as them."""
        self.call("POST", f"/users/{name}", expect=(201, 409))
        self.call("POST", f"/users/{name}/server")
        deadline = time.monotonic() + 180
        while not self.call("GET", f"/users/{name}")["servers"].get("", {}).get("ready"):
            assert time.monotonic() < deadline, f"{name}'s server did not start within 180 s"
            time.sleep(0.5)
        token = self.call("POST", f"/users/{name}/tokens", json={"note": "test", "expires_in": 3600})["token"]
        student = requests.Session()  # logged in as a browser is (the link), with a token for the API
        student.get(f"{self.url}/hub/login", timeout=60)
        form = {"username": name, "password": "any", "_xsrf": student.cookies.get("_xsrf")}
        assert student.post(f"{self.url}/hub/login", data=form, timeout=60).ok
        student.headers["Authorization"] = f"token {token}"
        return student


@pytest.fixture(scope="module")
def hub(tmp_path_factory, image):
    """JupyterHub on 127.0.0.1; every process it started is stopped at the end, even on failure."""
    folder = tmp_path_factory.mktemp("hub")
    homes = folder / "homes"
    port, token = _free_port(), secrets.token_hex(32)
    proxy = str(PROXY) if PROXY.exists() else shutil.which("configurable-http-proxy")
    config = f"""
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{_free_port()}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{_free_port()}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.JupyterHub.db_url = "sqlite:///{folder}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{folder}/cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = "{homes}/{{username}}"
c.Spawner.cmd = [{str(image / "bin" / "python")!r}, "-m", "jupyterhub.singleuser"]
c.Spawner.args = ["--ServerApp.allow_root=True"]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = c.Spawner.http_timeout = 180
c.JupyterHub.services = [{{"name": "course-test", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{"name": "course-test", "services": ["course-test"], "scopes": [
    "admin:users", "admin:servers", "admin:server_state", "access:servers", "tokens"]}}]
"""
    (folder / "jupyterhub_config.py").write_text(config)
    log = open(folder / "jupyterhub.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(folder / "jupyterhub_config.py")],
                               cwd=folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    started = Hub(f"http://127.0.0.1:{port}", token, homes, process.pid, folder / "jupyterhub.log")
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{started.url}/hub/api/", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, \
                f"JupyterHub did not start:\n{started.log_tail()}"
            time.sleep(0.5)
        yield started
    finally:
        _stop(process)
        log.close()


def _stop(process):
    """Stop the hub and everything under it: proxy, single-user servers, kernels."""
    try:
        family = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    process.terminate()  # the hub stops its servers and its proxy on the way out
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
    for child in family:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(family, timeout=10)


# --- One student: follow the link, run a notebook -----------------------------------------

def _pull(hub, name, student, repo, branch, notebook):
    """Follow the nbgitpuller link as the student's browser would, and run the pull it starts."""
    link = links.nbgitpuller_link(hub.url, repo, notebook, branch)
    page = student.get(link, timeout=60)
    assert page.status_code == 200 and urllib.parse.urlsplit(page.url).path == f"/user/{name}/git-pull", page.url
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    events = student.get(f"{hub.url}/user/{name}/git-pull/api", stream=True, timeout=120,
                         params={"repo": query["repo"][0], "branch": query["branch"][0]})
    for line in events.iter_lines(decode_unicode=True):
        if line.startswith("data:"):
            event = json.loads(line[5:])
            assert event.get("phase") != "error", f"{name}'s pull failed: {event}"
            if event.get("phase") == "finished":
                break
    else:
        pytest.fail(f"{name}'s pull ended without finishing")
    events.close()
    opened = student.get(f"{hub.url}/user/{name}/{query['urlpath'][0]}", timeout=60)
    assert opened.status_code == 200, f"{name}'s link does not open the notebook: {opened.status_code}"
    return query["urlpath"][0].removeprefix("lab/tree/")


def _memory(pid):
    """Resident memory now and at its peak (Linux's VmRSS and VmHWM), in bytes."""
    status = pathlib.Path(f"/proc/{pid}/status").read_text()
    return [int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1)) * 1024 for key in ("VmRSS", "VmHWM")]


def _kernel_process(server_pid, kernel_id):
    """The kernel's process: the server's child started with the kernel's connection file."""
    for child in psutil.Process(server_pid).children(recursive=True):
        if any(kernel_id in part for part in child.cmdline()):
            return child
    raise AssertionError(f"no kernel process {kernel_id} under the server {server_pid}")


def run_notebook(hub, name, student, path):
    """Run every code cell of `path` in a new kernel of the student's server, through the hub.

    Return the errors (empty when it ran clean) and what it cost: seconds, CPU seconds,
    the kernel's memory at the end and at its peak, the server's memory. The kernel is
    shut down afterwards, as a student moving on to the next notebook leaves it.
    """
    base = f"{hub.url}/user/{name}/api"
    notebook = student.get(f"{base}/contents/{path}", timeout=60).json()["content"]
    session = student.post(f"{base}/sessions", timeout=60, json={
        "path": path, "type": "notebook", "name": path, "kernel": {"name": "python3"}}).json()
    kernel_id, server_pid = session["kernel"]["id"], hub.server_pid(name)
    kernel = _kernel_process(server_pid, kernel_id)
    channel = websocket.create_connection(
        f"{base.replace('http', 'ws', 1)}/kernels/{kernel_id}/channels", timeout=CELL_TIMEOUT,
        header=[f"Authorization: {student.headers['Authorization']}"])
    started, errors = time.monotonic(), []
    try:
        for index, cell in enumerate(notebook["cells"]):
            if cell["cell_type"] == "code":
                errors += [f"{path} cell {index}: {error}" for error in _execute(channel, cell["source"])]
        cost = {"seconds": time.monotonic() - started, "cpu_seconds": sum(kernel.cpu_times()[:2])}
        cost["kernel_mb"], cost["kernel_peak_mb"] = (value / MB for value in _memory(kernel.pid))
        cost["server_mb"], cost["server_peak_mb"] = (value / MB for value in _memory(server_pid))
    finally:
        channel.close()
        student.delete(f"{base}/sessions/{session['id']}", timeout=60)
    return errors, cost


def _execute(channel, source):
    """Run one cell on the kernel's websocket; return its error messages."""
    msg_id = uuid.uuid4().hex
    channel.send(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": "test", "username": "test",
                   "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": source, "silent": False, "store_history": True, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True}}))
    errors, replied, idle = [], False, False
    while not (replied and idle):
        raw = channel.recv()  # widget messages carrying bytes come as binary frames
        message = deserialize_binary_message(raw) if isinstance(raw, bytes) else json.loads(raw)
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = message["msg_type"]
        if kind == "error":
            errors.append(f"{message['content']['ename']}: {message['content']['evalue']}")
        elif kind == "execute_reply":
            replied = True
            if message["content"]["status"] != "ok" and not errors:
                errors.append(f"execute_reply {message['content']['status']}")
        elif kind == "status" and message["content"]["execution_state"] == "idle":
            idle = True
    return errors


def _files(home):
    """The files a student sees in their home (hidden folders such as caches left out)."""
    return sorted(str(path.relative_to(home)) for path in home.rglob("*")
                  if path.is_file() and not any(part.startswith(".") for part in path.relative_to(home).parts))


# --- The tests ----------------------------------------------------------------------------

def test_a_graded_class_pulls_and_runs_a_notebook_at_once(hub, course_repo):
    """Every student of the class follows the graded link at the same time and runs a notebook
    with widgets and exercises top to bottom: no error, the learner's edition only, each in
    their own home."""
    _, bare = course_repo
    names = [f"student{number}" for number in range(STUDENTS)]

    def attend(name):
        try:
            student = hub.start(name)
            path = _pull(hub, name, student, f"file://{bare}", handout.BRANCH, CLASS_NOTEBOOK)
            return run_notebook(hub, name, student, path)
        except Exception as error:  # say what the hub saw, too
            raise AssertionError(f"{name}: {error}\n--- the hub's log ends:\n{hub.log_tail()}") from error

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(len(names)) as pool:
        results = dict(zip(names, pool.map(attend, names)))
    seconds = time.monotonic() - started
    assert [error for errors, _ in results.values() for error in errors] == []
    for name in names:
        files = _files(hub.homes / name)
        assert f"convolution-unfolded/notebooks/{CLASS_NOTEBOOK}" in files, files
        assert all(file.startswith("convolution-unfolded/") for file in files), files
        clone = hub.homes / name / "convolution-unfolded"
        assert not (clone / "solutions").exists() and not (clone / "tests").exists()
        assert not any("BEGIN SOLUTION" in path.read_text() for path in (clone / "notebooks").glob("*.ipynb"))
    _record("class", {"students": STUDENTS, "notebook": CLASS_NOTEBOOK, "seconds_all_at_once": seconds,
                      "hub_and_proxy_mb": _hub_and_proxy_memory(hub) / MB,
                      "per_student": {name: cost for name, (_, cost) in results.items()}})


def _hub_and_proxy_memory(hub):
    """Resident memory of the hub and its proxy (its one child that is not a student's server)."""
    hub_process = psutil.Process(hub.pid)
    proxies = [child for child in hub_process.children() if "configurable-http-proxy" in " ".join(child.cmdline())]
    return sum(process.memory_info().rss for process in [hub_process, *proxies])


def test_self_study_hands_out_the_whole_course_and_every_notebook_runs_within_the_memory_limit(hub, course_repo):
    """One student works through the whole course, notebook after notebook: the sizing of
    one active student. The README's mem_limit must hold the server and two notebooks'
    kernels at their peak (a student who leaves the previous notebook running)."""
    _, bare = course_repo
    name = "reader"
    student = hub.start(name)
    _pull(hub, name, student, f"file://{bare}", links.handout_branch("self-study"), course.FIRST)
    clone = hub.homes / name / "convolution-unfolded"
    assert (clone / "solutions" / course.FIRST).exists()  # the answers at the back of the book
    costs, errors = {}, []
    for lesson in course.written(course.LEARNER):
        found, costs[lesson.name] = run_notebook(hub, name, student, f"convolution-unfolded/notebooks/{lesson.name}")
        errors += found
    assert errors == []
    server_peak = max(cost["server_peak_mb"] for cost in costs.values())
    kernel_peak = max(cost["kernel_peak_mb"] for cost in costs.values())
    _record("course", {"per_notebook": costs, "seconds": sum(cost["seconds"] for cost in costs.values()),
                       "server_peak_mb": server_peak, "kernel_peak_mb": kernel_peak})
    limit = re.search(r'mem_limit = "(\d+)M"', (ROOT / "README.md").read_text())
    assert limit, "the README's hub section states the recommended c.Spawner.mem_limit in MB"
    assert server_peak + 2 * kernel_peak < int(limit.group(1)), (server_peak, kernel_peak)


def test_a_second_pull_after_the_course_changes_keeps_the_students_edits(hub, course_repo):
    work, bare = course_repo
    name = "editor"
    student = hub.start(name)
    path = _pull(hub, name, student, f"file://{bare}", handout.BRANCH, CLASS_NOTEBOOK)
    contents = f"{hub.url}/user/{name}/api/contents/{path}"
    notebook = student.get(contents, timeout=60).json()["content"]
    answer = next(cell for cell in notebook["cells"] if "solution" in cell["metadata"].get("tags", []))
    answer["source"] = "my_answer = 'the student wrote this'"
    assert student.put(contents, json={"type": "notebook", "content": notebook}, timeout=60).ok

    course_notebook = work / "notebooks" / CLASS_NOTEBOOK  # the instructor fixes the title, adds errata
    course_notebook.write_text(course_notebook.read_text().replace("# 01 · ", "# 01 · (revised) ", 1))
    (work / "notebooks" / "errata.md").write_text("Notebook 01: the title is revised.\n")
    commit(work, "Errata")
    handout.build(work)
    _run("git", "-C", str(work), "push", "--quiet", str(bare), "main", handout.BRANCH)

    _pull(hub, name, student, f"file://{bare}", handout.BRANCH, CLASS_NOTEBOOK)
    pulled = student.get(contents, timeout=60).json()["content"]
    sources = ["".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
               for cell in pulled["cells"]]
    assert "my_answer = 'the student wrote this'" in sources
    assert any(source.startswith("# 01 · (revised) ") for source in sources)
    assert (hub.homes / name / "convolution-unfolded" / "notebooks" / "errata.md").exists()


def _record(part, numbers):
    SIZING.mkdir(parents=True, exist_ok=True)
    path = SIZING / "sizing.json"
    measured = json.loads(path.read_text()) if path.exists() else {}
    measured[part] = numbers
    path.write_text(json.dumps(measured, indent=1) + "\n")
