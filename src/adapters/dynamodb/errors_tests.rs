use aws_sdk_dynamodb::error::{ConnectorError, ErrorMetadata};
use aws_sdk_dynamodb::operation::get_item::GetItemError;
use aws_sdk_dynamodb::types::error::{
    ProvisionedThroughputExceededException, ResourceNotFoundException, ThrottlingException,
};
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;

use super::*;

fn response(status: u16) -> HttpResponse {
    let status = StatusCode::try_from(status).expect("valid status");
    HttpResponse::new(status, SdkBody::empty())
}

fn service(error: GetItemError, status: u16) -> SdkError<GetItemError, HttpResponse> {
    SdkError::service_error(error, response(status))
}

fn generic(code: &str) -> GetItemError {
    GetItemError::generic(meta(code))
}

/// Error metadata as the SDK's deserializer attaches it to every error it parses.
fn meta(code: &str) -> ErrorMetadata {
    ErrorMetadata::builder().code(code).build()
}

fn reason(code: &str) -> CancellationReason {
    CancellationReason::builder().code(code).build()
}

#[test]
fn load_contention_and_network_failures_are_transient_the_rest_unexpected() {
    let cases: Vec<(SdkError<GetItemError, HttpResponse>, bool, &str)> = vec![
        (
            service(
                GetItemError::ThrottlingException(
                    ThrottlingException::builder()
                        .meta(meta("ThrottlingException"))
                        .build(),
                ),
                400,
            ),
            true,
            "throttling",
        ),
        (
            service(
                GetItemError::ProvisionedThroughputExceededException(
                    ProvisionedThroughputExceededException::builder()
                        .meta(meta("ProvisionedThroughputExceededException"))
                        .build(),
                ),
                400,
            ),
            true,
            "provisioned throughput exceeded",
        ),
        (
            service(generic("RequestLimitExceeded"), 400),
            true,
            "account request limit",
        ),
        (
            service(generic("TransactionConflictException"), 400),
            true,
            "transaction conflict",
        ),
        (
            service(generic("InternalServerError"), 500),
            true,
            "server error",
        ),
        (service(generic("Whatever"), 503), true, "any 5xx"),
        (
            SdkError::dispatch_failure(ConnectorError::io("refused".into())),
            true,
            "unreachable",
        ),
        (SdkError::timeout_error("too slow"), true, "timeout"),
        (
            service(
                GetItemError::ResourceNotFoundException(
                    ResourceNotFoundException::builder()
                        .meta(meta("ResourceNotFoundException"))
                        .build(),
                ),
                400,
            ),
            false,
            "missing table",
        ),
        (
            service(generic("ValidationException"), 400),
            false,
            "bad request",
        ),
        (
            service(generic("AccessDeniedException"), 400),
            false,
            "missing permission",
        ),
    ];
    for (error, transient, why) in cases {
        let classified = store_error(error, "reading");
        assert_eq!(
            matches!(classified, StoreError::Unavailable(_)),
            transient,
            "case: {why}: {classified:?}"
        );
    }
}

#[test]
fn the_error_chain_says_what_we_were_doing_and_what_dynamodb_said() {
    let error = service(
        GetItemError::ThrottlingException(
            ThrottlingException::builder()
                .message("Rate of requests exceeds")
                .meta(meta("ThrottlingException"))
                .build(),
        ),
        400,
    );
    let chain = match store_error(error, "reading an account") {
        StoreError::Unavailable(e) | StoreError::Unexpected(e) => format!("{e:#}"),
    };
    assert!(chain.starts_with("reading an account"), "{chain}");
    assert!(chain.contains("Rate of requests exceeds"), "{chain}");
}

#[test]
fn a_cancelled_transaction_is_traced_back_to_the_rule_that_failed() {
    let new_account = [Role::NewEmail, Role::NewUserId];
    let update = [Role::Versioned];
    let move_email = [Role::Versioned, Role::NewEmail, Role::Versioned];
    let cases: [(&[Role], Vec<&str>, &str, &str); 9] = [
        (
            &new_account,
            vec!["ConditionalCheckFailed", "None"],
            "EmailTaken",
            "e-mail taken",
        ),
        (
            &new_account,
            vec!["None", "ConditionalCheckFailed"],
            "unexplained",
            "id collision",
        ),
        (
            &new_account,
            vec!["TransactionConflict", "None"],
            "Contended",
            "conflict",
        ),
        (
            &new_account,
            vec!["None", "ThrottlingError"],
            "Unavailable",
            "throttled",
        ),
        (
            &new_account,
            vec!["ValidationError", "None"],
            "unexplained",
            "invalid",
        ),
        (
            &update,
            vec!["ConditionalCheckFailed"],
            "Conflict",
            "stale version",
        ),
        (
            &update,
            vec!["ProvisionedThroughputExceeded"],
            "Unavailable",
            "capacity",
        ),
        (
            &move_email,
            vec!["ConditionalCheckFailed", "ConditionalCheckFailed", "None"],
            "Conflict",
            "a stale read outranks a taken address",
        ),
        (
            &move_email,
            vec!["None", "ConditionalCheckFailed", "None"],
            "EmailTaken",
            "the new address is taken",
        ),
    ];
    for (roles, codes, expected, why) in cases {
        let reasons: Vec<_> = codes.into_iter().map(reason).collect();
        let outcome = match cancellation(roles, &reasons) {
            Some(CommitError::EmailTaken) => "EmailTaken",
            Some(CommitError::Conflict) => "Conflict",
            Some(CommitError::Contended) => "Contended",
            Some(CommitError::Store(StoreError::Unavailable(_))) => "Unavailable",
            Some(CommitError::Store(StoreError::Unexpected(_))) => "Unexpected",
            None => "unexplained",
        };
        assert_eq!(outcome, expected, "case: {why}");
    }
}
