#!/usr/bin/env python3
"""Package.swift and the imports agree, target by target: every module a target imports is one it
declares (not one it happens to reach through another target), and every dependency it declares
is imported by one of its files. Reads `swift package dump-package` (or that JSON from a file
given as the argument); prints each disagreement and exits 1 if there is one."""
import json
import pathlib
import re
import subprocess
import sys

# Modules of the toolchain and the system, never declared in Package.swift.
SYSTEM_MODULES = {"Foundation", "FoundationEssentials", "FoundationNetworking", "FoundationXML", "Glibc", "Darwin", "Dispatch", "Synchronization",
                  "Testing", "XCTest", "_Concurrency"}
IMPORT = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*import\s+(?:(?:struct|class|enum|func|protocol|typealias|var|let)\s+)?(\w+)", re.M)

root = pathlib.Path(__file__).resolve().parent.parent
if len(sys.argv) > 1:
    package = json.loads(pathlib.Path(sys.argv[1]).read_text())
else:
    package = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=root, capture_output=True, check=True, text=True).stdout)

problems = []
for target in package["targets"]:
    if target["type"] not in ("regular", "executable", "test"):
        continue  # system libraries and plugins have no Swift imports
    name = target["name"]
    folder = root / (target.get("path") or ("Tests" if target["type"] == "test" else "Sources") + "/" + name)
    # A dependency names a target or a product; the products used here are named as their modules.
    declared = {next(iter(dependency.values()))[0] for dependency in target["dependencies"]}
    imported = {}
    for source in sorted(folder.rglob("*.swift")):
        for module in IMPORT.findall(source.read_text(encoding="utf-8")):
            if module not in SYSTEM_MODULES and module != name:
                imported.setdefault(module, source.relative_to(root))
    if not any(folder.rglob("*.swift")):
        continue  # a C target
    for module, source in sorted(imported.items()):
        if module not in declared:
            problems.append(f"Package.swift: {name} imports {module} ({source}) without declaring it")
    for module in sorted(declared - imported.keys()):
        problems.append(f"Package.swift: {name} declares {module}, which none of its files imports")

for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
