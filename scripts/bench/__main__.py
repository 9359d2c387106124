"""`python -m scripts.bench`: the benchmark suite (see run.py)."""

from scripts.bench.run import main

main()
