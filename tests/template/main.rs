//! The deployment files hold to the code and to their own promises: `template.yaml` (the
//! stack), `deploy/bootstrap.yaml` (the deploy role and its boundaries) and the GitHub
//! workflow. A change to one side without the other fails here, not in AWS.
// A test binary has no API: `pub` only shares helpers between its modules.
#![allow(unreachable_pub)]

mod events;
mod pipeline;
mod stack;
mod yaml;
