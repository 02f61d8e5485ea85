# The two commands of the README: `make up` (set up, start everything, load the sample corpus)
# and `make test` (set up, start the engine and Redis, run the tests on real services).
BIN := .venv/bin

.PHONY: setup up down status test
setup:
	@bash services/setup.sh

up: setup
	@$(BIN)/docsearch up

down:
	@$(BIN)/docsearch down

status:
	@$(BIN)/docsearch services status

test: setup
	@$(BIN)/docsearch services up --only engine,redis
	@$(BIN)/python -m pytest $(PYTEST_ARGS)
