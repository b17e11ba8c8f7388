#!/usr/bin/env python3
"""Run Jupyter notebooks top to bottom on the Deno kernel, headless (CI).

Uses Debian's python3-nbclient / python3-nbformat (run with /usr/bin/python3
when another python3 comes first on PATH). Each notebook runs in its own
folder (so `../mod.ts` resolves), every cell has a time limit, and the first
error in a notebook stops it: the script prints the notebook, the cell number
and the start of its source, the error, and exits non-zero after trying all
notebooks. It prints the wall time of each notebook.

    /usr/bin/python3 scripts/run_notebooks.py [--timeout S] [--kernel deno]
        [--save DIR] [notebooks/01_mock_universe.ipynb ...]

With no notebooks given it runs notebooks/*.ipynb in name order.
"""
import argparse
import glob
import os
import sys
import time

try:
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.exit(
        f"run_notebooks: {e}. Install Debian's packages: "
        "apt-get install -y python3-nbclient python3-nbformat, "
        "and run this with /usr/bin/python3."
    )


def kernel_argv(name):
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        sys.exit(
            f'run_notebooks: no Jupyter kernel named "{name}". '
            "Install it with: ./bin/deno jupyter --install --force"
        )
    return spec.argv


def failing_cell(nb):
    """Index and cell of the first code cell whose outputs hold an error."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, cell
    return None, None


def run_one(path, args):
    nb = nbformat.read(path, as_version=4)
    folder = os.path.dirname(os.path.abspath(path))
    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        startup_timeout=args.startup_timeout,
        allow_errors=False,
        resources={"metadata": {"path": folder}},
    )
    start = time.monotonic()
    error = None
    try:
        client.execute()
    except CellTimeoutError as e:
        error = f"a cell ran longer than {args.timeout} s: {str(e).strip().splitlines()[0]}"
    except DeadKernelError as e:
        error = f"the kernel died: {e}"
    except CellExecutionError as e:
        error = str(e)
    seconds = time.monotonic() - start
    if args.save:
        os.makedirs(args.save, exist_ok=True)
        nbformat.write(nb, os.path.join(args.save, os.path.basename(path)))
    if error is None:
        print(f"ok      {path}  {seconds:6.1f} s  ({len(nb.cells)} cells)", flush=True)
        return True, seconds
    index, cell = failing_cell(nb)
    if index is None:
        # A timeout or a dead kernel leaves no error output: the last cell that started.
        started = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.get("execution_count")]
        index = started[-1] if started else None
        cell = nb.cells[index] if index is not None else None
    print(f"FAILED  {path}  {seconds:6.1f} s", flush=True)
    if cell is not None:
        source = "".join(cell.source).strip().splitlines()
        code_number = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")
        print(f"  in cell {index + 1} of {len(nb.cells)} (code cell {code_number}):", flush=True)
        for line in source[:8]:
            print(f"    | {line}", flush=True)
        if len(source) > 8:
            print(f"    | ... ({len(source) - 8} more lines)", flush=True)
    print("  error:", flush=True)
    for line in error.strip().splitlines()[-25:]:
        print(f"    {line}", flush=True)
    return False, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default notebooks/*.ipynb)")
    parser.add_argument("--kernel", default="deno", help="Jupyter kernel name (default deno)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell (default 900)")
    parser.add_argument("--startup-timeout", type=int, default=120, help="seconds for the kernel to start")
    parser.add_argument("--save", help="write the executed notebooks (with outputs) into this folder")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    paths = args.notebooks or sorted(glob.glob(os.path.join(root, "notebooks", "*.ipynb")))
    if not paths:
        sys.exit("run_notebooks: no notebooks found")
    for p in paths:
        if not os.path.isfile(p):
            sys.exit(f"run_notebooks: {p} does not exist")
    print(f"kernel {args.kernel}: {' '.join(kernel_argv(args.kernel))}", flush=True)
    results = [(p, *run_one(p, args)) for p in paths]
    failed = [p for p, ok, _ in results if not ok]
    total = sum(s for _, _, s in results)
    print(f"notebooks: {len(results) - len(failed)} passed, {len(failed)} failed ({total:.1f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
