"""A tiny FastAPI service: the application the example Dockerfile packages."""

from fastapi import FastAPI

app = FastAPI(title="hello")


@app.get("/")
def read_root() -> dict[str, str]:
    return {"message": "Hello, World"}


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
