//! The one error type every server function returns. Internal details are logged on the
//! server and reach the person only as a plain sentence.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};
use std::fmt;

/// Problems with input, by field name ("amount", "lines.2.quantity").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<(String, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push((field.into(), message.into()));
    }

    pub fn get(&self, field: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was wrong, otherwise the collected problems.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self))
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AppError {
    /// The input was refused; nothing was saved.
    Invalid(FieldErrors),
    NotFound(String),
    /// The request clashes with the current state (already issued, already paid...).
    Conflict(String),
    /// No valid session.
    Unauthorised,
    /// Signed in, but this account may not do that.
    Forbidden(String),
    /// Something failed on the server; the message is safe to show.
    Internal(String),
    /// The request did not reach the server or its answer could not be read.
    Transport(String),
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
        AppError::Invalid(FieldErrors(vec![(field.to_string(), message.into())]))
    }

    /// The message for a field, when this error is about input.
    pub fn field(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid(errors) => errors.get(field),
            _ => None,
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Invalid(errors) if errors.0.len() == 1 => write!(f, "{}", errors.0[0].1),
            AppError::Invalid(_) => f.write_str("Some fields need attention; nothing was saved."),
            AppError::NotFound(what) => write!(f, "{what} was not found."),
            AppError::Conflict(why) => f.write_str(why),
            AppError::Unauthorised => f.write_str("Please sign in."),
            AppError::Forbidden(why) => f.write_str(why),
            AppError::Internal(message) => f.write_str(message),
            AppError::Transport(why) => write!(f, "Could not reach the server: {why}"),
        }
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(why) | ServerFnErrorErr::MissingArg(why) => {
                AppError::Transport(format!("the request was malformed: {why}"))
            }
            // The network itself failed (offline, server down): nothing the person can read
            // in the browser's wording helps.
            ServerFnErrorErr::Request(_) => AppError::Transport(
                "this page needs a connection, and no copy of it was saved on this device. \
                 It will load when the connection returns."
                    .into(),
            ),
            other => AppError::Transport(other.to_string()),
        }
    }
}
