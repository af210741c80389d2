//! The path to production: only `main` deploys, nothing the deploy job runs can change under
//! it, and the deploy role cannot create a role more powerful than the service needs.

use serde_yaml_ng::Value;

use std::collections::BTreeSet;

use crate::yaml::{all_strings, file, is_ref, items_at_most, resource, strings, tagged};

fn workflow() -> Value {
    file(".github/workflows/deploy.yml")
}

fn bootstrap() -> Value {
    file("deploy/bootstrap.yaml")
}

/// Every `uses:` of every job.
fn actions(workflow: &Value) -> Vec<String> {
    let jobs = workflow["jobs"].as_mapping().expect("jobs");
    jobs.values()
        .flat_map(|job| job["steps"].as_sequence().cloned().unwrap_or_default())
        .filter_map(|step| step["uses"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn only_main_reaches_production_however_the_run_was_started() {
    let workflow = workflow();
    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(deploy["environment"], "production");
    assert_eq!(deploy["if"], "github.ref == 'refs/heads/main'");
    assert_eq!(deploy["needs"], "build");
    let build = &workflow["jobs"]["build"];
    assert_eq!(build["if"], "github.ref == 'refs/heads/main'");
    assert_eq!(build["needs"], "test");
}

#[test]
fn every_action_is_pinned_to_a_full_commit() {
    let actions = actions(&workflow());
    assert!(actions.len() >= 3, "{actions:?}");
    for action in actions {
        let (_, reference) = action.split_once('@').expect("a reference");
        assert!(
            reference.len() == 40 && reference.chars().all(|c| c.is_ascii_hexdigit()),
            "{action} is not pinned to a commit"
        );
    }
}

#[test]
fn the_deploy_role_is_bounded_and_can_only_create_roles_that_carry_the_function_boundary() {
    let bootstrap = bootstrap();
    let role = resource(&bootstrap, "DeployRole");
    assert!(is_ref(
        &role["Properties"]["PermissionsBoundary"],
        "DeployBoundary"
    ));

    let statements =
        resource(&bootstrap, "DeployBoundary")["Properties"]["PolicyDocument"]["Statement"]
            .as_sequence()
            .expect("statements")
            .clone();
    let denial = statements
        .iter()
        .find(|s| s["Effect"] == "Deny" && strings(&s["Action"]).contains("iam:CreateRole"))
        .expect("a denial of unbounded roles");
    let required = &denial["Condition"]["StringNotEquals"]["iam:PermissionsBoundary"];
    assert!(is_ref(required, "FunctionBoundary"), "{required:?}");
    for action in [
        "iam:PutRolePolicy",
        "iam:AttachRolePolicy",
        "iam:PutRolePermissionsBoundary",
    ] {
        assert!(strings(&denial["Action"]).contains(action), "{action}");
    }
    let kept = statements
        .iter()
        .find(|s| {
            s["Effect"] == "Deny"
                && strings(&s["Action"]).contains("iam:DeleteRolePermissionsBoundary")
        })
        .expect("boundaries that cannot be lifted");
    assert!(kept["Condition"].is_null(), "whatever the role");
    for action in [
        "iam:DeleteRolePermissionsBoundary",
        "iam:CreatePolicyVersion",
    ] {
        assert!(strings(&kept["Action"]).contains(action), "{action}");
    }
    for statement in &statements {
        let actions = strings(&statement["Action"]);
        assert!(
            !actions.contains("*") && !actions.contains("iam:*"),
            "no blanket grant: {actions:?}"
        );
    }
}

#[test]
fn the_deploy_role_trusts_only_the_repositorys_production_environment() {
    let bootstrap = bootstrap();
    let trust = &resource(&bootstrap, "DeployRole")["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        [0];
    let condition = &trust["Condition"]["StringEquals"];
    assert_eq!(
        condition["token.actions.githubusercontent.com:aud"],
        "sts.amazonaws.com"
    );
    let (tag, subject) = tagged(&condition["token.actions.githubusercontent.com:sub"])
        .expect("a substituted subject");
    assert_eq!(tag, "Sub");
    assert_eq!(subject, "repo:${GitHubRepository}:environment:production");
}

#[test]
fn the_deploy_job_passes_the_function_boundary_to_the_stack() {
    let workflow = workflow();
    let deploy = deploy_step(&workflow);
    assert!(
        deploy["run"]
            .as_str()
            .is_some_and(|run| run.contains("PermissionsBoundaryArn=$FUNCTION_BOUNDARY_ARN")),
        "{deploy:?}"
    );
    assert_eq!(
        deploy["env"]["FUNCTION_BOUNDARY_ARN"],
        "${{ vars.FUNCTION_BOUNDARY_ARN }}"
    );
}

#[test]
fn the_deploy_job_passes_the_mail_sender_which_the_stack_has_no_default_for() {
    let workflow = workflow();
    let deploy = deploy_step(&workflow);
    assert!(
        deploy["run"]
            .as_str()
            .is_some_and(|run| run.contains("EmailFrom=$EMAIL_FROM")),
        "{deploy:?}"
    );
    assert_eq!(deploy["env"]["EMAIL_FROM"], "${{ vars.EMAIL_FROM }}");
    let template = file("template.yaml");
    assert!(template["Parameters"]["EmailFrom"]["Default"].is_null());
}

#[test]
fn the_function_boundary_admits_every_action_the_functions_role_is_granted() {
    let bootstrap = bootstrap();
    let boundary: std::collections::BTreeSet<String> =
        resource(&bootstrap, "FunctionBoundary")["Properties"]["PolicyDocument"]["Statement"]
            .as_sequence()
            .expect("statements")
            .iter()
            .filter(|s| s["Effect"] == "Allow")
            .flat_map(|s| strings(&s["Action"]))
            .collect();
    let template = file("template.yaml");
    let policies = items_at_most(&resource(&template, "FunctionRole")["Properties"]["Policies"]);
    for policy in policies {
        for statement in policy["PolicyDocument"]["Statement"]
            .as_sequence()
            .expect("statements")
        {
            for action in strings(&statement["Action"]) {
                assert!(
                    boundary.contains(&action),
                    "{action} is granted but the boundary would deny it"
                );
            }
        }
    }
}

#[test]
fn the_function_boundary_lets_mail_be_sent_only_as_the_accounts_identities() {
    let bootstrap = bootstrap();
    let ses: Vec<(String, Value)> = statements(&bootstrap)
        .into_iter()
        .filter(|(_, s)| strings(&s["Action"]).iter().any(|a| a.starts_with("ses:")))
        .collect();
    assert_eq!(ses.len(), 1, "only the function's boundary: {ses:?}");
    let (holder, statement) = &ses[0];
    assert_eq!(holder, "FunctionBoundary");
    assert_eq!(statement["Effect"], "Allow");
    assert_eq!(
        strings(&statement["Action"]),
        BTreeSet::from(["ses:SendEmail".to_owned()])
    );
    assert_eq!(
        resources_of(statement, "Resource"),
        [
            "arn:${AWS::Partition}:ses:*:${AWS::AccountId}:identity/*",
            "arn:${AWS::Partition}:ses:*:${AWS::AccountId}:configuration-set/*",
        ]
    );
}

/// Every statement of every policy the bootstrap defines (managed policies and the roles'
/// inline ones), with the resource that holds it.
fn statements(bootstrap: &Value) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    for (name, resource) in bootstrap["Resources"].as_mapping().expect("resources") {
        let name = name.as_str().expect("a name").to_owned();
        let mut documents = vec![&resource["Properties"]["PolicyDocument"]];
        for policy in resource["Properties"]["Policies"]
            .as_sequence()
            .into_iter()
            .flatten()
        {
            documents.push(&policy["PolicyDocument"]);
        }
        for document in documents {
            for statement in document["Statement"].as_sequence().into_iter().flatten() {
                found.push((name.clone(), statement.clone()));
            }
        }
    }
    assert!(found.len() > 10, "{found:?}");
    found
}

/// The texts of a statement's `Resource` (or `NotResource`), tags unwrapped.
fn resources_of(statement: &Value, key: &str) -> Vec<String> {
    let mut texts = Vec::new();
    all_strings(&statement[key], &mut texts);
    texts
}

const STACK_ROLES: &str = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${StackName}/*";
const STACK_SECRETS: &str =
    "arn:${AWS::Partition}:secretsmanager:*:${AWS::AccountId}:secret:${StackName}/*";

#[test]
fn no_policy_reaches_a_secret_outside_the_stacks_name() {
    let bootstrap = bootstrap();
    let mut scoped = 0;
    for (holder, statement) in statements(&bootstrap) {
        let actions = strings(&statement["Action"]);
        let on_secrets: Vec<&String> = actions
            .iter()
            .filter(|a| {
                a.starts_with("secretsmanager:") && *a != "secretsmanager:GetRandomPassword"
            })
            .collect();
        if on_secrets.is_empty() || statement["Effect"] != "Allow" {
            continue;
        }
        for resource in resources_of(&statement, "Resource") {
            assert!(
                resource == STACK_SECRETS || !resource.contains(":secretsmanager:"),
                "{holder}: {on_secrets:?} on {resource}"
            );
            assert_ne!(resource, "*", "{holder}: {on_secrets:?} on every resource");
        }
        scoped += 1;
    }
    assert!(
        scoped >= 3,
        "the function's boundary, the pipeline's boundary and its roles"
    );
}

#[test]
fn no_policy_lets_the_pipeline_edit_a_role_outside_the_stacks_path() {
    let bootstrap = bootstrap();
    let editing = |action: &str| {
        action.starts_with("iam:")
            && !["iam:GetRole", "iam:GetRolePolicy", "iam:PassRole"].contains(&action)
    };
    for (holder, statement) in statements(&bootstrap) {
        let actions = strings(&statement["Action"]);
        if statement["Effect"] == "Allow" && actions.iter().any(|a| editing(a)) {
            assert_eq!(
                resources_of(&statement, "Resource"),
                [STACK_ROLES],
                "{holder}: {actions:?} reaches roles outside the stack's path (its own, say)"
            );
        }
    }
    let boundary = &resource(&bootstrap, "DeployBoundary")["Properties"]["PolicyDocument"];
    let fence = boundary["Statement"]
        .as_sequence()
        .expect("statements")
        .iter()
        .find(|s| s["Effect"] == "Deny" && !s["NotResource"].is_null())
        .expect("a denial of role edits outside the stack's path");
    assert_eq!(resources_of(fence, "NotResource"), [STACK_ROLES]);
    let denied = strings(&fence["Action"]);
    for action in [
        "iam:UpdateAssumeRolePolicy",
        "iam:UpdateRole",
        "iam:PutRolePolicy",
        "iam:AttachRolePolicy",
        "iam:PutRolePermissionsBoundary",
        "iam:CreateRole",
    ] {
        assert!(denied.contains(action), "{action} outside the path");
    }
    // The bootstrap's own roles are not under that path, so nothing above reaches them.
    for name in ["DeployRole", "CloudFormationRole"] {
        let path = &resource(&bootstrap, name)["Properties"]["Path"];
        assert!(path.is_null(), "{name} must stay outside role/<stack>/");
    }
}

#[test]
fn no_function_url_and_only_api_gateway_may_be_allowed_to_invoke() {
    let bootstrap = bootstrap();
    let boundary = &resource(&bootstrap, "DeployBoundary")["Properties"]["PolicyDocument"];
    let denials: Vec<&Value> = boundary["Statement"]
        .as_sequence()
        .expect("statements")
        .iter()
        .filter(|s| s["Effect"] == "Deny")
        .collect();
    let urls = denials
        .iter()
        .find(|s| strings(&s["Action"]).contains("lambda:CreateFunctionUrlConfig"))
        .expect("a denial of function URLs");
    assert!(strings(&urls["Action"]).contains("lambda:UpdateFunctionUrlConfig"));
    assert!(urls["Condition"].is_null(), "function URLs, never");
    assert_eq!(resources_of(urls, "Resource"), ["*"]);
    let grants = denials
        .iter()
        .find(|s| strings(&s["Action"]).contains("lambda:AddPermission"))
        .expect("a denial of invoke grants");
    assert_eq!(
        grants["Condition"]["StringNotEquals"]["lambda:Principal"],
        "apigateway.amazonaws.com"
    );
    assert_eq!(resources_of(grants, "Resource"), ["*"]);
}

#[test]
fn cloudformation_acts_through_a_service_role_the_pipeline_can_only_pass() {
    let bootstrap = bootstrap();
    let service = &resource(&bootstrap, "CloudFormationRole")["Properties"];
    assert!(is_ref(&service["PermissionsBoundary"], "DeployBoundary"));
    let trust = &service["AssumeRolePolicyDocument"]["Statement"];
    assert_eq!(trust.as_sequence().map(Vec::len), Some(1));
    assert_eq!(
        trust[0]["Principal"]["Service"],
        "cloudformation.amazonaws.com"
    );

    // The deploy role drives CloudFormation and the stack's secrets; everything else is
    // CloudFormation's, through the service role.
    for (holder, statement) in statements(&bootstrap) {
        if holder != "DeployRole" || statement["Effect"] != "Allow" {
            continue;
        }
        for action in strings(&statement["Action"]) {
            let service = action.split(':').next().unwrap_or_default();
            assert!(
                ["cloudformation", "s3", "secretsmanager", "kms"].contains(&service)
                    || action == "iam:PassRole",
                "the deploy role itself may {action}"
            );
            if action == "iam:PassRole" {
                assert_eq!(
                    tagged(&statement["Resource"]).map(|(t, v)| (t, v.clone())),
                    Some(("GetAtt".to_owned(), Value::from("CloudFormationRole.Arn")))
                );
                assert_eq!(
                    statement["Condition"]["StringEquals"]["iam:PassedToService"],
                    "cloudformation.amazonaws.com"
                );
            }
        }
    }
    // CloudFormation hands the stack's roles to Lambda and EventBridge Pipes, nothing else.
    let passes: Vec<(String, Value)> = statements(&bootstrap)
        .into_iter()
        .filter(|(holder, s)| {
            holder == "CloudFormationRole" && strings(&s["Action"]).contains("iam:PassRole")
        })
        .collect();
    assert_eq!(passes.len(), 2, "{passes:?}");
    for ((_, pass), service) in passes.iter().zip(["lambda", "pipes"]) {
        assert_eq!(resources_of(pass, "Resource"), [STACK_ROLES]);
        assert_eq!(
            pass["Condition"]["StringEquals"]["iam:PassedToService"],
            format!("{service}.amazonaws.com").as_str()
        );
    }
    assert!(
        bootstrap["Outputs"]["CloudFormationRoleArn"]["Value"] != Value::Null,
        "the workflow needs its ARN"
    );

    let workflow = workflow();
    let step = deploy_step(&workflow);
    assert_eq!(
        step["env"]["CLOUDFORMATION_ROLE_ARN"],
        "${{ vars.CLOUDFORMATION_ROLE_ARN }}"
    );
    let script = text("scripts/deploy.sh");
    assert!(
        script.contains(r#"--role-arn "$CLOUDFORMATION_ROLE_ARN""#),
        "scripts/deploy.sh hands CloudFormation the service role"
    );
}

/// A file of the repository, as text.
fn text(path: &str) -> String {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The deploy job's step that deploys.
fn deploy_step(workflow: &Value) -> Value {
    workflow["jobs"]["deploy"]["steps"]
        .as_sequence()
        .expect("steps")
        .iter()
        .find(|step| {
            step["run"]
                .as_str()
                .is_some_and(|run| run.contains("scripts/deploy.sh built"))
        })
        .expect("a step deploying what the build job built")
        .clone()
}

/// The `run:` texts of a job's steps, and the actions it uses, in order.
fn steps_of(job: &Value) -> Vec<(String, String)> {
    job["steps"]
        .as_sequence()
        .expect("steps")
        .iter()
        .map(|step| {
            (
                step["run"].as_str().unwrap_or_default().to_owned(),
                step["uses"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_build_runs_in_a_job_without_credentials_and_hands_its_artifact_over() {
    let workflow = workflow();
    let build = &workflow["jobs"]["build"];
    assert_eq!(build["needs"], "test");
    assert!(build["environment"].is_null(), "no production environment");
    assert!(
        build["permissions"]["id-token"].is_null() && workflow["permissions"]["id-token"].is_null(),
        "the build job cannot ask for an OIDC token"
    );
    let steps = steps_of(build);
    assert!(steps.iter().any(|(run, _)| run.contains("make sam-build")));
    assert!(
        steps
            .iter()
            .any(|(_, uses)| uses.starts_with("actions/upload-artifact@"))
    );
    assert!(
        steps
            .iter()
            .all(|(_, uses)| !uses.starts_with("aws-actions/")),
        "no AWS credentials while crates' build scripts run"
    );

    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    let steps = steps_of(deploy);
    assert!(
        steps
            .iter()
            .any(|(_, uses)| uses.starts_with("actions/download-artifact@"))
    );
    for (run, _) in &steps {
        for building in [
            "make deploy",
            "sam build",
            "cargo",
            "make sam-build",
            "make build",
        ] {
            assert!(!run.contains(building), "the deploy job builds: {run}");
        }
    }
}

#[test]
fn the_deploy_jobs_tools_install_from_hashes_before_it_holds_credentials() {
    let workflow = workflow();
    let steps = steps_of(&workflow["jobs"]["deploy"]);
    let position =
        |found: &dyn Fn(&(String, String)) -> bool| steps.iter().position(found).expect("a step");
    let tools = position(&|(run, _)| run.contains("scripts/deploy.sh tools"));
    let credentials =
        position(&|(_, uses)| uses.starts_with("aws-actions/configure-aws-credentials@"));
    let deploy = position(&|(run, _)| run.contains("scripts/deploy.sh built"));
    assert!(tools < credentials && credentials < deploy, "{steps:?}");

    let lib = text("scripts/lib.sh");
    assert!(
        lib.contains("--require-hashes -r \"$ROOT/deploy/requirements.txt\""),
        "ensure_sam installs from the lock"
    );
    let lock = text("deploy/requirements.txt");
    let mut pins = BTreeSet::new();
    // Each requirement: `name==version \` then one `--hash=sha256:…` line or more.
    let mut current: Option<String> = None;
    for line in lock.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(hash) = line.strip_prefix("--hash=sha256:") {
            assert!(current.is_some(), "a hash without a requirement");
            let hash = hash.trim_end_matches('\\').trim();
            assert!(
                hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit()),
                "{line}"
            );
            continue;
        }
        let pin = line.trim_end_matches('\\').trim();
        let (name, version) = pin
            .split_once("==")
            .unwrap_or_else(|| panic!("not pinned: {line}"));
        assert!(
            !version.is_empty() && !version.contains(['*', ' ', ';']),
            "{line}"
        );
        let name = name.split('[').next().unwrap_or(name); // `boto3[crt]` is boto3
        pins.insert(format!("{}=={version}", name.to_lowercase()));
        current = Some(pin.to_owned());
    }
    let version = |name: &str| {
        lib.lines()
            .find_map(|line| line.strip_prefix(&format!("{name}=")))
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("{name} in scripts/lib.sh"))
            .to_owned()
    };
    assert!(
        pins.contains(&format!("aws-sam-cli=={}", version("SAM_CLI_VERSION"))),
        "{pins:?}"
    );
    assert!(
        pins.contains(&format!("cfn-lint=={}", version("CFN_LINT_VERSION"))),
        "{pins:?}"
    );
    assert!(
        pins.iter().any(|p| p.starts_with("boto3==")),
        "the scripts' boto3 is locked too"
    );
}

#[test]
fn every_job_that_builds_installs_one_exact_rust_release_first() {
    let workflow = workflow();
    let channel = workflow["env"]["RUST_TOOLCHAIN"]
        .as_str()
        .expect("RUST_TOOLCHAIN");
    let parts: Vec<&str> = channel.split('.').collect();
    assert!(
        parts.len() == 3 && parts.iter().all(|p| p.parse::<u32>().is_ok()),
        "{channel}: a release such as 1.95.0, not a moving channel"
    );
    for job in ["test", "build"] {
        let runs: Vec<String> = steps_of(&workflow["jobs"][job])
            .into_iter()
            .map(|(run, _)| run)
            .collect();
        let pinned = runs.iter().position(|run| {
            run.contains("rustup toolchain install \"$RUST_TOOLCHAIN\"")
                && run.contains("rustup default \"$RUST_TOOLCHAIN\"")
        });
        let builds = runs.iter().position(|run| run.contains("make "));
        assert!(
            matches!((pinned, builds), (Some(p), Some(b)) if p < b),
            "{job}: the pinned toolchain is installed before make runs: {runs:?}"
        );
    }
}
