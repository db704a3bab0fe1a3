"""``python -m python_docker_hooks``: the aggregate command."""

if __name__ == "__main__":
    from python_docker_hooks._cli import main

    raise SystemExit(main())
