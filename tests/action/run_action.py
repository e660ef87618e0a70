#!/usr/bin/env python3
"""Runs a composite GitHub Action (action.yml) here, the way the GitHub runner would, for tests without GitHub.

What it implements is what action.yml uses, with GitHub's semantics, and it fails loudly on anything else:
- `${{ expr }}` in `run:`, `env:`, `with:` and `outputs.*.value`; `if:` with or without `${{ }}`. Expressions:
  contexts inputs.*, github.action_path/action_ref/workspace, runner.os/arch/temp, steps.<id>.outputs.<name> and
  steps.<id>.outcome/conclusion; 'string' literals, true/false/null, numbers; == != (strings compared ignoring
  case, other types converted to numbers as GitHub does), && || ! and parentheses; success() failure() always()
  cancelled(). A step's `if:` without a status function means `success() && (...)`.
- `shell: bash` steps run as GitHub runs them (`bash --noprofile --norc -eo pipefail SCRIPT`) in the workspace,
  with the runner's variables (GITHUB_ACTIONS, CI, RUNNER_OS/ARCH/TEMP, GITHUB_WORKSPACE, GITHUB_ACTION_PATH) and
  per-step $GITHUB_OUTPUT, $GITHUB_ENV and $GITHUB_PATH files (`name=value` and `name<<DELIMITER` forms).
- `uses:` steps are not run: their evaluated `with:` is recorded (and printed), as a step that succeeded.
Inputs: `--input name=value` (repeatable); defaults come from action.yml; an unknown or a missing required input is
an error. `--record FILE` writes what happened as JSON: every step (kind, ran, outcome, uses/with, outputs) and the
action's outputs. Exit status: 0 when every step that ran succeeded, 1 otherwise, 3 on an unsupported action.
"""
import argparse
import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile

import yaml


class Unsupported(Exception):
    pass


# ---- expressions ---------------------------------------------------------------------------------------------
TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>==|!=|&&|\|\||!|\(|\)|,)"
                   r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*))")
STATUS_FUNCTIONS = {"success", "failure", "always", "cancelled"}


def tokenize(text):
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise Unsupported(f"expression '{text}': cannot read '{text[pos:].strip()}'")
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


def to_number(v):
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return float(v)
    s = v.strip()
    if s == "":
        return 0.0
    try:
        return float(int(s, 0)) if re.fullmatch(r"[+-]?0x[0-9a-fA-F]+", s) else float(s)
    except ValueError:
        return math.nan


def truthy(v):
    if v is None:
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v != 0 and not math.isnan(v)
    return v != ""


def equal(a, b):
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold() == b.casefold()
    if a is None and b is None:
        return True
    return to_number(a) == to_number(b)


def to_string(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


class Evaluator:
    def __init__(self, runner):
        self.runner = runner

    def evaluate(self, text):
        self.tokens, self.pos, self.text = tokenize(text), 0, text
        if not self.tokens:
            raise Unsupported("empty expression")
        value = self.parse_or()
        if self.pos != len(self.tokens):
            raise Unsupported(f"expression '{text}': unexpected '{self.tokens[self.pos][1]}'")
        return value

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self, op):
        if self.peek() == ("op", op):
            self.pos += 1
            return True
        return False

    def parse_or(self):
        left = self.parse_and()
        while self.take("||"):
            right = self.parse_and()
            left = left if truthy(left) else right
        return left

    def parse_and(self):
        left = self.parse_not()
        while self.take("&&"):
            right = self.parse_not()
            left = right if truthy(left) else left
        return left

    def parse_not(self):
        if self.take("!"):
            return not truthy(self.parse_not())
        return self.parse_compare()

    def parse_compare(self):
        left = self.parse_primary()
        if self.take("=="):
            return equal(left, self.parse_primary())
        if self.take("!="):
            return not equal(left, self.parse_primary())
        return left

    def parse_primary(self):
        kind, value = self.peek()
        if kind is None:
            raise Unsupported(f"expression '{self.text}' ends too early")
        self.pos += 1
        if kind == "str":
            return value[1:-1].replace("''", "'")
        if kind == "num":
            return float(value)
        if kind == "op" and value == "(":
            inner = self.parse_or()
            if not self.take(")"):
                raise Unsupported(f"expression '{self.text}': missing ')'")
            return inner
        if kind == "name":
            if value in ("true", "false"):
                return value == "true"
            if value == "null":
                return None
            if self.take("("):
                if value not in STATUS_FUNCTIONS or not self.take(")"):
                    raise Unsupported(f"expression '{self.text}': function {value}() is not supported")
                return self.runner.status_function(value)
            return self.runner.context(value)
        raise Unsupported(f"expression '{self.text}': unexpected '{value}'")


EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)


# ---- the runner ----------------------------------------------------------------------------------------------
class Runner:
    def __init__(self, action_file, inputs, workspace, action_ref, runner_arch, temp):
        self.action_file = os.path.abspath(action_file)
        self.action_path = os.path.dirname(self.action_file)
        with open(self.action_file, encoding="utf-8") as f:
            self.action = yaml.safe_load(f)
        self.workspace = os.path.abspath(workspace)
        self.action_ref = action_ref
        self.runner_arch = runner_arch
        self.temp = temp
        self.inputs = self.resolve_inputs(inputs)
        self.steps_state = {}  # id -> {"outputs": {}, "outcome": ..., "conclusion": ...}
        self.failed = False
        self.env = {}  # from $GITHUB_ENV
        self.path = []  # from $GITHUB_PATH, newest first
        self.evaluator = Evaluator(self)

    def resolve_inputs(self, given):
        declared = self.action.get("inputs") or {}
        for key in ("name", "description", "runs"):
            if key not in self.action:
                raise Unsupported(f"action.yml has no '{key}'")
        for name in given:
            if name not in declared:
                raise Unsupported(f"input '{name}' is not declared in action.yml")
        values = {}
        for name, spec in declared.items():
            spec = spec or {}
            extra = set(spec) - {"description", "required", "default", "deprecationMessage"}
            if extra:
                raise Unsupported(f"input '{name}': unsupported keys {sorted(extra)}")
            if name in given:
                values[name] = given[name]
            elif "default" in spec:
                if not isinstance(spec["default"], str):
                    raise Unsupported(f"input '{name}': quote the default (inputs are strings): {spec['default']!r}")
                values[name] = self.substitute(spec["default"]) if "${{" in spec["default"] else spec["default"]
            elif spec.get("required"):
                raise Unsupported(f"required input '{name}' not given")
            else:
                values[name] = ""
        return values

    # contexts and status functions, called by the evaluator
    def context(self, dotted):
        parts = dotted.split(".")
        root = parts[0]
        if root == "inputs" and len(parts) == 2:
            if parts[1] not in self.inputs:
                raise Unsupported(f"inputs.{parts[1]} is not a declared input")
            return self.inputs[parts[1]]
        if root == "github" and len(parts) == 2:
            known = {"action_path": self.action_path, "action_ref": self.action_ref, "workspace": self.workspace}
            if parts[1] in known:
                return known[parts[1]]
        if root == "runner" and len(parts) == 2:
            known = {"os": "Linux", "arch": self.runner_arch, "temp": self.temp}
            if parts[1] in known:
                return known[parts[1]]
        if root == "steps" and len(parts) >= 3:
            ids = [s.get("id") for s in self.action["runs"]["steps"]]
            if parts[1] not in ids:
                raise Unsupported(f"steps.{parts[1]}: no step has that id")
            state = self.steps_state.get(parts[1], {})
            if parts[2] == "outputs" and len(parts) == 4:
                return state.get("outputs", {}).get(parts[3])  # null until set, as on GitHub
            if parts[2] in ("outcome", "conclusion") and len(parts) == 3:
                return state.get(parts[2])
        raise Unsupported(f"context '{dotted}' is not supported by this runner")

    def status_function(self, name):
        return {"success": not self.failed, "failure": self.failed, "always": True, "cancelled": False}[name]

    def substitute(self, text):
        if not isinstance(text, str):
            raise Unsupported(f"expected a string, got {text!r}")
        return EXPR.sub(lambda m: to_string(self.evaluator.evaluate(m.group(1))), text)

    def condition(self, cond):
        if cond is None:
            return not self.failed
        if isinstance(cond, bool):
            cond = "true" if cond else "false"
        text = cond.strip()
        m = re.fullmatch(r"\$\{\{(.*)\}\}", text, re.S)
        if m:
            text = m.group(1)
        elif "${{" in text:
            raise Unsupported(f"if: '{cond}': mixes text and an expression")
        names = {value for kind, value in tokenize(text) if kind == "name"}
        if not names & STATUS_FUNCTIONS:
            text = f"success() && ({text})"
        return truthy(self.evaluator.evaluate(text))

    # running
    def run(self, record):
        runs = self.action["runs"]
        if runs.get("using") != "composite":
            raise Unsupported(f"runs.using '{runs.get('using')}': only composite actions are supported")
        extra = set(runs) - {"using", "steps"}
        if extra:
            raise Unsupported(f"runs: unsupported keys {sorted(extra)}")
        for index, step in enumerate(runs["steps"]):
            record["steps"].append(self.run_step(index, step))
        outputs = {}
        for name, spec in (self.action.get("outputs") or {}).items():
            outputs[name] = self.substitute(spec["value"])
        record["outputs"] = outputs
        record["conclusion"] = "failure" if self.failed else "success"

    def run_step(self, index, step):
        name = step.get("name") or step.get("id") or f"step {index + 1}"
        if "run" in step:
            allowed = {"name", "id", "if", "shell", "run", "env"}
            kind = "run"
        elif "uses" in step:
            allowed = {"name", "id", "if", "uses", "with"}
            kind = "uses"
        else:
            raise Unsupported(f"step '{name}': neither run nor uses")
        extra = set(step) - allowed
        if extra:
            raise Unsupported(f"step '{name}': unsupported keys {sorted(extra)}")
        entry = {"name": name, "id": step.get("id"), "kind": kind, "ran": False}
        if kind == "run" and step.get("shell") != "bash":
            raise Unsupported(f"step '{name}': shell '{step.get('shell')}' (only bash is supported)")
        if not self.condition(step.get("if")):
            print(f"[run_action] skipped: {name}", file=sys.stderr, flush=True)
            entry.update(outcome="skipped", conclusion="skipped")
            self.remember(step, entry, {})
            return entry
        entry["ran"] = True
        if kind == "uses":
            entry["uses"] = step["uses"]
            entry["with"] = {k: self.substitute(str(v) if isinstance(v, (int, float)) else v)
                             for k, v in (step.get("with") or {}).items()}
            print(f"[run_action] uses (not run): {name}: {step['uses']} with {json.dumps(entry['with'])}",
                  file=sys.stderr, flush=True)
            entry.update(outcome="success", conclusion="success")
            self.remember(step, entry, {})
            return entry
        print(f"[run_action] run: {name}", file=sys.stderr, flush=True)
        script = self.substitute(step["run"])
        step_env = {k: self.substitute(v if isinstance(v, str) else to_string(v)) for k, v in (step.get("env") or {}).items()}
        files_dir = tempfile.mkdtemp(prefix="step-", dir=self.temp)
        files = {n: os.path.join(files_dir, n) for n in ("output", "env", "path")}
        for path in files.values():
            open(path, "w").close()
        script_path = os.path.join(files_dir, "script.sh")
        with open(script_path, "w", encoding="utf-8") as f:
            f.write(script)
        env = dict(os.environ)
        env.update(self.env)
        env["PATH"] = os.pathsep.join(self.path + [env.get("PATH", "")])
        env.update({"GITHUB_ACTIONS": "true", "CI": "true", "RUNNER_OS": "Linux", "RUNNER_ARCH": self.runner_arch,
                    "RUNNER_TEMP": self.temp, "GITHUB_WORKSPACE": self.workspace,
                    "GITHUB_ACTION_PATH": self.action_path, "GITHUB_OUTPUT": files["output"],
                    "GITHUB_ENV": files["env"], "GITHUB_PATH": files["path"]})
        env.update(step_env)
        code = subprocess.call(["bash", "--noprofile", "--norc", "-eo", "pipefail", script_path],
                               cwd=self.workspace, env=env)
        outputs = parse_key_values(files["output"])
        self.env.update(parse_key_values(files["env"]))
        with open(files["path"], encoding="utf-8") as f:
            for line in f.read().splitlines():
                if line.strip():
                    self.path.insert(0, line.strip())
        entry["exit_code"] = code
        entry["outputs"] = outputs
        outcome = "success" if code == 0 else "failure"
        entry.update(outcome=outcome, conclusion=outcome)
        if code != 0:
            self.failed = True
            print(f"[run_action] failed (exit {code}): {name}", file=sys.stderr, flush=True)
        self.remember(step, entry, outputs)
        return entry

    def remember(self, step, entry, outputs):
        if step.get("id"):
            self.steps_state[step["id"]] = {"outputs": outputs, "outcome": entry["outcome"],
                                            "conclusion": entry["conclusion"]}


def parse_key_values(path):
    """$GITHUB_OUTPUT / $GITHUB_ENV: `name=value` lines and `name<<DELIMITER` ... `DELIMITER` blocks."""
    values = {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line == "":
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            while i < len(lines) and lines[i] != delimiter:
                body.append(lines[i])
                i += 1
            if i == len(lines):
                raise Unsupported(f"{path}: no closing delimiter '{delimiter}' for '{name}'")
            i += 1
            values[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
        else:
            raise Unsupported(f"{path}: cannot read line '{line}'")
    return values


def main():
    default_arch = {"x86_64": "X64", "aarch64": "ARM64", "arm64": "ARM64"}.get(platform.machine(), platform.machine())
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("action", help="the action.yml to run")
    p.add_argument("--input", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--workspace", default=os.getcwd(), help="GITHUB_WORKSPACE, where steps run (default: here)")
    p.add_argument("--action-ref", default="", help="github.action_ref (the tag the action is used at)")
    p.add_argument("--runner-arch", default=default_arch, help="runner.arch: X64, ARM64... (default: this machine)")
    p.add_argument("--record", help="write what happened as JSON to this file")
    a = p.parse_args()
    inputs = {}
    for item in a.input:
        if "=" not in item:
            p.error(f"--input {item}: want NAME=VALUE")
        k, v = item.split("=", 1)
        inputs[k] = v
    record = {"steps": []}
    with tempfile.TemporaryDirectory(prefix="runner-temp-") as temp:
        try:
            Runner(a.action, inputs, a.workspace, a.action_ref, a.runner_arch, temp).run(record)
        except Unsupported as e:
            print(f"[run_action] unsupported: {e}", file=sys.stderr)
            return 3
    if a.record:
        with open(a.record, "w", encoding="utf-8") as f:
            json.dump(record, f, indent=2)
    print(f"[run_action] {record['conclusion']}", file=sys.stderr)
    return 0 if record["conclusion"] == "success" else 1


if __name__ == "__main__":
    sys.exit(main())
