# The two commands a newcomer needs are `make run` and `make test`; see README.md.
.PHONY: help run test invoke admin mail mail-code reset mutants build sam-build deploy lock rotate-signing-key \
	revoke-signing-key rotate-pepper pepper-status retire-pepper rotate-totp-key totp-key-status \
	retire-totp-key bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

run: ## Serve the API on http://127.0.0.1:9000 with DynamoDB Local (CONCURRENCY=N instances; Ctrl-C stops everything)
	@scripts/run.sh

test: ## Format check, clippy, all tests, and the README walkthrough end to end
	@scripts/test.sh

invoke: ## Send an API Gateway event to the function `make run` serves (EVENT=events/signin.json)
	@scripts/invoke.sh "$(EVENT)"

admin: ## Send an admin request, with an IAM context, to the function `make run` serves (ARGS="GET /admin/users/"; ADMIN_ARN)
	@scripts/admin.sh "$(ARGS)"

mail: ## Print the newest mails `make run`'s local SES sent (TO=address for that address's only)
	@scripts/mail.sh $(if $(TO),--to "$(TO)")

mail-code: ## Print only the newest code mailed to TO=address (for a shell variable: docs/configuration.md)
	@scripts/mail.sh --code "$(TO)"

reset: ## Forget the accounts `make run` stored locally (refused while it serves them)
	@scripts/reset.sh

mutants: ## Mutation testing of src/domain and src/service (about an hour; not part of `make test`)
	@scripts/mutants.sh $(MUTANTS_ARGS)

bench: ## Measure cold start, latency, memory, size and DynamoDB and SES calls against a hello-world floor (minutes; BENCH_SCENARIOS; BENCHMARKS.md)
	@scripts/bench.sh

build: ## Build the arm64 Lambda binary (target/lambda/user-service/bootstrap) and report its size
	@scripts/build.sh cargo

sam-build: ## `sam build`: the arm64 bootstrap under .aws-sam/, as `make deploy` uploads it
	@scripts/build.sh sam

deploy: ## `sam build` + `sam deploy` with samconfig.toml (needs AWS credentials; STACK_NAME, AWS_REGION, DEPLOY_ARGS, CLOUDFORMATION_ROLE_ARN)
	@scripts/deploy.sh $(DEPLOY_ARGS)

lock: ## Regenerate deploy/requirements.txt, the hash-locked deploy tools, from deploy/requirements.in
	@scripts/lock.sh

rotate-signing-key: ## Rotate the deployed stack's signing keys (STACK_NAME; signs nobody out; FORCE=1 within the wait, see docs/rotation.md)
	@scripts/on_stack.sh signing_keys.py rotate $(if $(FORCE),--force)

revoke-signing-key: ## Drop a leaked signing key now and restart every instance (KID=<kid> or KID=all; STACK_NAME; docs/rotation.md)
	@scripts/on_stack.sh signing_keys.py revoke $(if $(filter all,$(KID)),--all,--kid "$(KID)")

rotate-pepper: ## Rotate the deployed stack's pepper (STACK_NAME; nobody's password changes; FORCE=1 within a day, see docs/rotation.md)
	@scripts/on_stack.sh pepper.py rotate $(if $(FORCE),--force)

pepper-status: ## How many of the deployed stack's stored hashes use each pepper (STACK_NAME)
	@scripts/on_stack.sh pepper.py status

retire-pepper: ## Drop the deployed stack's previous peppers once no stored hash uses them (STACK_NAME)
	@scripts/on_stack.sh pepper.py retire

rotate-totp-key: ## Rotate the deployed stack's TOTP key (STACK_NAME; every second factor keeps working; FORCE=1 within a day, see docs/rotation.md)
	@scripts/on_stack.sh totp_key.py rotate $(if $(FORCE),--force)

totp-key-status: ## How many of the deployed stack's accounts have their TOTP secret sealed with each key (STACK_NAME)
	@scripts/on_stack.sh totp_key.py status

retire-totp-key: ## Drop the deployed stack's previous TOTP keys once no sealed secret, pending enrolment or recovery-code digest uses them (STACK_NAME)
	@scripts/on_stack.sh totp_key.py retire
