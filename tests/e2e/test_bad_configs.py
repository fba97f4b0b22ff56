# SPDX-License-Identifier: GPL-3.0-or-later
"""Bad configurations and options: the exact message and exit status, and no
output file.  Messages read like compiler errors: `mndsim: <file>:<line>: ...`.

The fixtures live in tests/e2e/configs/; each says in its first line what is
wrong with it."""
import pytest

from conftest import FIXTURES, REPO, run_cli, run_ok

CFG = "tests/e2e/configs"
TRY_HELP = "Try 'mndsim --help'.\n"

BAD_FILES = [
    ("unknown_key.cfg", "4: unknown key 'simulation.n_patient'"),
    ("unknown_section.cfg", "2: unknown key 'cohorts'"),
    ("wrong_type.cfg", "3: cohort.male_share must be a number (got string)"),
    ("wrong_type_int.cfg", "3: simulation.n_patients must be an integer (got float)"),
    ("out_of_range.cfg", "4: cohort.male_share must be <= 1 (got 1.5)"),
    ("shares_sum.cfg", "3: cohort.phenotype_share must sum to 1 (got 1.1)"),
    ("cross_key.cfg", "4: cohort.age_onset_min_years must be < cohort.age_onset_max_years "
                      "(got 70 and 60)"),
    ("syntax.cfg", "4: syntax error"),
    ("include_missing.cfg", "2: cannot open include file "
                            "'tests/e2e/configs/include/no_such_file.cfg': No such file or directory"),
]


@pytest.mark.parametrize("command", ["check", "run"])
@pytest.mark.parametrize("name, message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_config_file(tmp_path, command, name, message):
    out = tmp_path / "out.h5"
    extra = ["-o", out] if command == "run" else []
    r = run_cli(command, f"{CFG}/{name}", *extra)
    assert r.rc == 1, str(r)
    assert r.stdout == ""
    assert r.stderr == f"mndsim: {CFG}/{name}:{message}\n"
    assert list(tmp_path.iterdir()) == []


def test_error_in_included_file_names_that_file():
    r = run_cli("check", f"{CFG}/include_bad.cfg")
    assert r.rc == 1, str(r)
    assert r.stderr == (f"mndsim: {CFG}/include/bad_cohort.cfg:3: "
                        "cohort.age_onset_sd_years must be >= 0 (got -1)\n")


def test_nested_include_from_another_directory(tmp_path):
    # Each @include is relative to the file that holds it, two levels down and
    # from any current directory; the loaded config is valid_small.cfg's.
    deeper = FIXTURES / "include" / "nested" / "deeper"
    for cwd, path in [(REPO, f"{CFG}/include_nested.cfg"),
                      (deeper, "../../../include_nested.cfg"),
                      (tmp_path, FIXTURES / "include_nested.cfg")]:
        r = run_ok("check", path, cwd=cwd)
        assert r.stdout == f"{path}: ok (50 patients x 1 replicates, 9 visits)\n"


@pytest.mark.parametrize("command", ["check", "run"])
def test_error_in_nested_include_names_that_file(tmp_path, command):
    # The message names the innermost file by a path that opens from the
    # current directory.
    extra = ["-o", tmp_path / "out.h5"] if command == "run" else []
    r = run_cli(command, "../include_nested_bad.cfg", *extra, cwd=FIXTURES / "include")
    assert r.rc == 1, str(r)
    assert r.stdout == ""
    assert r.stderr == ("mndsim: ../include/nested/deeper/bad_visits.cfg:4: "
                        "simulation.visit_interval_months must be > 0 (got -3)\n")
    assert list(tmp_path.iterdir()) == []


def test_paths_in_messages_are_as_given(tmp_path):
    # From another folder, with an absolute path: the message repeats that path.
    path = FIXTURES / "out_of_range.cfg"
    r = run_cli("check", path, cwd=tmp_path)
    assert r.rc == 1, str(r)
    assert r.stderr == f"mndsim: {path}:4: cohort.male_share must be <= 1 (got 1.5)\n"


def test_valid_fixture_is_valid():
    # The fixtures differ from valid_small.cfg only in what they break.
    r = run_ok("check", f"{CFG}/valid_small.cfg")
    assert r.stdout == f"{CFG}/valid_small.cfg: ok (50 patients x 1 replicates, 9 visits)\n"


@pytest.mark.parametrize("command", ["check", "run"])
def test_missing_config_file(tmp_path, command):
    path = f"{CFG}/no_such.cfg"
    r = run_cli(command, path, *(["-o", tmp_path / "o.h5"] if command == "run" else []))
    assert r.rc == 2, str(r)
    assert r.stdout == ""
    assert r.stderr == f"mndsim: {path}: cannot read configuration file: No such file or directory\n"
    assert list(tmp_path.iterdir()) == []


BAD_SETS = [
    ("simulation.n_patients=abc", "cannot parse value: syntax error"),
    ("simulation.n_patients=1.5", "simulation.n_patients must be an integer (got float)"),
    ("simulation.n_patients=0", "simulation.n_patients must be >= 1 (got 0)"),
    ("cohort.male_share=2", "cohort.male_share must be <= 1 (got 2)"),
    ("simulation.seed=-1", "simulation.seed must be >= 0 (got -1)"),
    ("simulation.visit_origin=nowhere",
     'simulation.visit_origin must be one of "onset", "diagnosis", "enrolment" (got "nowhere")'),
    ("cohort.phenotype_share=[0.5,0.5]", "cohort.phenotype_share must have 6 elements (got 2)"),
    ('output.store=["total","bogus"]',
     'output.store entries must be among "time", "items", "total", "fvc", "kings", "mitos", '
     '"neurons" (got "bogus")'),
    ("simulation.n_patient=5", "unknown key 'simulation.n_patient'"),
    ("nosection.key=1", "unknown key 'nosection.key'"),
    ("simulation.n_patients", "expected key=value"),
]


@pytest.mark.parametrize("setting, message", BAD_SETS, ids=[s for s, _ in BAD_SETS])
def test_bad_set(tmp_path, setting, message):
    out = tmp_path / "o.h5"
    r = run_cli("run", "configs/default.cfg", "-o", out, "--set", setting)
    assert r.rc == 1, str(r)
    assert r.stdout == ""
    assert r.stderr == f"mndsim: --set {setting}: {message}\n"
    assert list(tmp_path.iterdir()) == []


def test_set_rules_apply_to_final_values():
    # A share vector replaced by an override is checked on its new value ...
    run_ok("check", "configs/default.cfg",
           "--set", "cohort.phenotype_share=[1.0,0.0,0.0,0.0,0.0,0.0]")
    # ... and a cross-key rule broken by an override is reported against it.
    r = run_cli("check", "configs/default.cfg", "--set", "cohort.age_onset_min_years=95")
    assert r.rc == 1, str(r)
    assert r.stderr == ("mndsim: --set cohort.age_onset_min_years=95: "
                        "cohort.age_onset_min_years must be < cohort.age_onset_max_years "
                        "(got 95 and 90)\n")


@pytest.mark.parametrize("option, value, message", [
    ("--seed", "-1", "--seed must be an integer in [0, 2^63) (got '-1')"),
    ("--seed", "9223372036854775808",
     "--seed must be an integer in [0, 2^63) (got '9223372036854775808')"),
    ("--seed", "12abc", "--seed must be an integer in [0, 2^63) (got '12abc')"),
    ("--threads", "0", "--threads must be an integer in [1, 4096] (got '0')"),
    ("--threads", "4097", "--threads must be an integer in [1, 4096] (got '4097')"),
    ("--threads", "two", "--threads must be an integer in [1, 4096] (got 'two')"),
])
def test_bad_option_value(tmp_path, option, value, message):
    out = tmp_path / "o.h5"
    r = run_cli("run", "configs/default.cfg", "-o", out, option, value)
    assert r.rc == 1, str(r)
    assert r.stdout == ""
    assert r.stderr == f"mndsim: {message}\n{TRY_HELP}"
    assert list(tmp_path.iterdir()) == []


def test_largest_seed_accepted():
    r = run_ok("check", "configs/default.cfg", "--seed", "9223372036854775807")
    assert r.stdout == "configs/default.cfg: ok (10000 patients x 1 replicates, 121 visits)\n"
