//! The path to production: only `main` deploys, nothing the deploy job runs can change under
//! it, and the deploy role cannot create a role more powerful than the service needs.

use serde_yaml_ng::Value;

use crate::yaml::{file, is_ref, resource, strings, tagged};

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
    assert_eq!(deploy["needs"], "test");
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
        .find(|s| s["Effect"] == "Deny" && s["Condition"].is_null())
        .expect("boundaries that cannot be lifted");
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
    let steps = workflow["jobs"]["deploy"]["steps"]
        .as_sequence()
        .expect("steps");
    let deploy = steps
        .iter()
        .find(|step| {
            step["run"]
                .as_str()
                .is_some_and(|run| run.contains("make deploy"))
        })
        .expect("a deploy step");
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
    let policies = resource(&template, "FunctionRole")["Properties"]["Policies"]
        .as_sequence()
        .expect("policies");
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
