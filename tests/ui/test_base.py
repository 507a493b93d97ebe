"""The base page every page shares: labels, header, language toggle, buttons and the one
error policy of the status line."""

from __future__ import annotations

import logging
import subprocess
import sys
from typing import ClassVar

from thidua_rank.errors import InputError
from thidua_rank.i18n import Text
from thidua_rank.ui.analyst.page import AnalystPage
from thidua_rank.ui.base import BasePage


class Demo(BasePage):
    """A page with one labelled button and a refresh counter."""

    CSS_CLASS = "tr-page tr-demo"
    LABELS: ClassVar[dict[str, Text]] = {
        "title": Text("Trang thử", "Demo page"),
        "go": Text("Chạy", "Run"),
        "no_meeting": Text("Chưa có cuộc họp.", "No meeting yet."),
    }

    def build(self) -> None:
        self.refreshed = 0
        self.go = self.button("tr-demo-go", self.fail, key="go", style="primary")
        self.failure: Exception = InputError("giá trị sai", "bad value", file="scores.csv",
                                             row=3, value="x")
        self.body.children = [self.go]

    def refresh(self) -> None:
        self.refreshed += 1

    def fail(self) -> None:
        raise self.failure


def test_header_classes_and_labels_follow_the_language() -> None:
    page = Demo()
    assert page.root._dom_classes == ("tr-page", "tr-demo")
    assert page.header.value == "<h1>Trang thử</h1><div class='tr-sub'>Chưa có cuộc họp.</div>"
    assert page.go.description == "Chạy" and "tr-demo-go" in page.go._dom_classes
    assert page.go.button_style == "primary"
    page.lang_toggle.value = "en"
    assert page.go.description == "Run" and page.header.value.startswith("<h1>Demo page</h1>")
    assert page.refreshed == 1  # a language change renders the page again
    assert page.t("year", year=2022) == "year 2022"  # a label every page has


def test_a_refusal_shows_its_message_in_the_page_language(caplog) -> None:
    page = Demo()
    with caplog.at_level(logging.ERROR):
        page.go.click()
    assert page.status.value == ('<div class="tr-msg tr-msg-error">scores.csv, dòng 3: giá trị '
                                 "sai (giá trị &#x27;x&#x27;)</div>")
    page.lang_toggle.value = "en"
    assert page.status.value == ""  # a language change clears the old message
    page.go.click()
    assert "scores.csv, row 3: bad value (got &#x27;x&#x27;)" in page.status.value
    assert "giá trị sai" not in page.status.value
    assert caplog.records == []  # a refusal is not a fault: nothing logged


def test_any_other_failure_is_shown_and_logged_never_a_traceback(caplog) -> None:
    page = Demo()
    page.failure = ZeroDivisionError("division by zero")
    with caplog.at_level(logging.ERROR, logger="thidua_rank.ui.base"):
        assert page.attempt(page.fail) is False
    assert ("Lỗi không mong đợi — Unexpected error: ZeroDivisionError: division by zero"
            in page.status.value)
    assert "Traceback" not in page.status.value and "tr-msg-error" in page.status.value
    [record] = caplog.records
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError
    page.failure = PermissionError("read-only")
    assert page.safe(page.fail) is None
    assert ("Không đọc hoặc ghi được tệp — Could not read or write a file: PermissionError: "
            "read-only" in page.status.value)
    assert page.safe(lambda: 42) == 42 and page.attempt(lambda: None) is True


def test_the_analyst_page_shares_the_base_and_shows_errors_in_both_languages(tmp_path) -> None:
    page = AnalystPage([tmp_path / "khong-co"])
    assert isinstance(page, BasePage)
    status = page.status.value
    assert "không tìm thấy thư mục hội nghị — meeting folder not found" in status
    page.lang_toggle.value = "en"
    page.load(tmp_path / "khong-co")
    assert "không tìm thấy thư mục hội nghị — meeting folder not found" in page.status.value
    assert page.status.value.count("tr-msg-error") == 1


def test_the_analyst_page_does_not_load_the_ballot_box() -> None:
    code = ("import sys, thidua_rank.ui.analyst.page, thidua_rank.server.analyst; "
            "print(sorted(m for m in sys.modules if m.startswith('thidua_rank.live')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_the_analyst_server_reads_the_environment_without_the_widgets() -> None:
    code = ("import sys, thidua_rank.server.analyst as s, thidua_rank.ui.analyst.env as e; "
            "print(s.folders_from_env is e.folders_from_env, 'ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["True", "False"]
