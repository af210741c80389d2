//! Hello world behind API Gateway: what any lambda_http function costs, the floor `make bench`
//! prints next to every figure of the service. It logs the same `elapsed_ms` the service logs,
//! in one JSON line per request, so both are timed the same way.

use std::time::Instant;

use lambda_http::{Body, Error, Request, Response, service_fn};

async fn hello(_request: Request) -> Result<Response<Body>, Error> {
    let started = Instant::now();
    let response = Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(Body::from(r#"{"message":"hello"}"#))?;
    let elapsed_ms = started.elapsed().as_micros() as f64 / 1000.0;
    println!(r#"{{"message":"request handled","elapsed_ms":{elapsed_ms}}}"#);
    Ok(response)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_http::run_concurrent(service_fn(hello)).await
}
