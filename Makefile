# The two commands of the README: `make up` (set up, start everything, load the sample corpus)
# and `make test` (set up, check the code, start the engine and Redis, run the tests on real services).
BIN := .venv/bin

.PHONY: setup up down status lint test
setup:
	@bash services/setup.sh

up: setup
	@$(BIN)/docsearch up

down:
	@$(BIN)/docsearch down

status:
	@$(BIN)/docsearch services status

# ruff (errors and likely bugs), mypy (docsearch/ and api/) and the import layers (pyproject.toml).
lint: setup
	@$(BIN)/ruff check .
	@$(BIN)/mypy
	@$(BIN)/lint-imports

test: lint
	@$(BIN)/docsearch services up --only engine,redis
	@$(BIN)/python -m pytest $(PYTEST_ARGS)
