//! Building and running the web app: database, Leptos routes with shared state, live
//! updates, health check, documents and receipts, embedded assets, security headers,
//! graceful shutdown.

use crate::cli::ServeArgs;
use app::api::context::AppState;
use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Leptos options for the embedded site (no Cargo.toml is needed at run time).
pub fn leptos_options(addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("settle")
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

/// The whole app as a router, for the binary and for tests.
pub fn router(state: AppState, options: LeptosOptions) -> Router {
    app::ui::set_build_id(crate::assets::build_id());
    let routes = generate_route_list(app::App);
    let context_state = state.clone();
    let leptos = Router::new()
        .leptos_routes_with_context(
            &options,
            routes,
            move || {
                provide_context(context_state.clone());
                provide_context(app::api::email::InvoicePdf(render_invoice_pdf));
            },
            {
                let options = options.clone();
                move || app::shell(options.clone())
            },
        )
        .with_state(options.clone());
    let service = Router::new()
        .route("/healthz", get(crate::events::health))
        .route("/readyz", get(crate::events::ready))
        .route("/events", get(crate::events::stream))
        .route("/export/{file}", get(crate::downloads::ledger))
        .with_state(state.clone());
    let not_found = leptos_axum::render_app_to_stream_with_context(
        {
            let (state, options) = (state.clone(), options.clone());
            move || {
                provide_context(state.clone());
                provide_context(options.clone());
            }
        },
        move || app::shell(options.clone()),
    );
    leptos
        .merge(service)
        .merge(crate::documents::routes(state.clone()))
        .merge(crate::shared_invoice::routes(state.clone()))
        .merge(crate::api_v1::routes(state.clone()))
        .fallback(move |request: Request<Body>| async move {
            if let Some(asset) = crate::assets::asset_response(request.uri(), request.headers()) {
                return asset;
            }
            // Not a file: the app renders its own "page not found" inside the usual layout.
            let mut page = not_found(request).await;
            *page.status_mut() = StatusCode::NOT_FOUND;
            page
        })
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        ))
        .layer(axum::middleware::from_fn(crate::status::map_error_status))
        .layer(axum::middleware::from_fn_with_state(
            state,
            crate::auth::require_session,
        ))
        .layer(TraceLayer::new_for_http())
}

/// The invoice PDF for emails sent from server functions (the PDF writer lives here).
fn render_invoice_pdf(
    document: &app::api::documents::InvoiceDocument,
    logo: Option<&app::store::business::Logo>,
) -> Vec<u8> {
    let printable = crate::documents::invoice_pdf::Printable::invoice(document, logo);
    crate::documents::invoice_pdf::render(&printable)
}

/// Opens the database (creating and migrating it) and serves until Ctrl-C or SIGTERM.
pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let pool = app::store::open(&args.db).await?;
    if args.backup_keep > 0 {
        let schedule = crate::backup::Schedule {
            dir: args
                .backup_dir
                .clone()
                .unwrap_or_else(|| crate::backup::default_dir(&args.db)),
            keep: args.backup_keep,
            every: std::time::Duration::from_secs(args.backup_check_secs.max(1)),
        };
        tracing::info!(dir = %schedule.dir.display(), keep = schedule.keep, "daily backups on");
        tokio::spawn(crate::backup::run_daily(pool.clone(), schedule));
    }
    let state = AppState::new(pool.clone());
    tokio::spawn(crate::scheduler::run(
        state.clone(),
        std::time::Duration::from_secs(60),
    ));
    let app = router(state, leptos_options(args.addr));
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    tracing::info!(addr = %listener.local_addr()?, db = %args.db.display(), "Settle is listening");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    pool.close().await;
    tracing::info!("stopped cleanly");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    crate::events::SHUTTING_DOWN.store(true, std::sync::atomic::Ordering::SeqCst);
    tracing::info!("shutting down: finishing requests in flight");
}
