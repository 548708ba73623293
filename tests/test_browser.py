"""The web page in Debian's headless Chromium: ask, see fields and a citation, open the source;
the "Nhiệm vụ" view: filter the task rows, export them, open a row's source span.

The app is served by uvicorn on 127.0.0.1 (a free port) with a fake answerer that answers
with task 35 of the real seed document and cites its real span.
"""
from __future__ import annotations

import csv
import io
import shutil
import socket
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
if not (CHROMIUM and CHROMEDRIVER):
    pytest.skip("chromium/chromedriver not installed (apt-get install chromium chromium-driver)",
                allow_module_level=True)

import uvicorn  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service as ChromeService  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest_api import build_services, make_settings  # noqa: E402

from assistant.api import create_app  # noqa: E402
from assistant.api_views import search_tasks  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
QUESTION = "cơ quan nào chủ trì nhiệm vụ số hóa hồ sơ?"


def click(driver, element) -> None:
    """Scroll the element to the middle first, as a user would (the question form is sticky)."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def screenshot_between(driver, first, last, path: Path) -> None:
    """Save a phone-width screenshot from `first` to the bottom of `last`, nothing cut off.

    The expanded answer is taller than a phone screen and the sticky question form covers the
    bottom of the viewport, so the window is made just tall enough for the shot, then restored.
    """
    width, height = driver.get_window_size()["width"], driver.get_window_size()["height"]
    needed = driver.execute_script(
        "const top = arguments[0].getBoundingClientRect().top,"
        " bottom = arguments[1].getBoundingClientRect().bottom,"
        " form = document.getElementById('ask-form').getBoundingClientRect().height;"
        " return [Math.ceil(bottom - top + form + 24), window.outerHeight - window.innerHeight];",
        first, last)
    driver.set_window_size(width, max(height, needed[0] + needed[1]))
    driver.execute_script("window.scrollTo(0, arguments[0].getBoundingClientRect().top + scrollY - 12);",
                          first)
    driver.save_screenshot(str(path))
    driver.set_window_size(width, height)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("browser"))
    services, answerer = build_services(settings)
    app = create_app(settings, services)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started and app.state.ready.wait(10)
    yield f"http://127.0.0.1:{port}", services
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def driver():
    profile = tempfile.mkdtemp(prefix="cchc-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=360,780"):
        options.add_argument(arg)
    browser = webdriver.Chrome(service=ChromeService(CHROMEDRIVER), options=options)
    browser.set_window_size(360, 780)
    yield browser
    browser.quit()
    shutil.rmtree(profile, ignore_errors=True)


def test_ask_shows_fields_citation_and_highlighted_source(server, driver):
    url, services = server
    wait = WebDriverWait(driver, 15)
    driver.get(url + "/")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
    box = driver.find_element(By.ID, "question")
    assert driver.find_element(By.CSS_SELECTOR, "label[for=question]").text == "Câu hỏi của bạn"
    box.send_keys(QUESTION)
    box.send_keys(Keys.ENTER)  # Enter sends

    answer = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".msg.bot")))
    fields = dict(zip([e.text for e in answer.find_elements(By.CSS_SELECTOR, ".fields dt")],
                      [e.text for e in answer.find_elements(By.CSS_SELECTOR, ".fields dd")]))
    assert fields["Chủ trì"] == "Các bộ, ngành, địa phương"
    assert fields["Thời hạn"] == "01 tháng 06 năm 2023"
    assert fields["Phối hợp"] == "Văn phòng Chính phủ"

    summary = answer.find_element(By.CSS_SELECTOR, ".cites summary")
    assert "000_708ce065672b0925.txt" in summary.text and "Nhiệm vụ 35" in summary.text
    click(driver, summary)  # expands the <details> to the quote
    quote = answer.find_element(By.CSS_SELECTOR, ".cites blockquote")
    wait.until(lambda _: quote.is_displayed())
    assert "số hóa hồ sơ" in quote.text

    ARTIFACTS.mkdir(exist_ok=True)
    # The question and the whole answer: fields, citation and its quote.
    screenshot_between(driver, driver.find_element(By.CSS_SELECTOR, ".msg.user"), answer,
                       ARTIFACTS / "phone.png")
    assert (ARTIFACTS / "phone.png").stat().st_size > 1000

    click(driver, answer.find_element(By.CSS_SELECTOR, ".cites button"))
    mark = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#source-text mark")))
    row = services.catalogue.document_row("000_708ce065672b0925.txt")
    task = next(t for _, _, t in services.catalogue.tasks(row["id"]) if t.number == "35")
    expected = row["text"][task.span[0]:task.span[1]]
    assert mark.get_attribute("textContent") == expected
    # The whole document is shown around the mark, in order.
    full = driver.find_element(By.ID, "source-text").get_attribute("textContent")
    assert full == row["text"]

    assert mark.is_displayed()  # the highlighted span is scrolled into the source text box
    driver.save_screenshot(str(ARTIFACTS / "phone-source.png"))


def test_follow_up_keeps_the_conversation_and_new_chat_resets(server, driver):
    url, services = server
    wait = WebDriverWait(driver, 15)
    driver.get(url + "/")
    driver.find_element(By.ID, "new-chat").click()
    answerer = services.answerer
    for n, question in enumerate(("câu hỏi thứ nhất", "còn thời hạn thì sao?"), start=1):
        box = driver.find_element(By.ID, "question")
        box.send_keys(question)
        driver.find_element(By.ID, "send").click()
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".msg.bot")) == n)
    first, second = answerer.calls[-2], answerer.calls[-1]
    assert first[1] is None and second[1] and second[0] == "còn thời hạn thì sao?"
    conv = second[1]
    click(driver, driver.find_element(By.ID, "new-chat"))
    assert driver.find_elements(By.CSS_SELECTOR, ".msg") == []
    box = driver.find_element(By.ID, "question")
    box.send_keys("không có thông tin này")
    box.send_keys(Keys.ENTER)
    not_found = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".msg.not-found")))
    assert answerer.calls[-1][1] is None and answerer.calls[-1][1] != conv
    assert not not_found.find_elements(By.CSS_SELECTOR, ".fields")


def test_documents_tab_lists_documents(server, driver):
    url, _ = server
    driver.get(url + "/")
    driver.find_element(By.ID, "tab-docs").click()
    item = WebDriverWait(driver, 15).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#docs li .name")))
    assert item.text == "000_708ce065672b0925.txt"
    assert driver.find_element(By.CSS_SELECTOR, "label[for=api-key]").is_displayed()


# -- the "Nhiệm vụ" view -------------------------------------------------------------------
def no_page_scroll_sideways(driver) -> bool:
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def shown_numbers(driver) -> list[str]:
    """Read in one script: the rows are replaced while a filter loads (no stale elements)."""
    return driver.execute_script(
        "return [...document.querySelectorAll('#tasks-body td.num')].map((td) => td.textContent);")


def test_tasks_view_filters_exports_and_opens_a_span(server, driver):
    url, services = server
    wait = WebDriverWait(driver, 15)
    every = search_tasks(services.catalogue, None, None, None, None, None)
    # "van phong chinh phu" (no accents) is resolved by the API's alias table to Văn phòng Chính phủ.
    chosen = search_tasks(services.catalogue, "van phong chinh phu", None, date(2023, 6, 30), None, None)
    assert 0 < len(chosen) < len(every) <= 50  # one page holds them all
    driver.get(url + "/")
    driver.find_element(By.ID, "tab-tasks").click()
    wait.until(lambda d: len(shown_numbers(d)) == len(every))
    assert driver.find_element(By.ID, "tasks-status").text == f"{len(every)} nhiệm vụ trong các văn bản."
    first = driver.find_element(By.CSS_SELECTOR, "#tasks-body tr")
    assert first.value_of_css_property("display") == "block"  # a card at 360 px, not a table row
    assert driver.find_element(By.CSS_SELECTOR, "#tasks-table thead").size["height"] <= 1  # for screen readers
    assert no_page_scroll_sideways(driver)

    agency = driver.find_element(By.ID, "f-agency")
    agency.send_keys("van phong chinh phu")
    driver.execute_script("document.getElementById('f-due-to').value = '2023-06-30';")
    agency.send_keys(Keys.ENTER)  # Enter in a field submits the filters
    wait.until(lambda d: len(shown_numbers(d)) == len(chosen))
    assert shown_numbers(driver) == [t.number for _, t in chosen]
    assert driver.find_element(By.ID, "tasks-status").text == f"{len(chosen)} nhiệm vụ khớp bộ lọc."
    assert no_page_scroll_sideways(driver)

    link = driver.find_element(By.ID, "export-csv").get_property("href")
    query = parse_qs(urlsplit(link).query)
    assert query == {"agency": ["van phong chinh phu"], "due_to": ["2023-06-30"], "format": ["csv"]}
    with urlopen(link, timeout=10) as response:  # the test server, on 127.0.0.1
        rows = list(csv.reader(io.StringIO(response.read().decode("utf-8-sig"))))
    assert [r[2] for r in rows[1:]] == shown_numbers(driver)  # the file holds the rows on screen
    assert "format=ics" in driver.find_element(By.ID, "export-ics").get_property("href")

    ARTIFACTS.mkdir(exist_ok=True)
    # The filters, the export buttons and the first two cards.
    cards = driver.find_elements(By.CSS_SELECTOR, "#tasks-body tr")
    driver.execute_script("document.activeElement.blur();")
    screenshot_between(driver, driver.find_element(By.CSS_SELECTOR, "header.top"), cards[1],
                       ARTIFACTS / "phone-tasks.png")

    source, task = next((s, t) for s, t in chosen if t.number == "35")
    row = next(r for r in driver.find_elements(By.CSS_SELECTOR, "#tasks-body tr")
               if r.find_element(By.CSS_SELECTOR, "td.num").text == "35")
    opener = row.find_element(By.CSS_SELECTOR, "button")
    click(driver, row.find_element(By.CSS_SELECTOR, "td.desc"))  # anywhere on the row opens it
    mark = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#task-source-text mark")))
    text = services.catalogue.document_row(source)["text"]
    assert mark.get_attribute("textContent") == text[task.span[0]:task.span[1]]
    shown = driver.find_element(By.ID, "task-source-text").get_attribute("textContent")
    assert text[task.span[0]:task.span[1]] in shown and len(shown) < len(text)  # the lines around it
    assert driver.find_element(By.ID, "task-source-title").text == "Nhiệm vụ 35"
    assert no_page_scroll_sideways(driver)
    driver.save_screenshot(str(ARTIFACTS / "phone-task-source.png"))
    driver.find_element(By.ID, "task-source-close").click()
    wait.until(lambda _: not driver.find_element(By.ID, "task-source").is_displayed())
    assert driver.switch_to.active_element == opener  # focus back on the row it was opened from
