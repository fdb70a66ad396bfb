//! The business's logo: uploaded by the owner from Settle's own pages (a PNG or JPEG of at
//! most 1 MB that really starts like one and that the PDF writer can place), shown to anyone
//! signed in.

use super::receipts::{read_limited, same_origin, starts_as, Read};
use super::{refuse, signed_in};
use app::api::context::AppState;
use app::store::business::{get_logo, set_logo, Logo, MAX_LOGO_BYTES};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

const TOO_LARGE: &str = "The logo is larger than 1 MB; choose a smaller PNG or JPEG.";

/// POST /settings/logo: replaces the logo with the request body; answers `{"version": N}`.
pub async fn upload(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let Some(user) = signed_in(&state, &headers).await else {
        return refuse(StatusCode::UNAUTHORIZED, "Sign in first.");
    };
    if user.role != "owner" {
        return refuse(StatusCode::FORBIDDEN, "Only the owner can do this.");
    }
    if !same_origin(&headers) {
        return refuse(
            StatusCode::FORBIDDEN,
            "The logo can only be uploaded from Settle's own pages.",
        );
    }
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let label = match declared.as_str() {
        "image/png" => "PNG",
        "image/jpeg" => "JPEG",
        _ => {
            return refuse(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "A logo can be a PNG or a JPEG image.",
            )
        }
    };
    let declared_length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared_length.is_some_and(|n| n > MAX_LOGO_BYTES as u64) {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE);
    }
    let data = match read_limited(body, MAX_LOGO_BYTES).await {
        Ok(data) => data,
        Err(Read::TooLarge) => return refuse(StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE),
        Err(Read::Broken) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "The upload was interrupted; try again.",
            )
        }
    };
    if data.is_empty() || !starts_as(&declared, &data) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &format!("This file is not a {label} image, whatever its name says."),
        );
    }
    // A logo the PDFs cannot show is refused now rather than missing from every invoice.
    let mut probe = crate::pdf::Document::new("");
    let placed = match label {
        "PNG" => probe.add_png(&data),
        _ => probe.add_jpeg(&data),
    };
    if let Err(why) = placed {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("This image cannot be used as a logo: {why}."),
        );
    }
    let logo = Logo {
        data,
        content_type: declared,
    };
    let actor = app::store::audit::Actor::User {
        id: user.id,
        email: user.email.clone(),
    };
    let stored = match app::store::begin_write(&state.pool, &actor).await {
        Ok(mut tx) => match set_logo(&mut tx, Some(&logo)).await {
            Ok(version) => tx.commit().await.map(|()| version).map_err(Into::into),
            Err(e) => Err(e),
        },
        Err(e) => Err(e.into()),
    };
    match stored {
        Ok(version) => {
            state.publish("business");
            tracing::info!(bytes = logo.data.len(), "logo stored");
            Json(serde_json::json!({ "version": version })).into_response()
        }
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "logo not stored");
            refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The logo could not be saved; please try again.",
            )
        }
    }
}

/// GET /settings/logo: the stored logo, never sniffed as anything else.
pub async fn download(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if signed_in(&state, &headers).await.is_none() {
        return refuse(StatusCode::UNAUTHORIZED, "Sign in first.");
    }
    let found = match state.pool.acquire().await {
        Ok(mut conn) => get_logo(&mut conn).await,
        Err(e) => Err(e.into()),
    };
    let logo = match found {
        Ok(Some(logo)) => logo,
        Ok(None) => return refuse(StatusCode::NOT_FOUND, "No logo has been uploaded."),
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "logo not read");
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The logo could not be read.",
            );
        }
    };
    let content_type = HeaderValue::from_str(&logo.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-cache"),
            ),
        ],
        logo.data,
    )
        .into_response()
}
