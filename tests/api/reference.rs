//! The written reference keeps up with the code: `docs/api.md` has a row for every route of the
//! route table (and none for a route the table lacks), and the README stays short enough to
//! read in five minutes, the reference having moved to `docs/`.
//!
//! The convention: each route is a row of the endpoint table in `docs/api.md` that starts with
//! `` | `METHOD /path` ``, the path spelled as `routes()` spells it (trailing slash included).

use std::collections::BTreeSet;
use std::path::Path;

use user_service::adapters::in_memory::InMemoryStore;
use user_service::http::routes;

/// The most lines the README may have: the pitch, the two commands, the walkthrough, the
/// OAuth, admin and events examples a newcomer copies, the map of `src/` and the links;
/// everything else belongs in `docs/`.
const README_MAX_LINES: usize = 345;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// `METHOD /path` for every route the function serves.
fn table_routes() -> BTreeSet<String> {
    routes::<InMemoryStore>()
        .iter()
        .map(|route| format!("{} {}", route.method, route.path))
        .collect()
}

/// `METHOD /path` for every row of `docs/api.md` that opens with one in backticks.
fn documented_routes(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`').map(|(route, _)| route))
        .filter(|route| {
            route
                .split_once(' ')
                .is_some_and(|(method, path)| is_method(method) && path.starts_with('/'))
        })
        .map(str::to_owned)
        .collect()
}

fn is_method(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|byte| byte.is_ascii_uppercase())
}

#[test]
fn every_route_of_the_route_table_has_its_row_in_docs_api_md() {
    let documented = documented_routes(&read("docs/api.md"));

    let missing: Vec<_> = table_routes().difference(&documented).cloned().collect();

    assert!(
        missing.is_empty(),
        "docs/api.md has no row starting with `METHOD /path` for: {}",
        missing.join(", ")
    );
}

#[test]
fn docs_api_md_documents_no_route_the_table_lacks() {
    let documented = documented_routes(&read("docs/api.md"));

    let stale: Vec<_> = documented.difference(&table_routes()).cloned().collect();

    assert!(
        stale.is_empty(),
        "docs/api.md has rows for routes the route table does not serve: {}",
        stale.join(", ")
    );
}

#[test]
fn the_readme_stays_short() {
    let lines = read("README.md").lines().count();

    assert!(
        lines <= README_MAX_LINES,
        "README.md has {lines} lines, more than {README_MAX_LINES}: move reference material to docs/"
    );
}

#[test]
fn the_row_parser_reads_routes_and_skips_other_tables() {
    let text = "| request | success |\n\
                | `POST /user/` `{\"name\"}` | 200 |\n\
                | `GET /docs/` | 200 |\n\
                | 400 | `ValidationError` | when |\n\
                | `TABLE_NAME` | the table |\n\
                see `GET /user/me/` in prose\n";

    let found: Vec<_> = documented_routes(text).into_iter().collect();

    assert_eq!(found, ["GET /docs/", "POST /user/"]);
}

/// The names of `template.yaml`'s parameters: the keys two spaces in under `Parameters:`.
fn template_parameters(template: &str) -> Vec<String> {
    (template.lines())
        .skip_while(|line| *line != "Parameters:")
        .skip(1)
        .take_while(|line| line.is_empty() || line.starts_with(' ') || line.starts_with('#'))
        .filter_map(|line| line.strip_prefix("  ")?.strip_suffix(':'))
        .filter(|name| name.bytes().all(|byte| byte.is_ascii_alphanumeric()))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_stack_parameter_is_in_the_deploy_guides_table() {
    let parameters = template_parameters(&read("template.yaml"));
    let guide = read("docs/deploy.md");
    // The names in the first cell of the table's rows (one row may name two parameters).
    let rows: Vec<&str> = (guide.lines())
        .filter_map(|line| line.strip_prefix('|')?.split('|').next())
        .collect();

    let missing: Vec<_> = (parameters.iter())
        .filter(|name| !rows.iter().any(|cell| cell.contains(&format!("`{name}`"))))
        .collect();

    assert!(parameters.len() > 10, "read {parameters:?}");
    assert!(
        missing.is_empty(),
        "docs/deploy.md has no table row naming the stack parameters {missing:?}"
    );
}
