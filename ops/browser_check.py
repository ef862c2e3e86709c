"""The browser check's driver (run by ops/browser-check): real pages, a real browser, no JavaScript
of ours. Each step asserts what a person would see and saves a screenshot."""
import datetime
import json
import os
import sys
import time
import urllib.request

import feedparser

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

BASE, PASSWORD, SHOTS, VOIDED_KEY = sys.argv[1:5]
INSTITUTION = "913204024WC1UTD04Q"  # an institution of 天宁区 in the fixture
PHONE, DESKTOP = (390, 844), (1280, 900)
failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def browser(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN", "--force-device-scale-factor=1"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def shot(driver, name, size):
    """A screenshot of the whole page at this width."""
    driver.set_window_size(size[0], size[1])
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(size[0], max(size[1], min(height + 120, 6000)))
    driver.save_screenshot(os.path.join(SHOTS, name + ".png"))


def downloaded(extension):
    """Whether a file ending in `extension` arrives in the download folder within 10 s."""
    for _ in range(50):
        if any(name.endswith(extension) for name in os.listdir(SHOTS)):
            return True
        time.sleep(0.2)
    return False


def click_and_load(driver, element):
    """Clicks a link or a submit button and waits for the next page."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(page))


def sign_in(driver, name):
    driver.get(BASE + "/login")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "button.primary"))


def figure(driver, label):
    for row in driver.find_elements(By.CSS_SELECTOR, "table tr"):
        cells = row.find_elements(By.CSS_SELECTOR, "th, td")
        if len(cells) == 2 and cells[0].text.strip() == label:
            return cells[1].text.strip()
    return None


def set_date(driver, field, value):
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, field), value)


driver = browser(SHOTS)
try:
    driver.set_window_size(*PHONE)
    driver.get(BASE + "/dashboard")
    check("/login" in driver.current_url, "a page without a session leads to sign-in")
    shot(driver, "01-login-phone", PHONE)

    sign_in(driver, "tn-inspector")
    check(driver.current_url.endswith("/dashboard"), "the inspector lands on the dashboard")
    check("天宁区" in driver.find_element(By.TAG_NAME, "h1").text, "the dashboard shows 天宁区")
    before = int(figure(driver, "检查机构(家次)") or "-1")
    check(before >= 0, f"the dashboard shows 检查机构(家次) = {before}")
    check(len(driver.find_elements(By.CSS_SELECTOR, "svg rect")) > 0, "the compression chart is drawn")
    shot(driver, "02-dashboard-inspector-phone", PHONE)
    # The deadline panel lists what the API says is overdue or due within 5 working days, overdue
    # (red) first, for the inspector's district.
    panel = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "ul.deadlines li")]
    overdue = driver.find_elements(By.CSS_SELECTOR, "ul.deadlines li.overdue")
    check(len(overdue) > 0, f"the deadline panel shows {len(overdue)} overdue notices in red")
    colour = overdue[0].value_of_css_property("border-left-color") if overdue else ""
    check("176, 0, 32" in colour, f"an overdue row is red ({colour})")
    driver.get(BASE + "/api/deadlines")
    listed = json.loads(driver.find_element(By.TAG_NAME, "body").text)
    urgent = [o for o in listed if o["overdue"] or (o["working_days_left"] is not None and o["working_days_left"] <= 5)]
    check(all(o["district"] == "天宁区" for o in listed), "the API lists the inspector's district only")
    check(len(urgent) == len(panel) and all(o["label"] in row for o, row in zip(urgent, panel)),
          f"the panel's {len(panel)} rows are the API's {len(urgent)} urgent obligations, in order")

    driver.get(BASE + "/institutions")
    driver.find_element(By.ID, "q").send_keys("天宁")
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form button.primary"))
    check(len(driver.find_elements(By.CSS_SELECTOR, "table a")) > 0, "searching 天宁 finds institutions")
    shot(driver, "03-search-phone", PHONE)

    driver.get(BASE + "/institutions/" + INSTITUTION)
    click_and_load(driver, driver.find_element(By.LINK_TEXT, "记录检查"))
    check("/record?kind=inspection" in driver.current_url, "记录检查 opens the inspection form")
    set_date(driver, "occurred_on", "2999-01-01")
    driver.find_element(By.ID, "notes").send_keys("消防通道堵塞,已当场指出")
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "button.primary"))
    errors = {e.get_attribute("id"): e.text for e in driver.find_elements(By.CSS_SELECTOR, ".field-error")}
    check("result-error" in errors, f"a missing result is shown next to its field: {errors.get('result-error')}")
    check("occurred_on-error" in errors, f"a future date is shown next to its field: {errors.get('occurred_on-error')}")
    check(driver.find_element(By.ID, "notes").get_attribute("value") == "消防通道堵塞,已当场指出", "what was typed is kept")
    shot(driver, "04-form-errors-phone", PHONE)

    today = datetime.date.today().isoformat()
    set_date(driver, "occurred_on", today)
    driver.find_element(By.CSS_SELECTOR, "input[name=result][value=issues_found]").click()
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "button.primary"))
    check("recorded=" in driver.current_url, "saving leads back to the institution")
    check("已记录" in driver.page_source, "the page says it was recorded")
    timeline = driver.find_element(By.CSS_SELECTOR, "ol.timeline").text
    check("消防通道堵塞" in timeline and "tn-inspector" in timeline, "the inspection is on the timeline, recorded by tn-inspector")
    check("✓ 完整" in driver.page_source, "the hash chain holds")
    shot(driver, "05-timeline-after-phone", PHONE)

    # A penalty case opened through its form (SPEC §9): a missing second officer is refused next to
    # the field; then the case's page shows the decision due 90 days later.
    driver.get(BASE + "/institutions/" + INSTITUTION)
    click_and_load(driver, driver.find_element(By.LINK_TEXT, "立案"))
    set_date(driver, "violation_on", "2026-10-08")
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "button.primary"))
    errors = {e.get_attribute("id"): e.text for e in driver.find_elements(By.CSS_SELECTOR, ".field-error")}
    check("officers-error" in errors, f"one officer is refused next to the field: {errors.get('officers-error')}")
    driver.find_element(By.ID, "officers").send_keys("\n李四")
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "button.primary"))
    check("/cases/" in driver.current_url, f"saving leads to the case's page ({driver.current_url})")
    steps = driver.find_element(By.CSS_SELECTOR, "table.steps").text
    check("作出处罚决定" in steps and "未完成" in steps, "the case's page lists the decision still due")
    shot(driver, "05b-case-phone", PHONE)

    driver.get(BASE + "/dashboard")
    after = int(figure(driver, "检查机构(家次)") or "-1")
    check(after == before + 1, f"the dashboard counts it: 检查机构(家次) {before} → {after}")
    shot(driver, "06-dashboard-after-phone", PHONE)
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "header form button"))

    sign_in(driver, "analyst")
    driver.get(BASE + "/dashboard?from=2021-07-24&to=2024-06-30")
    check(figure(driver, "压减率") == "95.91%", f"the city's compression rate is 95.91% (got {figure(driver, '压减率')})")
    check(len(driver.find_elements(By.CSS_SELECTOR, "svg text")) >= 14, "the chart has a bar for every district")
    trends = ["开展检查", "检查机构", "查处违规行为", "罚没款金额", "压减率(月末)"]
    for label in trends:
        check(driver.find_elements(By.CSS_SELECTOR, f'.trends svg[aria-label="{label}"]'), f"the dashboard draws the monthly trend {label}")
    months = driver.find_elements(By.CSS_SELECTOR, '.trends svg[aria-label="检查机构"] rect')
    check(len(months) == 36, f"a bar for each of the 36 months 2021-07 … 2024-06 (got {len(months)})")
    check(not driver.find_elements(By.TAG_NAME, "script"), "the dashboard runs no script")
    shot(driver, "07-dashboard-city-desktop", DESKTOP)
    driver.set_window_size(*PHONE)
    overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    check(overflow <= 1, f"the dashboard and its trends fit a phone's width (overflow {overflow} px)")
    check(all(chart.size["width"] <= PHONE[0] for chart in driver.find_elements(By.CSS_SELECTOR, ".trends svg")),
          "each trend is drawn within the phone's width")
    shot(driver, "07b-dashboard-trends-phone", PHONE)
    driver.find_element(By.XPATH, "//a[contains(., '下载 Excel')]").click()
    check(downloaded(".xlsx"), "the Excel workbook downloads")
    driver.get(BASE + "/reply?from=2021-07-24&to=2024-06-30")
    check("压减率为95.91%" in driver.page_source and "64.88万元" in driver.page_source, "the reply holds the published figures")
    shot(driver, "08-reply-phone", PHONE)
    driver.find_element(By.XPATH, "//button[contains(., '下载 Word')]").click()
    check(downloaded(".docx"), "the Word document downloads")
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "header form button"))

    # The hotline operator's screen (SPEC §12): a complaint with its reporter, whose identity the
    # complaint's page never shows; its first clock on the page.
    sign_in(driver, "complaint-officer")
    driver.get(BASE + "/complaints/new")
    key = "H-" + datetime.datetime.now().strftime("%H%M%S")
    driver.find_element(By.ID, "complaint_key").send_keys(key)
    driver.find_element(By.ID, "district").send_keys("天宁区")
    driver.find_element(By.ID, "institution").send_keys(INSTITUTION)
    driver.find_element(By.ID, "summary").send_keys("反映该机构周末开展学科类培训")
    driver.find_element(By.ID, "reporter_name").send_keys("孙丽华")
    driver.find_element(By.ID, "reporter_phone").send_keys("13800001111")
    shot(driver, "10-complaint-form-phone", PHONE)
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "button.primary"))
    check("/complaints/" + key in driver.current_url, f"saving leads to the complaint's page ({driver.current_url})")
    check("已加密保存" in driver.page_source, "the page says the reporter is kept encrypted")
    check("孙丽华" not in driver.page_source and "13800001111" not in driver.page_source, "the page shows no reporter")
    check("受理或不予受理投诉举报" in driver.find_element(By.CSS_SELECTOR, "table.steps").text, "the acceptance clock is on the page")
    shot(driver, "11-complaint-phone", PHONE)
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "header form button"))

    sign_in(driver, "auditor")
    driver.get(BASE + "/institutions/" + VOIDED_KEY)
    check(len(driver.find_elements(By.CSS_SELECTOR, "li.voided del")) > 0, "a voided entry is struck through")
    shot(driver, "09-timeline-voided-desktop", DESKTOP)

    # The public site (SPEC §13) as a parent reads it on a phone: signed out, no scripts, tables
    # with captions, nothing wider than the screen; the feed read by a real Atom parser.
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "header form button"))
    driver.set_window_size(*PHONE)
    for number, (path, expected) in enumerate([
            ("/public", "各区"), ("/public/institutions?q=常州", "查询结果"), ("/public/whitelists", "钟楼区课后服务白名单"),
            ("/public/blacklist", "黑名单"), ("/public/penalties", "行政处罚"), ("/public/draws", "双随机"),
            ("/public/bulletins", "通报")], start=12):
        driver.get(BASE + path)
        source = driver.page_source
        check(expected in source and "<script" not in source, f"{path} shows {expected}, without scripts")
        check(all(t.find_elements(By.TAG_NAME, "caption") for t in driver.find_elements(By.TAG_NAME, "table")), f"{path}: every table has a caption")
        width = driver.execute_script("return document.documentElement.scrollWidth")
        check(width <= PHONE[0], f"{path} fits a phone's width ({width} px)")
        shot(driver, f"{number}-{path.strip('/').replace('/', '-').split('?')[0]}-phone", PHONE)
    driver.get(BASE + "/public/institutions?q=常州")
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "table a"))
    check("白名单" in driver.page_source and "黑名单" in driver.page_source, "an institution's public page shows its lists")
    shot(driver, "19-public-institution-phone", PHONE)
finally:
    driver.quit()

feed = feedparser.parse(urllib.request.urlopen(BASE + "/public/feed.atom").read())
check(not feed.bozo and feed.version == "atom10", f"the Atom feed parses as Atom 1.0 ({feed.version}, bozo {feed.bozo})")
check(len(feed.entries) > 0 and all(e.get("title") and e.get("link") and e.get("updated") for e in feed.entries),
      f"its {len(feed.entries)} entries each have a title, a link and a date")

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("every check passed")
