//! `template.yaml` matches the code it deploys: routes, environment, IAM actions, key schema,
//! runtime and timeouts. A change to one side without the other fails here, not in AWS.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_yaml_ng::Value;

use crate::yaml::{all_strings, file, is_ref, items_at_most, resource, strings, tagged};
use user_service::adapters::dynamodb::{
    OPERATION_TIMEOUT, OPERATIONS, PARTITION_KEY, SESSIONS_INDEX, TTL_ATTRIBUTE,
};
use user_service::adapters::in_memory::InMemoryStore;
use user_service::adapters::ses::SEND_ACTION;
use user_service::config::{
    DEFAULT_PRODUCT_NAME, EMAIL_FROM, FUNCTION_MEMORY, PASSWORD_PEPPER, SESSION_KEY, VARIABLES,
};
use user_service::http::{REQUEST_DEADLINE, routes};
use user_service::service::{HashCost, HashMemoryLimit, SCOPE};
use user_service::telemetry::RUST_LOG;

/// The TOTP key given directly, which a deployment never sets (it names the key's secret). The
/// name config.rs reads, spelled out here until it exports one.
const TOTP_KEY: &str = "TOTP_KEY";

fn template() -> Value {
    file("template.yaml")
}

fn function(template: &Value) -> &Value {
    resource(template, "UserServiceFunction")
}

/// The API's routes, by route key (`METHOD /path`), checking that each is a route of this
/// stack's API to the function's integration and appears once.
fn deployed_routes(template: &Value) -> BTreeMap<String, &Value> {
    let mut routes = BTreeMap::new();
    for (name, route) in template["Resources"].as_mapping().expect("resources") {
        if route["Type"] != "AWS::ApiGatewayV2::Route" {
            continue;
        }
        let properties = &route["Properties"];
        assert!(is_ref(&properties["ApiId"], "HttpApi"), "{name:?}");
        assert_eq!(
            tagged(&properties["Target"]).map(|(t, v)| (t, v.clone())),
            Some((
                "Sub".to_owned(),
                Value::from("integrations/${FunctionIntegration}")
            )),
            "{name:?} goes to the function"
        );
        let key = properties["RouteKey"].as_str().expect("a route key");
        assert!(
            routes.insert(key.to_owned(), properties).is_none(),
            "{key} routed twice"
        );
    }
    routes
}

#[test]
fn the_api_routes_exactly_the_route_table_with_and_without_the_slash() {
    let expected: BTreeSet<String> = routes::<InMemoryStore>()
        .iter()
        .flat_map(|route| {
            let (method, path) = (&route.method, route.path);
            [
                format!("{method} {path}"),
                format!("{method} {}", path.trim_end_matches('/')),
            ]
        })
        .collect();
    let template = template();
    let deployed: BTreeSet<String> = deployed_routes(&template).into_keys().collect();
    assert_eq!(deployed, expected);
}

#[test]
fn the_jwt_authorizer_protects_the_me_route_with_the_functions_own_issuer_and_audience() {
    let template = template();
    let authorizer = &resource(&template, "TokenAuthorizer")["Properties"];
    let variables = &function(&template)["Properties"]["Environment"]["Variables"];
    assert_eq!(authorizer["AuthorizerType"], "JWT");
    assert!(is_ref(&authorizer["ApiId"], "HttpApi"));
    assert_eq!(
        authorizer["JwtConfiguration"]["Issuer"], variables["TOKEN_ISSUER"],
        "the authorizer trusts exactly the issuer the function signs as"
    );
    let audience = strings_or_refs(&authorizer["JwtConfiguration"]["Audience"]);
    assert_eq!(audience, [variables["TOKEN_AUDIENCE"].clone()]);
    assert!(is_ref(&variables["TOKEN_AUDIENCE"], "TokenAudience"));

    for (key, route) in deployed_routes(&template) {
        let protected = key.starts_with("GET /user/me");
        if protected {
            assert_eq!(route["AuthorizationType"], "JWT", "{key}");
            assert!(is_ref(&route["AuthorizerId"], "TokenAuthorizer"), "{key}");
            assert_eq!(
                strings(&route["AuthorizationScopes"]),
                BTreeSet::from([SCOPE.to_owned()]),
                "{key}"
            );
        } else {
            assert!(route["AuthorizationType"].is_null(), "{key} is public");
        }
    }
}

/// The items of a YAML sequence, as they are (plain or tagged).
fn strings_or_refs(value: &Value) -> Vec<Value> {
    value.as_sequence().expect("a list").clone()
}

#[test]
fn the_issuer_is_the_apis_own_url_unless_a_custom_one_is_given_and_no_cycle_is_needed() {
    let template = template();
    let issuer = &function(&template)["Properties"]["Environment"]["Variables"]["TOKEN_ISSUER"];
    let (tag, branches) = tagged(issuer).expect("a conditional issuer");
    assert_eq!(
        (tag.as_str(), &branches[0]),
        ("If", &Value::from("HasTokenIssuer"))
    );
    assert!(is_ref(&branches[1], "TokenIssuer"));
    assert_eq!(
        tagged(&branches[2]).map(|(t, v)| (t, v.clone())),
        Some((
            "Sub".to_owned(),
            Value::from("https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}")
        ))
    );
    let mut api_texts = Vec::new();
    all_strings(
        &resource(&template, "HttpApi")["Properties"],
        &mut api_texts,
    );
    assert!(
        api_texts.iter().all(|t| !t.contains("UserServiceFunction")),
        "the API must not depend on the function, which depends on the API: {api_texts:?}"
    );
    assert!(
        function(&template)["Properties"]["Events"].is_null(),
        "SAM events would put the function into the API's definition (a cycle)"
    );
}

#[test]
fn the_sessions_index_is_the_one_the_adapter_queries() {
    let template = template();
    let indexes = &resource(&template, "UsersTable")["Properties"]["GlobalSecondaryIndexes"];
    let expected: Value = serde_yaml_ng::from_str(&format!(
        "[{{IndexName: {SESSIONS_INDEX}, KeySchema: [{{AttributeName: user_id, KeyType: HASH}}], \
          Projection: {{ProjectionType: ALL}}}}]"
    ))
    .expect("YAML");
    assert_eq!(indexes, &expected);
}

#[test]
fn session_items_expire_through_the_tables_ttl_attribute() {
    let template = template();
    let ttl = &resource(&template, "UsersTable")["Properties"]["TimeToLiveSpecification"];
    assert_eq!(ttl["AttributeName"], TTL_ATTRIBUTE);
    assert_eq!(ttl["Enabled"], true);
}

#[test]
fn the_sample_events_use_the_deployed_route_keys() {
    let template = template();
    let routes = deployed_routes(&template);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("events");
    for entry in std::fs::read_dir(dir).expect("events/") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let event: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("readable"))
                    .expect("JSON");
            let key = event["routeKey"].as_str().unwrap_or_default();
            assert!(
                routes.contains_key(key),
                "{}: routeKey {key:?} is not deployed",
                path.display()
            );
        }
    }
}

#[test]
fn the_environment_is_exactly_what_the_code_reads_and_holds_no_secret() {
    let template = template();
    let variables = function(&template)["Properties"]["Environment"]["Variables"]
        .as_mapping()
        .expect("environment variables");

    let set: BTreeSet<&str> = variables.keys().filter_map(Value::as_str).collect();
    // Everything config reads, but the pepper, the session key and the TOTP key themselves (a
    // deployment names their secrets instead) and the memory size (Lambda sets it).
    let mut expected: BTreeSet<&str> = VARIABLES
        .into_iter()
        .filter(|v| ![PASSWORD_PEPPER, SESSION_KEY, TOTP_KEY, FUNCTION_MEMORY].contains(v))
        .collect();
    expected.insert(RUST_LOG);
    assert_eq!(set, expected);
    assert_eq!(variables["APP_ENV"], "production");
    for secret in [
        "PASSWORD_PEPPER_SECRET_ID",
        "SIGNING_KEYS_SECRET_ID",
        "SESSION_KEY_SECRET_ID",
        "TOTP_KEY_SECRET_ID",
    ] {
        assert!(
            tagged(&variables[secret]).is_some(),
            "{secret}: the secret's ARN, not a value"
        );
    }
    assert_eq!(
        tagged(&variables["TABLE_NAME"]).map(|(t, v)| (t, v.clone())),
        Some(("Ref".to_owned(), Value::from("UsersTable")))
    );
}

#[test]
fn the_role_grants_exactly_the_dynamodb_actions_the_adapter_calls_on_the_table_only() {
    let template = template();
    let role = resource(&template, "FunctionRole");
    let policies = items_at_most(&role["Properties"]["Policies"]);
    assert!(
        role["Properties"]["ManagedPolicyArns"].is_null(),
        "no managed policies"
    );

    let mut granted = BTreeSet::new();
    for policy in policies {
        for statement in policy["PolicyDocument"]["Statement"]
            .as_sequence()
            .expect("statements")
        {
            assert_eq!(statement["Effect"], "Allow");
            let actions = strings(&statement["Action"]);
            if actions.iter().any(|a| a.starts_with("dynamodb:")) {
                let resource = tagged(&statement["Resource"]).map(|(t, v)| (t, v.clone()));
                let index = format!("${{UsersTable.Arn}}/index/{SESSIONS_INDEX}");
                let expected = if actions == BTreeSet::from(["dynamodb:Query".to_owned()]) {
                    ("Sub".to_owned(), Value::from(index))
                } else {
                    ("GetAtt".to_owned(), Value::from("UsersTable.Arn"))
                };
                assert_eq!(resource, Some(expected), "{actions:?}");
                granted.extend(actions);
            }
        }
    }
    let needed: BTreeSet<String> = OPERATIONS
        .iter()
        .flat_map(|(_, actions)| actions.iter().map(|a| (*a).to_owned()))
        .collect();
    assert_eq!(granted, needed);

    let mut texts = Vec::new();
    all_strings(&role["Properties"]["Policies"], &mut texts);
    assert!(
        texts.iter().all(|t| !t.contains('*')),
        "a wildcard in the role: {texts:?}"
    );
}

#[test]
fn the_table_key_schema_is_the_one_the_adapter_writes_and_the_data_is_protected() {
    let template = template();
    let table = resource(&template, "UsersTable");
    let properties = &table["Properties"];

    assert_eq!(
        properties["KeySchema"],
        serde_yaml_ng::from_str::<Value>(&format!(
            "[{{AttributeName: {PARTITION_KEY}, KeyType: HASH}}]"
        ))
        .expect("YAML")
    );
    assert_eq!(
        properties["AttributeDefinitions"],
        serde_yaml_ng::from_str::<Value>(&format!(
            "[{{AttributeName: {PARTITION_KEY}, AttributeType: S}}, {{AttributeName: user_id, AttributeType: S}}]"
        ))
        .expect("YAML")
    );
    assert_eq!(properties["BillingMode"], "PAY_PER_REQUEST");
    assert_eq!(
        properties["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"],
        true
    );
    assert_eq!(properties["SSESpecification"]["SSEEnabled"], true);
    assert_eq!(table["DeletionPolicy"], "Retain");
    assert_eq!(table["UpdateReplacePolicy"], "Retain");
}

#[test]
fn the_function_is_the_arm64_cargo_lambda_build_of_this_crate() {
    let template = template();
    let function = function(&template);
    let properties = &function["Properties"];

    assert_eq!(function["Metadata"]["BuildMethod"], "rust-cargolambda");
    assert_eq!(
        function["Metadata"]["BuildProperties"]["Binary"],
        env!("CARGO_PKG_NAME")
    );
    assert_eq!(properties["Runtime"], "provided.al2023");
    assert_eq!(properties["Handler"], "bootstrap");
    assert_eq!(
        properties["Architectures"],
        serde_yaml_ng::from_str::<Value>("[arm64]").expect("YAML")
    );
}

/// API Gateway's limit on an HTTP API integration.
const API_GATEWAY_TIMEOUT_SECS: u64 = 30;
/// What a request's deadline must leave of the function's timeout: an Argon2 hash already
/// running when the deadline strikes, writing the response, a slow cold start.
const MARGIN_SECS: u64 = 3;

#[test]
fn the_request_deadline_fits_in_the_function_timeout_with_margin() {
    let template = template();
    let timeout = function(&template)["Properties"]["Timeout"]
        .as_u64()
        .expect("a timeout");
    let deadline = REQUEST_DEADLINE.as_secs();
    assert!(
        deadline + MARGIN_SECS <= timeout,
        "a {deadline} s deadline needs a timeout of at least {} s, not {timeout} s",
        deadline + MARGIN_SECS
    );
    assert!(
        timeout < API_GATEWAY_TIMEOUT_SECS,
        "the function answers before API Gateway gives up"
    );
    assert!(
        OPERATION_TIMEOUT < REQUEST_DEADLINE,
        "at least one whole DynamoDB call, retries included, fits in a request"
    );
}

#[test]
fn the_default_hash_cost_fits_every_memory_size_the_template_allows() {
    let template = template();
    let parameters = &template["Parameters"];
    let cost = HashCost::parse(
        parameters["Argon2Params"]["Default"]
            .as_str()
            .expect("a default"),
    )
    .expect("the default cost is valid");
    for bound in ["MinValue", "Default"] {
        let mb = parameters["MemorySize"][bound].as_u64().expect("a number");
        let limit = HashMemoryLimit::for_function_memory(u32::try_from(mb).expect("fits"));
        assert!(limit.admits(&cost).is_ok(), "MemorySize {bound} {mb} MB");
    }
    let memory = &function(&template)["Properties"]["MemorySize"];
    assert_eq!(
        tagged(memory).map(|(t, v)| (t, v.clone())),
        Some(("Ref".to_owned(), Value::from("MemorySize")))
    );
}

#[test]
fn browsers_get_no_cors_unless_origins_are_configured() {
    let template = template();
    assert_eq!(template["Parameters"]["CorsAllowedOrigins"]["Default"], "");
    let cors = &resource(&template, "HttpApi")["Properties"]["CorsConfiguration"];
    let (tag, branches) = tagged(cors).expect("a conditional CORS configuration");
    assert_eq!(tag, "If");
    assert_eq!(branches[0], "HasCorsOrigins");
    assert_eq!(
        tagged(&branches[2]).map(|(t, v)| (t, v.clone())),
        Some(("Ref".to_owned(), Value::from("AWS::NoValue")))
    );
}

#[test]
fn every_role_of_the_stack_can_carry_the_deployers_permissions_boundary() {
    let template = template();
    let boundary = &resource(&template, "FunctionRole")["Properties"]["PermissionsBoundary"];
    let (tag, branches) = tagged(boundary).expect("a conditional boundary");
    assert_eq!(
        (tag.as_str(), &branches[0]),
        ("If", &Value::from("HasPermissionsBoundary"))
    );
    assert!(is_ref(&branches[1], "PermissionsBoundaryArn"));
    let roles: Vec<&str> = template["Resources"]
        .as_mapping()
        .expect("resources")
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::IAM::Role")
        .filter_map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(
        roles,
        ["FunctionRole"],
        "every role is bounded: add the boundary to new ones"
    );
}

#[test]
fn a_capacity_provider_parameter_moves_the_function_to_managed_instances_and_nothing_else() {
    let template = template();
    let config = &function(&template)["Properties"]["CapacityProviderConfig"];
    let (tag, branches) = tagged(config).expect("a condition");
    assert_eq!(tag, "If");
    assert_eq!(branches[0], "OnManagedInstances");
    let managed = &branches[1]["LambdaManagedInstancesCapacityProviderConfig"];
    assert!(is_ref(
        &managed["CapacityProviderArn"],
        "CapacityProviderArn"
    ));
    assert!(is_ref(
        &managed["PerExecutionEnvironmentMaxConcurrency"],
        "MaxConcurrency"
    ));
    assert!(
        is_ref(&branches[2], "AWS::NoValue"),
        "classic Lambda by default"
    );
    assert_eq!(template["Parameters"]["CapacityProviderArn"]["Default"], "");
}

/// The route keys of the routes that cost an Argon2 hash, with and without the slash.
fn password_route_keys() -> BTreeSet<String> {
    routes::<InMemoryStore>()
        .iter()
        .filter(|route| route.costs_a_hash())
        .flat_map(|route| {
            let (method, path) = (&route.method, route.path);
            [
                format!("{method} {path}"),
                format!("{method} {}", path.trim_end_matches('/')),
            ]
        })
        .collect()
}

#[test]
fn the_password_routes_are_the_eleven_whose_body_holds_a_password() {
    let paths: BTreeSet<String> = password_route_keys()
        .into_iter()
        .filter(|key| key.ends_with('/'))
        .collect();
    let expected: BTreeSet<String> = [
        "",
        "signin",
        "activate",
        "deactivate",
        "password",
        "email",
        "delete",
        "password/reset",
        "mfa/totp",
        "mfa/recovery-codes",
        "mfa/totp/disable",
    ]
    .iter()
    .map(|path| format!("POST /user/{path}/").replace("//", "/"))
    .collect();
    assert_eq!(paths, expected);
}

#[test]
fn every_password_checking_route_has_its_own_throttling_and_the_stage_waits_for_it() {
    let template = template();
    let stage = resource(&template, "HttpApiStage");
    let settings = stage["Properties"]["RouteSettings"]
        .as_mapping()
        .expect("the stage's RouteSettings");
    let throttled: BTreeSet<String> = settings
        .keys()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    assert_eq!(throttled, password_route_keys(), "exactly these routes");
    for (key, setting) in settings {
        assert!(
            is_ref(
                &setting["ThrottlingRateLimit"],
                "PasswordThrottlingRateLimit"
            ),
            "{key:?}"
        );
        assert!(
            is_ref(
                &setting["ThrottlingBurstLimit"],
                "PasswordThrottlingBurstLimit"
            ),
            "{key:?}"
        );
    }
    for parameter in [
        "PasswordThrottlingRateLimit",
        "PasswordThrottlingBurstLimit",
    ] {
        assert_eq!(
            template["Parameters"][parameter]["MinValue"], 1,
            "{parameter}"
        );
    }
    // Route settings name routes by key; the stage fails to create before its routes exist.
    let waits_for = strings(&stage["DependsOn"]);
    let mut keys_of_awaited = BTreeSet::new();
    for name in &waits_for {
        let route = resource(&template, name);
        assert_eq!(route["Type"], "AWS::ApiGatewayV2::Route", "{name}");
        keys_of_awaited.insert(
            route["Properties"]["RouteKey"]
                .as_str()
                .expect("a key")
                .to_owned(),
        );
    }
    assert_eq!(keys_of_awaited, password_route_keys());
}

#[test]
fn the_stacks_secrets_are_named_under_the_stack_name() {
    let template = template();
    let mut names = BTreeSet::new();
    for (logical, secret) in template["Resources"].as_mapping().expect("resources") {
        if secret["Type"] != "AWS::SecretsManager::Secret" {
            continue;
        }
        let (tag, name) = tagged(&secret["Properties"]["Name"])
            .unwrap_or_else(|| panic!("{logical:?} has no Name"));
        let name = name.as_str().expect("a string");
        assert_eq!(tag, "Sub", "{logical:?}");
        assert!(
            name.starts_with("${AWS::StackName}/") && !name[18..].contains('$'),
            "{logical:?}: {name}, which the bootstrap's boundaries match as secret:<stack>/*"
        );
        names.insert(name.to_owned());
    }
    assert_eq!(
        names,
        BTreeSet::from(
            ["pepper", "session-key", "signing-keys", "totp-key"]
                .map(|n| format!("${{AWS::StackName}}/{n}"))
        )
    );
}

#[test]
fn every_role_of_the_stack_is_under_the_stacks_iam_path() {
    let template = template();
    for (name, role) in template["Resources"].as_mapping().expect("resources") {
        if role["Type"] == "AWS::IAM::Role" {
            assert_eq!(
                tagged(&role["Properties"]["Path"]).map(|(t, v)| (t, v.clone())),
                Some(("Sub".to_owned(), Value::from("/${AWS::StackName}/"))),
                "{name:?}: the bootstrap lets the pipeline manage role/<stack>/* only"
            );
        }
    }
}

#[test]
fn the_secrets_are_encrypted_with_the_kms_key_parameter_when_one_is_given() {
    let template = template();
    assert_eq!(template["Parameters"]["SecretsKmsKeyArn"]["Default"], "");
    for (name, secret) in template["Resources"].as_mapping().expect("resources") {
        if secret["Type"] != "AWS::SecretsManager::Secret" {
            continue;
        }
        let key = &secret["Properties"]["KmsKeyId"];
        let (tag, branches) = tagged(key).unwrap_or_else(|| panic!("{name:?} has no KmsKeyId"));
        assert_eq!(
            (tag.as_str(), &branches[0]),
            ("If", &Value::from("HasSecretsKmsKey"))
        );
        assert!(is_ref(&branches[1], "SecretsKmsKeyArn"), "{name:?}");
        assert!(
            is_ref(&branches[2], "AWS::NoValue"),
            "{name:?}: AWS's own key otherwise"
        );
    }
    let role = resource(&template, "FunctionRole");
    let decrypt = items_at_most(&role["Properties"]["Policies"])
        .into_iter()
        .flat_map(|p| {
            p["PolicyDocument"]["Statement"]
                .as_sequence()
                .cloned()
                .unwrap_or_default()
        })
        .find(|s| strings(&s["Action"]).contains("kms:Decrypt"))
        .expect("the function may decrypt its secrets with that key");
    assert!(is_ref(&decrypt["Resource"], "SecretsKmsKeyArn"));
    assert_eq!(
        tagged(&decrypt["Condition"]["StringEquals"]["kms:ViaService"])
            .map(|(t, v)| (t, v.clone())),
        Some((
            "Sub".to_owned(),
            Value::from("secretsmanager.${AWS::Region}.amazonaws.com")
        )),
        "only through Secrets Manager"
    );
}

#[test]
fn the_role_sends_mail_only_as_the_senders_identity_with_its_configuration_set() {
    let template = template();
    let role = resource(&template, "FunctionRole");
    let mut statements = Vec::new();
    for policy in items_at_most(&role["Properties"]["Policies"]) {
        for statement in policy["PolicyDocument"]["Statement"]
            .as_sequence()
            .expect("statements")
        {
            if strings(&statement["Action"])
                .iter()
                .any(|a| a.starts_with("ses:"))
            {
                statements.push(statement.clone());
            }
        }
    }
    assert_eq!(statements.len(), 1, "{statements:?}");
    let statement = &statements[0];
    assert_eq!(
        strings(&statement["Action"]),
        BTreeSet::from([SEND_ACTION.to_owned()])
    );
    let resources = items_at_most(&statement["Resource"]);
    assert_eq!(resources.len(), 2, "{resources:?}");
    let (tag, identity) = tagged(resources[0]).expect("!Sub [arn, {Identity}]");
    assert_eq!(tag, "Sub");
    assert_eq!(
        identity[0],
        "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${Identity}"
    );
    let (tag, branches) = tagged(&identity[1]["Identity"]).expect("!If");
    assert_eq!(tag, "If");
    assert_eq!(branches[0], "HasEmailIdentity");
    assert!(is_ref(&branches[1], "EmailIdentity") && is_ref(&branches[2], "EmailFrom"));
    assert_eq!(
        tagged(resources[1]).map(|(t, v)| (t, v.clone())),
        Some((
            "Sub".to_owned(),
            Value::from(
                "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:configuration-set/${SesConfigurationSet}"
            )
        )),
        "the configuration set, when one is given"
    );
    let (tag, branches) = tagged(&statement["Resource"][1]).expect("!If");
    assert_eq!(
        (tag.as_str(), branches[0].as_str()),
        ("If", Some("HasSesConfigurationSet"))
    );
    let from = &statement["Condition"]["StringEqualsIgnoreCase"]["ses:FromAddress"];
    assert!(is_ref(from, "EmailFrom"), "{:?}", statement["Condition"]);

    let variables = &function(&template)["Properties"]["Environment"]["Variables"];
    assert!(is_ref(&variables[EMAIL_FROM], "EmailFrom"));
    assert!(
        template["Parameters"]["EmailFrom"]["Default"].is_null(),
        "required"
    );
    assert_eq!(
        template["Parameters"]["ProductName"]["Default"],
        DEFAULT_PRODUCT_NAME
    );
}
