# The two commands a newcomer needs are `make run` and `make test`; see README.md.
.PHONY: help run test reset build sam-build deploy

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

run: ## Serve the API on http://127.0.0.1:9000 with DynamoDB Local (Ctrl-C stops everything)
	@scripts/run.sh

test: ## Format check, clippy, all tests, and the README walkthrough end to end
	@scripts/test.sh

reset: ## Forget the accounts `make run` stored locally
	rm -rf .dynamodb

build: ## Build the arm64 Lambda binary (target/lambda/user-service/bootstrap) and report its size
	@scripts/build.sh cargo

sam-build: ## `sam build`: the arm64 bootstrap under .aws-sam/, as `make deploy` uploads it
	@scripts/build.sh sam

deploy: ## `sam build` + `sam deploy` with samconfig.toml (needs AWS credentials; STACK_NAME, AWS_REGION, DEPLOY_ARGS)
	@scripts/deploy.sh $(DEPLOY_ARGS)
