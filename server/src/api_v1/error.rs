//! The API's one error body: `{"error": {"code", "message", "field"}}`, with every refused
//! field in `fields` when there are several. 5xx bodies say nothing about internals.

use app::api::AppError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    /// Every refused field with its message (input errors only).
    pub fields: Vec<(String, String)>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<FieldProblem<'a>>,
}

#[derive(Serialize)]
struct FieldProblem<'a> {
    field: &'a str,
    message: &'a str,
}

impl ApiError {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            fields: Vec::new(),
        }
    }

    /// A refusal about one field of the request (a query parameter, a header).
    pub fn field(status: u16, field: &str, message: impl Into<String>) -> ApiError {
        let message = message.into();
        ApiError {
            status,
            code: if status == 422 {
                "invalid_input"
            } else {
                "bad_request"
            },
            message: format!("{field}: {message}"),
            field: Some(field.to_string()),
            fields: vec![(field.to_string(), message)],
        }
    }

    pub fn unauthorised() -> ApiError {
        ApiError::new(
            401,
            "unauthorised",
            "send a live API token as Authorization: Bearer settle_…",
        )
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> ApiError {
        match error {
            AppError::Invalid(fields) => {
                let first = fields.0.first().cloned();
                ApiError {
                    status: 422,
                    code: "invalid_input",
                    message: first
                        .as_ref()
                        .map(|(field, message)| format!("{field}: {message}"))
                        .unwrap_or_else(|| "the input was refused; nothing was saved".into()),
                    field: first.map(|(field, _)| field),
                    fields: fields.0,
                }
            }
            AppError::NotFound(what) => {
                ApiError::new(404, "not_found", format!("{what} was not found."))
            }
            AppError::Conflict(why) => ApiError::new(409, "conflict", why),
            AppError::Unauthorised => ApiError::unauthorised(),
            AppError::Forbidden(why) => ApiError::new(403, "forbidden", why),
            AppError::Transport(why) => ApiError::new(400, "bad_request", why),
            AppError::Internal(message) => ApiError::new(500, "internal", message),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = Body {
            error: Inner {
                code: self.code,
                message: &self.message,
                field: self.field.as_deref(),
                fields: self
                    .fields
                    .iter()
                    .map(|(field, message)| FieldProblem { field, message })
                    .collect(),
            },
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"settle\""),
            );
        }
        response
    }
}
