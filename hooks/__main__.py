"""``python -m hooks``: the aggregate command."""

if __name__ == "__main__":
    from hooks._cli import main

    raise SystemExit(main())
