#!/usr/bin/env bash
# paperkit as a council installs it: a fresh virtual environment outside the checkout holding
# nothing but the built wheel (no extras), used from an empty folder. Every step must exit as
# expected and print no traceback. Usage: scripts/smoke-wheel.sh dist/paperkit-VERSION-py3-none-any.whl
set -euo pipefail

wheel="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
version="$(basename "$wheel" | cut -d- -f2)"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "smoke: installing $(basename "$wheel") alone into a new virtual environment"
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --disable-pip-version-check "$wheel" 2>&1 | grep -v "^WARNING: Location" || true
"$work/venv/bin/python" -m pip show -q paperkit >/dev/null  # installed, or fail here
export PATH="$work/venv/bin:$PATH"
unset PYTHONPATH
mkdir "$work/papers"
cd "$work/papers"  # empty: no templates/, no content/, not the checkout

# step EXPECTED_STATUS COMMAND...: run it, show what it printed, fail on another status or a traceback.
step() {
  local expected="$1"; shift
  echo "\$ $*"
  set +e; output="$("$@" 2>&1)"; status=$?; set -e
  printf '%s\n' "$output" | sed 's/^/    /'
  if [ "$status" -ne "$expected" ]; then echo "smoke: FAILED: exit $status, expected $expected: $*" >&2; exit 1; fi
  if grep -q "Traceback" <<<"$output"; then echo "smoke: FAILED: a traceback from: $*" >&2; exit 1; fi
}

step 0 paperkit --version
[ "$output" = "paperkit, version $version" ] || { echo "smoke: FAILED: version is not $version" >&2; exit 1; }
step 0 paperkit templates
grep -q "^walsall/cabinet .*(built-in)" <<<"$output" || { echo "smoke: FAILED: built-in styles missing" >&2; exit 1; }

step 0 paperkit new my-paper --template walsall/cabinet
step 1 paperkit check my-paper  # a new paper says what is still to write
grep -q "paper.yaml:3: error \[field-missing\]" <<<"$output" || { echo "smoke: FAILED: no diagnostics" >&2; exit 1; }

echo "smoke: writing the paper"
paper=content/my-paper
sed -i -e 's/^meeting: ""/meeting: Cabinet/' -e 's/^date: ""/date: 2026-01-21/' \
  -e 's/^title: ""/title: Library opening hours/' -e 's/^portfolio: ""/portfolio: Councillor Smith/' \
  -e 's/^service: ""/service: Libraries/' -e 's/^  name: ""/  name: Sam Jones/' \
  -e 's/^  job_title: ""/  job_title: Head of Libraries/' -e 's/^  telephone: ""/  telephone: 01922 650000/' \
  -e 's/^  email: ""/  email: sam.jones@example.gov.uk/' "$paper/paper.yaml"
printf 'Opening hours at four libraries change from April.\n' > "$paper/summary.md"
printf -- '- That Cabinet approves the new hours set out in paragraph {ref}`hours`.\n' > "$paper/recommendations.md"
printf -- '- {#hours}\n  Libraries open 9am to 5pm, Monday to Saturday.\n- Visits fell by a third since 2019.\n' \
  > "$paper/report-detail.md"
for section in priorities risk-management consultation; do printf 'As set out in the report.\n' > "$paper/$section.md"; done
for section in financial legal property health-and-wellbeing staffing; do
  printf 'None.\n' > "$paper/$section-implications.md"
done
printf 'None.\n' > "$paper/reducing-inequalities.md"

step 0 paperkit check my-paper
step 0 paperkit build my-paper
for ext in docx pdf html; do
  [ -s "build/my-paper/my-paper.$ext" ] || { echo "smoke: FAILED: no build/my-paper/my-paper.$ext" >&2; exit 1; }
done
grep -q "approves the new hours set out in paragraph 3.1" <<<"$(python -c 'import sys,docx
print("\n".join(p.text for p in docx.Document(sys.argv[1]).paragraphs))' build/my-paper/my-paper.docx)" \
  || { echo "smoke: FAILED: the cross-reference is not 3.1 in the DOCX" >&2; exit 1; }
step 0 paperkit verify build/my-paper/my-paper.pdf

echo "smoke: recommendation groups, a reference to several paragraphs, a PDF appendix"
pages_before="$(python -c 'import sys,pikepdf; print(len(pikepdf.open(sys.argv[1]).pages))' build/my-paper/my-paper.pdf)"
printf '{.group name=Council}\nThat Council approves:\n\n- the new hours in paragraphs {ref}`hours, visits`;\n\n- {#budget}\n  the budget.\n\n{.group}\nThat Cabinet notes:\n\n- the survey in recommendation {ref}`budget`.\n' \
  > "$paper/recommendations.md"
printf -- '- {#hours}\n  Libraries open 9am to 5pm, Monday to Saturday.\n- {#visits}\n  Visits fell by a third since 2019.\n' \
  > "$paper/report-detail.md"
python -c 'import weasyprint,sys; weasyprint.HTML(string="<p>Map of the four libraries</p>").write_pdf(sys.argv[1])' "$paper/map.pdf"
printf 'appendices:\n  - {title: Map of the libraries, file: map.pdf}\n  - {title: Survey results, note: to follow}\n' >> "$paper/paper.yaml"
step 0 paperkit build my-paper
text="$(python -c 'import sys,docx
print("\n".join(p.text for p in docx.Document(sys.argv[1]).paragraphs))' build/my-paper/my-paper.docx)"
for want in "the new hours in paragraphs 3.1 and 3.2;" "the survey in recommendation 2 to Council." \
            "Appendix B: Survey results (to follow)"; do
  grep -qF "$want" <<<"$text" || { echo "smoke: FAILED: '$want' is not in the DOCX" >&2; exit 1; }
done
pages_after="$(python -c 'import sys,pikepdf; print(len(pikepdf.open(sys.argv[1]).pages))' build/my-paper/my-paper.pdf)"
[ "$pages_after" -ge $((pages_before + 2)) ] || { echo "smoke: FAILED: the PDF appendix added no pages" >&2; exit 1; }
[ -s build/my-paper/my-paper-files/map.pdf ] || { echo "smoke: FAILED: the PDF appendix is not published" >&2; exit 1; }
step 0 paperkit verify build/my-paper/my-paper.pdf

echo "smoke: the sign-off DOCX imported back"
step 0 paperkit import build/my-paper/my-paper.docx --out imported
step 0 paperkit check my-paper --content imported
step 0 paperkit import build/my-paper/my-paper.docx --onto my-paper  # rewrites files typed loosely, same content
step 0 paperkit check my-paper
step 0 paperkit build my-paper --format docx
step 0 paperkit import build/my-paper/my-paper.docx --onto my-paper
grep -q "nothing changed" <<<"$output" || { echo "smoke: FAILED: importing an unreviewed DOCX changed the paper" >&2; exit 1; }
echo "smoke: the live preview"
paperkit preview my-paper --port 0 --no-browser > preview.log 2>&1 &
preview=$!
for _ in $(seq 50); do grep -q "http://127.0.0.1:" preview.log && break; sleep 0.2; done
address="$(grep -o 'http://127.0.0.1:[0-9]*/' preview.log | head -1)"
[ -n "$address" ] || { cat preview.log; echo "smoke: FAILED: the preview did not start" >&2; exit 1; }
python - "$address" <<'PY'
import sys, time, urllib.request, urllib.error
page = urllib.request.urlopen(sys.argv[1], timeout=10).read().decode()
assert "Library opening hours" in page and "/_paperkit/preview.js" in page, page[:300]
assert urllib.request.urlopen(sys.argv[1] + "_paperkit/preview.js", timeout=10).status == 200
for _ in range(100):  # the PDF is made in the background
    try:
        assert urllib.request.urlopen(sys.argv[1] + "paper.pdf", timeout=10).read()[:5] == b"%PDF-"
        break
    except urllib.error.HTTPError as err:
        assert err.code == 503
        time.sleep(0.2)
else:
    raise SystemExit("no PDF")
try:
    urllib.request.urlopen(sys.argv[1] + "paper.yaml", timeout=10)
    raise SystemExit("paper.yaml was served")
except urllib.error.HTTPError as err:
    assert err.code == 404
PY
kill -INT "$preview"; wait "$preview" || true
echo "smoke: preview served the page, its script and the PDF, and refused paper.yaml"

echo "smoke: what changed, as tracked changes"
mkdir -p old && cp -r content/my-paper old/
printf 'Opening hours at four libraries change from April, after consultation.\n' > "$paper/summary.md"
step 0 paperkit diff old/my-paper content/my-paper --format docx --format html
grep -q "1 insertion(s), 0 deletion(s)" <<<"$output" || { echo "smoke: FAILED: diff summary" >&2; exit 1; }
grep -q "<ins>" build/my-paper/my-paper-changes.html || { echo "smoke: FAILED: no insertion on the page" >&2; exit 1; }
map="$(python -c 'import paperkit.templates as t, pathlib; print(pathlib.Path(t.__file__).parent / "walsall/cabinet/import-map.yaml")')"
[ -s "$map" ] || { echo "smoke: FAILED: the Walsall style map is not installed" >&2; exit 1; }

mkdir -p content/meetings
cat > content/meetings/cabinet-2026-01-21.yaml <<'YAML'
template: walsall/cabinet
committee: Cabinet
date: 2026-01-21
time: 6.00 pm
venue: Council Chamber
items:
  - title: Apologies
    text: To receive apologies for absence.
  - paper: my-paper
YAML
step 0 paperkit pack cabinet-2026-01-21
pack=build/cabinet-2026-01-21/cabinet-2026-01-21-public-pack.pdf
pages="$(python -c 'import sys,pikepdf; print(len(pikepdf.open(sys.argv[1]).pages))' "$pack")"
[ "$pages" -ge 2 ] || { echo "smoke: FAILED: the pack has $pages pages" >&2; exit 1; }
echo "smoke: pack of $pages pages"

# A council's own house style, in templates/ beside content/, found before the built-in ones.
mkdir -p templates/our-council/cabinet
printf 'extends: walsall/cabinet\nname: Our Council Cabinet report\ndescription: Our own Cabinet style.\n' \
  > templates/our-council/cabinet/style.yaml
step 0 paperkit templates
grep -q "^our-council/cabinet .*Our own Cabinet style.  (templates/our-council/cabinet)" <<<"$output" \
  || { echo "smoke: FAILED: the local style is not listed" >&2; exit 1; }
step 0 paperkit new second-paper --template our-council/cabinet

echo "smoke: passed: the wheel installs alone and works from an empty folder"
